"""The package layers of pyproject's import-linter contract hold, and cover every package."""

from __future__ import annotations

import tomllib

import grimp
from importlinter.cli import lint_imports

from tests.conftest import REPO

CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]


def test_every_top_level_package_is_in_the_contract():
    packages = {p.parent.name for p in REPO.glob("*/__init__.py")} - {"tests"}
    assert packages == set(CONFIG["root_packages"])


def test_the_layers_contract_is_kept():
    assert lint_imports(config_filename=str(REPO / "pyproject.toml"), no_cache=True, no_logo=True) == 0


def test_the_ground_and_the_domain_import_no_package_above_them():
    graph = grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    above_ground = set(CONFIG["root_packages"]) - {"crca"}
    above_domain = above_ground - {"domain"}
    for importer, forbidden in (("crca", above_ground), ("domain", above_domain)):
        for imported in forbidden:
            chain = graph.find_shortest_chain(importer=importer, imported=imported, as_packages=True)
            assert chain is None, f"{importer} → {imported}: {' → '.join(chain or ())}"


def test_nothing_imports_the_web_application():
    graph = grimp.build_graph(*CONFIG["root_packages"], cache_dir=None)
    importers = {m.split(".")[0] for m in graph.find_modules_that_directly_import("webapp", as_package=True)}
    assert importers <= {"webapp"}
