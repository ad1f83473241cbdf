"""A closed page gives its kernel back, so a workshop room does not pile up kernels."""

from __future__ import annotations

import subprocess
import time

import pytest

from .conftest import open_worksheet, sign_in

pytestmark = pytest.mark.e2e


def kernel_count(server_pid: int) -> int:
    """Kernels are child processes of the server."""
    out = subprocess.run(
        ["pgrep", "-P", str(server_pid), "-f", "ipykernel"], capture_output=True, text=True
    ).stdout
    return len(out.split())


def wait_for_kernels(server_pid: int, wanted: int, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        count = kernel_count(server_pid)
        if count == wanted:
            return count
        time.sleep(0.3)
    return kernel_count(server_pid)


def test_closing_a_page_shuts_its_kernel_down(fresh_demo, new_context):
    pid = fresh_demo.server.process.pid
    page = sign_in(new_context(), fresh_demo, "Amara Okafor")
    open_worksheet(page, fresh_demo, 1)
    assert wait_for_kernels(pid, 1) == 1
    page.close(run_before_unload=True)
    assert wait_for_kernels(pid, 0) == 0
