"""Rubric grading of transcripts, batch runs and reports (the grade types live in `domain`)."""
