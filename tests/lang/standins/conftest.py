"""Fixtures of the stand-in tests."""

import pytest


@pytest.fixture
def small_cap():
    """A memory cap of 64 MB (16 MB per Python value) for the duration of the test."""
    from tshell.core import limits
    old = limits.CAP.bytes
    limits.set_max_memory("64MB")
    try:
        yield
    finally:
        limits.CAP.bytes = old
