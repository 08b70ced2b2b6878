"""The threshold replay of benchmarks/yes_threshold.py: scores decide the answers, κ follows."""

from __future__ import annotations

import math

from benchmarks.yes_threshold import grade_all, main, prompt_key, sweep
from evaluation.agreement import summarise
from evaluation.grader import RubricGrader
from evaluation.sets import load_set, set_dir

DEVSET = set_dir("devset")


def test_thresholds_replay_the_grading_with_the_recorded_scores() -> None:
    sets = {"devset": load_set(DEVSET)[:2]}
    grader_for = lambda model: RubricGrader(model)  # noqa: E731
    scores: dict[str, float] = {}

    def record(answer: str):  # type: ignore[no-untyped-def]
        def responder(messages, kwargs):  # type: ignore[no-untyped-def]
            scores.setdefault(prompt_key(messages), -2.0 if len(scores) % 2 else -4.0)
            return answer

        return responder

    gold = {i.transcript.id: i.verdicts for i in sets["devset"]}
    kappa = {
        a: summarise(gold, grade_all(grader_for, sets, record(a))["devset"]).kappa for a in ("oui", "non")
    }
    unseen: dict = {}
    rows = dict(sweep(grader_for, sets, scores, [-3.0, 0.0], unseen))
    assert rows[-math.inf]["devset"] == kappa["oui"]
    assert rows[0.0]["devset"] == kappa["non"]  # every score is below 0: every answer is 'non'
    assert rows[-3.0]["ensemble"] == rows[-3.0]["devset"]
    assert all(key not in scores for key in unseen)  # mixed answers may open new questions


def test_a_question_without_a_score_is_reported_not_guessed() -> None:
    sets = {"devset": load_set(DEVSET)[:1]}
    unseen: dict = {}
    sweep(lambda model: RubricGrader(model), sets, {}, [-3.0], unseen)
    assert unseen and all(messages[-1].content.startswith("Affirmation") for messages in unseen.values())


def test_the_final_test_set_is_refused() -> None:
    try:
        main(["--devset", str(DEVSET.parent / "testset3")])
    except SystemExit as exc:
        assert exc.code == 2
    else:
        raise AssertionError("testset3 must not be used to choose the threshold")
