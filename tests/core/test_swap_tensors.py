"""torch.utils.swap_tensors beyond the goldens (tests/golden/families/swap_tensors.py): from
a tsh program, objects that are not tensors (a program's own, a namespace, a module) are
refused before anything is exchanged, and a swap leaves the sandbox's view of both tensors
as it was."""
import io

import pytest

from tshell.lang import Interpreter, TshError


def run(source):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(source, "prog.tsh")
    return out.getvalue()


@pytest.mark.parametrize("other", [
    "Box()", "torch.nn", "torch.nn.Linear(1, 1)", "[1.0]", "torch.float32", "Box",
])
def test_only_tensors_are_swapped(other):
    source = ("class Box:\n    pass\n"
              "t = torch.ones(1)\n"
              f"torch.utils.swap_tensors(t, {other})\n")
    with pytest.raises(TshError) as info:
        run(source)
    text = info.value.format()
    # a class has weak references (its subclasses' registry): PyTorch's weakref refusal
    assert ("AttributeError" in text and "_use_count" in text) or "has weakref" in text


def test_swapped_tensors_keep_the_sandbox():
    out = run("""
a = torch.nn.Parameter(torch.ones(2))
b = torch.zeros(3)
torch.utils.swap_tensors(a, b)
print(type(a), type(b), isinstance(b, torch.nn.Parameter))
for name in ("_data", "__dict__", "_accumulator"):
    try:
        getattr(a, name)
    except AttributeError:
        print("refused", name)
""")
    assert out.splitlines() == [
        "<class 'torch.Tensor'> <class 'torch.nn.parameter.Parameter'> True",
        "refused _data", "refused __dict__", "refused _accumulator"]
