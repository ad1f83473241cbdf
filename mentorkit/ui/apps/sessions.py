"""The sessions pages: the schedule with its calendar file, and each session's notes with
its agenda and a way to add actions straight into the action plan."""

from __future__ import annotations

import ipywidgets as w

from mentorkit.core.dates import date_words
from mentorkit.core.models import Relationship
from mentorkit.core.signin import still_signed_in
from mentorkit.core.text import escape
from mentorkit.core.worksheet_ids import JOURNAL
from mentorkit.exceptions import MentorkitError, StaleRevision
from mentorkit.programme import agenda, goal_plans, schedule
from mentorkit.programme.goal_plan_edits import add_agreed_action
from mentorkit.programme.schedule import SessionInfo
from mentorkit.ui.apps.common import AppContext, page
from mentorkit.ui.apps.files import attempt, error_html, started_download
from mentorkit.ui.apps.links import worksheet_link
from mentorkit.ui.apps.session_list import sessions_table
from mentorkit.ui.apps.worksheet import choose_relationship
from mentorkit.ui.forms import ScheduleField, WorksheetForm
from mentorkit.ui.forms.names import named
from mentorkit.ui.page_log import log_exception


class SchedulePage:
    """Our sessions: the schedule editor, the sessions with links, and the calendar file."""

    def __init__(self, ctx: AppContext, relationship: Relationship, form: WorksheetForm):
        self.ctx, self.relationship, self.form = ctx, relationship, form
        editor = form.fields[schedule.SCHEDULE_FIELD]
        assert isinstance(editor, ScheduleField)
        suggested = schedule.sessions(
            ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan, False
        )
        editor.suggested = tuple(
            {
                "number": s.number,
                "title": s.title,
                "date": s.date.isoformat() if s.date else None,
                "lead": s.lead,
            }
            for s in suggested
        )
        editor.refresh()
        self.table = w.HTML()
        self.download = w.HTML()
        button = w.Button(description="Add to my calendar (.ics)", layout=w.Layout(width="auto"))
        button.add_class("mk-calendar")
        button.on_click(lambda _: self.prepare_calendar())
        form.listeners.append(self.refresh)
        self.refresh()
        self.widget = w.VBox(
            [
                form.widget,
                w.HTML("<h2>Your sessions</h2>"),
                self.table,
                w.HTML(
                    '<p class="mk-help">The calendar file works with Outlook, Google Calendar '
                    "and Apple Calendar. Importing it again updates the sessions rather than "
                    "adding them twice.</p>"
                ),
                button,
                self.download,
            ]
        )

    def infos(self) -> list[SessionInfo]:
        return schedule.sessions(
            self.ctx.store,
            self.ctx.worksheets,
            self.relationship.id,
            self.ctx.person.id,
            self.ctx.programme_plan,
        )

    def refresh(self) -> None:
        """Redraw the sessions table (after every save)."""
        try:
            self.table.value = sessions_table(self.ctx, self.relationship, self.infos())
        except Exception:
            log_exception("while listing sessions")

    def prepare_calendar(self) -> None:
        """Make the .ics file and offer it as a link."""
        data, problem = attempt(
            "making the calendar file",
            lambda: agenda.calendar_file(
                self.ctx.store,
                self.ctx.worksheets,
                self.relationship,
                self.ctx.person.id,
                self.infos(),
            ),
        )
        if data is None:
            self.download.value = error_html(problem)
            return
        self.download.value = started_download(data, "text/calendar", "mentoring-sessions.ics")


def build_schedule(ctx: AppContext) -> w.Widget:
    """The "Our sessions" page."""
    worksheet = ctx.worksheets.get(schedule.SCHEDULE)
    if worksheet is None:
        raise MentorkitError(
            f"The worksheet {schedule.SCHEDULE!r} is missing from the worksheets folder. "
            "Ask your trainer to restore it."
        )
    relationship = choose_relationship(ctx, schedule.SCHEDULE)
    if not isinstance(relationship, Relationship):
        return relationship
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship)
    if not isinstance(form.fields.get(schedule.SCHEDULE_FIELD), ScheduleField):
        raise MentorkitError(
            f"The sessions worksheet has no {schedule.SCHEDULE_FIELD!r} field of type "
            "session_schedule. Ask your trainer to restore it (mentorkit check helps)."
        )
    schedule_page = SchedulePage(ctx, relationship, form)
    box = schedule_page.widget
    box.page = schedule_page
    return box


