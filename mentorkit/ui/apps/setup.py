"""The facilitator's set-up page: import people, pair them, and hand out access codes.

It offers no backup: a backup holds everyone's private answers, so making one is the
operator's job on the machine that holds the data (``mentorkit backup``), never a download.

Importing is two steps: the file is read and checked (every bad row with its number and
reason), and only when the facilitator confirms are the good rows added, all at once.
Codes exist in plain text only when they are made, so cards are printed for new codes.
"""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core import access
from mentorkit.core.models import RELATIONSHIP_KINDS, Person
from mentorkit.core.signin import site_url
from mentorkit.core.text import count_of, escape
from mentorkit.core.words import role_words
from mentorkit.exceptions import MentorkitError
from mentorkit.io.people_import import ImportPreview, read_people
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.dashboard import require_facilitator
from mentorkit.ui.apps.files import attempt, download_link
from mentorkit.ui.page_log import log_exception

PREVIEW_ROWS = 50


def say(widget: w.HTML, text: str, kind: str = "ok") -> None:
    """Show a message (escaped) in ``widget``: ok, error or warning."""
    widget.value = f'<div class="mk-message mk-{kind}">{escape(text)}</div>'


def uploaded_file(value) -> tuple[str, bytes] | None:
    """(file name, bytes) of the one uploaded file, whatever ipywidgets' version gives."""
    files = list(value.values()) if isinstance(value, dict) else list(value or ())
    if not files:
        return None
    item = files[0]
    name = item.get("name") or item.get("metadata", {}).get("name", "upload")
    content = item.get("content")
    return name, bytes(content.tobytes() if hasattr(content, "tobytes") else content)


def sign_in_link(code: str) -> str:
    """The link a card's QR code holds: this server's sign-in page with the code."""
    return f"{site_url()}/signin?code={code}"


class CardsPanel:
    """Codes just made, shown once, with their printable cards."""

    def __init__(self, ctx: AppContext):
        self.ctx = ctx
        self.widget = w.HTML()
        self.widget.add_class("mk-new-codes")

    def show(self, made: list[tuple[Person, str]], roles: dict[int, str]) -> None:
        from mentorkit.io.documents.cards import Card, code_cards_pdf

        if not made:
            self.widget.value = ""
            return
        cards = [
            Card(
                p.name,
                role_words(roles[p.id]) if roles.get(p.id) else "",
                code,
                sign_in_link(code),
            )
            for p, code in made
        ]
        programme = self.ctx.store.programme(self.ctx.person.programme_id).name
        pdf = code_cards_pdf(cards, programme)
        rows = "".join(
            f"<tr><td>{escape(c.name)}</td><td>{escape(c.role)}</td><td><code>{escape(c.code)}"
            "</code></td></tr>"
            for c in cards
        )
        self.widget.value = (
            f"<h3>New access codes ({len(cards)})</h3><p>They are shown only now: print the "
            "cards and hand them out. A lost code can be replaced below.</p>"
            f"<p>{download_link(pdf, 'application/pdf', 'access-cards.pdf', 'Download the code cards (PDF)', 'mk-cards')}</p>"
            f'<table class="mk-table"><thead><tr><th>Name</th><th>Role</th><th>Code</th></tr>'
            f"</thead><tbody>{rows}</tbody></table>"
        )


