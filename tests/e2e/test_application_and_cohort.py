"""In Chromium: a person fills in their application and finds it kept; the facilitator sees
it only on the matching page; the cohort report page offers its downloads without showing
anything pairs wrote."""

from __future__ import annotations

import base64
import io
import re

import pypdf
from playwright.sync_api import expect

from .conftest import field, reload, sign_in, status, text_box

SECRET = "SECRET-heron-9915 hopes to lead a clinic"


def test_an_application_is_kept_and_reaches_only_the_matching_page(fresh_demo, new_context):
    ben = sign_in(new_context(), fresh_demo, "Ben Hughes")
    ben.get_by_role("link", name="My application").click()
    expect(status(ben)).to_have_text(re.compile(r"^(Nothing saved yet|Saved \d)"))
    field(ben, "role").get_by_label("A mentor").check()
    text_box(ben, "years").fill("1")
    text_box(ben, "goals").fill(SECRET)
    expect(ben.locator(".mk-application-note")).to_contain_text("under two years")
    expect(status(ben)).to_have_text(re.compile(r"^Saved \d"))
    reload(ben)
    expect(text_box(ben, "goals")).to_have_value(SECRET)
    expect(field(ben, "role").get_by_label("A mentor")).to_be_checked()

    amara = sign_in(new_context(), fresh_demo, "Amara Okafor")
    expect(amara.locator("body")).not_to_contain_text(SECRET)
    assert SECRET not in amara.content()

    fran = sign_in(new_context(), fresh_demo, "Fran Fletcher")
    fran.goto(f"{fresh_demo.url}/voila/render/matching.ipynb")
    fran.locator(".mk-match-site").click()
    # Ben applied as a mentor with one year: his row is reported, with the reason.
    expect(fran.locator(".mk-match-bad")).to_contain_text("two years")


def test_the_cohort_page_offers_its_report_without_pair_content(fresh_demo, new_context):
    ben = sign_in(new_context(), fresh_demo, "Ben Hughes")
    ben.goto(f"{fresh_demo.url}/voila/render/getting-to-know-each-other.ipynb?relationship=1")
    expect(status(ben)).to_have_text(re.compile(r"^(Nothing saved yet|Saved \d)"))
    text_box(ben, "mentee_hopes").fill(SECRET)
    expect(status(ben)).to_have_text(re.compile(r"^Saved \d"))

    fran = sign_in(new_context(), fresh_demo, "Fran Fletcher")
    fran.goto(f"{fresh_demo.url}/voila/render/cohort.ipynb")
    fran.get_by_role("button", name=re.compile("Cohort report \\(PDF\\)")).click()
    link = fran.locator("a.mk-download[download$='.pdf']")
    expect(link).to_have_count(1, timeout=60_000)
    data = base64.b64decode(link.get_attribute("href").split("base64,", 1)[1])
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Cohort report" in text
    assert "heron-9915" not in text
    assert SECRET not in fran.content()
