"""Escapes through the tqdm stand-in and through torch.Tensor's methods read from the class:
their objects' dunders and internals, the bar's iterator, file= objects; what they hand out
has no reach (the audit's walk)."""

import collections
import io

import pytest

from tshell.lang import Interpreter, sandbox

from .escapes import refused
from .test_sandbox_audit import FORBIDDEN_TYPES, children

SETUP = """import torch, sys
from tqdm import tqdm, trange
import tqdm as tqdm_module
bar = tqdm(range(3), disable=True)
it = iter(bar)
add = torch.Tensor.add
x = torch.ones(2)
"""

ESCAPES = [
    # tqdm: the host stream, the wrapped iterator, the class's internals
    "bar._fp", "bar._fp.write('x')", "it._it", "it._bar", "it.gi_frame", "it.__next__.__func__",
    "bar.__dict__", "bar.__class__.__mro__", "bar.update.__func__.__globals__",
    "tqdm._interp", "tqdm.__init__", "tqdm.__dict__", "tqdm.mro()", "tqdm.__subclasses__()",
    "tqdm.write.__wrapped__", "tqdm.write.__call__.__globals__", "trange.__wrapped__",
    "tqdm.format_meter", "tqdm_module.std.tqdm._interp", "tqdm_module.sys", "tqdm_module.time",
    "tqdm(range(2), file=print)", "tqdm(range(2), file=io)", "tqdm(range(2), file=[])",
    "class F:\n    def write(self, s):\n        pass\n    def flush(self):\n        pass\n"
    "tqdm(range(2), file=F())",
    "tqdm.write('x', file=type('F', (), {'write': print})())",
    "'{0._fp}'.format(bar)", "getattr(bar, '_fp')", "f'{it._it}'",
    "bar.update = print\nbar.update.__self__", "tqdm.write = print",
    "tqdm(range(2), ncols=10**12)", "tqdm(total=10, ncols=2**40).update(1)",
    # torch.Tensor read from the class: the method, never its function or the class's inside
    "add.__wrapped__", "add.__call__", "add.__globals__", "add.__closure__", "add.__self__",
    "type(add).__call__", "torch.Tensor._make_subclass", "torch.Tensor.__dict__",
    "torch.Tensor.__init__", "torch.Tensor._data", "torch.Tensor.__mro__",
    "torch.Tensor.view.__doc__.__class__.__mro__", "getattr(torch.Tensor, '__dict__')",
    "torch.Tensor.shape.fget", "torch.Tensor.add(print, 1)", "torch.Tensor.add()",
    "torch.Tensor.view = print", "'{0.__wrapped__}'.format(add)",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused_and_print_nothing(src):
    error, printed = refused(SETUP + src)
    assert error.type_name in ("AttributeError", "TypeError", "NameError", "ValueError", "MemoryError"), \
        error.format()
    assert printed == ""


def test_nothing_they_hand_out_has_reach():
    out = io.StringIO()
    interp = Interpreter(stdout=out)
    interp.run_source(SETUP + "values = dict(tqdm=tqdm, trange=trange, module=tqdm_module, "
                      "bar=bar, it=it, write=tqdm.write, add=add, view=torch.Tensor.view, "
                      "flt=torch.Tensor.float)\n", "<audit>")
    seen, queue = {}, collections.deque(
        (name, value, 0) for name, value in interp.namespace["values"].items())
    while queue:
        path, value, depth = queue.popleft()
        if id(value) in seen or depth > 4:
            continue
        seen[id(value)] = value
        assert not isinstance(value, FORBIDDEN_TYPES), f"{path} is a {type(value)}"
        names = sandbox.allowed_attributes(value)
        assert not [n for n in names if n.startswith("_")], path
        for child in children(path, value):
            queue.append((*child, depth + 1))
    assert len(seen) > 20
