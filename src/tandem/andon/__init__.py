"""Andon: the channels where staff raise the alarm — the help desk fed by one email address (and,
next, the staff feed of questions, ideas and flags)."""
