"""``mentorkit preview``: the kit served on a throwaway demo programme, for a trainer to see
every page as a mentor, a mentee and the facilitator without touching the live programme.

The demo programme lives in a new temporary folder, deleted when the preview stops; the live
data folder is never opened for writing (its recorded kit is only read, to preview that kit
when no other is given).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from mentorkit.core import paths

PORT = 8867
"""Beside ``serve``'s 8866, so a preview can run while the programme is being served."""


def add_parsers(sub: argparse._SubParsersAction) -> None:
    preview = sub.add_parser(
        "preview",
        help="serve the kit on a throwaway demo programme (deleted at exit) to see every "
        "page as a mentor, a mentee and the facilitator",
    )
    preview.add_argument("--port", type=int, default=PORT, help=f"port (default {PORT})")
    preview.add_argument(
        "--data",
        help="the live programme's data folder, only to find its kit (never written to)",
    )


def preview_command(args: argparse.Namespace) -> int:
    from mentorkit.cli.kit import kit_line
    from mentorkit.cli.serving import print_invitations, room_for
    from mentorkit.core.store import Store
    from mentorkit.programme.demo import create_demo
    from mentorkit.programme.kit_specs import load_specs
    from mentorkit.server import serve

    load_specs(paths.worksheets_folder())  # a broken kit is reported before anything starts
    folder = Path(tempfile.mkdtemp(prefix="mentorkit-preview-"))
    store = Store(paths.database_path(folder))
    try:
        _programme, invitations = create_demo(store)
        os.environ["MENTORKIT_DATA"] = str(folder)
        os.environ["MENTORKIT_WORKSHEETS"] = str(paths.worksheets_folder())
        os.environ["MENTORKIT_NOTEBOOKS"] = str(paths.notebooks_folder())
        print(kit_line(paths.kit_folder()))
        print(
            f"Previewed on a throwaway demo programme in {folder}, deleted when you stop the "
            "preview. Nothing here touches your live programme."
        )
        print_invitations(invitations, "127.0.0.1", args.port)
        print(f"mentorkit preview is running at http://127.0.0.1:{args.port}/  (Ctrl+C to stop)")
        room = room_for(store, None, None, None)
        serve(store, paths.notebooks_folder(), "127.0.0.1", args.port, 3600, None, room)
    finally:
        store.close()
        shutil.rmtree(folder, ignore_errors=True)
    print("Preview stopped; its demo programme is deleted.")
    return 0


COMMANDS = {"preview": preview_command}
