"""A programme created with a trainer's kit is served from that kit, with no flag on `serve`:
the kit's reworded question and home page text are what people see."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import requests
from playwright.sync_api import expect

from mentorkit.io.kit import new_kit
from mentorkit.testing import Server, free_port, init_demo, sign_in_with_link

from .conftest import WORKSHEET


def test_a_programme_made_with_a_kit_is_served_from_it(tmp_path, new_context):
    kit = new_kit(tmp_path / "northfield-kit")
    sheet = kit / "worksheets" / f"{WORKSHEET.removesuffix('.ipynb')}.yaml"
    sheet.write_text(
        sheet.read_text().replace(
            "label: What the mentor hopes to gain", "label: What our mentor hopes to give and gain"
        )
    )
    home = kit / "notebooks" / "home.ipynb"
    notebook = json.loads(home.read_text())
    notebook["cells"][0]["source"] = ["# Welcome to the Northfield programme\n"]
    home.write_text(json.dumps(notebook))

    data = tmp_path / "data"
    codes = init_demo(data, kit=kit)
    server = Server(data=data, port=free_port(), extra_args=["--expect", "1"]).start()
    try:
        assert f"Kit: {kit}" in server.log()
        page = new_context().new_page()
        sign_in_with_link(page, server.url, codes["Amara Okafor"])
        expect(
            page.get_by_role("heading", name="Welcome to the Northfield programme")
        ).to_be_visible()
        page.goto(f"{server.url}/voila/render/{WORKSHEET}?relationship=1")
        expect(page.get_by_text("What our mentor hopes to give and gain")).to_be_visible()
        expect(page.get_by_text("What the mentor hopes to gain")).to_have_count(0)
        reworded = page.get_by_role("textbox", name="What our mentor hopes to give and gain")
        expect(reworded).to_be_editable()
    finally:
        server.stop()


def test_mentorkit_lab_opens_jupyterlab_at_the_kits_root(tmp_path):
    kit = new_kit(tmp_path / "kit")
    port = free_port()
    lab = subprocess.Popen(
        [sys.executable, "-m", "mentorkit", "lab", "--kit", str(kit), "--data", str(tmp_path)]
        + ["--", "--no-browser", f"--port={port}", "--IdentityProvider.token=lab-test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert lab.poll() is None, lab.stdout.read().decode(errors="replace")
            try:
                answer = requests.get(
                    f"http://127.0.0.1:{port}/api/contents", params={"token": "lab-test"}, timeout=2
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "JupyterLab did not start"
                time.sleep(0.5)
        names = {item["name"] for item in answer.json()["content"]}
        assert {"worksheets", "notebooks", "README.md"} <= names
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        lab.wait(timeout=30)
    said = lab.stdout.read().decode(errors="replace")
    assert f"Kit: {kit}" in said and f"Data folder: {tmp_path}" in said