class ImportPanel:
    """Upload a CSV or XLSX file, see what is wrong, then import the good rows."""

    def __init__(self, ctx: AppContext, cards: CardsPanel, on_change):
        self.ctx, self.cards, self.on_change = ctx, cards, on_change
        self.upload = w.FileUpload(accept=".csv,.xlsx", multiple=False, description="Choose file")
        self.upload.add_class("mk-import-file")
        self.upload.observe(lambda _: self.read(), "value")
        self.preview_box = w.HTML()
        self.confirm = w.Button(description="Import", button_style="success", disabled=True)
        self.confirm.add_class("mk-import-confirm")
        self.confirm.on_click(lambda _: self.import_people())
        self.message = w.HTML()
        self.preview: ImportPreview | None = None
        self.widget = w.VBox(
            [
                w.HTML(
                    "<h2>Import people</h2><p>A CSV or Excel file with the columns <b>name</b>, "
                    "<b>email</b> and <b>role</b> (mentor, mentee, either or peer), and if you "
                    "like <b>years of experience</b> and <b>unit</b>; other columns are kept. "
                    "You will see every row that needs fixing before anything is imported.</p>"
                ),
                self.upload,
                self.preview_box,
                self.confirm,
                self.message,
            ]
        )

    def read(self) -> None:
        uploaded = uploaded_file(self.upload.value)
        if uploaded is None:
            return
        self.preview, self.confirm.disabled = None, True
        self.message.value = ""
        name, data = uploaded
        try:
            existing = self.ctx.store.emails(self.ctx.person.programme_id)
            self.preview = read_people(data, name, existing)
        except MentorkitError as error:
            self.preview_box.value = (
                f'<div class="mk-message mk-error">{escape(name)}: {escape(error)}</div>'
            )
            return
        except Exception:
            log_exception("while reading an import file")
            self.preview_box.value = (
                '<div class="mk-message mk-error">That file could not be read. Save it as CSV '
                "(UTF-8) or Excel workbook (.xlsx) and try again.</div>"
            )
            return
        self.preview_box.value = self._preview_html(self.preview)
        count = len(self.preview.good)
        self.confirm.description = f"Import {count} {'person' if count == 1 else 'people'}"
        self.confirm.disabled = count == 0

    @staticmethod
    def _preview_html(preview: ImportPreview) -> str:
        bad = "".join(f"<tr><td>{p.row}</td><td>{escape(p.reason)}</td></tr>" for p in preview.bad)
        good = "".join(
            f"<tr><td>{r.row}</td><td>{escape(r.name)}</td><td>{escape(r.email)}</td>"
            f"<td>{escape(role_words(r.role))}</td><td>{'' if r.years is None else f'{r.years:g}'}</td>"
            f"<td>{escape(r.unit)}</td></tr>"
            for r in preview.good[:PREVIEW_ROWS]
        )
        more = (
            f'<p class="mk-help">and {len(preview.good) - PREVIEW_ROWS} more.</p>'
            if len(preview.good) > PREVIEW_ROWS
            else ""
        )
        return (
            f'<p class="mk-import-summary"><b>{escape(preview.summary)}</b></p>'
            + (
                '<h3>Rows that need fixing</h3><table class="mk-table mk-import-bad"><thead>'
                f"<tr><th>Row</th><th>What is wrong</th></tr></thead><tbody>{bad}</tbody></table>"
                if bad
                else ""
            )
            + (
                '<h3>Ready to import</h3><table class="mk-table mk-import-good"><thead><tr>'
                "<th>Row</th><th>Name</th><th>Email</th><th>Role</th><th>Years</th><th>Unit</th>"
                f"</tr></thead><tbody>{good}</tbody></table>{more}"
                if good
                else ""
            )
        )

    def import_people(self) -> None:
        preview = self.preview
        if preview is None or not preview.good:
            return
        entries = [
            (
                row.name,
                row.email,
                {"role": row.role, "years": row.years, "unit": row.unit, "extra": row.extra},
            )
            for row in preview.good
        ]
        made, problem = attempt(
            "adding the people",
            lambda: access.add_people(self.ctx.store, self.ctx.person.programme_id, entries),
        )
        if made is None:
            say(self.message, problem, "error")
            return
        self.ctx.store.audit(
            "people-imported", self.ctx.person.id, preview.filename, {"count": len(made)}
        )
        self.preview, self.confirm.disabled = None, True
        self.preview_box.value = ""
        self.upload.value = ()  # ready for the next file (even the same one again)
        say(
            self.message,
            f"Imported {count_of(len(made), 'person', 'people')} from {preview.filename}.",
        )
        self.cards.show(
            made, {p.id: row.role for (p, _), row in zip(made, preview.good, strict=True)}
        )
        self.on_change()


