"""Pages of working groups, planning teams, elections and the decisions log, one module for each
part. Everything is found through visibility.py, so what the reader may not see (or anything here,
for someone not on the organization's staff) answers "not found"; every change goes through
actions.py, whose refusals come back beside the form's fields."""
