"""The statement reader and the small helpers the fact-check modules share."""

from __future__ import annotations

import re

from knowledge.fact_claims import bound_topics, extract_claims, is_reported, topics
from knowledge.fact_compare import in_days
from knowledge.figures import extract_figures, span_around


def test_topics_and_the_topic_bound_to_a_figure():
    statement = (
        "La franchise est de 150 € pour ce contrat. "
        "Pour tout sinistre survenu chez vous, vous avez 5 jours pour déclarer."
    )
    franchise, delay = extract_figures(statement)
    assert topics(statement) == {"franchise", "declaration"}
    assert bound_topics(statement, franchise) == {"franchise"}
    assert bound_topics(statement, delay) == {"declaration"}


def test_a_restatement_of_the_client_is_recognised_and_a_plain_claim_is_not():
    assert is_reported("Si je résume, vous contestez les 250 € de franchise.")
    assert is_reported("Vous me dites que le plafond est de 8 000 €.")
    assert not is_reported("La franchise est de 250 €.")


def test_claims_need_both_a_figure_and_a_topic():
    turn = "Bonjour Madame. Il fait 20 degrés. La franchise est de 150 €."
    assert extract_claims(turn) == ["La franchise est de 150 €."]


def test_span_around_stops_at_the_given_clause_marks_only():
    text = "Le délai est de 5 jours, donc la franchise est de 150 €."
    amount = extract_figures(text)[1]
    assert span_around(text, amount, re.compile(r",")) == " donc la franchise est de 150 €."
    assert span_around(text, amount, re.compile(r",|\sdonc\s")) == "la franchise est de 150 €."


def test_months_count_as_30_4_days_and_other_figures_are_left_as_they_are():
    month, days, amount = extract_figures("un délai de 2 mois, soit 61 jours, et 300 €")
    assert in_days(month) == 2 * 30.4
    assert in_days(days) == 61
    assert in_days(amount) == 300
