"""The referential as typed data: criteria decomposed into atomic, observable checks.

Why checks: a small model judging a whole criterion at once is lenient and easily
swayed; asked narrow yes/no questions over a few candidate turns, it is not. The
verdict is then derived from the check results by a pure rule (see `VerdictRule`).
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Scope = Literal["advisor", "client", "all", "advisor_opening", "advisor_closing"]


class Check(BaseModel):
    """One atomic, observable statement about the transcript, verified as true or false."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique id, e.g. 'B1.1.company'.")
    statement: str = Field(
        description="French statement to verify ('Le conseiller annonce le nom de la société.'); "
        "put to the model as 'est-ce vrai ?' and quoted in justifications."
    )
    role: Literal["situation", "exclusion", "condition", "behaviour"] = Field(
        description="'situation': did the occasion arise (all false → not observed); "
        "'exclusion': a context where the referential expects nothing (bereavement, unpaid "
        "premium…): when it holds and the advisor did nothing, not observed rather than missed; "
        "'condition': gates only the behaviour checks naming it in `applies_if`; "
        "'behaviour': did the advisor do what the criterion asks."
    )
    scope: Scope = Field(
        default="advisor",
        description="Which turns are searched: advisor turns, client turns, all, or only the "
        "advisor's first/last two turns.",
    )
    cues: list[str] = Field(
        default_factory=list,
        description="Case- and accent-insensitive regular expressions selecting candidate turns "
        "(for a detector: its parameters, e.g. the jargon terms).",
    )
    require: list[str] = Field(
        default_factory=list,
        description="Regular expressions a candidate turn must ALSO all match (e.g. the digital "
        "tool named in the same turn as the explanation of how to use it).",
    )
    unless: list[str] = Field(
        default_factory=list,
        description="Regular expressions that void a cue match found in the same sentence (a "
        "promise stated with its limit or condition, « dans la limite de… », is no false promise).",
    )
    actions: list[str] = Field(
        default_factory=list, description="Logged action types that satisfy the check by themselves."
    )
    detector: str | None = Field(
        default=None,
        description="Name of a deterministic detector of the evaluation package used instead of "
        "the model (e.g. 'fact_check', 'question_count', 'jargon').",
    )
    min_count: int = Field(default=1, ge=1, description="Threshold of counting detectors.")
    confirm: bool = Field(
        default=True,
        description="Ask the model to confirm on the candidate turns; False trusts the cues alone.",
    )
    negative: bool = Field(
        default=False,
        description="The statement describes a fault ('Le conseiller fait une promesse…'): the "
        "check passes when it is false.",
    )
    required: bool = Field(default=True, description="Counts towards 'acquired'.")
    cap: Literal["partial", "not_acquired"] | None = Field(
        default=None,
        description="For a negative check: best verdict left when this fault is found; None uses "
        "the criterion's `rule.negative_cap` (e.g. an omission caps at 'partial', a false "
        "statement at 'not_acquired').",
    )
    applies_if: str | None = Field(
        default=None,
        description="Id of a 'condition' check, or of the behaviour this one builds on (the "
        "interest of an offer needs the offer); when it is false this check is moot.",
    )

    @field_validator("cues", "require")
    @classmethod
    def _cues_compile(cls, cues: list[str]) -> list[str]:
        for cue in cues:
            try:
                re.compile(cue)
            except re.error as exc:
                raise ValueError(f"expression régulière invalide {cue!r} : {exc}") from exc
        return cues

    @model_validator(mode="after")
    def _has_source(self) -> Check:
        if not (self.cues or self.actions or self.detector):
            raise ValueError(f"{self.id}: ni indices, ni actions, ni détecteur")
        return self


