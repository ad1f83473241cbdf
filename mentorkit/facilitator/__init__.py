"""What a facilitator sees of the whole programme: the dashboard's rows and the cohort's
figures (completion, progress, competency averages with small groups hidden), and the answers
a facilitator may read.

May import: :mod:`mentorkit.matching`, :mod:`mentorkit.programme`, :mod:`mentorkit.core`.
"""
