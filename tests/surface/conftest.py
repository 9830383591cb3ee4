"""The surface tests' counts, shown at the end of every pytest run that includes them."""
from __future__ import annotations

import pytest

_REPORT: list = []


@pytest.fixture
def surface_report() -> list:
    """Lines a test adds here are printed in pytest's closing summary (no -s needed)."""
    return _REPORT


def pytest_terminal_summary(terminalreporter):
    if _REPORT:
        terminalreporter.section("torch surface (issue 17)")
        for line in _REPORT:
            terminalreporter.write_line(line)
