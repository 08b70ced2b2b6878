"""`RubricGrader`: a transcript graded on every criterion of the rubric, check by check.

Per criterion: situation checks (none true → not observed), then behaviour checks from
logged actions, detectors, lexical cues and, only where it can still change the verdict,
one short model confirmation over the candidate turns. The verdict is a pure function of
the check results (`evaluation.verdicts`); the justification is a template over them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from langchain_core.language_models import BaseChatModel

from crca.settings import Settings
from domain.grades import CheckResult, CriterionGrade, Evidence, GradeReport, GraderInfo, Verdict
from domain.transcript import Transcript
from evaluation.case_key import CaseKey, scenario_case
from evaluation.case_observable import observed_by_case
from evaluation.checks import CheckRunner
from evaluation.confidence import MOVED, Calibration, assess, assess_moved, load_calibration
from evaluation.detectors import FactChecker
from evaluation.holistic import adjust
from evaluation.semantic import SemanticCandidates
from evaluation.summaries import bloc_summaries, justify, overall_summary
from evaluation.verdicts import MAX_UNKNOWN, Results, decide, matters
from rubrics.loader import load_rubric
from rubrics.models import Check, Criterion, Rubric

Progress = Callable[[int, int, str], None]
_ROLE_ORDER = {"situation": 0, "exclusion": 1, "condition": 2, "behaviour": 3}
_NOT_NEEDED = "Non vérifié : sans effet sur le verdict, déjà déterminé par les autres vérifications."


def _may_need_model(check: Check) -> bool:
    return check.confirm and check.detector is None and bool(check.cues)


def _ordered(criterion: Criterion) -> list[Check]:
    """Situations first, then conditions, then behaviours; cheap checks before model checks."""
    return sorted(criterion.checks, key=lambda c: (_ROLE_ORDER[c.role], _may_need_model(c)))


class RubricGrader:
    """Grades transcripts against a rubric with a chat model used only for narrow confirmations."""

    def __init__(
        self,
        model: BaseChatModel,
        rubric: Rubric | None = None,
        *,
        fact_checker: FactChecker | None = None,
        info: GraderInfo | None = None,
        samples: int = 1,
        max_candidates: int = 4,
        semantic: SemanticCandidates | None = None,
        full_scan: bool = False,
        calibration: Calibration | None = None,
    ) -> None:
        """`semantic` adds paraphrase candidates to fault checks (the offline encoder's);
        `full_scan` puts a check whose cues found nothing to the model over all the turns in its
        scope, with a verified quote (for a strong model: on by default for the openai backend);
        `calibration` says which kinds of verdict are « sûr » (default: `evaluation/confidence.yaml`)."""
        if samples < 1 or max_candidates < 1:
            raise ValueError("samples et max_candidates doivent valoir au moins 1")
        self.model = model
        self.rubric = rubric or load_rubric()
        self.fact_checker = fact_checker
        self.info = info or GraderInfo(
            backend=getattr(model, "_llm_type", type(model).__name__),
            model=str(getattr(model, "model_name", None) or type(model).__name__),
        )
        self.samples, self.max_candidates = samples, max_candidates
        self.semantic, self.full_scan = semantic, full_scan
        self.calibration = calibration if calibration is not None else load_calibration()
        self.last_model_calls = 0
        """Model calls made by the last `grade` (for timing reports)."""

    @classmethod
    def from_settings(cls, settings: Settings, *, fact_checker: FactChecker | None = None) -> RubricGrader:
        """The grader of the configured `grader` role (the app and batch grading share it)."""
        from crca.llm import chat_model, describe

        backend, model = describe("grader", settings)
        return cls(
            chat_model("grader", settings),
            fact_checker=fact_checker,
            info=GraderInfo(backend=backend, model=model),
            semantic=SemanticCandidates(),
            full_scan=backend == "openai",
        )

    def grade(
        self,
        transcript: Transcript,
        progress: Progress | None = None,
        *,
        case: CaseKey | None = None,
        use_case: bool = True,
    ) -> GradeReport:
        """Every criterion of the rubric, in order, with bloc and overall summaries.

        `case` is the answer key (a trainer's case file); by default a scenario-linked transcript
        is graded against its scenario's key. `use_case=False` grades without any key."""
        if use_case and case is None:
            case = scenario_case(transcript)
        runner = CheckRunner(
            self.model, transcript, fact_checker=self.fact_checker, case=case if use_case else None,
            samples=self.samples, max_candidates=self.max_candidates, semantic=self.semantic,
            full_scan=self.full_scan,
        )  # fmt: skip
        grades: list[CriterionGrade] = []
        calls = 0
        total = len(self.rubric.criteria)
        for index, criterion in enumerate(self.rubric.criteria, start=1):
            grade, criterion_calls = self._grade_criterion(criterion, runner)
            grades.append(grade)
            calls += criterion_calls
            if progress:
                progress(index, total, criterion.id)
        self.last_model_calls = calls
        if use_case:
            grades = observed_by_case(self.rubric, grades, case, partial(self._reassess, sources=["case"]))
        grades = adjust(self.rubric, grades, partial(self._reassess, sources=MOVED))
        return GradeReport(
            transcript_id=transcript.id,
            rubric_version=self.rubric.version,
            grader=self.info,
            criteria=grades,
            blocs=bloc_summaries(self.rubric, grades),
            summary=overall_summary(self.rubric, grades),
        )

    def _grade_criterion(self, criterion: Criterion, runner: CheckRunner) -> tuple[CriterionGrade, int]:
        checks = _ordered(criterion)
        results: Results = {}
        shown: list[CheckResult] = []
        sources: dict[str, str] = {}
        articles: list[str] = []
        to_verify: list[str] = []
        calls = 0
        for position, check in enumerate(checks):
            pending = [c.id for c in checks[position + 1 :]]
            needed = matters(criterion, results, check.id, pending)
            outcome = runner.run(check, allow_model=needed)
            if outcome is None:
                result = CheckResult(check_id=check.id, passed=None, source="skipped", note=_NOT_NEEDED)
            else:
                result = outcome.result
                articles += [a for a in outcome.articles if a not in articles]
                to_verify += [n for n in outcome.to_verify if n not in to_verify]
                calls += outcome.model_calls
            if result.source != "unavailable":
                results[check.id] = result.passed
                sources[check.id] = result.source
            shown.append(result)
        verdict = decide(criterion, results)
        confidence, reason = assess(criterion, results, sources, self.calibration)
        grade = CriterionGrade(
            criterion_id=criterion.id,
            verdict=verdict,
            justification=justify(criterion, verdict, shown),
            evidence=_supporting(criterion, verdict, shown),
            tip=criterion.tip if verdict in (Verdict.PARTIAL, Verdict.NOT_ACQUIRED) else None,
            checks=shown,
            error=_error(verdict, shown),
            articles=articles,
            confidence=confidence,
            confidence_reason=reason,
            to_verify=to_verify,
        )
        return grade, calls

    def _reassess(self, criterion: Criterion, grade: CriterionGrade, *, sources: list[str]) -> CriterionGrade:
        """Confidence of a verdict set after its checks, by what set it: the handling's level
        ('level') or the case key ('case'), each its own calibrated kind."""
        confidence, reason = assess_moved(criterion, grade.verdict, self.calibration, sources)
        return grade.model_copy(update={"confidence": confidence, "confidence_reason": reason})


def _supporting(criterion: Criterion, verdict: Verdict, results: list[CheckResult]) -> list[Evidence]:
    """Quotes behind the verdict: what was done, and any fault found."""
    if verdict in (Verdict.NOT_OBSERVED, Verdict.COULD_NOT_GRADE):
        return []
    negative = {c.id for c in criterion.checks if c.negative}
    behaviour = {c.id for c in criterion.behaviour_checks()}
    evidence: list[Evidence] = []
    for r in results:
        if r.check_id in behaviour and (r.passed is True) != (r.check_id in negative):
            evidence += [e for e in r.evidence if e not in evidence]
    return evidence


def _error(verdict: Verdict, results: list[CheckResult]) -> str | None:
    if verdict != Verdict.COULD_NOT_GRADE:
        return None
    reasons = [f"{r.check_id} : {r.note}" for r in results if r.source == "error"]
    return " ; ".join(reasons) or f"Plus de {MAX_UNKNOWN} vérifications indéterminées."
