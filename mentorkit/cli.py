"""The ``mentorkit`` command: thin wrappers that call the library and print plain messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli_match, cli_setup, paths
from .exceptions import MentorkitError, SpecError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentorkit", description="Run a mentoring programme.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser("check", help="check worksheet files and report every problem")
    check.add_argument("path", nargs="?", help="a folder or file (default: the worksheets folder)")

    init = sub.add_parser("init", help="create a programme in the data folder")
    init.add_argument(
        "--data", help="data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
    )
    init.add_argument("--name", default="Mentoring programme", help="the programme's name")
    init.add_argument("--facilitator", default="Facilitator", help="the facilitator's name")
    init.add_argument(
        "--demo", action="store_true", help="create the demo programme with three relationships"
    )
    init.add_argument("--host", default="127.0.0.1", help="host used in the printed sign-in links")
    init.add_argument(
        "--port", type=int, default=8866, help="port used in the printed sign-in links"
    )

    serve = sub.add_parser("serve", help="serve the apps through Voila")
    serve.add_argument(
        "--data", help="data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
    )
    serve.add_argument(
        "--ip",
        default="127.0.0.1",
        help="address to listen on; 0.0.0.0 opens it to the room's network",
    )
    serve.add_argument("--port", type=int, default=8866)
    serve.add_argument(
        "--demo",
        action="store_true",
        help="create the demo programme first if the data folder has none",
    )
    serve.add_argument(
        "--cull-after",
        type=int,
        default=3600,
        help="seconds before an idle page's kernel is shut down",
    )
    export = sub.add_parser(
        "export", help="export a document: the mentoring agreement, or the goals and actions"
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
    export.add_argument(
        "--data", help="data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
    )

    backup = sub.add_parser(
        "backup", help="save the programme (and the worksheets) to one .zip file"
    )
    backup.add_argument(
        "--out",
        help="file to write (default: mentorkit-backup-PROGRAMME-YYYYmmdd-HHMM.zip here)",
    )
    backup.add_argument(
        "--data", help="data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
    )
    backup.add_argument(
        "--no-worksheets", action="store_true", help="leave the worksheet files out"
    )

    restore = sub.add_parser("restore", help="put a programme back from a backup .zip file")
    restore.add_argument("file", help="the backup file")
    restore.add_argument(
        "--data", help="data folder (default: $MENTORKIT_DATA or ~/.local/share/mentorkit)"
    )
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace the programme already in the data folder (it is kept aside)",
    )
    cli_setup.add_parsers(sub)
    cli_match.add_parsers(sub)
    return parser


def _export(args: argparse.Namespace) -> int:
    from . import access, agreement
    from .exceptions import ConfigError, NotAllowed
    from .exports.render import render
    from .spec_loader import load_folder
    from .store import Store

    if not args.code:
        raise ConfigError("Say whose view to export with --code YOUR-CODE (or set MENTORKIT_CODE).")
    path = paths.database_path(args.data)
    if not path.exists():
        raise ConfigError(f"There is no programme in {path.parent}. Check --data.")
    store = Store(path)
    person = access.sign_in(store, args.code, client="command-line")
    relationship = store.relationship(args.relationship)
    if relationship.role_of(person.id) is None and not (
        person.is_facilitator and person.programme_id == relationship.programme_id
    ):
        raise NotAllowed("That relationship is not yours to export.")
    worksheets = load_folder(paths.worksheets_folder())
    if args.what == "goals":
        return _export_goals(args, store, worksheets, person, relationship)
    if args.what in ("portfolio", "calendar"):
        return _export_personal(args, store, worksheets, person, relationship)
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


def _export_goals(args, store, worksheets, person, relationship) -> int:
    import datetime as dt

    from . import schedule
    from .exceptions import ConfigError
    from .exports import goals as goal_exports
    from .plans import PLAN_FIELD
    from .plans import WORKSHEET as GOALS

    worksheet = worksheets.get(GOALS)
    if worksheet is None:
        raise ConfigError(f"The worksheet {GOALS!r} is missing from the worksheets folder.")
    plan = store.load(worksheet, relationship.id, person.id).values.get(PLAN_FIELD) or {}
    from .programme import plan_beside

    plan_of_sessions = plan_beside(paths.worksheets_folder(), set(worksheets))
    window = schedule.window(store, worksheets, relationship.id, person.id, plan_of_sessions)
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


def _export_personal(args, store, worksheets, person, relationship) -> int:
    """The signed-in person's portfolio, or the relationship's sessions as a calendar file."""
    from . import agenda, schedule
    from .exceptions import ConfigError, NotAllowed
    from .programme import plan_beside

    if relationship.role_of(person.id) is None:
        raise NotAllowed(f"Only the people in the relationship can export its {args.what}.")
    plan = plan_beside(paths.worksheets_folder(), set(worksheets))
    if args.what == "calendar":
        infos = schedule.sessions(store, worksheets, relationship.id, person.id, plan)
        data = agenda.calendar_file(store, worksheets, relationship, person.id, infos)
        out = Path(args.out or "mentoring-sessions.ics")
    else:
        from .exports.report import render_report
        from .frameworks import load_frameworks
        from .portfolio import build_portfolio

        if args.format not in ("pdf", "html", "md"):
            raise ConfigError("The portfolio exports as pdf, html or md.")
        frameworks_folder = paths.worksheets_folder() / "frameworks"
        found = load_frameworks(frameworks_folder) if frameworks_folder.is_dir() else {}
        report = build_portfolio(store, worksheets, found, relationship, person, plan)
        data = render_report(report, args.format)
        out = Path(args.out or f"cpd-portfolio.{args.format}")
    out.write_bytes(data)
    store.audit("export", person.id, f"{args.what}/{relationship.id}", {"format": args.format})
    print(f"Wrote the {args.what} to {out}")
    return 0


def _print_invitations(invitations, host: str, port: int) -> None:
    print("Access codes (shown once; keep them safe and hand each person their own):")
    for invitation in invitations:
        link = f"http://{host}:{port}/signin?code={invitation.code}"
        print(f"  {invitation.person.name:<16} {invitation.role:<12} {invitation.code}   {link}")


def _check(args: argparse.Namespace) -> int:
    from .frameworks import load_frameworks
    from .programme import load_plan, plan_path
    from .spec_loader import load_folder

    target = Path(args.path) if args.path else paths.worksheets_folder()
    plan_file = plan_path(target)
    problems, counts, worksheet_ids = [], [], None
    for kind, load, where in (
        ("worksheet", load_folder, target),
        ("framework", load_frameworks, target / "frameworks"),
        ("application form", load_folder, target / "applications"),
    ):
        if kind != "worksheet" and not where.is_dir():
            continue
        try:
            loaded = load(where)
        except SpecError as error:
            problems.extend(error.problems)
            continue
        if kind == "worksheet":
            worksheet_ids = set(loaded)
        counts.append(f"{len(loaded)} {kind} file(s)")
    if plan_file.is_file():
        try:
            plan = load_plan(plan_file, worksheet_ids)
            counts.append(f"the programme plan ({len(plan.sessions)} sessions)")
        except SpecError as error:
            problems.extend(error.problems)
    if problems:
        print(str(SpecError(problems)), file=sys.stderr)
        return 1
    print(f"All {' and '.join(counts)} in {target} are fine.")
    return 0


def _init(args: argparse.Namespace) -> int:
    from .demo import create_demo, create_programme
    from .store import Store

    folder = paths.data_folder(args.data)
    store = Store(paths.database_path(folder))
    if args.demo:
        programme, invitations = create_demo(store)
    else:
        programme, invitation = create_programme(store, args.name, args.facilitator)
        invitations = [invitation]
    print(f"Created {programme.name!r} in {folder}")
    _print_invitations(invitations, args.host, args.port)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from .demo import create_demo
    from .exceptions import MissingEntry
    from .server import serve
    from .spec_loader import load_folder
    from .store import Store

    folder = paths.data_folder(args.data)
    store = Store(paths.database_path(folder))
    try:
        store.programme()
    except MissingEntry:
        if not args.demo:
            raise
        _programme, invitations = create_demo(store)
        print(f"Created the demo programme in {folder}")
        _print_invitations(invitations, "127.0.0.1" if args.ip == "0.0.0.0" else args.ip, args.port)
    load_folder(paths.worksheets_folder())  # refuse to start on broken worksheets
    os.environ["MENTORKIT_DATA"] = str(folder)
    os.environ["MENTORKIT_WORKSHEETS"] = str(paths.worksheets_folder())
    os.environ["MENTORKIT_NOTEBOOKS"] = str(paths.notebooks_folder())
    shown = "127.0.0.1" if args.ip == "0.0.0.0" else args.ip
    print(f"Data folder: {folder}")
    print(f"mentorkit is running at http://{shown}:{args.port}/  (Ctrl+C to stop)", flush=True)
    if args.ip == "0.0.0.0":
        print(
            "Open to the local network: people in the room use this machine's address "
            f"with port {args.port}.",
            flush=True,
        )
    serve(store, paths.notebooks_folder(), args.ip, args.port, args.cull_after)
    return 0


def _backup(args: argparse.Namespace) -> int:
    from .backup import make_backup

    worksheets = None if args.no_worksheets else paths.worksheets_folder()
    info = make_backup(
        paths.database_path(args.data),
        Path(args.out) if args.out else Path.cwd(),
        worksheets if worksheets is not None and worksheets.is_dir() else None,
    )
    print(info.describe())
    if info.worksheets:
        print(f"With {len(info.worksheets)} worksheet and framework files.")
    print(f"Saved to {info.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from .backup import restore_backup
    from .migrations import SCHEMA_VERSION

    folder = paths.data_folder(args.data)
    info = restore_backup(Path(args.file), folder, force=args.force)
    print(f"Restored into {folder}. {info.describe()}")
    if info.schema_version < SCHEMA_VERSION:
        print(
            "The database was brought up to date "
            f"(schema {info.schema_version} to {SCHEMA_VERSION})."
        )
    if info.kept_aside:
        print(f"The programme that was there before is kept as {info.kept_aside}")
    if info.worksheets_restored_to:
        print(
            f"The backup's {len(info.worksheets)} worksheet and framework files are in "
            f"{info.worksheets_restored_to} (the worksheets in use were not changed). To use "
            f"them, set MENTORKIT_WORKSHEETS={info.worksheets_restored_to} or copy them into "
            "your worksheets folder."
        )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    handler = {
        "check": _check,
        "init": _init,
        "serve": _serve,
        "export": _export,
        "backup": _backup,
        "restore": _restore,
        **cli_setup.COMMANDS,
        **cli_match.COMMANDS,
    }[args.command]
    try:
        return handler(args)
    except MentorkitError as error:
        print(f"mentorkit: {error}", file=sys.stderr)
        return 2
