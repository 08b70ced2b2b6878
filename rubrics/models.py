"""The referential as typed data: criteria decomposed into atomic, observable checks.

Why checks: a small model judging a whole criterion at once is lenient and easily
swayed; asked narrow yes/no questions over a few candidate turns, it is not. The
verdict is then derived from the check results by a pure rule (see `VerdictRule`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Scope = Literal["advisor", "client", "all", "advisor_opening", "advisor_closing"]


class Check(BaseModel):
    """One atomic yes/no question about the transcript."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Unique id, e.g. 'B1.1.company'.")
    question: str = Field(description="French yes/no question put to the grader model.")
    role: Literal["situation", "behaviour"] = Field(
        description="'situation': did the occasion arise (all no → not observed); "
        "'behaviour': did the advisor do what the criterion asks."
    )
    scope: Scope = Field(
        default="advisor",
        description="Which turns are searched: advisor turns, client turns, all, or only the "
        "advisor's first/last two turns.",
    )
    cues: list[str] = Field(
        default_factory=list,
        description="Case- and accent-insensitive regular expressions selecting candidate turns.",
    )
    actions: list[str] = Field(
        default_factory=list, description="Logged action types that satisfy the check by themselves."
    )
    detector: str | None = Field(
        default=None,
        description="Name of a deterministic detector of the evaluation package used instead of "
        "cues (e.g. 'fact_check').",
    )
    confirm: bool = Field(
        default=True,
        description="Ask the model to confirm on the candidate turns; False trusts the cues alone.",
    )
    negative: bool = Field(
        default=False,
        description="The check passes when the answer is 'no' (e.g. 'a false promise was made?').",
    )
    required: bool = Field(default=True, description="Counts towards 'acquired'.")


class VerdictRule(BaseModel):
    """How behaviour-check results become a verdict."""

    model_config = ConfigDict(extra="forbid")

    acquired_min: int | None = Field(
        default=None,
        description="Passed required checks needed for 'acquired'; None means all of them.",
    )
    partial_min: int = Field(default=1, ge=1, description="Passed checks needed for 'partial'.")


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
        for check in self.checks:
            if not check.id.startswith(prefix):
                raise ValueError(f"{self.id}: vérification {check.id!r} hors préfixe {prefix!r}")
        return self

    def situation_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "situation"]

    def behaviour_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "behaviour"]


class Rubric(BaseModel):
    """The whole versioned rubric (Bloc 1 then Bloc 2, in the referential's order)."""

    model_config = ConfigDict(extra="forbid")

    version: str
    source: str = Field(description="Referential the rubric transcribes.")
    criteria: list[Criterion]

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        if len(ids) != len(set(ids)):
            raise ValueError("identifiants de critères en double")
        check_ids = [k.id for c in self.criteria for k in c.checks]
        if len(check_ids) != len(set(check_ids)):
            raise ValueError("identifiants de vérifications en double")
        return self

    def get(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)
