"""Signals other modules listen to, so that achievement data does not need to know about them."""

from django.dispatch import Signal

# Sent after an import has written data (never after one that failed), with `kind` ("results",
# "public", "roster") and `school_ids` (the schools whose student data changed; empty: unknown).
data_imported = Signal()
