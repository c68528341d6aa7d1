"""Pages of the learning spaces, one module for each part: the calendar and sessions, planning
(session types, priorities, rhythms), the agenda, calendar feeds and reports."""
