"""Confidence of a verdict, calibrated on the assessors' labels of the development sets.

Why calibrated: whether a verdict can be trusted depends on what decided it, and only the labels
say how often each kind of decision was right. A verdict's kind is its criterion, its verdict and
the sources of the checks whose result alone, if wrong, would turn it (`deciding_sources`);
`confidence.yaml` (written by `benchmarks/calibrate_confidence.py`) says how often verdicts of each
kind agreed exactly with the assessors. A kind agreeing at least `threshold` of the time, over at
least `min_support` verdicts, is « sûr »; any other, and any undetermined verdict, « à confirmer ».
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from domain.grades import Confidence, Verdict
from evaluation.verdicts import Results, decide, deciding_sources
from rubrics.models import Criterion

CALIBRATION_FILE = Path(__file__).with_name("confidence.yaml")
SOURCES = frozenset({"actions", "case", "cues", "detector", "level", "model", "none", "unknown"})
"""What can decide a check (`CheckResult.source` of a known result), 'none' when no single check
could turn the verdict, 'level' when the handling's overall level moved it (`evaluation.holistic`)."""
MOVED = ["level"]


def kind_key(criterion_id: str, verdict: Verdict | str, sources: list[str]) -> str:
    """'B1.0|acquired|actions+cues': the kind of a decision, as the calibration file spells it."""
    return f"{criterion_id}|{Verdict(verdict).value}|{'+'.join(sorted(sources))}"


class Kind(BaseModel):
    """How often verdicts of one kind agreed exactly with the assessors."""

    model_config = ConfigDict(extra="forbid")

    criterion: str = Field(description="Criterion id, e.g. 'B1.0'.")
    verdict: Verdict = Field(description="The grader's verdict (never could_not_grade).")
    sources: list[str] = Field(min_length=1, description="Sorted sources that could turn it.")
    support: int = Field(ge=1, description="Labelled verdicts of this kind on the development sets.")
    agreed: int = Field(ge=0, description="Of those, exact agreements with the label.")

    @model_validator(mode="after")
    def _consistent(self) -> Kind:
        if self.agreed > self.support:
            raise ValueError(f"{self.key} : plus d'accords ({self.agreed}) que de verdicts ({self.support})")
        if self.sources != sorted(set(self.sources)) or not set(self.sources) <= SOURCES:
            raise ValueError(f"{self.key} : sources non triées ou inconnues")
        if self.verdict == Verdict.COULD_NOT_GRADE:
            raise ValueError(f"{self.key} : un verdict non rendu n'a pas de confiance calibrée")
        return self

    @property
    def key(self) -> str:
        return kind_key(self.criterion, self.verdict, self.sources)

    @property
    def agreement(self) -> float:
        return self.agreed / self.support


class Estimate(BaseModel):
    """« Sûr » verdicts over labelled verdicts, each set judged by a table built without it."""

    verdicts: int = Field(ge=0, description="Labelled verdicts of all the sets.")
    sure: int = Field(ge=0, description="Of those, marked « sûr ».")
    sure_agreed: int = Field(ge=0, description="Of those, exact agreements with the label.")

    @model_validator(mode="after")
    def _consistent(self) -> Estimate:
        if not self.sure_agreed <= self.sure <= self.verdicts:
            raise ValueError("estimation incohérente : accords ≤ sûrs ≤ verdicts attendu")
        return self

    @property
    def coverage(self) -> float:
        return self.sure / max(1, self.verdicts)

    @property
    def accuracy(self) -> float:
        return self.sure_agreed / max(1, self.sure)


class Calibration(BaseModel):
    """The content of `confidence.yaml`."""

    model_config = ConfigDict(extra="forbid")

    sets: list[str] = Field(min_length=1, description="Development sets graded to build it.")
    backend: str = Field(description="Grader model used (the scripted always-« oui » one).")
    target: float = Field(gt=0, le=1, description="Cross-validated accuracy « sûr » must hold.")
    threshold: float | None = Field(
        gt=0, le=1, description="Least agreement of a « sûr » kind; None: no threshold reached the target."
    )
    min_support: int = Field(ge=1, description="Fewer labelled verdicts of a kind: « à confirmer ».")
    cross_validated: Estimate = Field(description="Leave-one-set-out estimate at `threshold`.")
    kinds: list[Kind]
    _by_key: dict[str, Kind] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _unique(self) -> Calibration:
        keys = [k.key for k in self.kinds]
        if len(keys) != len(set(keys)):
            raise ValueError("type de verdict en double dans la calibration")
        self._by_key = dict(zip(keys, self.kinds, strict=True))
        return self

    def kind(self, criterion_id: str, verdict: Verdict, sources: list[str]) -> Kind | None:
        return self._by_key.get(kind_key(criterion_id, verdict, sources))

    def is_sure(self, kind: Kind | None) -> bool:
        """The one rule: enough support and agreement at least the threshold."""
        return (
            kind is not None
            and self.threshold is not None
            and kind.support >= self.min_support
            and kind.agreement >= self.threshold
        )


@cache
def load_calibration(path: Path = CALIBRATION_FILE) -> Calibration | None:
    """The calibration file, or None when there is none (every verdict is then « à confirmer »)."""
    if not path.is_file():
        return None
    return Calibration.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))


def assess(
    criterion: Criterion, results: Results, sources: dict[str, str], calibration: Calibration | None
) -> tuple[Confidence, str]:
    """The verdict's confidence and, in French, why (shown after « sûr » / « à confirmer »)."""
    verdict = decide(criterion, results)
    if verdict == Verdict.COULD_NOT_GRADE:
        return "to_confirm", "le verdict n'a pas pu être établi."
    if calibration is None:
        return "to_confirm", "aucune calibration sur les étiquettes des évaluateurs."
    return _calibrated(criterion, verdict, deciding_sources(criterion, results, sources), calibration)


def assess_moved(
    criterion: Criterion, verdict: Verdict, calibration: Calibration | None, sources: list[str] = MOVED
) -> tuple[Confidence, str]:
    """Confidence of a verdict set after the checks: by the handling's overall level (sources
    'level', the default) or by the case key (sources 'case')."""
    if calibration is None:
        return "to_confirm", "aucune calibration sur les étiquettes des évaluateurs."
    return _calibrated(criterion, verdict, sources, calibration)


def _calibrated(
    criterion: Criterion, verdict: Verdict, sources: list[str], calibration: Calibration
) -> tuple[Confidence, str]:
    kind = calibration.kind(criterion.id, verdict, sources)
    if kind is None or kind.support < calibration.min_support:
        seen = kind.support if kind else 0
        return "to_confirm", f"trop peu de verdicts de ce type comparés aux évaluateurs ({seen})."
    rate = f"{kind.agreement:.0%}".replace("%", " %")
    cases = f"{rate} des cas ({kind.support} verdicts)"
    if calibration.is_sure(kind):
        return "sure", f"ce type de verdict a été confirmé par les évaluateurs dans {cases}."
    return "to_confirm", f"ce type de verdict n'a été confirmé par les évaluateurs que dans {cases}."
