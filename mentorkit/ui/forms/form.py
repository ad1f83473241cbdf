"""A worksheet spec rendered as a form that saves itself.

The form keeps the snapshot it last synced with (``base``). Saving sends what is on screen
with the revision ids of that snapshot; if someone else saved meanwhile the store refuses,
the form merges field by field and tries again. A field both people changed is never
overwritten: it is held back and shown as a conflict with both values until the person
chooses. The partner's saves are picked up every few seconds without a reload.
"""

from __future__ import annotations

import atexit
import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import ipywidgets as w

from mentorkit.core.dates import moment_text
from mentorkit.core.fieldtypes import check_answer, check_relations
from mentorkit.core.merge import merge
from mentorkit.core.models import Person, Relationship, Snapshot
from mentorkit.core.signin import still_signed_in
from mentorkit.core.spec import Worksheet
from mentorkit.core.store import Store
from mentorkit.core.text import escape, markdown
from mentorkit.exceptions import MentorkitError, SavingTooFast, StaleRevision, StoreUnavailable
from mentorkit.ui.forms.fields import FieldWidget, make_field_widget
from mentorkit.ui.forms.timing import Debouncer, Repeater
from mentorkit.ui.page_log import log_exception

AUTOSAVE_DELAY = 1.5
"""Seconds of quiet after typing before answers save; a programme's settings may change it
for its pages (:func:`use_autosave_delay`)."""
_autosave_delay = AUTOSAVE_DELAY


def use_autosave_delay(seconds: float) -> None:
    """Forms made from now on in this page's kernel save after ``seconds`` of quiet."""
    global _autosave_delay
    _autosave_delay = seconds


SYNC_INTERVAL = 2.0
MAX_SAVE_TRIES = 3


def _when(saved_at: str) -> str:
    """A saved time in local time: "10:42" today, "21 Nov 10:42" before."""
    return moment_text(saved_at, year=False, today=datetime.now().astimezone().date())


def _show(value: Any) -> str:
    if value is None or value == [] or value == "":
        return "(blank)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(
            str(v) if not isinstance(v, dict) else "; ".join(map(str, v.values())) for v in value
        )
    return str(value)


