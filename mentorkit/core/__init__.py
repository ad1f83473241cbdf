"""The worksheet engine, which everything else stands on.

Worksheet specs and their field types, the YAML loader and its messages, the store (SQLite,
append-only revisions, migrations), the records it keeps (people, relationships, versions),
access codes and sign-in sessions, merging two people's edits, answers shown as text, and the
small helpers for dates and text. It knows nothing of mentoring programmes beyond that.

May import: the standard library, third-party packages and :mod:`mentorkit.exceptions`; no
other layer of mentorkit.
"""
