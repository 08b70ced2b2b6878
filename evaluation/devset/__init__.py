"""Labelled development set for measuring the grader against a human assessor."""
