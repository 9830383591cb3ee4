"""Inputs the fuzzer found that crashed tshell (InternalError); each is now a clean error."""

import io

import pytest

from tshell.lang import InternalError, Interpreter, TshRuntimeError

CASES = [
    # a non-tensor where a core function needs a tensor, dtype or device
    ("torch.numel(3)", "TypeError", "numel(): argument must be Tensor, not int"),
    ("torch.numel(None)", "TypeError", "must be Tensor, not NoneType"),
    ("y = torch.ones(2)\ny.data = -3", "TypeError", "Variable data has to be a tensor, but got int"),
    ("torch.log_softmax(np.arange(4), 0)", "TypeError", "must be Tensor, not ndarray"),
    ("torch.sum(np.arange(4.))", "TypeError", "must be Tensor, not ndarray"),
    ("torch.reshape(torch.float64, 2, 1)", "TypeError", "must be Tensor, not dtype"),
    ("torch.randint_like(torch.bool)", "TypeError", "must be Tensor, not dtype"),
    ("torch.detach(torch.uint8)", "TypeError", "must be Tensor, not dtype"),
    ("torch.promote_types({}, 1)", "TypeError", "must be torch.dtype, not dict"),
    # statements
    ("x = torch.ones(3)\ndel x[0]", "TypeError", "'Tensor' object doesn't support item deletion"),
    ("print(1, sep=1)", "TypeError", "sep must be None or a string, not int"),
    ("print(1, end=[])", "TypeError", "end must be None or a string, not list"),
    # a tensor in a NumPy array: compared as torch compares them
    ("import numpy as np\ntorch.tensor([]) in np.ones(3)", "RuntimeError",
     "The size of tensor a (0) must match the size of tensor b (3) at non-singleton dimension 0"),
]


def test_tensor_in_ndarray_is_torchs_comparison():
    out = io.StringIO()
    Interpreter(stdout=out).run_source("import numpy as np\n"
                                       "print(torch.tensor([1.]) in np.ones(3), "
                                       "torch.tensor(2) in np.ones(2))", "<t>")
    assert out.getvalue() == "True False\n"


@pytest.mark.parametrize("src,kind,message", CASES)
def test_found_crashes_are_clean_errors(src, kind, message):
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=io.StringIO()).run_source(src, "<t>")
    assert not isinstance(info.value, InternalError)
    assert info.value.type_name == kind, info.value.format()
    assert message in info.value.message, info.value.format()


def test_a_bug_inside_tshell_is_still_an_internal_error():
    interp = Interpreter(stdout=io.StringIO())

    def broken(x):
        return (x, None.shape)         # tshell's own mistake, not the argument's

    interp.builtins["broken"] = broken
    with pytest.raises(InternalError):
        interp.run_source("broken(1)", "<t>")


def test_mutual_recursion_gives_a_short_message():
    src = "def a(n):\n    return b(n)\ndef b(n):\n    return a(n)\na(0)\n"
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=io.StringIO()).run_source(src, "rec.tsh")
    text = info.value.format()
    assert "more calls" in text and len(text.splitlines()) <= 25, text


def test_string_repetition_at_the_default_cap_is_refused_not_killed():
    """10 GB of 'a' fits under a 24 GiB cap, but echoing it needs as much again: refuse it."""
    import pytest
    from tshell.core import limits
    from tshell.lang import Interpreter, TshError
    old = limits.CAP.bytes
    limits.CAP.bytes = 24 << 30
    try:
        with pytest.raises(TshError) as e:
            Interpreter().run_source("'a' * 10**10", "<test>", echo=True)
        assert "MemoryError" in e.value.format()
    finally:
        limits.CAP.bytes = old