class PairPanel:
    """Create a relationship by hand: one-to-one, reverse, peer or group."""

    def __init__(self, ctx: AppContext, on_change):
        self.ctx, self.on_change = ctx, on_change
        self.kind = w.Dropdown(
            description="Kind", options=[(v, k) for k, v in RELATIONSHIP_KINDS.items()]
        )
        self.name = w.Text(description="Name", placeholder="for a group (optional)")
        self.mentor = w.Dropdown(description="Mentor")
        self.others = w.SelectMultiple(description="Mentee", rows=8)
        for widget, css in (
            (self.kind, "mk-pair-kind"),
            (self.name, "mk-pair-name"),
            (self.mentor, "mk-pair-mentor"),
            (self.others, "mk-pair-others"),
        ):
            widget.add_class(css)
        self.kind.observe(lambda _: self._labels(), "value")
        create = w.Button(description="Create relationship", button_style="info")
        create.add_class("mk-pair-create")
        create.on_click(lambda _: self.create())
        self.message = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML("<h2>Pair people</h2>"),
                self.kind,
                self.name,
                self.mentor,
                self.others,
                create,
                self.message,
            ]
        )
        self.refresh()

    def _labels(self) -> None:
        kind = self.kind.value
        self.mentor.layout.display = "none" if kind == "peer" else None
        self.others.description = {"peer": "Peers", "group": "Mentees"}.get(kind, "Mentee")

    def refresh(self) -> None:
        people = [
            p for p in self.ctx.store.people(self.ctx.person.programme_id) if not p.is_facilitator
        ]
        options = [(f"{p.name} ({p.email})" if p.email else p.name, p.id) for p in people]
        self.mentor.options = [("Choose…", None), *options]
        self.others.options = options
        self._labels()

    def create(self) -> None:
        kind, chosen = self.kind.value, list(self.others.value)
        mentor = self.mentor.value
        if kind == "peer":
            if len(chosen) < 2:
                say(self.message, "Choose at least two peers.", "error")
                return
            members = [(pid, "peer") for pid in chosen]
        else:
            if mentor is None:
                say(self.message, "Choose the mentor.", "error")
                return
            if not chosen:
                say(self.message, "Choose the mentee.", "error")
                return
            if kind != "group" and len(chosen) != 1:
                say(self.message, "Choose one mentee (a group takes several).", "error")
                return
            if mentor in chosen:
                say(self.message, "The mentor cannot also be their own mentee.", "error")
                return
            members = [(mentor, "mentor")] + [(pid, "mentee") for pid in chosen]
        relationship = self.ctx.store.add_relationship(
            self.ctx.person.programme_id, kind, members, self.name.value.strip()
        )
        self.ctx.store.audit("relationship-created", self.ctx.person.id, str(relationship.id))
        say(self.message, f"Created: {relationship.title}.")
        self.others.value, self.mentor.value, self.name.value = (), None, ""
        self.on_change()


class CodesPanel:
    """Make new codes (and cards) or withdraw them."""

    def __init__(self, ctx: AppContext, cards: CardsPanel):
        self.ctx, self.cards = ctx, cards
        self.people = w.SelectMultiple(description="People", rows=8)
        self.people.add_class("mk-codes-people")
        renew = w.Button(description="Make new codes and cards")
        renew.add_class("mk-codes-renew")
        renew.on_click(lambda _: self.renew())
        revoke = w.Button(description="Withdraw codes", button_style="warning")
        revoke.add_class("mk-codes-revoke")
        revoke.on_click(lambda _: self.revoke())
        self.message = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(
                    "<h2>Access codes</h2><p>A new code replaces the old one at once (and signs "
                    "the person out everywhere). Withdrawing a code locks the person out until "
                    "you make them a new one.</p>"
                ),
                self.people,
                w.HBox([renew, revoke]),
                self.message,
            ]
        )
        self.refresh()

    def refresh(self) -> None:
        people = [
            p
            for p in self.ctx.store.people(self.ctx.person.programme_id)
            if p.id != self.ctx.person.id
        ]
        self.people.options = [
            (f"{p.name}{'' if p.code_active else ' (code withdrawn)'}", p.id) for p in people
        ]

    def _chosen(self) -> list[int]:
        chosen = list(self.people.value)
        if not chosen:
            say(self.message, "Choose one or more people first.", "error")
        return chosen

    def renew(self) -> None:
        chosen = self._chosen()
        if not chosen:
            return
        made = [
            (self.ctx.store.person(pid), access.reset_code(self.ctx.store, pid)) for pid in chosen
        ]
        roles = {
            p.id: (self.ctx.store.person_details(p.id).get("role") or "")
            if not p.is_facilitator
            else "facilitator"
            for p, _ in made
        }
        self.cards.show(made, roles)
        say(self.message, f"Made {len(made)} new code{'s' if len(made) != 1 else ''}.")
        self.refresh()

    def revoke(self) -> None:
        chosen = self._chosen()
        if not chosen:
            return
        for pid in chosen:
            access.revoke_code(self.ctx.store, pid, by=self.ctx.person.id)
        say(self.message, f"Withdrew {len(chosen)} code{'s' if len(chosen) != 1 else ''}.")
        self.refresh()


def build_setup(ctx: AppContext) -> w.Widget:
    """The set-up page (facilitators only)."""
    require_facilitator(ctx)
    cards = CardsPanel(ctx)
    pairs = PairPanel(ctx, lambda: None)
    codes = CodesPanel(ctx, cards)

    def changed() -> None:
        pairs.refresh()
        codes.refresh()

    pairs.on_change = changed
    importer = ImportPanel(ctx, cards, changed)
    box = w.VBox(
        [
            importer.widget,
            cards.widget,
            pairs.widget,
            codes.widget,
        ]
    )
    box.panels = (importer, pairs, codes, cards)
    return box


def setup_app() -> w.Widget:
    """The set-up app, ready to display."""
    return page(build_setup)
