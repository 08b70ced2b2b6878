"""Scores recomputed: « non évalué (erreur) » now counts in the denominator (#13).

`grades.score` is derived from the report's verdicts and the trainers' latest ones; rows written
before left grader errors out, so a grade made mostly of errors showed a high score. The upgrade
recomputes every row with `domain.score` (the rule of the day: a later rule change adds a
migration like this one); the downgrade puts back the former rule, frozen here.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable

import sqlalchemy as sa
from alembic import op

from domain.grades import Verdict
from domain.score import score_verdicts

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_grades = sa.table("grades", sa.column("id", sa.Integer), sa.column("report_json", sa.Text),
                   sa.column("score", sa.Float))  # fmt: skip
_overrides = sa.table("overrides", sa.column("id", sa.Integer), sa.column("grade_id", sa.Integer),
                      sa.column("criterion_id", sa.String), sa.column("new_verdict", sa.String))  # fmt: skip

Rule = Callable[[Iterable[Verdict]], float | None]


def _recompute(rule: Rule) -> None:
    bind = op.get_bind()
    latest: dict[int, dict[str, str]] = {}
    query = sa.select(_overrides.c.grade_id, _overrides.c.criterion_id, _overrides.c.new_verdict)
    for grade_id, criterion_id, verdict in bind.execute(query.order_by(_overrides.c.id)):
        latest.setdefault(grade_id, {})[criterion_id] = verdict
    rows = bind.execute(sa.select(_grades.c.id, _grades.c.report_json, _grades.c.score)).all()
    for grade_id, report_json, score in rows:
        criteria = json.loads(report_json).get("criteria", [])
        verdicts = {c["criterion_id"]: c["verdict"] for c in criteria} | latest.get(grade_id, {})
        value = rule(Verdict(v) for v in verdicts.values())
        if value != score:
            bind.execute(sa.update(_grades).where(_grades.c.id == grade_id).values(score=value))


def _former_rule(verdicts: Iterable[Verdict]) -> float | None:
    """Before #13: errors and non observable both left out of the denominator."""
    weights = {Verdict.ACQUIRED: 1.0, Verdict.PARTIAL: 0.5, Verdict.NOT_ACQUIRED: 0.0}
    kept = [weights[v] for v in verdicts if v in weights]
    return round(sum(kept) / len(kept), 4) if kept else None


def upgrade() -> None:
    _recompute(lambda verdicts: score_verdicts(verdicts).value)


def downgrade() -> None:
    _recompute(_former_rule)
