"""The ``export`` command: a relationship's documents, as the person whose code is given sees
them (the agreement, goals and actions, the CPD portfolio, or the sessions as a calendar)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from mentorkit.cli.setup import DATA_HELP
from mentorkit.core import paths


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``export`` command."""
    export = sub.add_parser(
        "export", help="export a relationship's agreement, goals and actions, portfolio or calendar"
    )
    export.add_argument(
        "what", choices=["agreement", "goals", "portfolio", "calendar"], help="what to export"
    )
    export.add_argument("--relationship", type=int, required=True, help="the relationship's number")
    export.add_argument(
        "--code",
        default=os.environ.get("MENTORKIT_CODE"),
        help="your access code (or set MENTORKIT_CODE); you see what you may see",
    )
    export.add_argument(
        "--format",
        choices=["pdf", "html", "md", "csv"],
        default="pdf",
        help="csv: goals only; the calendar is always .ics",
    )
    export.add_argument(
        "--version", type=int, help="an earlier confirmed version (default: current)"
    )
    export.add_argument(
        "--out",
        help="file to write (default: mentoring-agreement-vN.FORMAT, goals-and-actions.FORMAT)",
    )
    export.add_argument("--data", help=DATA_HELP)


def export_command(args: argparse.Namespace) -> int:
    """Write the agreement, goals, portfolio or calendar of a relationship the code may see."""
    from mentorkit.core import access
    from mentorkit.core.store import Store
    from mentorkit.exceptions import ConfigError, NotAllowed
    from mentorkit.io.documents.render import render
    from mentorkit.programme import agreement
    from mentorkit.programme.kit_specs import load_specs

    if not args.code:
        raise ConfigError("Say whose view to export with --code YOUR-CODE (or set MENTORKIT_CODE).")
    path = paths.database_path(args.data)
    if not paths.store_url() and not path.exists():
        raise ConfigError(f"There is no programme in {path.parent}. Check --data.")
    store = Store(paths.store_location(args.data))
    person = access.sign_in(store, args.code, client="command-line")
    relationship = store.relationship(args.relationship)
    if not relationship.visible_to(person):
        raise NotAllowed("That relationship is not yours to export.")
    specs = load_specs(paths.worksheets_folder())
    worksheets = specs.worksheets
    if args.what == "goals":
        return _export_goals(args, store, specs, person, relationship)
    if args.what in ("portfolio", "calendar"):
        return _export_personal(args, store, specs, person, relationship)
    if args.format == "csv":
        raise ConfigError("The agreement exports as pdf, html or md; csv is for the goals.")
    version = None
    if args.version is not None:
        found = [
            v
            for v in store.versions(agreement.AGREEMENT, relationship.id)
            if v.number == args.version
        ]
        if not found:
            raise ConfigError(
                f"Version {args.version} was never confirmed; leave out --version "
                "for the current one."
            )
        version = found[0]
    doc = agreement.build_document(store, worksheets, relationship, person, version)
    out = Path(args.out or f"mentoring-agreement-v{doc.version}.{args.format}")
    out.write_bytes(render(doc, args.format))
    store.audit("export", person.id, f"agreement/{relationship.id}", {"format": args.format})
    print(f"Wrote version {doc.version} of the agreement to {out}")
    return 0


def _export_goals(args, store, specs, person, relationship) -> int:
    import datetime as dt

    from mentorkit.exceptions import ConfigError
    from mentorkit.io.documents import goals as goal_exports
    from mentorkit.programme import schedule
    from mentorkit.programme.goal_plans import PLAN_FIELD
    from mentorkit.programme.goal_plans import WORKSHEET as GOALS

    worksheets = specs.worksheets
    worksheet = worksheets.get(GOALS)
    if worksheet is None:
        raise ConfigError(f"The worksheet {GOALS!r} is missing from the worksheets folder.")
    plan = store.load(worksheet, relationship.id, person.id).values.get(PLAN_FIELD) or {}
    window = schedule.window(store, worksheets, relationship.id, person.id, specs.plan)
    data, _media_type = goal_exports.export(
        plan,
        args.format,
        relationship=relationship,
        programme=store.programme(relationship.programme_id).name,
        window=window,
        today=dt.date.today(),
    )
    out = Path(args.out or f"goals-and-actions.{args.format}")
    out.write_bytes(data)
    store.audit("export", person.id, f"goals/{relationship.id}", {"format": args.format})
    print(f"Wrote the goals and action plan to {out}")
    return 0


def _export_personal(args, store, specs, person, relationship) -> int:
    """The signed-in person's portfolio, or the relationship's sessions as a calendar file."""
    from mentorkit.exceptions import ConfigError, NotAllowed
    from mentorkit.programme import agenda, schedule

    if relationship.role_of(person.id) is None:
        raise NotAllowed(f"Only the people in the relationship can export its {args.what}.")
    worksheets, plan = specs.worksheets, specs.plan
    if args.what == "calendar":
        infos = schedule.sessions(store, worksheets, relationship.id, person.id, plan)
        data = agenda.calendar_file(store, worksheets, relationship, person.id, infos)
        out = Path(args.out or "mentoring-sessions.ics")
    else:
        from mentorkit.io.documents.report_formats import render_report
        from mentorkit.io.portfolio import build_portfolio

        if args.format not in ("pdf", "html", "md"):
            raise ConfigError("The portfolio exports as pdf, html or md.")
        found = specs.frameworks
        report = build_portfolio(store, worksheets, found, relationship, person, plan)
        data = render_report(report, args.format)
        out = Path(args.out or f"cpd-portfolio.{args.format}")
    out.write_bytes(data)
    store.audit("export", person.id, f"{args.what}/{relationship.id}", {"format": args.format})
    print(f"Wrote the {args.what} to {out}")
    return 0


COMMANDS = {"export": export_command}
