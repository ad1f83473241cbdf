"""The ``mentorkit`` command: thin wrappers that call the library and print plain messages."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from mentorkit.cli import export, kit, match, preview, setup, store
from mentorkit.cli.setup import DATA_HELP
from mentorkit.core import paths
from mentorkit.exceptions import ConfigError, MentorkitError, SpecError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentorkit", description="Run a mentoring programme.")
    sub = parser.add_subparsers(dest="command", required=True)

    check = sub.add_parser(
        "check",
        help="check the kit (worksheets, frameworks, plan, weights, notebooks) and report "
        "every problem",
    )
    check.add_argument(
        "path", nargs="?", help="a kit, a folder in it, or one file (default: the kit in use)"
    )

    init = sub.add_parser("init", help="create a programme in the data folder")
    init.add_argument("--data", help=DATA_HELP)
    init.add_argument("--name", default="Mentoring programme", help="the programme's name")
    init.add_argument("--facilitator", default="Facilitator", help="the facilitator's name")
    init.add_argument(
        "--facilitator-email",
        default="",
        help="the facilitator's email address (behind JupyterHub, how the hub user is known)",
    )
    init.add_argument(
        "--demo", action="store_true", help="create the demo programme with three relationships"
    )
    init.add_argument("--host", default="127.0.0.1", help="host used in the printed sign-in links")
    init.add_argument(
        "--port", type=int, default=8866, help="port used in the printed sign-in links"
    )

    serve = sub.add_parser("serve", help="serve the apps through Voila")
    serve.add_argument("--data", help=DATA_HELP)
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
    serve.add_argument(
        "--expect",
        type=int,
        default=None,
        help="people expected at once (default: everyone in the programme); pages are "
        "prepared ahead for them; 0 prepares none",
    )
    serve.add_argument(
        "--max-pages",
        type=int,
        default=None,
        help="most pages open at once (default: what this machine's free memory holds); "
        "people beyond it wait their turn",
    )
    serve.add_argument(
        "--loads-at-once",
        type=int,
        default=None,
        help="pages let in to load at once (default: two per core); people beyond it see "
        "their place in the queue for a moment. Raise it when everyone's browser runs on "
        "their own device and this machine has cores to spare",
    )
    serve.add_argument("--certfile", help="HTTPS certificate (PEM); use with --keyfile")
    serve.add_argument("--keyfile", help="the certificate's private key (PEM)")
    backup = sub.add_parser(
        "backup", help="save the programme (and the worksheets) to one .zip file"
    )
    backup.add_argument(
        "--out",
        help="file to write (default: mentorkit-backup-PROGRAMME-YYYYmmdd-HHMM.zip here)",
    )
    backup.add_argument("--data", help=DATA_HELP)
    backup.add_argument(
        "--no-kit",
        "--no-worksheets",
        dest="no_kit",
        action="store_true",
        help="leave the kit (worksheets and notebooks) out",
    )

    restore = sub.add_parser("restore", help="put a programme back from a backup .zip file")
    restore.add_argument("file", help="the backup file")
    restore.add_argument("--data", help=DATA_HELP)
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace the programme already in the data folder (it is kept aside)",
    )
    export.add_parsers(sub)
    setup.add_parsers(sub)
    match.add_parsers(sub)
    kit.add_parsers(sub)
    preview.add_parsers(sub)
    store.add_parsers(sub)
    kit.add_kit_option(sub)
    store.add_store_option(sub)
    return parser


def _check(args: argparse.Namespace) -> int:
    from mentorkit.io.kit_check import check_path

    if args.path:
        target = Path(args.path)
    elif paths.worksheets_folder() == paths.kit_folder() / "worksheets":
        target = paths.kit_folder()
    else:
        target = paths.worksheets_folder()
    report = check_path(target)
    for note in report.notes:
        print(f"Note: {note}", file=sys.stderr)
    if report.problems:
        print(str(SpecError(report.problems)), file=sys.stderr)
        return 1
    print(report.summary)
    return 0


def _init(args: argparse.Namespace) -> int:
    from mentorkit.cli.serving import print_invitations
    from mentorkit.core.store import Store
    from mentorkit.io.people_import import email_problems
    from mentorkit.programme.demo import create_demo, create_programme

    folder = paths.data_folder(args.data)
    store = Store(paths.store_location(folder))
    if args.demo:
        programme, invitations = create_demo(store)
    else:
        email = args.facilitator_email.strip().lower()
        problems = email_problems(email, 0, set(), {}) if email else []
        if problems:
            raise ConfigError(f"--facilitator-email: {problems[0]}")
        programme, invitation = create_programme(store, args.name, args.facilitator, email)
        invitations = [invitation]
    kit.record_kit(store, paths.kit_folder())
    print(f"Created {programme.name!r} in {folder if store.engine == 'SQLite' else store.location}")
    print(kit.kit_line(paths.kit_folder()))
    print_invitations(invitations, args.host, args.port)
    return 0


def _serve(args: argparse.Namespace) -> int:
    from mentorkit.cli.serving import print_invitations, room_for
    from mentorkit.core.store import Store
    from mentorkit.exceptions import MissingEntry
    from mentorkit.programme.demo import create_demo
    from mentorkit.programme.kit_specs import load_specs
    from mentorkit.server import serve
    from mentorkit.server.hub import hub_auth, hub_setting

    https = _https(args.certfile, args.keyfile)
    folder = paths.data_folder(args.data)
    store = Store(paths.store_location(folder))
    try:
        store.programme()
    except MissingEntry:
        if not args.demo:
            raise
        _programme, invitations = create_demo(store)
        kit.record_kit(store, paths.kit_folder())
        print(f"Created the demo programme in {folder}")
        print_invitations(invitations, "127.0.0.1" if args.ip == "0.0.0.0" else args.ip, args.port)
    load_specs(paths.worksheets_folder())  # refuse to start on broken worksheets
    os.environ["MENTORKIT_DATA"] = str(folder)
    os.environ["MENTORKIT_WORKSHEETS"] = str(paths.worksheets_folder())
    os.environ["MENTORKIT_NOTEBOOKS"] = str(paths.notebooks_folder())
    hub = hub_setting()
    auth, base_url = (hub_auth(), hub.prefix) if hub else (None, "/")
    ip, port = (hub.ip, hub.port) if hub else (args.ip, args.port)
    shown = "127.0.0.1" if ip == "0.0.0.0" else ip
    scheme = "https" if https else "http"
    print(f"Data folder: {folder}")
    if store.engine != "SQLite":
        print(f"Programme database: {store.engine} at {store.location}")
    print(kit.kit_line(paths.kit_folder()))
    if hub:
        whose = f"{hub.user}'s own server" if hub.user else "a service shared by everyone"
        print(
            f"Started by JupyterHub as {whose}: people sign in through the hub, at its "
            f"address under {base_url}",
            flush=True,
        )
    else:
        print(f"mentorkit is running at {scheme}://{shown}:{port}/  (Ctrl+C to stop)", flush=True)
    if ip == "0.0.0.0" and not hub:
        print(
            "Open to the local network: people in the room use this machine's address "
            f"with port {port}.",
            flush=True,
        )
    if ip not in ("127.0.0.1", "localhost", "::1") and not https and not hub:
        print(
            "Plain HTTP on a network: anyone on the same Wi-Fi can read access codes and "
            "answers as they travel. For a shared network, serve over HTTPS with --certfile "
            "and --keyfile (the README shows how to make a certificate for a room).",
            flush=True,
        )
    expect = 1 if hub and hub.user and args.expect is None else args.expect
    room = room_for(store, expect, args.max_pages, args.loads_at_once)
    serve(
        store,
        paths.notebooks_folder(),
        ip,
        port,
        args.cull_after,
        https,
        room,
        base_url=base_url,
        hub=auth,
        owner=hub.user if hub else "",
    )
    return 0


def _https(certfile: str | None, keyfile: str | None):
    """The TLS context for --certfile/--keyfile (None for plain HTTP); bad files are refused
    with what to do."""
    import ssl

    from mentorkit.server import https_context

    if not certfile and not keyfile:
        return None
    if not (certfile and keyfile):
        raise ConfigError("HTTPS needs both --certfile and --keyfile; one of them is missing.")
    for label, name in (("certificate", certfile), ("key", keyfile)):
        if not Path(name).is_file():
            raise ConfigError(f"The {label} file {name} does not exist. Check the path.")
    try:
        return https_context(Path(certfile), Path(keyfile))
    except (ssl.SSLError, ValueError) as error:
        raise ConfigError(
            f"The certificate {certfile} and key {keyfile} could not be used together "
            f"({error.__class__.__name__}). Check they are PEM files made as a pair."
        ) from None


def _sqlite_only(command: str) -> None:
    """``backup`` and ``restore`` work on the data folder's SQLite file."""
    if paths.store_url():
        raise ConfigError(
            f"mentorkit {command} works on a data folder's SQLite file, and this programme is "
            "kept in PostgreSQL. Back it up with PostgreSQL's own pg_dump, or copy it into a "
            "file with: mentorkit store copy URL programme.sqlite3 (and back with store copy)."
        )


