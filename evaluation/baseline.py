"""The naive judge: one JSON-constrained call asking every verdict at once.

Kept only as the benchmark's point of comparison for `RubricGrader` on the same model:
it shows what the per-criterion, evidence-checked design buys. Not used by the product.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage
from pydantic import BaseModel, ConfigDict, Field, create_model

from crca.llm import LLMError, structured_call
from crca.prompts import render_prompt
from domain.grades import CriterionGrade, GradeReport, GraderInfo, Verdict
from domain.transcript import CHANNEL_LABELS_FR, Transcript
from rubrics.models import Rubric

BaselineVerdict = Literal["acquired", "partial", "not_acquired", "not_observed"]


def verdict_schema(rubric: Rubric) -> type[BaseModel]:
    """A model with one required field per criterion id, so constrained decoding names them all."""
    fields: dict[str, Any] = {
        f"c{i}": (BaselineVerdict, Field(alias=c.id)) for i, c in enumerate(rubric.criteria)
    }
    return create_model("BaselineVerdicts", __config__=ConfigDict(populate_by_name=True), **fields)


class BaselineJudge:
    """Same `grade()` as the rubric grader, so the benchmark runs both through one path."""

    def __init__(self, model: BaseChatModel, rubric: Rubric, *, info: GraderInfo, max_tokens: int = 1200):
        self.model, self.rubric, self.info = model, rubric, info
        self.schema = verdict_schema(rubric)
        self.max_tokens = max_tokens

    def prompt(self, transcript: Transcript) -> str:
        return render_prompt(
            "evaluation",
            "baseline_judge",
            channel=CHANNEL_LABELS_FR[transcript.channel],
            context=transcript.context,
            turns=[t.model_dump(mode="json") for t in transcript.turns],
            actions=transcript.actions,
            criteria=self.rubric.criteria,
        )

    def grade(self, transcript: Transcript, progress: Callable[..., Any] | None = None) -> GradeReport:
        dialect = getattr(self.model, "crca_structured_dialect", "json_schema")
        model = self.model.bind(max_tokens=self.max_tokens)  # 28 verdicts exceed the usual budget
        try:
            answer = structured_call(
                model, [HumanMessage(self.prompt(transcript))], self.schema, dialect=dialect
            )
            verdicts = answer.model_dump(by_alias=True)
            error = None
        except LLMError as exc:  # explicit "could not grade", never a default verdict
            verdicts, error = {}, str(exc)
        criteria = [
            CriterionGrade(
                criterion_id=c.id,
                verdict=Verdict(verdicts[c.id]) if c.id in verdicts else Verdict.COULD_NOT_GRADE,
                justification="",
                error=error,
            )
            for c in self.rubric.criteria
        ]
        return GradeReport(
            transcript_id=transcript.id,
            rubric_version=self.rubric.version,
            grader=self.info,
            criteria=criteria,
        )
