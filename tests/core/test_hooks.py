"""Tensor hooks: what the goldens (tests/golden/families/hooks.py) cannot show. The handle's
repr (it has an address), hooks written in tsh and run by the core, errors raised inside
them reported as tsh errors, the sandbox view of a handle, and the engine's bookkeeping."""

import gc
import io
import re
import weakref

import pytest

import tshell.core as torch
from tshell.lang import Interpreter, TshRuntimeError, sandbox


def run(src):
    out = io.StringIO()
    Interpreter(stdout=out).run_source(src, "t.tsh")
    return out.getvalue()


def error_of(src):
    out = io.StringIO()
    with pytest.raises(TshRuntimeError) as info:
        Interpreter(stdout=out).run_source(src, "t.tsh")
    return out.getvalue(), info.value


def test_handle_prints_as_pytorchs():
    h = torch.ones(2, requires_grad=True).register_hook(lambda g: g)
    assert re.fullmatch(r"<torch\.utils\.hooks\.RemovableHandle object at 0x[0-9a-f]+>",
                        repr(h))
    assert repr(type(h)) == "<class 'torch.utils.hooks.RemovableHandle'>"
    h = torch.ones(2, requires_grad=True).register_post_accumulate_grad_hook(lambda t: None)
    assert type(h).__name__ == "RemovableHandle"


def test_tsh_function_hooks():
    out = run("x = torch.tensor([1., 2.], requires_grad=True)\n"
              "def double(g):\n    print('hook', g)\n    return g * 2\n"
              "h = x.register_hook(double)\nprint(h)\n"
              "y = x * 3\n"
              "def show(g):\n    print('y sees', g)\n"
              "y.register_hook(show)\n"
              "y.sum().backward()\nprint(x.grad)\n"
              "h.remove()\nh.remove()\nx.grad = None\n(x * 3).sum().backward()\nprint(x.grad)\n"
              "def post(t):\n    print('post', t.grad)\n"
              "x.register_post_accumulate_grad_hook(post)\n(x * 1).sum().backward()\n")
    lines = out.splitlines()
    assert re.fullmatch(r"<torch\.utils\.hooks\.RemovableHandle object at 0x[0-9a-f]+>",
                        lines[0])
    assert lines[1:] == ["y sees tensor([1., 1.])", "hook tensor([3., 3.])",
                         "tensor([6., 6.])", "tensor([3., 3.])", "post tensor([4., 4.])"]


def test_tsh_hook_under_autograd_grad_and_create_graph():
    out = run("x = torch.tensor([1., 2.], requires_grad=True)\n"
              "def h(g):\n    return g * x\n"
              "y = x ** 2\ny.register_hook(h)\n"
              "gx, = torch.autograd.grad(y.sum(), x, create_graph=True)\nprint(gx)\n"
              "gx.sum().backward()\nprint(x.grad)\n")
    assert out == "tensor([2., 8.], grad_fn=<MulBackward0>)\ntensor([4., 8.])\n"


def test_error_inside_a_tsh_hook_is_a_tsh_error_with_the_call_chain():
    out, e = error_of("x = torch.ones(2, requires_grad=True)\n"
                      "def bad(g):\n    print('in hook')\n    return g / undefined_name\n"
                      "x.register_hook(bad)\n"
                      "(x * 2).sum().backward()\n")
    assert out == "in hook\n"
    assert (e.type_name, e.line, e.col) == ("NameError", 4, 16)
    assert e.message == "name 'undefined_name' is not defined"
    assert re.search(r"\n  in bad\(\) called from t\.tsh:6:\d+$", e.format())
    assert "Traceback" not in e.format()


def test_wrong_result_of_a_tsh_hook_points_at_the_backward_call():
    _, e = error_of("x = torch.ones(2, requires_grad=True)\n"
                    "def h(g):\n    return ones(3)\n"
                    "x.register_hook(h)\n"
                    "(x * 2).sum().backward()\n")
    # PyTorch names the hook by its __name__, as a tsh function has one too
    assert e.type_name == "RuntimeError" and e.line == 5
    assert e.message == "hook 'h' has changed the size of value"
    _, e = error_of("x = torch.ones(2, requires_grad=True)\n"
                    "def h(g):\n    return 5\n"
                    "x.register_hook(h)\n(x * 2).sum().backward()\n")
    assert (e.type_name, e.message) == ("TypeError", "expected Variable, but hook returned 'int'")


def test_registering_without_grad_is_pytorchs_error_in_tsh():
    _, e = error_of("x = ones(2)\nx.register_hook(print)\n")
    assert (e.type_name, e.message, e.line, e.col) == (
        "RuntimeError", "cannot register a hook on a tensor that doesn't require gradient", 2, 1)


def test_builtin_hooks_and_print_as_a_hook():
    out = run("x = ones(2, requires_grad=True)\nx.register_hook(print)\n"
              "(x * 2).sum().backward()\nprint(x.grad)\n")
    assert out == "tensor([2., 2.])\ntensor([2., 2.])\n"


def test_the_handle_exposes_remove_only():
    h = torch.ones(2, requires_grad=True).register_hook(lambda g: g)
    assert sandbox.allowed_attributes(h) == ["remove"]
    for src in ("h._hooks", "h._id", "h.__class__.__init__", "h.id", "h.hooks_dict_ref",
                "h.remove.__self__"):
        _, e = error_of("h = ones(1, requires_grad=True).register_hook(print)\n" + src + "\n")
        assert e.type_name == "AttributeError", src
    _, e = error_of("h = ones(1, requires_grad=True).register_hook(print)\nh.remove = 1\n")
    assert e.type_name == "AttributeError"


def test_hooks_live_on_the_leaf_and_on_the_node():
    x = torch.ones(2, requires_grad=True)
    seen = []
    x.register_hook(seen.append)
    for _ in range(3):                 # a fresh AccumulateGrad per graph finds the hooks
        (x * 2).sum().backward()
        gc.collect()
    assert len(seen) == 3
    y = x * 2
    h = y.register_hook(seen.append)
    assert y.grad_fn._watch.hooks == {0: {h._id: seen.append}}
    h.remove()
    assert y.grad_fn._watch.hooks == {0: {}}


def test_hooks_do_not_keep_the_graph_or_the_tensor_alive():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g)
    ref = weakref.ref(y.grad_fn)
    del y
    gc.collect()
    assert ref() is None


def test_unrelated_branches_do_not_run_under_autograd_grad():
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    b = (w * 3).exp()
    called = []
    b.register_hook(called.append)
    out = (x * 2).sum() + b.sum()
    (gx,) = torch.autograd.grad(out, x)
    assert called == [] and gx.tolist() == [2.0, 2.0]
    # the branch that did not run still has its saved tensors: backward through it works
    b.sum().backward()
    assert len(called) == 1


def test_iterating_a_tensor_gives_rows():
    x = torch.arange(6.).view(3, 2)
    it = iter(x)
    assert re.fullmatch(r"<tuple_iterator object at 0x[0-9a-f]+>", repr(it))
    assert [r.tolist() for r in it] == [[0., 1.], [2., 3.], [4., 5.]]
    assert list(it) == []
    rows = list(x.requires_grad_())
    assert rows[0].grad_fn.name() == "UnbindBackward0"
    with torch.no_grad():
        assert next(iter(x)).grad_fn is None
