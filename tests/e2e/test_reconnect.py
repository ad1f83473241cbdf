"""A page whose server or kernel goes away says so, keeps the text, and saves it when the
server is back; a full disk gets a plain message and nothing typed is lost (issue 14)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentorkit.testing import Server, free_port, init_demo, sign_in_with_link

from .conftest import SAVED, kernel_of, status, text_box, type_and_save, worksheet_for

LOST = "Connection lost — your text is kept; reconnecting…"


def test_a_page_keeps_its_text_through_a_killed_server_and_saves_it_when_back(
    fresh_demo, new_context
):
    server = fresh_demo.server
    page = worksheet_for(new_context(), fresh_demo, "Amara Okafor", 1)
    type_and_save(page, "mentor_background", "Saved before the crash")

    os.kill(server.process.pid, signal.SIGKILL)  # as when the laptop's power goes
    server.process.wait()
    server.process = None
    expect(page.get_by_role("alert")).to_have_text(LOST, timeout=10_000)
    text_box(page, "mentor_hopes").fill("Typed while the server was away")

    server.start()
    expect(page.get_by_role("alert")).to_contain_text("Connected again", timeout=60_000)
    expect(text_box(page, "mentor_hopes")).to_have_value("Typed while the server was away")
    expect(status(page)).to_have_text(SAVED)
    page.reload()
    expect(text_box(page, "mentor_hopes")).to_have_value("Typed while the server was away")
    expect(text_box(page, "mentor_background")).to_have_value("Saved before the crash")


def test_a_page_whose_kernel_dies_comes_back_with_what_was_typed(fresh_demo, new_context):
    page = worksheet_for(new_context(), fresh_demo, "Ben Hughes", 1)
    first = kernel_of(page)
    text_box(page, "mentee_hopes").fill("Typed just before the kernel died")
    subprocess.run(["pkill", "-KILL", "-f", first], check=True)

    expect(page.get_by_role("alert")).to_be_visible(timeout=15_000)
    expect(text_box(page, "mentee_hopes")).to_have_value("Typed just before the kernel died")
    expect(status(page)).to_have_text(SAVED)
    assert kernel_of(page) != first  # a fresh page and kernel took over
    page.reload()
    expect(text_box(page, "mentee_hopes")).to_have_value("Typed just before the kernel died")


def test_text_kept_in_a_tab_is_never_put_back_for_someone_else(fresh_demo, new_context):
    context = new_context()
    page = worksheet_for(context, fresh_demo, "Amara Okafor", 1)
    key = page.evaluate("() => 'mentorkit-kept:' + location.pathname + location.search")
    # Text kept in this tab by another person (another person's tag) is not shown.
    page.evaluate(
        "([key]) => sessionStorage.setItem(key, JSON.stringify({who: 'someone-else', "
        "count: document.querySelectorAll('#rendered_cells textarea, "
        "#rendered_cells input[type=text]').length, kept: {0: 'private words'}}))",
        [key],
    )
    page.reload()
    expect(status(page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))
    page.wait_for_timeout(1500)
    assert "private words" not in page.content()


@pytest.fixture
def small_disk(tmp_path):
    """A real, small filesystem for the data folder (tmpfs, mounted as root)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount)], check=True)
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_up(disk: Path) -> Path:
    """Fill the disk to the last byte; returns the file to delete to make room again."""
    filler = disk / "filler"
    subprocess.run(
        ["dd", "if=/dev/zero", f"of={filler}", "bs=64k"], capture_output=True, check=False
    )
    return filler


def test_a_full_disk_gets_a_plain_message_and_nothing_typed_is_lost(
    small_disk, tmp_path, new_context
):
    codes = init_demo(small_disk / "data")
    server = Server(
        data=small_disk / "data", port=free_port(), log_path=tmp_path / "serve.log"
    ).start()
    try:
        demo_page = new_context().new_page()
        sign_in_with_link(demo_page, server.url, codes["Amara Okafor"])
        demo_page.goto(f"{server.url}/voila/render/getting-to-know-each-other.ipynb?relationship=1")
        expect(status(demo_page)).to_have_text(re.compile(r"^(Saved|Nothing saved)"))
        filler = fill_up(small_disk)

        text_box(demo_page, "mentor_hopes").fill("Written while the disk was full")
        expect(status(demo_page)).to_contain_text("cannot be written just now (the disk is full)")
        expect(text_box(demo_page, "mentor_hopes")).to_have_value("Written while the disk was full")

        ben = new_context().new_page()
        answer = sign_in_with_link(ben, server.url, codes["Ben Hughes"])
        assert answer.status == 503
        expect(ben.get_by_role("alert")).to_contain_text("the disk is full")
        assert "Traceback" not in ben.content() and str(small_disk) not in ben.content()

        filler.unlink()  # room again: the page saves by itself, and sign-in works
        expect(status(demo_page)).to_have_text(SAVED)
        answer = sign_in_with_link(ben, server.url, codes["Ben Hughes"])
        assert answer.status == 200
        demo_page.reload()
        expect(text_box(demo_page, "mentor_hopes")).to_have_value("Written while the disk was full")
        assert "Traceback" not in server.log()
    finally:
        server.stop()
