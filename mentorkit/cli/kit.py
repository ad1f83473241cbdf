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

    lab = sub.add_parser(
        "lab", help="open JupyterLab in the kit folder, with the programme's data folder set"
    )
    lab.add_argument("--data", help=DATA_HELP)
    lab.add_argument(
        "jupyter_args",
        nargs=argparse.REMAINDER,
        help="options for JupyterLab itself, after -- (for example -- --no-browser)",
    )


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
        recorded = recorded_kit(database)
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
    if not database.is_file():
        raise ConfigError(
            f"There is no programme in {database.parent} yet. Create one with "
            f"`mentorkit init --kit {kit}`."
        )
    store = Store(database)
    try:
        record_kit(store, kit)
    finally:
        store.close()
    print(f"The programme in {database.parent} now uses the kit {kit}.")
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
