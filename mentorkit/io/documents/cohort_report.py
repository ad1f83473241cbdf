"""The cohort report (PDF, HTML or Markdown): an overview of the programme, its completion
heatmap, progress on goals, sessions held, competency averages (small groups hidden) and the
answers a facilitator may read."""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from mentorkit.core.dates import date_words
from mentorkit.core.display import answer_text
from mentorkit.core.models import MEMBER_ROLES, RELATIONSHIP_KINDS, Person
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store, now
from mentorkit.core.text import count_of
from mentorkit.core.worksheet_ids import split_session_id
from mentorkit.facilitator import dashboard
from mentorkit.io.documents.report import Bullets, Heading, Image, Paragraph, Report, Table
from mentorkit.programme.frameworks import Framework
from mentorkit.programme.plan import ProgrammePlan

if TYPE_CHECKING:
    from matplotlib.figure import Figure

from mentorkit.facilitator.cohort import (
    MIN_GROUP,
    averages_table_rows,
    competency_averages,
    completion_matrix,
    framework_chart_data,
    goal_progress_distribution,
    session_summary,
)
from mentorkit.facilitator.programme_answers import (
    ProgrammeAnswer,
    programme_answers,
    programme_fields,
)

CHOICE_TYPES = ("choice", "multichoice", "yesno")
"""Fields whose answers the report counts rather than lists."""


def averages_chart(averages: pd.DataFrame, framework: Framework, min_group: int = MIN_GROUP):
    """The bar chart of one framework's averages by role and round (None when it would show
    no average at all)."""
    from mentorkit.io.charts.cohort import group_averages

    domains, groups, hidden = framework_chart_data(averages, framework)
    if not any(not math.isnan(v) for values in groups.values() for v in values):
        return None  # nothing rated, or every group too small: the table says so
    return group_averages(
        domains,
        groups,
        f"{framework.title}: average self-ratings",
        framework.scale.points,
        hidden,
        min_group,
    )


# --- the report ---------------------------------------------------------------------------


def _png(figure: Figure) -> bytes:
    from mentorkit.io.charts import figure_bytes

    return figure_bytes(figure, "png")


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"


def _flag_kind(flag: str, quiet_days: int = dashboard.QUIET_DAYS) -> str:
    if flag.startswith(("No activity for", "Nothing saved in")):
        return f"Quiet for {count_of(quiet_days, 'day')} or more"
    if "overdue action" in flag:
        return "Overdue actions"
    return flag


def overview(
    store: Store,
    programme_id: int,
    rows: Sequence[dashboard.RelationshipRow],
    quiet_days: int = dashboard.QUIET_DAYS,
) -> list[str]:
    """Sentences counting people, relationships by kind, and flags."""
    people = store.people(programme_id)
    participants = [p for p in people if not p.is_facilitator]
    roles: dict[str, set[int]] = {}
    for row in rows:
        for member in row.relationship.members:
            roles.setdefault(member.role, set()).add(member.person_id)
    by_role = ", ".join(count_of(len(roles[r]), r) for r in MEMBER_ROLES if r in roles)
    kinds = Counter(row.relationship.kind for row in rows)
    by_kind = ", ".join(
        f"{RELATIONSHIP_KINDS[k].lower()}: {kinds[k]}" for k in RELATIONSHIP_KINDS if kinds[k]
    )
    flagged = [row for row in rows if row.flags]
    flag_kinds = Counter(
        kind
        for row in rows
        for kind in dict.fromkeys(_flag_kind(flag, quiet_days) for flag in row.flags)
    )
    lines = [
        f"{count_of(len(participants), 'person', 'people')} taking part"
        + (f" ({by_role})" if by_role else "")
        + f", and {count_of(len(people) - len(participants), 'facilitator')}.",
        f"{count_of(len(rows), 'relationship')}" + (f" ({by_kind})" if by_kind else "") + ".",
        f"{count_of(len(flagged), 'relationship needs', 'relationships need')} a check-in"
        + (
            ": " + "; ".join(f"{kind.lower()}: {n}" for kind, n in flag_kinds.items())
            if flag_kinds
            else ""
        )
        + ".",
    ]
    return lines


def session_lines(summary: Mapping[str, float]) -> list[str]:
    """The session summary in words."""
    return [
        f"{count_of(int(summary['sessions']), 'session')} logged across "
        f"{count_of(int(summary['relationships']), 'relationship')}.",
        f"{count_of(summary['hours'], 'hour')} in total.",
        f"On average {count_of(summary['mean_sessions'], 'session')} and "
        f"{count_of(summary['mean_hours'], 'hour')} per relationship.",
        f"{count_of(int(summary['without_sessions']), 'relationship has', 'relationships have')} "
        "no session logged yet.",
    ]


def _answer_blocks(answers: Sequence[ProgrammeAnswer]) -> list:
    """Per programme-visibility question: counts of each choice (free text is only counted;
    it is in the programme data download)."""
    questions: dict[tuple[str, str], list[ProgrammeAnswer]] = {}
    for answer in answers:
        base = split_session_id(answer.worksheet.id)[0]
        questions.setdefault((base, answer.field.id), []).append(answer)
    blocks: list = []
    for found in questions.values():
        field = found[0].field
        title = found[0].worksheet.title.split(" — Session ")[0]
        blocks.append(Heading(f"{title}: {field.label or field.id}", 3))
        if field.type in CHOICE_TYPES:
            counts: Counter[str] = Counter()
            for answer in found:
                if field.type == "multichoice":
                    counts.update(answer_text(field, [value]) for value in answer.value)
                else:
                    counts[answer.text] += 1
            labels = [o.label for o in field.options] if field.type != "yesno" else ["Yes", "No"]
            ordered = [label for label in labels if counts[label]] + [
                label for label in counts if label not in labels
            ]
            blocks.append(Bullets(tuple(f"{label}: {counts[label]}" for label in ordered)))
        else:
            blocks.append(
                Paragraph(
                    f"{count_of(len(found), 'answer')}; they are in the programme data download.",
                    muted=True,
                )
            )
    return blocks


