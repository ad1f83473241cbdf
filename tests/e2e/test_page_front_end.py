"""mentorkit's page front-end (frontend/, served as mentorkit/server/static/page.js) draws
what a notebook shows: widgets that talk to their kernel both ways (many changes in a row
arrive in order, none held back; binary values arrive), and the plain outputs a trainer's
notebook may print. A
page gives its kernel back when it is closed, and a page that cannot reach its kernel says
so instead of staying blank."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from mentorkit.testing import Server, free_port, init_demo

from .conftest import Demo, kernel_of, shut_down, sign_in

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]

CELLS = [
    "from IPython.display import HTML, display\n"
    "print('Printed words <b>not bold</b>')\n"
    "display(HTML('<p class=\"shown-html\">Some <b>bold</b> words</p>'))",
    "import ipywidgets as w\n"
    "box = w.Text(description='Echo me')\n"
    "echo = w.HTML(value='nothing yet')\n"
    "echo.add_class('echo')\n"
    "box.observe(lambda change: setattr(echo, 'value', f'heard: {change.new}'), 'value')\n"
    "w.VBox([box, echo])",
    "def svg(width):\n"
    '    return f\'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="5"/>\'.encode()\n'
    "picture = w.Image(value=svg(10), format='svg+xml')\n"
    "picture.add_class('picture')\n"
    "grow = w.Button(description='Grow')\n"
    "grow.on_click(lambda _: setattr(picture, 'value', svg(30)))\n"
    "w.VBox([picture, grow])",
]


def _notebook(cells: list[str]) -> dict:
    return {
        "cells": [
            {
                "cell_type": "code",
                "execution_count": None,
                "id": f"cell-{i}",
                "metadata": {},
                "outputs": [],
                "source": source,
            }
            for i, source in enumerate(cells)
        ],
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


@pytest.fixture(scope="module")
def outputs_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("outputs")
    notebooks = folder / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks, ignore=shutil.ignore_patterns(".ipynb_*"))
    (notebooks / "outputs.ipynb").write_text(json.dumps(_notebook(CELLS)), encoding="utf-8")
    codes = init_demo(folder / "data")
    server = Server(data=folder / "data", port=free_port(), notebooks=notebooks).start()
    yield Demo(server, codes)
    server.stop()


def test_widgets_talk_to_their_kernel_and_plain_outputs_are_drawn(outputs_demo, new_context):
    page = sign_in(new_context(), outputs_demo, "Amara Okafor")
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto(f"{outputs_demo.url}/voila/render/outputs.ipynb")

    expect(page.get_by_text("Printed words <b>not bold</b>")).to_be_visible()  # escaped
    expect(page.locator(".shown-html b")).to_have_text("bold")
    box = page.get_by_role("textbox", name="Echo me")
    box.press_sequentially("one after another", delay=5)  # each key a message to the kernel
    expect(page.locator(".echo")).to_have_text("heard: one after another")

    # bytes from the kernel (a widget's binary value): when the page starts, and later
    width = "document.querySelector('.picture').naturalWidth"
    page.wait_for_function(f"{width} === 10")
    page.get_by_role("button", name="Grow").click()
    page.wait_for_function(f"{width} === 30")
    assert problems == []


def test_a_closed_page_gives_its_kernel_back(outputs_demo, new_context):
    page = sign_in(new_context(), outputs_demo, "Ben Hughes")
    page.goto(f"{outputs_demo.url}/voila/render/outputs.ipynb")
    expect(page.get_by_role("textbox", name="Echo me")).to_be_editable()
    kernel = kernel_of(page)
    page.close(run_before_unload=True)
    assert shut_down(outputs_demo.server, [kernel], within=10)


def test_a_page_whose_kernel_cannot_be_reached_says_so(outputs_demo, new_context):
    context = new_context()
    page = sign_in(context, outputs_demo, "Chloe Martin")
    context.route_web_socket(re.compile(r"/api/kernels/[\w-]+/channels"), lambda ws: ws.close())
    page.goto(f"{outputs_demo.url}/voila/render/outputs.ipynb")
    expect(page.get_by_role("alert").filter(has_text="could not reach the server")).to_be_visible()
    expect(page.get_by_text("Printed words")).to_be_visible()  # the page is not left blank


def test_a_page_whose_script_cannot_load_says_so(outputs_demo, new_context):
    context = new_context()
    page = sign_in(context, outputs_demo, "Dev Patel")
    context.route(re.compile(r"/mentorkit/static/page\.js"), lambda route: route.abort())
    page.goto(f"{outputs_demo.url}/voila/render/outputs.ipynb")
    expect(page.get_by_role("alert").filter(has_text="could not draw its form")).to_be_visible()
    expect(page.get_by_text("Printed words")).to_be_visible()  # printed: drawn by the server
    expect(page.locator(".shown-html")).to_have_count(0)  # its output is drawn by the script
    expect(page.get_by_role("status").filter(has_text="Preparing")).to_have_count(0)