class ActionAdder:
    """Add an action agreed in this session straight into the action plan."""

    def __init__(self, ctx: AppContext, relationship: Relationship, session: int):
        self.ctx, self.relationship, self.session = ctx, relationship, session
        self.goals = ctx.worksheets.get(goal_plans.WORKSHEET)
        self.objective = w.Dropdown(description="Under", layout=w.Layout(width="100%"))
        # their placeholder and first choice say on screen what their names say aloud
        self.what = named(
            w.Text(placeholder="What will be done", layout=w.Layout(width="100%")), "The action"
        )
        self.owner = named(
            w.Dropdown(
                options=[("Who?", "")] + [(label, key) for key, label in goal_plans.OWNERS.items()],
                layout=w.Layout(width="9rem"),
            ),
            "Who does it",
        )
        self.due = w.DatePicker(description="Due by", layout=w.Layout(width="11rem"))
        for widget, css in (
            (self.objective, "mk-new-action-objective"),
            (self.what, "mk-new-action-what"),
            (self.owner, "mk-new-action-owner"),
            (self.due, "mk-new-action-due"),
        ):
            widget.add_class(css)
        add = w.Button(description="Add to our action plan", button_style="info")
        add.add_class("mk-new-action-add")
        add.on_click(lambda _: self.add())
        self.message = w.HTML()
        self.added = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(
                    '<h3>New actions</h3><p class="mk-help">Actions you agree now go straight '
                    "into your goals and action plan.</p>"
                ),
                self.objective,
                w.HBox([self.what, self.owner, self.due]),
                add,
                self.message,
                self.added,
            ]
        )
        self.widget.add_class("mk-new-actions")
        self.refresh()

    def _plan(self) -> dict:
        if self.goals is None:
            return {}
        values = self.ctx.store.load(self.goals, self.relationship.id, self.ctx.person.id).values
        return values.get(goal_plans.PLAN_FIELD) or {}

    def refresh(self) -> None:
        plan = self._plan()
        options = [
            (
                f"{goal.get('title') or '(untitled goal)'} — {obj.get('outcome') or '(objective)'}"[
                    :100
                ],
                obj["_id"],
            )
            for goal, obj in goal_plans.objectives(plan)
        ]
        choices = options + [("Actions agreed in our sessions (a goal of its own)", "")]
        keep = self.objective.value
        self.objective.options = choices
        values = [value for _, value in choices]
        self.objective.value = keep if keep in values else values[0]
        here = [a for *_, a in goal_plans.actions(plan) if a.get("session") == self.session]
        self.added.value = (
            "<p><b>Added in this session</b></p><ul>"
            + "".join(
                f"<li>{escape(a.get('what') or '')} "
                f'<span class="mk-help">{escape(goal_plans.OWNERS.get(a.get("owner") or "", ""))}'
                f"{', due ' + escape(date_words(a['due'])) if a.get('due') else ''}</span></li>"
                for a in here
            )
            + "</ul>"
            if here
            else ""
        )

    def add(self) -> None:
        what = self.what.value.strip()
        if not what:
            self._say("Say what the action is, then add it.", "error")
            return
        if not self.owner.value:
            self._say("Choose who will do it: the mentor, the mentee or both.", "error")
            return
        if self.goals is None:
            self._say("The goals worksheet is missing, so there is no plan to add to.", "error")
            return
        if not still_signed_in(self.ctx.store, self.ctx.person):
            self._say("You have been signed out; sign in again to add actions.", "error")
            return
        action = {
            **goal_plans.new_action(self.owner.value),
            "what": what[: goal_plans.TEXT_LIMITS["what"]],
            "due": self.due.value.isoformat() if self.due.value else None,
            "session": self.session,
        }
        try:
            for _ in range(3):
                snapshot = self.ctx.store.load(self.goals, self.relationship.id, self.ctx.person.id)
                plan = add_agreed_action(
                    snapshot.values.get(goal_plans.PLAN_FIELD) or {},
                    self.objective.value or None,
                    action,
                )
                try:
                    self.ctx.store.save(
                        self.goals,
                        self.relationship.id,
                        self.ctx.person.id,
                        {**snapshot.values, goal_plans.PLAN_FIELD: plan},
                        snapshot.revisions,
                    )
                    break
                except StaleRevision:
                    continue
            else:
                self._say("Several people are saving at once; please press Add again.", "error")
                return
        except MentorkitError as error:
            self._say(str(error), "error")
            return
        except Exception:
            log_exception("while adding an action")
            self._say(
                "Something went wrong on our side; the action was not added. Please try again.",
                "error",
            )
            return
        self.what.value, self.owner.value, self.due.value = "", "", None
        self._say(f"Added “{what}” to your action plan.", "ok")
        self.refresh()

    def _say(self, text: str, kind: str) -> None:
        self.message.value = f'<div class="mk-message mk-{kind}">{escape(text)}</div>'


