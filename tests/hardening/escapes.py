"""What the escape tests share: a program run that must be refused."""
import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError


def refused(source: str):
    """(the tsh error, what the program printed before it) for a program that must fail."""
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        interp.run_source(source + "\n", "<escape>")
    return info.value, out.getvalue()
