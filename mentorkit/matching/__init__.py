"""Matching a whole pool of applicants at once: mentors with mentees, group circles, or peers.

People apply as a ``mentor``, a ``mentee`` or ``either``; say what expertise they offer and
seek, their goals, when they are free, and who they would rather not be paired with. A
facilitator calls :func:`match` for a :class:`Proposal`: every pair with its score and the
reasons behind it, and every person left out with a plain reason why.

Scoring (each criterion is worked out on a 0..1 scale, then multiplied by its weight from
:class:`Weights`, see ``worksheets/matching/weights.yaml``):

* **expertise**: *coverage* of what the mentee seeks: the share of the mentee's ``seeks`` tags
  that the mentor ``offers`` (0 when the mentee named none). Coverage, not Jaccard, so a mentor
  who offers a lot is not marked down for it.
* **goals**: Jaccard overlap of the two goals texts as sets of lower-cased words, leaving out
  stop words and a trailing plural "s". No heavier language processing.
* **availability**: the share of the smaller availability that overlaps, after converting both
  people's time slots to UTC (am 08-12, pm 12-17, eve 17-21 local time, offsets rounded to the
  half hour); someone who gave no slots counts as half. Time zones more than 6 hours apart halve
  it. That makes 80% of the criterion; the other 20% is for the same meeting frequency.
* **experience gap**: full marks when the mentor has 3 to 15 more years of experience, rising
  from 0 at no difference and falling to 0 at 25 years. A mentee who asked for *reverse*
  mentoring wants a less experienced mentor, so the gap is turned round for them.
* **competencies**: when both rated themselves on some of the same domains, how strong the
  mentor is (relative to their own ratings) where the mentee is weakest (relative to theirs),
  weighted by the mentee's need; counts as half when there is nothing to compare.

For peers (``mode="peer"``) the same criteria are made symmetric: expertise and competencies
are averaged over both directions, and the experience criterion rewards *similar* experience
(full marks for the same years, nothing at 10 years apart).

Hard rules are never broken; :func:`forbidden` names the one that applies to a pair:
eligibility (a mentor needs two years' experience; a ``mentor`` is never a mentee and a
``mentee`` never a mentor; ``either`` may be on one side, never both), not-to-pair (either
person's ``avoid`` list, by id or email), capacity (a mentor takes at most ``capacity``
mentees), no common availability (both gave slots and none overlap in UTC), and the same
person. :func:`match` adds the facilitator's ``forbids`` and the weights' ``min_score``.

The solver, for mentors and mentees: each mentor becomes ``capacity`` columns of a score matrix
(mentees are rows) and :func:`scipy.optimize.linear_sum_assignment` solves it, with forbidden
pairs at a large cost. The result is *lexicographically* best: as many people matched as the
rules allow, and among those assignments the one with the highest total score. (A pure
"highest total" could leave someone without a mentor to give another person a better one;
programmes want everyone matched first.)

``either`` applicants are placed on one side before solving, by a fixed rule: those with under
two years' experience are mentees; the rest, most experienced first (ties by id), become
mentors while the mentees waiting outnumber the mentor places, and mentees otherwise. Anyone
placed this way who is left unmatched gets a second round against the people still unmatched,
tried two ways: all of them on the other side, or split among themselves (the more experienced
half as mentors, so two leftovers who suit each other can pair); the way with more pairs, then
the higher total, is kept. A lock fixes the side of the people it names.

Peers are matched on a general graph with the same objective (most pairs, then the highest
total). Pools of up to ``EXACT_PEERS`` people are solved exactly; larger ones use the
assignment relaxation on the doubled graph (``linear_sum_assignment`` on the symmetric score
matrix), turn its cycles into pairs, match the leftovers again and improve by swapping
partners. When the relaxation has no odd cycles the answer is provably the best possible;
otherwise the relaxation still bounds the best possible total, and the proposal's notes say
which case it was and how far below the bound the answer can at most be.

Locked pairs are fixed first and use up capacity; they must keep the hard rules but may score
below ``min_score``. The ``model`` an applicant prefers is not filtered on: the facilitator
chooses who goes into each run (e.g. only those who asked for peer mentoring).

The same input always gives the same output: applicants are sorted by id before anything is
built, so ties are settled the same way whatever order the applications came in.
"""

from mentorkit.core.models import MIN_MENTOR_YEARS
from mentorkit.matching.criteria import forbidden
from mentorkit.matching.model import (
    ALL_AVOIDED,
    ALL_FORBIDDEN,
    APPLICANT_ROLES,
    BELOW_MIN,
    CRITERIA,
    DAYS,
    MODELS,
    MODES,
    NO_CAPACITY,
    NO_SLOT,
    PARTS,
    Applicant,
    Circle,
    Pairing,
    PeerPair,
    Proposal,
    Reason,
    Unmatched,
    Weights,
    load_weights,
    parse_slot,
)
from mentorkit.matching.peers import (
    EXACT_PEERS,  # a copy: change mentorkit.matching.peers.EXACT_PEERS
)
from mentorkit.matching.propose import match, score

__all__ = [
    "ALL_AVOIDED",
    "ALL_FORBIDDEN",
    "Applicant",
    "BELOW_MIN",
    "CRITERIA",
    "Circle",
    "DAYS",
    "EXACT_PEERS",
    "MIN_MENTOR_YEARS",
    "MODELS",
    "MODES",
    "NO_CAPACITY",
    "NO_SLOT",
    "PARTS",
    "Pairing",
    "PeerPair",
    "Proposal",
    "APPLICANT_ROLES",
    "Reason",
    "Unmatched",
    "Weights",
    "forbidden",
    "load_weights",
    "match",
    "parse_slot",
    "score",
]
