"""Held-out labelled set, written after the grader was tuned, to measure agreement on unseen transcripts."""
