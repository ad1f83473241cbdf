"""The results app: what the ratings show, in charts and plain words, with downloads.

Participants see their relationship's ratings (self against partner in the same round,
baseline against follow-up). A facilitator sees only averages per relationship across the
programme, and only where they rest on enough people (the cohort report's smallest-group
rule, :func:`mentorkit.facilitator.cohort.hide_small_groups`).
"""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core.models import Relationship
from mentorkit.core.text import escape, neutralise
from mentorkit.programme import ratings
from mentorkit.programme.scores import rounded, score_text, score_with_items
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.files import chart_image, download_link
from mentorkit.ui.apps.worksheet import choose_relationship


def _chart_block(figure, name: str) -> str:
    """A chart with its text alternative (what it shows, with its values) and downloads."""
    from mentorkit.io.charts import alt_text, figure_bytes

    png, svg = figure_bytes(figure, "png"), figure_bytes(figure, "svg")
    return (
        f'<figure class="mk-chart">{chart_image(png, alt_text(figure), "")}<figcaption>'
        f"{download_link(png, 'image/png', name + '.png', 'PNG')} · "
        f"{download_link(svg, 'image/svg+xml', name + '.svg', 'SVG')}</figcaption></figure>"
    )


def domain_table(mine, round_id: str, partner_name: str, you: bool) -> str:
    """Each domain's own and partner's score in one round, with how many items each rests on
    (items answered "not applicable" left out)."""
    in_round = mine[mine["round"] == round_id]
    relations = [("self", "Your own view" if you else "Own view")]
    if (in_round.relation == "partner").any():
        relations.append(
            (
                "partner",
                f"{partner_name[:1].upper()}{partner_name[1:]}'s view"
                if partner_name != "you"
                else "Your view",
            )
        )
    head = "".join(f'<th scope="col">{escape(label)}</th>' for _, label in relations)
    rows = []
    for domain in dict.fromkeys(in_round["domain"]):
        cells = []
        for relation, _ in relations:
            found = in_round[(in_round.domain == domain) & (in_round.relation == relation)]
            if found.empty:
                cells.append("<td>not rated yet</td>")
                continue
            row = found.iloc[0]
            text = score_with_items(row["score"], int(row["n_items"]), int(row["n_not_applicable"]))
            cells.append(f"<td>{escape(text)}</td>")
        rows.append(f'<tr><th scope="row">{escape(domain)}</th>{"".join(cells)}</tr>')
    caption = (
        f"Domain scores ({ratings.ROUNDS[round_id][0].lower()}): the mean of the items rated, "
        "leaving out those answered not applicable"
    )
    return (
        f'<table class="mk-table mk-domain-scores"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">Domain</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def summary(gaps, person_name: str, partner_name: str, you: bool) -> str:
    """One plain sentence about where self and partner views differ most.

    ``you``: the viewer is the person rated; ``partner_name`` is "you" when the viewer rated.
    """
    known = gaps.dropna(subset=["gap"])
    if known.empty:
        return "Once both views are in, this shows where they agree and where they differ."
    widest = known.loc[known["gap"].abs().idxmax()]
    own, given = score_text(widest["self"]), score_text(widest["partner"])
    if you:
        pair, whose, views = (
            f"You and {partner_name}",
            "your",
            f"you rate yourself {own}, {partner_name} gives {given}",
        )
    elif partner_name == "you":
        pair, whose, views = (
            f"You and {person_name}",
            f"{person_name}'s",
            f"{person_name} rates themselves {own}, you give {given}",
        )
    else:
        pair, whose, views = (
            f"{person_name} and {partner_name}",
            f"{person_name}'s",
            f"{person_name} gives {own}, {partner_name} gives {given}",
        )
    if abs(widest["gap"]) < 0.5:
        return f"{pair} see {whose} skills much the same way in every domain."
    return f"{pair} see {whose} {widest['domain']} skills most differently: {views}."


def _has(frame, column: str) -> bool:
    return column in frame and frame[column].notna().any()


def missing_view_note(
    missing: str, round_id: str, person_name: str, partner_name: str, you: bool
) -> str:
    """One plain sentence when one view of a round is not in yet: ``missing`` is ``self``
    (the person's own rating) or ``partner``. Names as in :func:`summary`."""
    round_name = ratings.ROUNDS[round_id][0].lower()
    if missing == "self":
        if you:
            return f"You have not rated yourself for the {round_name} yet."
        return f"{person_name} has not rated themselves for the {round_name} yet."
    if you:
        sentence = f"{partner_name} has not rated you for the {round_name} yet."
    elif partner_name == "you":
        sentence = f"You have not rated {person_name} for the {round_name} yet."
    else:
        sentence = f"{partner_name} has not rated {person_name} for the {round_name} yet."
    return sentence[0].upper() + sentence[1:]


def compared_round(gaps, rounds: list[str]) -> str | None:
    """The latest round in which both views (own and partner's) are in, or None."""
    both = [
        r
        for r in rounds
        if _has(gaps[gaps["round"] == r], "self") and _has(gaps[gaps["round"] == r], "partner")
    ]
    return both[-1] if both else None


def _person_results(ctx: AppContext, scores, gaps, change, member, partner_name, framework) -> str:
    from mentorkit.io.charts.ratings import gap_bars, radar
    from mentorkit.programme import rating_analysis

    you = member.person_id == ctx.person.id
    points = framework.scale.points
    scores = scores[scores.framework == framework.id]
    gaps = gaps[gaps.framework == framework.id]
    change = change[change.framework == framework.id]
    mine = scores[scores.person_id == member.person_id]
    if mine.empty:
        return ""
    heading = ("You" if you else member.name) + f": {framework.title}"
    parts = [f"<h2>{escape(heading)}</h2>"]
    heading = "You" if you else member.name
    rounds = [r for r in ratings.ROUNDS if r in set(mine["round"])]
    own_rounds = [r for r in rounds if r in set(mine[mine.relation == "self"]["round"])]
    latest = own_rounds[-1] if own_rounds else rounds[-1]
    gaps = gaps[gaps.person_id == member.person_id]
    # Own and partner's views are compared within one round: the latest in which both are in.
    compared = compared_round(gaps, rounds)
    now = gaps[gaps["round"] == (compared or latest)]
    parts.append(
        f'<p class="mk-summary">{escape(summary(now, member.name, partner_name, you))}</p>'
    )
    notes = []
    for round_id in rounds:
        in_round = gaps[gaps["round"] == round_id]
        for missing, present in (("partner", "self"), ("self", "partner")):
            if _has(in_round, present) and not _has(in_round, missing):
                notes.append(missing_view_note(missing, round_id, member.name, partner_name, you))
    if notes and compared is not None:
        notes.append(f"The views below are compared at the {ratings.ROUNDS[compared][0].lower()}.")
    if notes:
        parts.append(f'<p class="mk-help mk-missing-view">{escape(" ".join(notes))}</p>')
    strongest, develop = rating_analysis.highlights(scores, member.person_id, latest)
    own = mine[(mine["round"] == latest) & (mine.relation == "self")]["score"].dropna()
    if own.nunique() == 1:
        parts.append(
            "<p>The own ratings are the same in every domain, so none stands out as "
            "strongest or as the one to develop.</p>"
        )
    elif strongest:
        parts.append(
            f"<p>Strongest ({escape(ratings.ROUNDS[latest][0].lower())}, own view): "
            f"{escape(', '.join(strongest))}. To develop: "
            f"{escape(', '.join(develop) or 'none stands out')}.</p>"
        )
    parts.append(domain_table(mine, compared or latest, partner_name, you))
    domains = list(dict.fromkeys(mine["domain"]))
    series = {}
    for relation, label in (("self", "Own rating"), ("partner", f"{partner_name}'s rating")):
        values = now.set_index("domain")[relation] if relation in now else None
        if values is not None and values.notna().any():
            series[label] = [float(values.get(d, float("nan"))) for d in domains]
    shown = compared or latest
    when = ratings.ROUNDS[shown][0].lower()
    slug = f"{member.name.lower().replace(' ', '-')}-{framework.id}-{shown}"
    if series:
        parts.append(
            _chart_block(
                radar(domains, series, f"{heading}: own view and partner's view ({when})", points),
                f"radar-{slug}",
            )
        )
    if len(series) == 2:
        gap_values = [float(now.set_index("domain")["gap"].get(d, float("nan"))) for d in domains]
        parts.append(
            _chart_block(
                gap_bars(domains, gap_values, f"{heading}: where the views differ ({when})"),
                f"gaps-{slug}",
            )
        )
    grown = change[(change.person_id == member.person_id) & (change.relation == "self")]
    if len(own_rounds) == 2 and grown["follow_up"].notna().any():
        by_domain = grown.set_index("domain")
        parts.append(
            _chart_block(
                radar(
                    domains,
                    {
                        "Baseline": [
                            float(by_domain["baseline"].get(d, float("nan"))) for d in domains
                        ],
                        "Follow-up": [
                            float(by_domain["follow_up"].get(d, float("nan"))) for d in domains
                        ],
                    },
                    f"{heading}: baseline and follow-up",
                    points,
                ),
                f"growth-{member.name.lower().replace(' ', '-')}-{framework.id}",
            )
        )
    return "".join(parts)


def ratings_csv(tidy, scores) -> bytes:
    """All ratings as CSV, each item beside its domain's score (rounded as on the page) and
    how many items that rests on; UTF-8 with a byte-order mark, so spreadsheets read accents
    right, and every text cell neutralised so no cell runs as a formula."""
    from mentorkit.programme.rating_analysis import KEYS

    domain = scores.rename(
        columns={
            "score": "domain_score",
            "n_items": "domain_items_rated",
            "n_not_applicable": "domain_items_not_applicable",
        }
    )
    domain["domain_score"] = domain["domain_score"].map(rounded)
    table = tidy.merge(domain, on=KEYS, how="left")
    safe = table.astype(object).apply(
        lambda column: column.map(lambda v: neutralise(v) if isinstance(v, str) else v)
    )
    return safe.to_csv(index=False).encode("utf-8-sig")


def _participant_view(ctx: AppContext, relationship: Relationship) -> w.Widget:
    from mentorkit.programme import rating_analysis

    found = ctx.frameworks
    records = ratings.rating_records(ctx.store, found, relationship, ctx.person)
    if not records:
        return w.HTML(
            "<p>No ratings yet. Start with "
            f'<a href="ratings.ipynb?relationship={relationship.id}">the ratings</a>.</p>'
        )
    tidy = rating_analysis.tidy(records)
    scores = rating_analysis.domain_scores(tidy)
    gaps, change = rating_analysis.gaps(scores), rating_analysis.change(scores)
    parts: list[str] = []
    for member in relationship.members:
        partners = relationship.partners_of(member.person_id)
        partner_name = (
            "your partner"
            if len(partners) != 1
            else ("you" if partners[0].person_id == ctx.person.id else partners[0].name)
        )
        for framework in ratings.frameworks_for(member.role, found):
            parts.append(
                _person_results(ctx, scores, gaps, change, member, partner_name, framework)
            )
    csv = ratings_csv(tidy, scores)
    parts.append(
        f"<h2>Download</h2><p>{download_link(csv, 'text/csv', 'ratings.csv', 'All ratings (CSV)')}</p>"
    )
    return w.HTML("".join(parts))


def _facilitator_view(ctx: AppContext) -> w.Widget:
    """Averages per relationship only, each resting on at least the programme's smallest group (its settings):
    never one person's ratings (a one-to-one pair has one person rated on each framework)."""
    import pandas as pd

    from mentorkit.facilitator import cohort
    from mentorkit.io.charts.ratings import cohort_heatmap

    found = ctx.frameworks
    programme = ctx.person.programme_id
    smallest = ctx.settings.smallest_group
    parts = [
        "<h2>Competency ratings across the programme</h2><p>Average self-ratings per "
        "relationship and domain, at the latest round enough of its people have reached. A "
        f"figure is shown only where at least {smallest} people in a relationship rated "
        "themselves, so that "
        "nobody's own ratings can be read off it: in a pair, each framework is rated by one "
        "person, so pairs show none. The cohort report has the averages by role.</p>"
    ]
    averages = cohort.relationship_averages(ctx.store, programme, found, smallest)
    titles = {r.id: r.title for r in ctx.store.relationships(programme)}
    for framework in found.values():
        mine = averages[averages["framework_id"] == framework.id]
        if mine.empty:
            continue
        wide = mine.pivot(index="relationship_id", columns="domain_id", values="mean")
        rows = [r for r in titles if r in wide.index]
        domains = [d for d in framework.domains if d.id in wide.columns]
        matrix = pd.DataFrame(
            wide.loc[rows, [d.id for d in domains]].to_numpy(dtype=float),
            index=[titles[r] for r in rows],
            columns=[d.title for d in domains],
        )
        if matrix.isna().all(axis=None):
            parts.append(
                f"<p>{escape(framework.title)}: no relationship has {smallest} or more people "
                "rated on it yet, so no figure is shown.</p>"
            )
            continue
        parts.append(
            _chart_block(
                cohort_heatmap(
                    matrix, f"{framework.title}: average self-ratings", framework.scale.points
                ),
                f"cohort-{framework.id}",
            )
        )
    if len(parts) == 1:
        parts.append("<p>No ratings yet.</p>")
    return w.HTML("".join(parts))


def build_results(ctx: AppContext) -> w.Widget:
    """Results for the signed-in person (or the programme, for a facilitator)."""
    if ctx.person.is_facilitator:
        return _facilitator_view(ctx)
    relationship = choose_relationship(ctx, "results")
    if not isinstance(relationship, Relationship):
        return relationship
    return _participant_view(ctx, relationship)


def results_app() -> w.Widget:
    """The results app, ready to display."""
    return page(build_results)
