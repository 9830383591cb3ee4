"""is_incomplete: the REPL reads another line exactly when more lines could finish the input."""
import pytest

from tshell.lang import is_incomplete


@pytest.mark.parametrize("src", [
    "if x:", "def f(n):\n    if n > 0:", "def f(n):\n    if n > 0:\n",
    "for i in x:\n    while y:\n", "print(1,", "x = [1,\n 2,",
])
def test_needs_more_lines(src):
    assert is_incomplete(src)


@pytest.mark.parametrize("src", [
    "x = 1", "def f():\n    if x:\ny = 1\n", "print(1))", "if x: y = 1\n",
])
def test_complete_or_wrong(src):
    assert not is_incomplete(src)
