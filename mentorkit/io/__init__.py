"""Everything that crosses the programme's edge as a file: spreadsheets in (people,
applications), tables out (CSV and XLSX), backup and restore, charts, and documents (the
agreement, the portfolio, the cohort report, code cards) as PDF, HTML and Markdown.

May import: :mod:`mentorkit.facilitator`, :mod:`mentorkit.matching`,
:mod:`mentorkit.programme`, :mod:`mentorkit.core`.
"""