class VerdictRule(BaseModel):
    """How behaviour-check results become a verdict."""

    model_config = ConfigDict(extra="forbid")

    acquired_min: int | None = Field(
        default=None,
        description="Passed required checks needed for 'acquired'; None means all of them.",
    )
    partial_min: int = Field(default=1, ge=1, description="Passed checks needed for 'partial'.")
    negative_cap: Literal["partial", "not_acquired"] = Field(
        default="partial", description="Best verdict left when a negative check fails (a fault)."
    )


class Criterion(BaseModel):
    """One competency of the referential with its evaluation criterion."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^B[12]\.\d+$")
    bloc: Literal[1, 2]
    title: str = Field(description="Short French label shown in reports.")
    competency: str = Field(description="Competency text of the referential, verbatim.")
    criterion: str = Field(description="Evaluation criterion of the referential, verbatim.")
    indicators: list[str] = Field(default_factory=list, description="Observable indicators.")
    examples: list[str] = Field(default_factory=list, description="Short examples for graders.")
    checks: list[Check] = Field(min_length=1)
    rule: VerdictRule = Field(default_factory=VerdictRule)
    tip: str = Field(description="Default French improvement tip when not acquired.")

    @model_validator(mode="after")
    def _has_behaviour(self) -> Criterion:
        if not any(c.role == "behaviour" for c in self.checks):
            raise ValueError(f"{self.id}: au moins une vérification de comportement est requise")
        prefix = self.id + "."
        gates = {c.id for c in self.checks if c.role in ("condition", "behaviour")}
        for check in self.checks:
            if not check.id.startswith(prefix):
                raise ValueError(f"{self.id}: vérification {check.id!r} hors préfixe {prefix!r}")
            if check.applies_if is not None and check.applies_if not in gates - {check.id}:
                raise ValueError(
                    f"{check.id}: applies_if {check.applies_if!r} n'est ni une condition ni un comportement"
                )
        return self

    def situation_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "situation"]

    def exclusion_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "exclusion"]

    def behaviour_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "behaviour"]

    @property
    def conditional(self) -> bool:
        """True when the exchange may give no occasion to observe it (→ not observed)."""
        return bool(self.situation_checks() or self.exclusion_checks())


class HandlingLevel(BaseModel):
    """How the overall level of the handling moves the observed verdicts (see `evaluation.holistic`)."""

    model_config = ConfigDict(extra="forbid")

    weak_below: float = Field(
        ge=0, le=1, description="Level under which every observed criterion is « non acquis »."
    )
    strong_above: float = Field(
        ge=0, le=1, description="Level over which the observed criteria are « acquis »."
    )
    min_observed: int = Field(default=10, ge=1, description="Fewer observed criteria: no adjustment.")

    @model_validator(mode="after")
    def _ordered(self) -> HandlingLevel:
        if self.weak_below > self.strong_above:
            raise ValueError("weak_below doit être inférieur ou égal à strong_above")
        return self


class Rubric(BaseModel):
    """The whole versioned rubric (Bloc 1 then Bloc 2, in the referential's order)."""

    model_config = ConfigDict(extra="forbid")

    version: str
    source: str = Field(description="Referential the rubric transcribes.")
    blocs: dict[int, str] = Field(
        default_factory=dict, description="French title of each bloc, as reports show it (one per bloc used)."
    )
    handling_level: HandlingLevel | None = Field(
        default=None, description="Adjustment of the observed verdicts to the handling's overall level."
    )
    criteria: list[Criterion]

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("identifiants de critères en double")
        check_ids = [k.id for c in self.criteria for k in c.checks]
        if len(check_ids) != len(set(check_ids)):
            raise ValueError("identifiants de vérifications en double")
        untitled = sorted({c.bloc for c in self.criteria} - set(self.blocs))
        if untitled:
            raise ValueError(f"bloc(s) sans titre : {untitled}")
        return self

    def get(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    def bloc(self, number: int) -> list[Criterion]:
        return [c for c in self.criteria if c.bloc == number]

    def bloc_title(self, number: int) -> str:
        """The bloc's French title, or '' for a bloc the rubric does not have."""
        return self.blocs.get(number, "")
