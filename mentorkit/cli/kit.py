"""The kit on the command line: ``--kit`` for every command, ``mentorkit kit new|use`` and
``mentorkit lab`` (JupyterLab in the kit, with the programme's data).

Which kit a command uses: ``--kit DIR``, else ``$MENTORKIT_KIT``, else the kit recorded in
the data folder's programme, else the kit shipped with mentorkit. The chosen kit is checked
and put in ``$MENTORKIT_KIT``, where the pages, kernels and notebooks started from the
command find it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from mentorkit.cli.setup import DATA_HELP
from mentorkit.core import paths
from mentorkit.core.text import count_of
from mentorkit.exceptions import ConfigError

KIT_HELP = (
    "kit folder: worksheets, frameworks, plan and notebooks (default: $MENTORKIT_KIT, else "
    "the kit the programme was created with, else the one shipped with mentorkit)"
)


def add_kit_option(sub: argparse._SubParsersAction) -> None:
    """``--kit`` on every command that uses a kit (all but ``kit`` itself)."""
    for name, parser in sub.choices.items():
        if name != "kit":
            parser.add_argument("--kit", help=KIT_HELP)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    kit = sub.add_parser("kit", help="make a kit folder of your own, or choose the programme's")
    kit_sub = kit.add_subparsers(dest="kit_command", required=True)
    new = kit_sub.add_parser(
        "new", help="copy the shipped worksheets, frameworks, plan and notebooks into DIR"
    )
    new.add_argument("folder", metavar="DIR", help="a new (or empty) folder for the kit")
    use = kit_sub.add_parser("use", help="make DIR the kit of the programme in the data folder")
    use.add_argument("folder", metavar="DIR", help="the kit folder")
    use.add_argument("--data", help=DATA_HELP)
    _add_import_parser(kit_sub)

    lab = sub.add_parser(
        "lab", help="open JupyterLab in the kit folder, with the programme's data folder set"
    )
    lab.add_argument("--data", help=DATA_HELP)
    lab.add_argument(
        "jupyter_args",
        nargs=argparse.REMAINDER,
        help="options for JupyterLab itself, after -- (for example -- --no-browser)",
    )


def _add_import_parser(kit_sub: argparse._SubParsersAction) -> None:
    imp = kit_sub.add_parser(
        "import-framework",
        help="make a competency framework from a spreadsheet (columns Domain, Item and, "
        "optionally, Description) in the kit's worksheets/frameworks/",
    )
    imp.add_argument("file", help="the CSV or XLSX file")
    imp.add_argument(
        "--rated",
        required=True,
        choices=("mentor", "mentee", "anyone"),
        help="whose competencies it rates",
    )
    how = imp.add_mutually_exclusive_group()
    how.add_argument(
        "--replaces",
        metavar="ID",
        default="",
        help="the framework it is used instead of (e.g. mentor-competencies)",
    )
    how.add_argument(
        "--alongside",
        action="store_true",
        help="rate it as well as the other frameworks for the same people",
    )
    imp.add_argument("--id", dest="framework_id", help="its id (default: from the file's name)")
    imp.add_argument("--title", help="its title (default: from the file's name)")
    imp.add_argument("--points", type=int, default=5, help="points on the scale (default 5)")
    imp.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="POINT=LABEL",
        help="a label for a point of the scale, e.g. --anchor 1='Not yet'",
    )
    imp.add_argument(
        "--not-applicable",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="whether people may answer N/A (default: yes)",
    )
    imp.add_argument(
        "--source",
        action="append",
        default=[],
        help="the published instrument it comes from (cite it; may repeat)",
    )
    imp.add_argument("--force", action="store_true", help="replace a file with the same id")
    imp.add_argument(
        "--kit", help="your kit folder (default: $MENTORKIT_KIT, else the programme's kit)"
    )
    imp.add_argument("--data", help=DATA_HELP)


def _kit_in_store() -> str | None:
    """The kit recorded in the ``--store`` database (None when there is no programme yet)."""
    from mentorkit.core.store import Store

    store = Store(paths.store_location())
    try:
        return store.kit()
    finally:
        store.close()


def use_kit(args: argparse.Namespace) -> Path:
    """Choose the command's kit (see the module's docstring), check it, and put it in
    ``$MENTORKIT_KIT``; returns its folder."""
    from mentorkit.core.store import recorded_kit
    from mentorkit.io.kit import check_kit

    chosen = getattr(args, "kit", None) or os.environ.get("MENTORKIT_KIT")
    if chosen:
        kit = check_kit(Path(chosen))
    else:
        database = paths.database_path(getattr(args, "data", None))
        recorded = _kit_in_store() if paths.store_url() else recorded_kit(database)
        if recorded is None:
            kit = paths.SHIPPED_KIT
        elif not Path(recorded).is_dir():
            raise ConfigError(
                f"The programme in {database.parent} uses the kit {recorded}, which is not "
                "there any more. Give its new place once with `mentorkit kit use DIR`, or "
                "use another kit for this run with --kit DIR."
            )
        else:
            kit = check_kit(Path(recorded))
    os.environ["MENTORKIT_KIT"] = str(kit)
    return kit


def kit_line(kit: Path) -> str:
    """The start-up line naming the kit in use."""
    if kit == paths.SHIPPED_KIT:
        return "Kit: the worksheets and pages shipped with mentorkit"
    return f"Kit: {kit}"


def record_kit(store, kit: Path) -> None:
    """Record ``kit`` as the programme's kit (nothing recorded for the shipped one)."""
    store.set_kit(None if kit == paths.SHIPPED_KIT else str(kit))


