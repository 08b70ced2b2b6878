"""What the browser tests share: Debian's chromium, its flags, screenshots and the sign-in steps.

Debian's chromium is driven by Playwright (never `playwright install`: no download here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
TIMEOUT = 30_000


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")  # the page-load restore must not answer after the sign-in
    page.locator("#login-user textarea, #login-user input").first.fill(username)
    page.locator("#login-pass input").fill(password)
    page.locator("#login-btn").click()
    page.get_by_text(f"Connecté : {username}").wait_for(timeout=TIMEOUT)
