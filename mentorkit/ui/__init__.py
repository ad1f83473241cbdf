"""What a page draws, in the page's own kernel: worksheet forms made of ipywidgets (with
autosave, the partner's edits merged in and the watch on the sign-in) and the apps that the
notebooks call, one per page.

May import: :mod:`mentorkit.io` and every layer below it; never :mod:`mentorkit.server` (which
runs in the server's process) or :mod:`mentorkit.cli`.
"""
