"""A closed page gives its kernel back, so a workshop room does not pile up kernels."""

from __future__ import annotations

import pytest

from .conftest import kernel_of, open_worksheet, shut_down, sign_in

pytestmark = pytest.mark.e2e


def test_closing_a_page_shuts_its_kernel_down(fresh_demo, new_context):
    page = sign_in(new_context(), fresh_demo, "Amara Okafor")
    home = kernel_of(page)
    open_worksheet(page, fresh_demo, 1)
    worksheet = kernel_of(page)
    assert shut_down(fresh_demo.server, [home])  # left for the worksheet
    assert worksheet != home and not shut_down(fresh_demo.server, [worksheet], within=1)
    page.close(run_before_unload=True)
    assert shut_down(fresh_demo.server, [worksheet])