def cohort_report(
    store: Store,
    programme_id: int,
    worksheets: Mapping[str, Worksheet],
    frameworks: Mapping[str, Framework],
    plan: ProgrammePlan | None = None,
    today: dt.date | None = None,
    *,
    viewer: Person | None = None,
    rows: Sequence[dashboard.RelationshipRow] | None = None,
    min_group: int = MIN_GROUP,
    quiet_days: int = dashboard.QUIET_DAYS,
) -> Report:
    """The cohort report: overview, worksheet completion, competency averages, progress on
    goals, sessions and hours, and the answers shared with the programme.

    Render it with :func:`mentorkit.io.documents.report.render_report`. ``rows`` saves reading
    the dashboard rows again when the caller has them; ``viewer`` is the facilitator the
    shared answers are read as (the programme's facilitator by default).
    """
    from mentorkit.io.charts import alt_text
    from mentorkit.io.charts.cohort import completion_heatmap, progress_histogram

    today = today or dt.date.today()
    programme = store.programme(programme_id)
    if rows is None:
        rows = dashboard.dashboard_rows(
            store, programme_id, dict(worksheets), plan, today, quiet_days=quiet_days
        )
    blocks: list = [
        Heading("Overview"),
        Bullets(tuple(overview(store, programme_id, rows, quiet_days))),
    ]
    flagged = [row for row in rows if row.flags]
    if flagged:
        blocks.append(
            Table(
                ("Relationship", "Needs a check-in"),
                tuple((row.relationship.title, "; ".join(row.flags)) for row in flagged),
                widths=(2, 3),
            )
        )

    matrix = completion_matrix(rows)
    blocks += [
        Heading("Worksheet completion"),
        Paragraph(
            "One row per relationship and one column per worksheet: grey not started, orange "
            "in progress, blue complete."
        ),
        Image(_png(heatmap := completion_heatmap(matrix)), alt_text(heatmap), 170),
    ]
    if not matrix.empty:
        blocks.append(
            Table(
                ("Worksheet", "Complete", "In progress", "Not started"),
                tuple(
                    (
                        str(title),
                        *(str(int((matrix.iloc[:, n] == code).sum())) for code in (2, 1, 0)),
                    )
                    for n, title in enumerate(matrix.columns)
                ),
                widths=(3, 1, 1, 1),
            )
        )

    averages = competency_averages(store, programme_id, frameworks, min_group)
    blocks += [
        Heading("Competency self-ratings"),
        Paragraph(
            "The average of each person's rating of themselves, per domain, by role and round. "
            f"A group of fewer than {min_group} people shows no average, so that nobody's "
            "own ratings can be singled out. Answers of 'not applicable' are left out."
        ),
    ]
    if averages.empty:
        blocks.append(Paragraph("No self-ratings yet.", muted=True))
    for framework in frameworks.values():
        mine = averages[averages["framework"] == framework.title]
        if mine.empty:
            continue
        blocks.append(Heading(framework.title, 3))
        figure = averages_chart(averages, framework, min_group)
        if figure is None:
            blocks.append(
                Paragraph(
                    f"Every group has fewer than {min_group} people so far, so no average "
                    "is shown.",
                    muted=True,
                )
            )
        else:
            blocks.append(Image(_png(figure), alt_text(figure), 160))
        blocks.append(
            Table(
                ("Domain", "Group", "Round", "Average", "People"),
                tuple(row[1:] for row in averages_table_rows(mine, min_group)),
                widths=(3, 2, 2, 2, 1),
            )
        )

    progress = goal_progress_distribution(rows)
    blocks.append(Heading("Progress on goals"))
    if progress:
        blocks += [
            Image(_png(histogram := progress_histogram(progress)), alt_text(histogram), 150),
            Paragraph(
                f"{count_of(len(progress), 'relationship')} of {len(rows)} "
                f"{'has' if len(progress) == 1 else 'have'} recorded progress on their goals; "
                f"the median is {statistics.median(progress):.0f}%."
            ),
        ]
    else:
        blocks.append(
            Paragraph("No relationship has recorded progress on its goals yet.", muted=True)
        )

    blocks += [Heading("Sessions and hours"), Bullets(tuple(session_lines(session_summary(rows))))]

    if any(programme_fields(ws) for ws in worksheets.values()):
        answers = programme_answers(store, programme_id, worksheets, viewer)
        blocks += [
            Heading("Answers shared with the programme"),
            Paragraph(
                "Only questions that the worksheets share with the facilitator are counted here."
            ),
        ]
        blocks += _answer_blocks(answers) or [Paragraph("No answers yet.", muted=True)]

    return Report(
        title=f"Cohort report — {programme.name}",
        subtitle=(f"As of {date_words(today)}",),
        blocks=tuple(blocks),
        footer=f"Cohort report · {programme.name}",
        generated_at=now(),
    )
