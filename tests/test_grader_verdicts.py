"""The verdict is a pure function of check results and the rule."""

from __future__ import annotations

import pytest

from domain.grades import Verdict
from evaluation.verdicts import decide, matters, verdict_of
from rubrics import Check, Criterion, VerdictRule

A, P, N = Verdict.ACQUIRED, Verdict.PARTIAL, Verdict.NOT_ACQUIRED
UNSEEN, ERR = Verdict.NOT_OBSERVED, Verdict.COULD_NOT_GRADE


def _check(cid: str, role: str = "behaviour", **kw: object) -> Check:
    return Check(id=f"B1.1.{cid}", statement=cid, role=role, cues=["x"], **kw)  # type: ignore[arg-type]


def _criterion(*checks: Check, **rule: object) -> Criterion:
    rules = VerdictRule(**rule)  # type: ignore[arg-type]
    return Criterion(
        id="B1.1", bloc=1, title="t", competency="c", criterion="k", tip="t", checks=list(checks), rule=rules
    )


def _r(**values: bool | None) -> dict[str, bool | None]:
    return {f"B1.1.{k}": v for k, v in values.items()}


PLAIN = _criterion(_check("a"), _check("b"), _check("opt", required=False))
COND = _criterion(_check("sit", "situation"), _check("a"), _check("b"))
FAULT = _criterion(_check("a"), _check("bad", negative=True), negative_cap="not_acquired")
GATED = _criterion(_check("cond", "condition"), _check("a"), _check("b", applies_if="B1.1.cond"))
EXCLUDED = _criterion(_check("sit", "situation"), _check("ctx", "exclusion"), _check("a"), _check("b"))
BUILDS_ON = _criterion(_check("offer"), _check("interest", applies_if="B1.1.offer"), _check("other"))


@pytest.mark.parametrize(
    ("criterion", "results", "expected"),
    [
        (PLAIN, _r(a=True, b=True, opt=False), A),
        (PLAIN, _r(a=True, b=False, opt=False), P),
        (PLAIN, _r(a=False, b=False, opt=True), P),
        (PLAIN, _r(a=False, b=False, opt=False), N),
        (COND, _r(sit=False, a=True, b=True), UNSEEN),
        (COND, _r(sit=True, a=True, b=True), A),
        (COND, _r(sit=True, a=False, b=False), N),
        (FAULT, _r(a=True, bad=True), A),
        (FAULT, _r(a=True, bad=False), N),
        (GATED, _r(cond=False, a=True, b=False), A),
        (GATED, _r(cond=True, a=True, b=False), P),
        # An excluding context (bereavement, unpaid premium…) makes a miss "not observed",
        # but what the advisor did anyway is still graded.
        (EXCLUDED, _r(sit=True, ctx=True, a=False, b=False), UNSEEN),
        (EXCLUDED, _r(sit=True, ctx=True, a=True, b=False), P),
        (EXCLUDED, _r(sit=True, ctx=False, a=False, b=False), N),
        (EXCLUDED, _r(sit=False, ctx=False, a=True, b=True), UNSEEN),
        # The interest of an offer counts only when the offer was made.
        (BUILDS_ON, _r(offer=False, interest=True, other=False), N),
        (BUILDS_ON, _r(offer=True, interest=False, other=False), P),
        (BUILDS_ON, _r(offer=True, interest=True, other=True), A),
    ],
)
def test_verdict_table(criterion: Criterion, results: dict[str, bool | None], expected: Verdict) -> None:
    assert decide(criterion, results) == expected


def test_acquired_min_lowers_the_bar() -> None:
    either = _criterion(_check("a"), _check("b"), acquired_min=1)
    assert verdict_of(either, {"B1.1.a": False, "B1.1.b": True}) == A


def test_partial_cap_on_fault() -> None:
    capped = _criterion(_check("a"), _check("bad", negative=True))
    assert decide(capped, _r(a=True, bad=False)) == P


def test_unknown_result_only_matters_when_it_could_change_the_verdict() -> None:
    assert decide(PLAIN, _r(a=True, b=None, opt=False)) == ERR
    assert decide(PLAIN, _r(a=False, b=False, opt=None)) == ERR
    assert decide(COND, _r(sit=False, a=None, b=None)) == UNSEEN  # nothing happened: the errors are moot
    assert decide(FAULT, _r(a=False, bad=None)) == N


def test_missing_checks_do_not_apply() -> None:
    assert decide(FAULT, _r(a=True)) == A  # e.g. no fact-checker injected


def test_matters_spots_useless_model_calls() -> None:
    assert not matters(COND, _r(sit=False), "B1.1.a", ["B1.1.b"])
    assert matters(COND, _r(sit=True), "B1.1.a", ["B1.1.b"])
    assert not matters(GATED, _r(cond=False, a=True), "B1.1.b", [])
    assert not matters(FAULT, _r(a=False), "B1.1.bad", [])


def test_a_fault_may_carry_its_own_cap() -> None:
    """An omission (missing security step) caps at partial even where false statements cap lower."""
    mixed = _criterion(
        _check("a"),
        _check("lie", negative=True),
        _check("omission", negative=True, cap="partial"),
        negative_cap="not_acquired",
    )
    assert decide(mixed, _r(a=True, lie=True, omission=False)) == P
    assert decide(mixed, _r(a=True, lie=False, omission=True)) == N
    assert decide(mixed, _r(a=True, lie=False, omission=False)) == N  # the strictest cap wins


def test_partial_min_makes_a_lone_element_not_acquired() -> None:
    strict = _criterion(_check("a"), _check("b"), _check("c"), partial_min=2)
    assert decide(strict, _r(a=True, b=False, c=False)) == N
    assert decide(strict, _r(a=True, b=True, c=False)) == P


def test_applies_if_must_name_a_condition_or_another_behaviour_of_the_criterion() -> None:
    with pytest.raises(ValueError, match="applies_if"):
        _criterion(_check("sit", "situation"), _check("a", applies_if="B1.1.sit"))
    with pytest.raises(ValueError, match="applies_if"):
        _criterion(_check("a", applies_if="B1.1.a"))


def test_deciding_sources_are_those_of_the_checks_whose_flip_alone_turns_the_verdict() -> None:
    from evaluation.verdicts import deciding_sources

    sources = {"B1.1.a": "actions", "B1.1.b": "model", "B1.1.opt": "cues"}
    # Acquired: either required check turns it, the optional one does not.
    assert deciding_sources(PLAIN, _r(a=True, b=True, opt=False), sources) == ["actions", "model"]
    # Partial only thanks to the optional check: it alone decides.
    assert deciding_sources(PLAIN, _r(a=False, b=False, opt=True), sources) == ["cues"]
    # A fault capping the verdict decides it; the passed required check does not.
    assert deciding_sources(FAULT, _r(a=True, bad=False), {"B1.1.a": "actions", "B1.1.bad": "case"}) == [
        "case"
    ]
    # No single check can turn it: 'none'; unknown results are never flipped, a missing source is 'unknown'.
    strict = _criterion(_check("a"), _check("b"), _check("c"), partial_min=2)
    assert deciding_sources(strict, _r(a=False, b=False, c=False), {}) == ["none"]
    assert deciding_sources(PLAIN, _r(a=True, b=True, opt=None), {"B1.1.a": "cues"}) == ["cues", "unknown"]
