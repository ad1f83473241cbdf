"""A trainer's kit end to end, as the trainer works: a kit made with ``kit new``, a framework
imported from a spreadsheet replacing the mentor framework, a four-session plan; served; a
mentor rates with two items not applicable and the results and the CSV give the means worked
out here by hand; home and agendas follow the four sessions; a file broken while serving
leaves the pages working and tells the facilitator; ``preview`` leaves the live data folder
byte for byte as it was."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentorkit.cli.main import main
from mentorkit.io.kit import new_kit
from mentorkit.testing import Server, free_port, init_demo, sign_in_with_link

from .conftest import Demo, expect_unsaved, sign_in, wait_loaded, wait_saved
from .test_ratings import download

pytestmark = pytest.mark.e2e

SPECS = Path(__file__).resolve().parent.parent / "specs"
SHEET = """Domain,Item,Description
Relate,Listens without judging,Building the relationship.
Relate,Asks open questions,
Relate,Offers a safe place to raise worries,
Challenge,Gives honest feedback,Stretching the mentee.
Challenge,Names what is being avoided,
Challenge,Holds the mentee to their commitments,
"""
# Two items not applicable; the means by hand: Relate (4 + 3) / 2, Challenge (5 + 4) / 2.
RATED = {
    "Listens without judging": "4",
    "Asks open questions": "Not applicable",
    "Offers a safe place to raise worries": "3",
    "Gives honest feedback": "5",
    "Names what is being avoided": "Not applicable",
    "Holds the mentee to their commitments": "4",
}
MEANS = {"Relate": "3.5", "Challenge": "4.5"}
TASK = "ratings--our-mentor-framework--self--baseline"
CLOSURE_TITLE = "Closing our mentoring relationship"


def folder_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_trainers_kit_from_spreadsheet_to_preview(tmp_path, new_context, capsys):
    kit = new_kit(tmp_path / "kit")
    sheet = tmp_path / "Our mentor framework.csv"
    sheet.write_text(SHEET)
    imported = ["kit", "import-framework", str(sheet), "--rated", "mentor", "--kit", str(kit)]
    assert main([*imported, "--replaces", "mentor-competencies", "--anchor", "1=Not yet"]) == 0
    shutil.copy(
        SPECS / "programmes" / "valid" / "four-monthly.yaml", kit / "worksheets" / "programme.yaml"
    )
    assert main(["check", str(kit)]) == 0, capsys.readouterr().err

    data = tmp_path / "data"
    codes = init_demo(data, kit=kit)
    log = tmp_path / "serve.log"
    server = Server(data, free_port(), log_path=log, extra_args=["--expect", "3"]).start()
    demo = Demo(server, codes)
    try:
        amara = sign_in(new_context(), demo, "Amara Okafor")
        # Home follows the four-session plan: closure in session 4.
        closure = amara.get_by_role("row", name=re.compile(CLOSURE_TITLE))
        expect(closure.get_by_role("cell").nth(1)).to_have_text("4")

        # The imported framework replaces the mentor one; its rounds follow the plan.
        amara.goto(f"{demo.url}/voila/render/ratings.ipynb?relationship=1")
        expect(amara.get_by_text("Our mentor framework").first).to_be_visible()
        expect(amara.get_by_text("Mentor competencies")).to_have_count(0)
        expect(amara.get_by_text("Follow-up (session 4)").first).to_be_visible()
        amara.goto(f"{demo.url}/voila/render/ratings.ipynb?relationship=1&task={TASK}")
        wait_loaded(amara)
        for question, label in RATED.items():  # each item's buttons, named by its words
            question_group = amara.get_by_role("radiogroup", name=question, exact=True)
            question_group.get_by_role("radio", name=label, exact=True).click()
        expect_unsaved(amara)
        wait_saved(amara)

        amara.goto(f"{demo.url}/voila/render/results.ipynb?relationship=1")
        table = amara.locator("table.mk-domain-scores")
        for domain, mean in MEANS.items():
            row = table.get_by_role("row", name=re.compile(f"^{domain}"))
            expect(row).to_contain_text(f"{mean} from 2 items (1 not applicable)")
        rows = list(csv.DictReader(io.StringIO(download(amara, "All ratings").decode("utf-8-sig"))))
        assert {r["domain"]: r["domain_score"] for r in rows} == MEANS
        assert {r["domain_items_not_applicable"] for r in rows} == {"1"}

        # Agendas: "before the next session" on every session but the last.
        notes = f"{demo.url}/voila/render/session-notes.ipynb?relationship=1&session="
        amara.goto(notes + "3")
        expect(amara.get_by_text("Agree what happens before the next session")).to_be_visible()
        amara.goto(notes + "4")
        expect(amara.get_by_text("carry on after the programme")).to_be_visible()
        expect(amara.get_by_text("before the next session")).to_have_count(0)

        # A file broken while serving: pages go on, only the facilitator is told.
        closure_file = kit / "worksheets" / "closure.yaml"
        good = closure_file.read_text()
        closure_file.write_text(good.replace("type: paragraph", "type: textarea", 1))
        amara.goto(f"{demo.url}/voila/render/home.ipynb")
        expect(amara.get_by_text("Hello, Amara Okafor")).to_be_visible()
        expect(amara.get_by_role("row", name=re.compile(CLOSURE_TITLE))).to_be_visible()
        expect(amara.get_by_text("The kit needs fixing")).to_have_count(0)
        fran = sign_in(new_context(), demo, "Fran Fletcher")
        told = fran.get_by_role("alert").filter(has_text="The kit needs fixing")
        expect(told).to_contain_text("worksheets/closure.yaml, line")
        expect(told).to_contain_text("Did you mean 'paragraph'")
        assert str(tmp_path) not in fran.content()
        assert f"{closure_file}:" in server.log()  # the server log has the full path
        closure_file.write_text(good)
        fran.reload()
        expect(fran.get_by_text("Hello, Fran Fletcher")).to_be_visible()
        expect(fran.get_by_text("The kit needs fixing")).to_have_count(0)
    finally:
        server.stop()

    # Preview: every page of the kit on a throwaway programme; the live one untouched.
    before = folder_digest(data)
    shown = tmp_path / "preview.log"
    preview = Server(
        data, free_port(), log_path=shown, command="preview", extra_args=["--data", str(data)]
    ).start()
    try:
        said = preview.log()
        assert f"Kit: {kit}" in said
        code = re.search(r"Fran Fletcher\s+facilitator\s+(\S+)", said)[1]
        throwaway = Path(re.search(r"throwaway demo programme in (\S+), deleted", said)[1])
        assert throwaway.is_dir() and data not in throwaway.parents
        page = new_context().new_page()
        sign_in_with_link(page, preview.url, code)
        expect(page.get_by_text("Hello, Fran Fletcher")).to_be_visible()
    finally:
        preview.stop()
    assert folder_digest(data) == before
    assert not throwaway.exists()
