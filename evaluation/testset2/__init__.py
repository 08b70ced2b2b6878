"""Second final labelled test set, written blind (independently of the grader's design), never to be used for tuning."""
