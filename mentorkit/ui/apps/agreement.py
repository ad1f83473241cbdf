"""The agreement app: the agreement form, the expectations it takes from the negotiation,
confirmations by every member, earlier versions, and downloads (PDF, HTML, Markdown)."""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core.dates import moment_text
from mentorkit.core.models import Relationship, Version
from mentorkit.core.store import SHARED
from mentorkit.core.text import escape, markdown
from mentorkit.exceptions import MentorkitError
from mentorkit.programme import agreement
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.files import attempt, error_html, started_download
from mentorkit.ui.apps.links import worksheet_link
from mentorkit.ui.apps.worksheet import choose_relationship
from mentorkit.ui.forms import WorksheetForm
from mentorkit.ui.forms.timing import Repeater
from mentorkit.ui.page_log import log_exception

FORMATS = (("pdf", "PDF"), ("html", "HTML"), ("md", "Markdown"))


class AgreementPanel:
    """What sits under the form: expectations, confirmations, versions and downloads."""

    def __init__(self, ctx: AppContext, relationship: Relationship, form: WorksheetForm):
        self.ctx, self.relationship, self.form = ctx, relationship, form
        self.is_member = relationship.role_of(ctx.person.id) is not None
        self.expectations = w.HTML()
        self.confirmation = w.HTML()
        self.confirm_button = w.Button(
            description="I confirm this agreement",
            button_style="success",
            layout=w.Layout(width="auto"),
        )
        self.confirm_button.on_click(lambda _: self.confirm())
        self.versions = w.VBox([])
        self.earlier = w.HTML()
        self.downloads = w.HTML()
        buttons = []
        for fmt, label in FORMATS:
            button = w.Button(description=f"Download {label}", layout=w.Layout(width="auto"))
            button.on_click(lambda _, f=fmt: self.prepare_download(f))
            buttons.append(button)
        self.widget = w.VBox(
            [
                self.expectations,
                w.HTML("<h2>Confirming the agreement</h2>"),
                self.confirmation,
                self.confirm_button,
                w.HTML("<h2>Download</h2>"),
                w.HBox(buttons),
                self.downloads,
                w.HTML("<h2>Earlier versions</h2>"),
                self.versions,
                self.earlier,
            ]
        )
        self.widget.add_class("mk-agreement")
        self._seen = ""
        self._shown = ""
        form.listeners.append(self.refresh)
        self._repeater = Repeater(2.0, self.refresh)
        self.refresh()
        self._repeater.start()

    def refresh(self) -> None:
        """Redraw from the store (after saves here, and every two seconds for the partner's)."""
        try:
            store, worksheets = self.ctx.store, self.ctx.worksheets
            version = agreement.current_version(store, worksheets, self.relationship.id)
            state = (
                f"{version.fingerprint}/{len(version.confirmations)}/"
                f"{len(self.form.problems)}/{len(self.form.conflicts)}"
            )
            if state == self._seen:
                return
            self._seen = state
            self._shown = version.fingerprint
            self._draw_expectations()
            self._draw_confirmation(version)
            self._draw_versions(version)
        except Exception:
            log_exception("while refreshing the agreement")

    def _draw_expectations(self) -> None:
        items = agreement.expectation_items(
            self.ctx.store, self.ctx.worksheets, self.relationship.id, self.ctx.person.id
        )
        agreed = agreement.agreed(items)
        points = agreement.open_points(items)
        link = escape(worksheet_link(agreement.EXPECTATIONS, self.relationship.id))
        rows = "".join(
            f"<li>{escape(e.wording)}"
            + (
                f' <span class="mk-help">(originally: {escape(e.text)})</span>'
                if e.shared_wording
                else ""
            )
            + f' <span class="mk-help">raised by {escape(e.raised_by)}</span></li>'
            for e in agreed
        )
        parked = "".join(
            f'<li>{escape(p.text)} <span class="mk-help">— {escape(p.when)}</span></li>'
            for p in points
        )
        self.expectations.value = (
            "<h2>The expectations we agreed</h2>"
            + (f'<ol class="mk-agreed">{rows}</ol>' if rows else "<p>None agreed yet.</p>")
            + f'<p class="mk-help">These come from <a href="{link}">Negotiating expectations</a>; '
            "change them there.</p>"
            + (
                f'<h3>Open points to discuss later</h3><ul class="mk-open-points">{parked}</ul>'
                if parked
                else ""
            )
        )

    def _draw_confirmation(self, version) -> None:
        confirmed = {c.person_id: c for c in version.confirmations}
        lines = []
        for member in self.relationship.members:
            done = confirmed.get(member.person_id)
            lines.append(
                f"<li>{escape(member.name)}: "
                + (
                    f"confirmed {escape(moment_text(done.confirmed_at))}"
                    if done
                    else "not yet confirmed"
                )
                + "</li>"
            )
        everyone = len(confirmed) == len(self.relationship.members)
        status = f"<b>Version {version.number}</b> — " + (
            "confirmed by everyone." if everyone else "waiting for confirmation."
        )
        notice = ""
        if version.number > 1 and not confirmed:
            notice = (
                f'<div class="mk-conflict">Something changed after version '
                f"{version.number - 1} was confirmed, so this is now version "
                f"{version.number} and the earlier confirmations no longer apply. Please "
                "read it again and confirm.</div>"
            )
        self.confirmation.value = (
            f'<div class="mk-confirmation">{notice}<p>{status}</p><ul>{"".join(lines)}</ul></div>'
        )
        mine = self.ctx.person.id in confirmed
        blocked = bool(self.form.problems) or bool(self.form.conflicts)
        self.confirm_button.disabled = not self.is_member or mine or blocked
        self.confirm_button.description = (
            "You have confirmed this version"
            if mine
            else "Fix the answers marked above first"
            if blocked
            else "I confirm this agreement"
        )

    def _draw_versions(self, current: Version) -> None:
        earlier = [
            v
            for v in self.ctx.store.versions(agreement.AGREEMENT, self.relationship.id)
            if v.number != current.number
        ]
        if not earlier:
            self.versions.children = [w.HTML('<p class="mk-help">None yet.</p>')]
            return
        buttons = []
        for version in earlier:
            names = ", ".join(c.name for c in version.confirmations)
            button = w.Button(
                description=f"Show version {version.number}", tooltip=f"Confirmed by {names}"
            )
            button.on_click(lambda _, v=version: self.show_version(v))
            buttons.append(button)
        self.versions.children = [w.HBox(buttons)]

    def show_version(self, version) -> None:
        """Show an earlier version, read only."""
        from mentorkit.io.documents.render import to_markdown

        doc = agreement.build_document(
            self.ctx.store, self.ctx.worksheets, self.relationship, self.ctx.person, version
        )
        self.earlier.value = f'<div class="mk-earlier">{markdown(to_markdown(doc))}</div>'

    def confirm(self) -> None:
        """Confirm what this page shows: save first, and refuse if that is not what is stored."""
        if self.form.dirty and not self.form.save():
            self._say(
                "Nothing was confirmed: your latest changes are not saved yet (see the "
                "messages above)."
            )
            return
        seen = agreement.fingerprint(self.ctx.store, self.ctx.worksheets, self.relationship.id)
        if self.form.conflicts or seen != self._shown and not self._saved_since(seen):
            self._seen = ""
            self.refresh()
            self._say("The agreement changed a moment ago. Please read it again, then confirm.")
            return
        try:
            agreement.confirm(
                self.ctx.store, self.ctx.worksheets, self.relationship.id, self.ctx.person, seen
            )
        except MentorkitError as error:
            self._say(str(error))
            return
        except Exception:
            log_exception("while confirming")
            self._say("Something went wrong on our side; nothing was confirmed. Please try again.")
            return
        self._seen = ""
        self.refresh()

    def _saved_since(self, seen: str) -> bool:
        """True when this page's own save is what moved the agreement on."""
        own = self.form.revisions.get(SHARED)
        return own is not None and seen.split(":")[0] == str(own)

    def _say(self, message: str) -> None:
        self.confirmation.value += f'<p class="mk-error">{escape(message)}</p>'

    def prepare_download(self, fmt: str) -> None:
        """Make the file and offer it as a link (the browser saves it)."""
        from mentorkit.io.documents.render import MEDIA_TYPES, render

        def make() -> tuple[bytes, int]:
            doc = agreement.build_document(
                self.ctx.store, self.ctx.worksheets, self.relationship, self.ctx.person
            )
            return render(doc, fmt), doc.version

        made, problem = attempt("making the agreement's file", make)
        if made is None:
            self.downloads.value = error_html(problem)
            return
        data, version = made
        name = f"mentoring-agreement-v{version}.{fmt}"
        self.downloads.value = started_download(data, MEDIA_TYPES[fmt], name)


def build_agreement(ctx: AppContext) -> w.Widget:
    """The agreement page for the chosen relationship."""
    worksheet = agreement.require_worksheet(ctx.worksheets, agreement.AGREEMENT)
    relationship = choose_relationship(ctx, agreement.AGREEMENT)
    if not isinstance(relationship, Relationship):
        return relationship
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship)
    model = form.fields.get("model")
    if model is not None and model.value is None and not form.read_only:
        model.value = relationship.kind
    panel = AgreementPanel(ctx, relationship, form)
    box = w.VBox([form.widget, panel.widget])
    box.form, box.panel = form, panel  # keep them (and their timers) alive with the page
    return box


def agreement_app() -> w.Widget:
    """The agreement app, ready to display."""
    return page(build_agreement)
