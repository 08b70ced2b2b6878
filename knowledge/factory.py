"""The one place that builds the conditions retriever and the fact-checker reading through it."""

from __future__ import annotations

from crca.settings import Settings, load_settings
from knowledge.factcheck import FactChecker
from knowledge.retriever import ConditionRetriever


def open_fact_checker(
    settings: Settings | None = None, retriever: ConditionRetriever | None = None
) -> FactChecker:
    """A fact-checker over `retriever`, or over the index the settings name (opened, built if stale).

    The app passes the retriever the simulated client already searches, so both share one index.
    """
    return FactChecker(retriever or ConditionRetriever.open(settings or load_settings()))
