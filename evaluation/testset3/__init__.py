"""Third final labelled test set, written blind (independently of the grader's design).

Never to be used for tuning.
"""
