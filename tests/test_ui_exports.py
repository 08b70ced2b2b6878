"""Downloads are written under one directory and old ones are pruned, not left in /tmp forever."""

import os
import time

from webapp.ui.widgets import export_directory


def test_old_exports_are_removed_and_recent_ones_kept(tmp_path):
    old = export_directory(tmp_path, max_age=3600)
    (old / "evaluation.md").write_text("ancien", encoding="utf-8")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    recent = export_directory(tmp_path, max_age=3600)
    (recent / "evaluation.md").write_text("récent", encoding="utf-8")

    newest = export_directory(tmp_path, max_age=3600)

    assert not old.exists()
    assert (recent / "evaluation.md").read_text(encoding="utf-8") == "récent"
    assert newest.is_dir() and newest.parent == tmp_path and newest != recent
