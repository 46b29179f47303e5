"""The classroom: roster, assignments, projector and live sessions, results, cohort reports."""