def kit_command(args: argparse.Namespace) -> int:
    from mentorkit.core.store import Store
    from mentorkit.io.kit import check_kit, new_kit

    if args.kit_command == "import-framework":
        return import_command(args)
    if args.kit_command == "new":
        folder = new_kit(Path(args.folder))
        print(
            f"Made a kit in {folder}: worksheets/, notebooks/ and a README for trainers.\n"
            f"Check it with `mentorkit check --kit {folder}`, then create a programme that "
            f"uses it with `mentorkit init --kit {folder}`."
        )
        return 0
    kit = check_kit(Path(args.folder))
    database = paths.database_path(args.data)
    if not paths.store_url() and not database.is_file():
        raise ConfigError(
            f"There is no programme in {database.parent} yet. Create one with "
            f"`mentorkit init --kit {kit}`."
        )
    store = Store(paths.store_location(args.data))
    try:
        record_kit(store, kit)
    finally:
        store.close()
    print(f"The programme in {database.parent} now uses the kit {kit}.")
    return 0


def import_command(args: argparse.Namespace) -> int:
    from mentorkit.io import framework_import as fi
    from mentorkit.io.spreadsheet import quoted
    from mentorkit.programme.frameworks import WHO

    kit = use_kit(args)
    if kit == paths.SHIPPED_KIT:
        raise ConfigError(
            "Importing a framework needs a kit of your own (the shipped one is replaced when "
            "mentorkit is updated). Make one with `mentorkit kit new DIR`, then import with "
            "--kit DIR."
        )
    file = Path(args.file).expanduser()
    try:
        data = file.read_bytes()
    except OSError as error:
        raise ConfigError(f"Cannot read {file}: {error.strerror or error}.") from None
    stem_id = fi.slug(file.stem.replace("_", "-"), set(), "framework").replace("_", "-")
    framework_id = args.framework_id or stem_id
    framework = fi.read_framework(
        data,
        file.name,
        framework_id=framework_id,
        title=args.title or file.stem.replace("-", " ").replace("_", " ").strip().capitalize(),
        rated=args.rated,
        scale=fi.ScaleOptions(args.points, fi.parse_anchors(args.anchor), args.not_applicable),
        replaces=args.replaces,
        alongside=args.alongside,
        sources=tuple(args.source),
    )
    target = fi.import_framework(
        kit / "worksheets" / "frameworks", framework, file.name, force=args.force
    )
    items = sum(len(d.items) for d in framework.domains)
    instead = f"; it is rated instead of {quoted(args.replaces)}" if args.replaces else ""
    print(
        f"Imported {quoted(framework.title)}: {count_of(len(framework.domains), 'domain')}, "
        f"{count_of(items, 'item')}, "
        f"rated by {WHO[args.rated]} on a {args.points}-point scale, into {target}{instead}.\n"
        f"Read it through, then run `mentorkit check --kit {kit}`."
    )
    return 0


def lab_command(args: argparse.Namespace) -> int:
    kit = paths.kit_folder()
    data = paths.data_folder(args.data)
    extra = [a for a in args.jupyter_args if a != "--"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a laptop's root, or a container's
        extra.insert(0, "--allow-root")
    print(f"{kit_line(kit)}\nData folder: {data}", flush=True)
    return subprocess.call(
        [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={kit}", *extra],
        env=lab_environment(kit, data),
    )


def lab_environment(kit: Path, data: Path) -> dict[str, str]:
    """JupyterLab's environment: the kit and the data folder set for its notebooks."""
    return {**os.environ, "MENTORKIT_KIT": str(kit), "MENTORKIT_DATA": str(data)}


COMMANDS = {"kit": kit_command, "lab": lab_command}
