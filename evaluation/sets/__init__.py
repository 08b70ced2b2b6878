"""Labelled sets of transcripts (`<name>/`: transcripts, `labels.yaml`, README) and their typed loader.

Tests and benchmarks both read the sets through `evaluation.sets.loader`.
"""

from evaluation.sets.loader import (
    LABEL_FILES,
    SET_NAMES,
    SETS_DIR,
    Label,
    LabelledItem,
    Labels,
    load_labels,
    load_set,
    set_dir,
)

__all__ = [
    "LABEL_FILES",
    "SETS_DIR",
    "SET_NAMES",
    "Label",
    "LabelledItem",
    "Labels",
    "load_labels",
    "load_set",
    "set_dir",
]