class WorksheetForm:
    """The form for one worksheet, one relationship and one person.

    ``subject_id`` picks whose copy of an individual worksheet to show (default: the viewer's
    own); anyone else's copy is read-only, and shows only what the viewer may see.
    """

    def __init__(
        self,
        worksheet: Worksheet,
        store: Store,
        person: Person,
        relationship: Relationship,
        subject_id: int | None = None,
        heading: str | None = None,
    ):
        self.heading = heading
        """The tag of the worksheet's title above the form ("h1", "h2"), or None where the
        page's notebook already titles the page."""
        self.worksheet, self.store, self.person, self.relationship = (
            worksheet,
            store,
            person,
            relationship,
        )
        self.subject_id = person.id if subject_id is None else subject_id
        self.read_only = self.subject_id != person.id or relationship.role_of(person.id) is None
        self.fields: dict[str, FieldWidget] = {
            f.id: make_field_widget(f, self._on_change_of(f.id)) for f in worksheet.fields
        }
        for widget in self.fields.values():
            if hasattr(widget, "author"):  # groups and plans record who added an item
                widget.author = person.name
        self.conflicts: dict[str, Any] = {}
        self.problems: dict[str, str] = {}
        self.listeners: list[Callable[[], None]] = []
        self._base: dict[str, Any] = {}
        self._revisions: dict[int, int | None] = {}
        self._saved_at: str | None = None
        self._autosave = Debouncer(_autosave_delay, self._save_quietly)
        self._sync = Repeater(SYNC_INTERVAL, self.refresh)
        self._build()
        self.load()
        if self.read_only:
            for field in self.fields.values():
                field.set_disabled(True)
        self._sync.start()
        atexit.register(self._save_if_pending)

    # --- layout ---------------------------------------------------------------------------

    def _build(self) -> None:
        ws = self.worksheet
        self.status = w.HTML()
        self.status.add_class("mk-status")
        self.progress = w.IntProgress(min=0, max=1, value=0, layout=w.Layout(width="12rem"))
        self.progress_label = w.HTML()
        self.save_button = w.Button(
            description="Save", button_style="primary", disabled=self.read_only
        )
        self.save_button.on_click(lambda _: self.save())
        self.conflict_box = w.VBox([])
        title = (
            f'<{self.heading} class="mk-title">{escape(ws.title)}</{self.heading}>'
            if self.heading in ("h1", "h2", "h3")
            else ""
        )
        header = w.HTML(f'{title}<div class="mk-intro">{markdown(ws.introduction)}</div>')
        bar = w.HBox(
            [self.save_button, self.status, self.progress, self.progress_label],
            layout=w.Layout(align_items="center", gap="0.8rem", flex_flow="row wrap"),
        )
        bar.add_class("mk-savebar")
        body = w.VBox([f.widget for f in self.fields.values()])
        self.widget = w.VBox([header, bar, self.conflict_box, body])
        self.widget.add_class("mk-form")

    # --- reading and writing the screen ---------------------------------------------------

    @property
    def data(self) -> dict[str, Any]:
        """Every answer on screen, keyed by field id."""
        return {fid: f.value for fid, f in self.fields.items() if f.field.has_value}

    @data.setter
    def data(self, values: dict[str, Any]) -> None:
        for fid, field in self.fields.items():
            if field.field.has_value:
                field.value = values.get(fid)
        self._after_change()

    @property
    def revisions(self) -> dict[int, int | None]:
        """The revision id of each layer this form last synced with."""
        return dict(self._revisions)

    def _apply_snapshot(self, snapshot: Snapshot) -> None:
        self._base = dict(snapshot.values)
        self._revisions = dict(snapshot.revisions)
        self._saved_at = snapshot.saved_at

    def load(self) -> None:
        """Show the latest saved answers (losing nothing: call only when nothing is unsaved)."""
        snapshot = self.store.load(
            self.worksheet, self.relationship.id, self.person.id, self.subject_id
        )
        self._apply_snapshot(snapshot)
        for fid, field in self.fields.items():
            if field.field.has_value and fid in snapshot.values:
                field.value = snapshot.values[fid]
        for fid in snapshot.values:
            if fid in self.fields:  # answers kept under an older version of the worksheet
                self._check(fid)
        self._after_change()
        self._set_status("saved" if snapshot.saved_at else "new")

    # --- changes --------------------------------------------------------------------------

    def _on_change_of(self, field_id: str) -> Callable[[], None]:
        return lambda: self._changed(field_id)

    def _save_quietly(self) -> None:
        """Autosave: the form's status line says how it went."""
        self.save()

    def _changed(self, field_id: str) -> None:
        try:
            self._check(field_id)
            self._after_change()
            if not self.read_only:
                self._set_status("unsaved")
                self._autosave.poke()
        except Exception:
            log_exception("while handling a change")
            self._set_status(
                "error",
                "something went wrong on our side. Your answers are still "
                "here; press Save to try again.",
            )

    def _check(self, field_id: str) -> None:
        """Check one field, and every relation between fields (dates in order)."""
        field = self.fields[field_id]
        self._set_problem(field_id, check_answer(field.field, field.value))
        related = check_relations(self.worksheet.fields, self.data)
        for fid, widget in self.fields.items():
            if widget.field.type == "date" and widget.field.not_before:
                self._set_problem(fid, related.get(fid) or check_answer(widget.field, widget.value))

    def _set_problem(self, field_id: str, problem: str | None) -> None:
        if problem:
            self.problems[field_id] = problem
        else:
            self.problems.pop(field_id, None)
        self.fields[field_id].set_message(problem)

    def _notify(self) -> None:
        """Tell listeners (such as the agreement's confirmation panel) that answers moved on."""
        for listener in list(self.listeners):
            try:
                listener()
            except Exception:
                log_exception("in a form listener")

    def _after_change(self) -> None:
        values = self.data
        shown = {f.id for f in self.worksheet.visible_fields(values)}
        for fid, field in self.fields.items():
            if field.field.has_value:
                field.show(fid in shown)
        answered, counted = self.worksheet.completion(values)
        self.progress.max = max(counted, 1)
        self.progress.value = answered
        self.progress_label.value = (
            f'<span class="mk-progress">{answered} of {counted} answered</span>'
        )

    @property
    def dirty(self) -> bool:
        """True when something on screen is not yet saved."""
        return any(v != self._base.get(k) for k, v in self.data.items())

    # --- saving ---------------------------------------------------------------------------

    def _to_save(self) -> dict[str, Any]:
        values = self.data
        for fid in self.problems:  # the parts that are fine still save (items of a group)
            values[fid] = self.fields[fid].held_back(self._base.get(fid))
        for fid in self.conflicts:
            values[fid] = self._base.get(fid)
        return values

    def save(self) -> bool:
        """Save now (autosave calls this too). True when everything on screen is saved."""
        if self.read_only:
            return False
        self._autosave.cancel()
        self._autosave.pending = False
        try:
            if not still_signed_in(self.store, self.person):
                self._set_status(
                    "error",
                    "you have been signed out (your access code was changed or withdrawn). "
                    "Your answers are still on this page: copy anything you need, then sign "
                    "in again with your new code.",
                )
                return False
            for _ in range(MAX_SAVE_TRIES):
                try:
                    snapshot = self.store.save(
                        self.worksheet,
                        self.relationship.id,
                        self.person.id,
                        self._to_save(),
                        self._revisions,
                    )
                except StaleRevision:
                    self._take_in(
                        self.store.load(
                            self.worksheet, self.relationship.id, self.person.id, self.subject_id
                        )
                    )
                    continue
                self._apply_snapshot(snapshot)
                break
            else:
                self._set_status(
                    "error",
                    "several people are saving at once. Your answers are still "
                    "here; press Save again in a moment.",
                )
                return False
        except (SavingTooFast, StoreUnavailable) as error:
            self._set_status("error", getattr(error, "public", "") or str(error))
            self._autosave.poke()  # try again shortly; what is on screen stays
            return False
        except MentorkitError as error:
            self._set_status("error", str(error))
            return False
        except Exception:
            log_exception("while saving")
            self._set_status(
                "error",
                "something went wrong on our side. Your answers are still "
                "here; press Save to try again.",
            )
            return False
        self._set_status("saved")
        self._notify()
        return not self.conflicts and not self.problems

    def _save_if_pending(self) -> None:
        """On kernel shutdown (the tab was closed): save what autosave had not reached yet."""
        if self._autosave.pending and not self.store.closed:
            try:
                self.save()
            except Exception:
                log_exception("while saving on shutdown")

    def flush(self) -> None:
        """Run a pending autosave now (used when no event loop drives the timer)."""
        self._autosave.fire()

    # --- other people's saves -------------------------------------------------------------

    def refresh(self) -> None:
        """Pick up anything saved elsewhere since the last sync (called every few seconds;
        the timer runs only while the page's session is live)."""
        try:
            latest = self.store.latest_revision_ids(
                self.worksheet, self.relationship.id, self.subject_id
            )
            if all(latest.get(k) == v for k, v in self._revisions.items()):
                return
            self._take_in(
                self.store.load(
                    self.worksheet, self.relationship.id, self.person.id, self.subject_id
                )
            )
            if not self.dirty and not self.conflicts:
                self._set_status("saved")
        except Exception:
            log_exception("while checking for a partner's changes")

    def _take_in(self, snapshot: Snapshot) -> None:
        """Merge a newer snapshot into the screen without losing anything typed here."""
        result = merge(self._base, self.data, snapshot.values)
        for fid, value in result.adopt.items():
            if fid in self.fields:
                self.fields[fid].value = value
                self.conflicts.pop(fid, None)
        for fid, (_mine, theirs) in result.conflicts.items():
            if fid in self.fields:
                self.conflicts[fid] = theirs
        self._apply_snapshot(snapshot)
        self._after_change()
        self._draw_conflicts()
        self._notify()

    def _draw_conflicts(self) -> None:
        rows = []
        for fid, theirs in self.conflicts.items():
            field = self.fields[fid]
            mine = field.value
            keep = w.Button(description="Keep mine", button_style="warning")
            take = w.Button(description="Use theirs")
            keep.on_click(lambda _, f=fid: self.resolve(f, keep_mine=True))
            take.on_click(lambda _, f=fid: self.resolve(f, keep_mine=False))
            text = w.HTML(
                f'<div class="mk-conflict"><b>{escape(field.field.label)}</b> was changed by '
                f"someone else while you were editing it.<br>Yours: <q>{escape(_show(mine))}</q>"
                f"<br>Saved by them: <q>{escape(_show(theirs))}</q><br>Choose which to keep; "
                "you can edit it afterwards.</div>"
            )
            rows.append(w.VBox([text, w.HBox([keep, take])]))
            field.set_message("Changed by someone else too: choose above which to keep.", "warning")
        self.conflict_box.children = rows

    def resolve(self, field_id: str, keep_mine: bool) -> None:
        """Settle a conflict: keep the value on screen, or take the saved one."""
        theirs = self.conflicts.pop(field_id, None)
        if not keep_mine:
            self.fields[field_id].value = theirs
        self.fields[field_id].set_message(None)
        self._check(field_id)
        self._draw_conflicts()
        self._after_change()
        self.save()

    # --- status line ----------------------------------------------------------------------

    def _set_status(self, state: str, detail: str = "") -> None:
        self.state = state
        if state == "error":
            text, kind = f"Could not save: {detail}", "error"
        elif self.read_only:
            text, kind = "Read only", "info"
        elif self.problems:
            count = len(self.problems)
            text = (
                f"Not saved: {count} answer{'s' if count > 1 else ''} need{'s' if count == 1 else ''}"
                " fixing (see the message under the field)"
            )
            kind = "error"
        elif self.conflicts:
            text, kind = (
                "Saved, except where you and someone else changed the same answer",
                "warning",
            )
        elif state == "unsaved":
            text, kind = "Unsaved changes", "info"
        elif state == "saved" and self._saved_at:
            text, kind = f"Saved {_when(self._saved_at)}", "ok"
        else:
            text, kind = "Nothing saved yet", "info"
        self.status.value = f'<span class="mk-state mk-{kind}">{escape(text)}</span>'

    @property
    def status_text(self) -> str:
        """The status line as plain text."""
        return re.sub(r"<[^>]+>", "", self.status.value)

    def close(self) -> None:
        """Stop the timers (the widgets go with the kernel)."""
        self._sync.stop()
        self._autosave.cancel()
        atexit.unregister(self._save_if_pending)