def _session_list(ctx: AppContext, relationship: Relationship) -> w.Widget:
    infos = schedule.sessions(
        ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan
    )
    link = escape(worksheet_link(schedule.SCHEDULE, relationship.id))
    return w.HTML(
        "<p>Choose a session. Dates and places are kept in "
        f'<a href="{link}">Our sessions</a>.</p>' + sessions_table(ctx, relationship, infos)
    )


def build_session_notes(ctx: AppContext) -> w.Widget:
    """The notes page of one session (``?session=N``), or the list of sessions."""
    base = ctx.worksheets.get(agenda.NOTES)
    if base is None:
        raise MentorkitError(
            f"The worksheet {agenda.NOTES!r} is missing from the worksheets folder. "
            "Ask your trainer to restore it."
        )
    relationship = choose_relationship(ctx, agenda.NOTES)
    if not isinstance(relationship, Relationship):
        return relationship
    raw = ctx.query.get("session", "")
    if not raw:
        return _session_list(ctx, relationship)
    infos = {
        s.number: s
        for s in schedule.sessions(
            ctx.store, ctx.worksheets, relationship.id, ctx.person.id, ctx.programme_plan
        )
    }
    if not (raw.isascii() and raw.isdigit()) or int(raw) not in infos:
        raise MentorkitError(
            f"There is no session {raw!r} in this programme. Go back to Home and choose a "
            "session from the list."
        )
    info = infos[int(raw)]
    worksheet = agenda.notes_worksheet(ctx.worksheets, info)
    if worksheet is None:
        raise MentorkitError(
            "This programme has no session notes worksheet, so there is nothing to fill in "
            "here. Please tell your trainer (run `mentorkit check`)."
        )
    form = WorksheetForm(worksheet, ctx.store, ctx.person, relationship)
    held_on = form.fields.get("held_on")
    if held_on is not None and held_on.value is None and info.date and not form.read_only:
        held_on.value = info.date.isoformat()
    minutes = form.fields.get("minutes")
    if minutes is not None and minutes.value is None and not form.read_only:
        minutes.value = info.minutes
    leads = agenda.lead_names(relationship, info.lead)
    items = agenda.agenda(
        ctx.store, ctx.worksheets, relationship.id, ctx.person.id, info, info.number == max(infos)
    )
    journal = escape(worksheet_link(JOURNAL, relationship.id))
    header = w.HTML(
        f'<div class="mk-session-head"><h2>Session {info.number}'
        f"{': ' + escape(info.title) if info.title else ''}</h2>"
        f'<p class="mk-help">{escape(date_words(info.date) or "no date yet")}'
        f"{' · ' + escape(info.time) if info.time else ''}"
        f"{' · ' + escape(info.place) if info.place else ''}"
        f"{' · led by ' + escape(leads) if leads else ''}</p>"
        f"<p>{escape(info.purpose)}</p>"
        f'<h3>Agenda</h3><ol class="mk-agenda">{"".join(f"<li>{escape(i)}</li>" for i in items)}</ol></div>'
    )
    parts: list[w.Widget] = [header, form.widget]
    adder = None
    if relationship.role_of(ctx.person.id) is not None:
        adder = ActionAdder(ctx, relationship, info.number)
        parts.append(adder.widget)
        parts.append(
            w.HTML(
                f'<p class="mk-more">After the session, write in <a href="{journal}">your '
                "reflection journal</a>: it is private unless you choose to share an entry.</p>"
            )
        )
    box = w.VBox(parts)
    box.form, box.adder = form, adder
    return box


def schedule_app() -> w.Widget:
    """The "Our sessions" app, ready to display."""
    return page(build_schedule)


def session_notes_app() -> w.Widget:
    """The session notes app, ready to display."""
    return page(build_session_notes)