def _backup(args: argparse.Namespace) -> int:
    from mentorkit.io.backup.make import make_backup

    _sqlite_only("backup")
    kit_parts = (
        [None, None] if args.no_kit else [paths.worksheets_folder(), paths.notebooks_folder()]
    )
    info = make_backup(
        paths.database_path(args.data),
        Path(args.out) if args.out else Path.cwd(),
        *(part if part is not None and part.is_dir() else None for part in kit_parts),
    )
    print(info.describe())
    if info.worksheets or info.notebooks:
        print(
            f"With the kit: {len(info.worksheets)} worksheet and framework files and "
            f"{len(info.notebooks)} notebooks."
        )
    print(f"Saved to {info.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from mentorkit.core.migrations import SCHEMA_VERSION
    from mentorkit.io.backup.restore import restore_backup

    _sqlite_only("restore")
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
    if info.kit_restored_to:
        from mentorkit.core.store import recorded_kit

        print(
            f"The backup's kit ({len(info.worksheets)} worksheet and framework files, "
            f"{len(info.notebooks)} notebooks) is in {info.kit_restored_to}."
        )
        in_use = recorded_kit(paths.database_path(folder))
        if in_use == str(info.kit_restored_to):
            print("The programme's own kit is not on this machine, so it now uses that one.")
        elif info.notebooks:
            print(
                f"The programme goes on using {in_use or 'the kit shipped with mentorkit'}; to "
                f"use the restored one instead: mentorkit kit use {info.kit_restored_to}"
            )
        else:
            print(
                "It holds worksheets only (a backup from before kits held notebooks): copy them "
                "into your kit's worksheets/ folder to use them."
            )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    args = _parser().parse_args(argv)
    handler = {
        "check": _check,
        "init": _init,
        "serve": _serve,
        "backup": _backup,
        "restore": _restore,
        **export.COMMANDS,
        **setup.COMMANDS,
        **match.COMMANDS,
        **kit.COMMANDS,
        **preview.COMMANDS,
        **store.COMMANDS,
    }[args.command]
    try:
        store.use_store(args)
        if args.command not in (
            "kit",
            "restore",
            "store",
        ):  # these work when the recorded kit has moved
            kit.use_kit(args)
        return handler(args)
    except MentorkitError as error:
        print(f"mentorkit: {error}", file=sys.stderr)
        return 2
