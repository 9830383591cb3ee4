"""The sandbox (docs/security.md) against what torch.compile and automatic mixed precision
hand a program: an OptimizedModule (whose one readable underscore name, `_orig_mod`, is the
program's own module), a compiled function, torch.compiler's decorators, autocast regions and
their decorated functions, GradScaler and its state, and the torch.amp / torch.cpu.amp /
torch.cuda.amp namespaces. None of them leads to a frame, a global, a code object or a
module."""

import io

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

SETUP = """\
import torch
m = torch.nn.Linear(2, 2)
c = torch.compile(m)
def f(x):
    return x
cf = torch.compile(f)
dis = torch.compiler.disable(f)
ac = torch.autocast("cpu")
af = torch.autocast("cpu")(f)
s = torch.amp.GradScaler("cpu")
opt = torch.optim.SGD(m.parameters(), lr=0.1)
"""


def run(src: str) -> str:
    out = io.StringIO()
    Interpreter(stdout=out).run_source(SETUP + src + "\n", "<amp>")
    return out.getvalue()


ESCAPES = [
    "c.__dict__", "c._graph_outputs", "c._opt_mod_attributes",
    "c._super_module_initialized", "c.forward.__func__", "c.forward.__globals__",
    "c._orig_mod.__dict__", "getattr(c, '_graph_outputs')", "'{0._orig_mod}'.format(c)",
    "type(c).__mro__", "type(c).__subclasses__()",
    "cf.__wrapped__", "cf.__closure__", "cf.__globals__", "cf.__code__",
    "dis.__closure__", "af.__wrapped__", "af.__closure__",
    "torch.compile.__globals__", "torch.compiler.__dict__",
    "ac._amp_enabled", "ac.__enter__", "ac.__dict__", "type(ac).__init__",
    "s._amp_scale", "s._amp_states", "s._amp_tracker", "s._scale", "s.__dict__",
    "s._amp_unscale_grads(opt, torch.ones(()), False)", "getattr(s, '_amp_scale')",
    "torch.amp.__dict__", "torch.amp.grad_scaler.__dict__", "torch.amp.autocast_mode.__dict__",
    "torch.cpu.amp.__dict__", "torch.cpu.amp.autocast.__mro__", "torch.cuda.amp.custom_fwd.__closure__",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError",
                                    "SyntaxError"), \
        info.value.format()


def test_orig_mod_is_the_programs_module_and_read_only():
    assert run("print(c._orig_mod is m)\nprint(type(c._orig_mod).__name__)") == \
        "True\nLinear\n"
    with pytest.raises(TshRuntimeError):
        run("c._orig_mod = torch.nn.Linear(2, 2)")
    with pytest.raises(TshRuntimeError):
        run("del c._orig_mod")


def test_attributes_written_on_the_wrapper_reach_the_module_only_as_public_names():
    assert run("c.note = 3\nprint(m.note)") == "3\n"
    with pytest.raises(TshRuntimeError):
        run("c._forward_hooks = {}")


def test_what_the_public_surface_gives_is_data():
    out = run("print(s.state_dict())\nprint(torch.compiler.list_backends())\n"
              "print(torch.is_autocast_enabled('cpu'), ac.fast_dtype, ac.device)")
    assert out == ("{'scale': 65536.0, 'growth_factor': 2.0, 'backoff_factor': 0.5, "
                   "'growth_interval': 2000, '_growth_tracker': 0}\n"
                   "['cudagraphs', 'inductor', 'openxla', 'tvm']\n"
                   "False torch.bfloat16 cpu\n")
