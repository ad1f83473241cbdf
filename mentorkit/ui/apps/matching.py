"""The facilitator's matching page: load applications, tune the weights and see the proposal
change, lock or forbid pairs and run again, then accept to create the relationships."""

from __future__ import annotations

from typing import TYPE_CHECKING

import ipywidgets as w

from mentorkit.core import access, paths
from mentorkit.core.text import count_of, escape
from mentorkit.exceptions import MentorkitError
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.dashboard import require_facilitator
from mentorkit.ui.apps.files import attempt
from mentorkit.ui.apps.setup import CardsPanel, say, uploaded_file
from mentorkit.ui.page_log import log_exception

if TYPE_CHECKING:
    from mentorkit.matching import Applicant, Proposal

CRITERIA_LABELS = {
    "expertise": "Expertise sought and offered",
    "goals": "Goals in common",
    "availability": "Availability",
    "experience_gap": "Experience gap",
    "competencies": "Competency ratings",
    "min_score": "Lowest score to propose",
}


def default_weights():
    """The trainer's weights file if it is there, else the built-in defaults."""
    from mentorkit.matching import Weights, load_weights

    path = paths.worksheets_folder() / "matching" / "weights.yaml"
    return load_weights(path) if path.is_file() else Weights()


class MatchingPage:
    """Applications in, a proposal out, relationships on acceptance."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.applicants: dict[str, Applicant] = {}
        self.person_ids: dict[str, int] = {}  # applicants who applied here: their person ids
        self.locks: list[tuple[str, str]] = []
        self.forbids: list[tuple[str, str]] = []
        self.proposal: Proposal | None = None
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, description="Applications")
        self.upload.add_class("mk-match-file")
        self.upload.observe(lambda _: self.load(), "value")
        from_site = w.Button(description="Use the applications filled in here")
        from_site.add_class("mk-match-site")
        from_site.on_click(lambda _: self.load_from_site())
        self.loaded = w.HTML()
        self.mode = w.Dropdown(
            description="Match as",
            options=[
                ("Pairs (mentor and mentee)", "one-to-one"),
                ("Group circles", "group"),
                ("Peer pairs", "peer"),
            ],
        )
        self.mode.add_class("mk-match-mode")
        self.mode.observe(lambda _: self.run(), "value")
        weights = default_weights()
        self.sliders = {}
        for name, label in CRITERIA_LABELS.items():
            slider = w.FloatSlider(
                value=getattr(weights, name),
                min=0,
                max=100,
                step=1,
                description=label,
                continuous_update=False,
                style={"description_width": "14rem"},
                layout=w.Layout(width="32rem"),
            )
            slider.add_class(f"mk-weight-{name}")
            slider.observe(lambda _: self.run(), "value")
            self.sliders[name] = slider
        self.result = w.HTML()
        self.result.add_class("mk-match-result")
        self.pick = w.Select(description="Proposed", rows=8, layout=w.Layout(width="40rem"))
        self.pick.add_class("mk-match-pick")
        lock = w.Button(description="Lock this pair")
        lock.add_class("mk-match-lock")
        lock.on_click(lambda _: self.lock())
        forbid = w.Button(description="Never pair these two")
        forbid.add_class("mk-match-forbid")
        forbid.on_click(lambda _: self.forbid())
        clear = w.Button(description="Clear locks and forbids")
        clear.on_click(lambda _: self.clear())
        self.rules = w.HTML()
        self.accept_button = w.Button(
            description="Accept and create the relationships",
            button_style="success",
            disabled=True,
            layout=w.Layout(width="auto"),
        )
        self.accept_button.add_class("mk-match-accept")
        self.accept_button.on_click(lambda _: self.accept())
        self.message = w.HTML()
        self.cards = CardsPanel(ctx)
        self.widget = w.VBox(
            [
                w.HTML(
                    "<p>Load the applications (CSV or Excel). Every proposed "
                    "pair comes with its score and the reasons for it; everyone left unmatched "
                    "with why. Move a slider and the proposal changes. Lock the pairs you want "
                    "to keep, forbid any you do not, then accept.</p>"
                ),
                w.HBox([self.upload, from_site]),
                self.loaded,
                self.mode,
                w.VBox(list(self.sliders.values())),
                self.result,
                self.pick,
                w.HBox([lock, forbid, clear]),
                self.rules,
                self.accept_button,
                self.message,
                self.cards.widget,
            ]
        )

    # --- loading and running ------------------------------------------------------------------

    def load(self) -> None:
        from mentorkit.io.applications import read_applications

        uploaded = uploaded_file(self.upload.value)
        if uploaded is None:
            return
        name, data = uploaded
        try:
            preview = read_applications(data, name)
        except MentorkitError as error:
            say(self.loaded, f"{name}: {error}", "error")
            return
        except Exception:
            log_exception("while reading applications")
            say(self.loaded, "That file could not be read. Save it as CSV or Excel.", "error")
            return
        self._take(preview)

    def _take(self, preview) -> None:
        """Use these applications: the bad rows listed, the good ones matched."""
        self.applicants = {a.id: a for a in preview.good}
        self.person_ids = dict(preview.people)
        self.locks, self.forbids = [], []
        bad = "".join(f"<li>{escape(p.reason)}</li>" for p in preview.bad)
        self.loaded.value = f'<p class="mk-match-summary"><b>{escape(preview.summary)}</b></p>' + (
            f'<ul class="mk-match-bad">{bad}</ul>' if bad else ""
        )
        self.run()

    def load_from_site(self) -> None:
        """Match the applications people filled in on the site."""
        from mentorkit.io.site_applications import applications_from_site
        from mentorkit.ui.apps.application import application_worksheet

        preview, problem = attempt(
            "reading the applications made on the site",
            lambda: applications_from_site(
                self.ctx.store,
                self.ctx.person.programme_id,
                application_worksheet(),
                self.ctx.person,
            ),
        )
        if preview is None:
            say(self.loaded, problem, "error")
            return
        self._take(preview)

    def weights(self):
        from mentorkit.matching import Weights

        return Weights(**{name: slider.value for name, slider in self.sliders.items()})

    def run(self) -> None:
        """Match the whole pool again with the current weights, locks and forbids."""
        from mentorkit.matching import match

        if not self.applicants:
            return
        self.proposal, problem = attempt(
            "matching",
            lambda: match(
                self.applicants.values(), self.weights(), self.locks, self.forbids, self.mode.value
            ),
        )
        if self.proposal is None:
            self.accept_button.disabled = True
            say(self.result, problem, "error")
            return
        self._draw()

    def _name(self, applicant_id: str) -> str:
        applicant = self.applicants.get(applicant_id)
        return applicant.name if applicant else applicant_id

    def _pairs(self) -> list[tuple[str, str, float, tuple, bool]]:
        proposal = self.proposal
        if proposal is None:
            return []
        if proposal.mode == "peer":
            return [(p.first_id, p.second_id, p.score, p.reasons, p.locked) for p in proposal.peers]
        return [(p.mentor_id, p.mentee_id, p.score, p.reasons, p.locked) for p in proposal.pairs]

    def _draw(self) -> None:
        proposal = self.proposal
        if proposal is None:
            return
        pairs = self._pairs()
        rows = []
        for first, second, score, reasons, locked in pairs:
            top = "; ".join(r.text for r in sorted(reasons, key=lambda r: -r.points)[:3])
            rows.append(
                f"<tr><td>{escape(self._name(first))}</td><td>{escape(self._name(second))}</td>"
                f"<td>{score:.0f}</td><td>{escape(top)}</td><td>{'🔒' if locked else ''}</td></tr>"
            )
        unmatched = "".join(
            f"<li>{escape(self._name(u.applicant_id))}: {escape(u.why)}</li>"
            for u in proposal.unmatched
        )
        first_label = "Peer" if proposal.mode == "peer" else "Mentor"
        second_label = "Peer" if proposal.mode == "peer" else "Mentee"
        self.result.value = (
            f"<p>{count_of(len(pairs), 'pair')} proposed, total score {proposal.total_score:.0f}.</p>"
            f'<table class="mk-table mk-match-table"><thead><tr><th>{first_label}</th>'
            f"<th>{second_label}</th><th>Score</th><th>Why</th><th></th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>"
            + (
                f'<h4>Not matched</h4><ul class="mk-match-unmatched">{unmatched}</ul>'
                if unmatched
                else ""
            )
            + "".join(f'<p class="mk-help">{escape(n)}</p>' for n in proposal.notes)
        )
        self.pick.options = [
            (f"{self._name(a)} – {self._name(b)} ({s:.0f})", (a, b)) for a, b, s, _, _ in pairs
        ]
        self.accept_button.disabled = not pairs
        self._draw_rules()

    def _draw_rules(self) -> None:
        parts = [
            f"Locked: {escape(self._name(a))} – {escape(self._name(b))}" for a, b in self.locks
        ]
        parts += [
            f"Never: {escape(self._name(a))} – {escape(self._name(b))}" for a, b in self.forbids
        ]
        self.rules.value = (
            '<p class="mk-help mk-match-rules">' + "<br>".join(parts) + "</p>" if parts else ""
        )

    # --- locks and forbids --------------------------------------------------------------------

    def lock(self) -> None:
        if self.pick.value and self.pick.value not in self.locks:
            self.locks.append(self.pick.value)
            self.run()

    def forbid(self) -> None:
        if self.pick.value:
            pair = self.pick.value
            self.locks = [lock for lock in self.locks if lock != pair]
            self.forbids.append(pair)
            self.run()

    def clear(self) -> None:
        self.locks, self.forbids = [], []
        self.run()

    # --- accepting ----------------------------------------------------------------------------

    def accept(self) -> None:
        """Create a relationship for every proposed pair (and circle). People already in the
        programme are recognised (by their own record for applications made here, by email
        for a file); only applicants who are nobody yet are added, each with a code."""
        from mentorkit.io.site_applications import existing_people

        if self.proposal is None:
            return
        store, programme = self.ctx.store, self.ctx.person.programme_id
        try:
            involved = [
                self.applicants[x] for x in dict.fromkeys(x for p in self._pairs() for x in p[:2])
            ]
            found, new = existing_people(store, programme, involved, self.person_ids)
            made = access.add_people(
                store,
                programme,
                [(a.name, a.email.lower(), {"role": a.role, "years": a.years}) for a in new],
            )
            found.update({a.id: p.id for a, (p, _) in zip(new, made, strict=True)})

            def person(applicant_id: str) -> int:
                return found[applicant_id]

            created = []
            mode = self.proposal.mode
            if mode == "group":
                for circle in self.proposal.circles:
                    members = [(person(circle.mentor_id), "mentor")] + [
                        (person(m), "mentee") for m in circle.mentee_ids
                    ]
                    created.append(store.add_relationship(programme, "group", members))
            elif mode == "peer":
                for peers in self.proposal.peers:
                    members = [(person(peers.first_id), "peer"), (person(peers.second_id), "peer")]
                    created.append(store.add_relationship(programme, "peer", members))
            else:
                for pair in self.proposal.pairs:
                    mentee = self.applicants[pair.mentee_id]
                    kind = "reverse" if mentee.model == "reverse" else "one-to-one"
                    members = [
                        (person(pair.mentor_id), "mentor"),
                        (person(pair.mentee_id), "mentee"),
                    ]
                    created.append(store.add_relationship(programme, kind, members))
        except MentorkitError as error:
            say(self.message, str(error), "error")
            return
        except Exception:
            log_exception("while accepting a match")
            say(
                self.message,
                "Something went wrong; the relationships may be incomplete. "
                "Check the dashboard before trying again.",
                "error",
            )
            return
        store.audit("match-accepted", self.ctx.person.id, "", {"relationships": len(created)})
        say(
            self.message,
            f"Created {count_of(len(created), 'relationship')}"
            + (
                f" and added {count_of(len(made), 'person', 'people')} (their codes are below)."
                if made
                else "."
            ),
        )
        self.cards.show(made, {p.id: a.role for a, (p, _) in zip(new, made, strict=True)})
        self.accept_button.disabled = True


def build_matching(ctx: AppContext) -> w.Widget:
    """The matching page (facilitators only)."""
    require_facilitator(ctx)
    matching_page = MatchingPage(ctx)
    box = matching_page.widget
    box.page = matching_page
    return box


def matching_app() -> w.Widget:
    """The matching app, ready to display."""
    return page(build_matching)
