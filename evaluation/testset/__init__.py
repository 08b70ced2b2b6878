"""Final labelled test set, written independently of the grader's design and never used for tuning."""
