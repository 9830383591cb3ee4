"""The sandbox (docs/security.md) against the torch surface added with torch.func, the
distributions, storages, hooks and the other callbacks: what red-teaming it found, each a
regression test, and the attacks that held, kept so that they keep holding."""

import pytest

from tshell.lang import TshRuntimeError, TshSyntaxError

from tests.hardening.test_sandbox_breach import run  # the REPL's echo, a cap if given

PLAIN = "class A:\n    call_super_init = False\n    pass\na = A()\n"

# A library class's protocol methods, reached through the class (`nn.Module.__init__(self)`)
# and called on something that is not an instance of it: a Python function takes any first
# argument, so Module.__init__ wrote a module's private state into a plain object (whose
# private names the program reads), and library code ran on objects it was not written for.
FOREIGN_SELF = [
    "torch.nn.Module.__init__(np)", "torch.nn.Module.__init__(torch)",
    "import math\ntorch.nn.Module.__init__(math)", "torch.nn.Module.__init__(torch.ones(2))",
    PLAIN + "torch.nn.Module.__init__(a)",
    PLAIN + "torch.optim.Optimizer.__init__(a, [torch.ones(1, requires_grad=True)], {})",
    PLAIN + "torch.distributions.Distribution.__init__(a)",
    "torch.nn.Module.__call__(print, 1)", "torch.nn.Module.__repr__(print)",
    "torch.nn.Module.__init__()",
    "torch.distributions.transforms.Transform.__call__(torch.ones(2), torch.ones(1))",
    "torch.distributions.Normal.__init__(torch.distributions.Uniform(0., 1.), 0., 1.)",
    "torch.utils.data.Dataset.__add__(print, print)",
]


@pytest.mark.parametrize("src", FOREIGN_SELF)
def test_library_methods_through_the_class_take_only_its_instances(src):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert info.value.type_name == "TypeError", info.value.format()
    assert "requires a '" in info.value.message, info.value.format()


def test_library_methods_through_the_class_still_work_on_instances():
    out = run("class Net(torch.nn.Module):\n    def __init__(self):\n"
              "        torch.nn.Module.__init__(self)\n        self.l = torch.nn.Linear(2, 2)\n"
              "d = torch.distributions.Normal(0., 1.)\n"
              "torch.distributions.Normal.__init__(d, 1., 2.)\n"
              "print(type(Net().l).__name__, torch.distributions.Normal.__repr__(d))\n"
              "print(torch.nn.Module.__init__)\n").stdout.getvalue()
    assert out.startswith("Linear Normal(loc: 1.0, scale: 2.0)\n<function Module.__init__ at ")


# functional_call put any value at any dotted name: a raw getattr walked the path (`__class__`
# included) and a value replaced the module's machinery (`_parameters`, `forward`) for the call.
FUNCTIONAL_CALL = [
    ("{'weight': print}", "TypeError: <built-in function print> is not an instance of "
                          "torch.Tensor"),
    ("{'weight': 3}", "TypeError: 3 is not an instance of torch.Tensor"),
    ("{'forward': torch.ones(1)}", "TypeError: attribute `forward`: <bound method "),
    ("{'_parameters': torch.ones(1)}", "TypeError: attribute `_parameters`: {'weight'"),
    ("{'training': torch.ones(1)}", "TypeError: attribute `training`: True is not an instance"),
    ("{'__class__': torch.ones(1)}", "TypeError: attribute `__class__`: <class "),
    ("{'__class__.x': torch.ones(1)}", "AttributeError: `__class__` is not an nn.Module"),
    ("{'foo.bar': torch.ones(1)}", "AttributeError: Linear has no attribute `foo`"),
    ("{'weight.x': torch.ones(1)}", "AttributeError: `weight` is not an nn.Module"),
]


@pytest.mark.parametrize("values,message", FUNCTIONAL_CALL)
def test_functional_call_puts_tensors_at_tensor_places_only(values, message):
    with pytest.raises(TshRuntimeError) as info:
        run(f"m = torch.nn.Linear(2, 2)\ntorch.func.functional_call(m, {values}, torch.ones(2))")
    e = info.value
    assert f"{e.type_name}: {e.message}".startswith(message), e.format()


def test_functional_call_still_swaps_parameters_and_new_names():
    out = run("m = torch.nn.Linear(2, 2)\n"
              "print(torch.func.functional_call(m, {'weight': torch.ones(2, 2), "
              "'bias': torch.zeros(2), 'extra': torch.ones(1)}, torch.ones(2)))\n"
              "print(m.weight.shape, m.training)\n").stdout.getvalue()
    assert out == "tensor([2., 2.])\ntorch.Size([2, 2]) True\n"


# AttributeErrors a program causes inside a library function are its errors, reported as
# PyTorch reports them, not as tshell bugs ("InternalError ... rerun with --debug").
PROGRAM_ATTRIBUTE_ERRORS = [
    ("torch.nn.Linear(2, 2).get_submodule('foo')", "Linear has no attribute `foo`"),
    ("class T(torch.distributions.transforms.Transform):\n    bijective = True\n"
     "    def _call(self, x):\n        return x * 2\n"
     "torch.distributions.TransformedDistribution(torch.distributions.Normal(0., 1.), [T()])",
     "'T' object has no attribute 'domain'"),
    ("torch.distributions.TransformedDistribution(print, [])",
     "'builtin_function_or_method' object has no attribute 'batch_shape'"),
    ("torch.distributions.Independent([1], 1)", "'list' object has no attribute 'batch_shape'"),
]


@pytest.mark.parametrize("src,message", PROGRAM_ATTRIBUTE_ERRORS)
def test_attribute_errors_a_program_causes_are_its_errors(src, message):
    with pytest.raises(TshRuntimeError) as info:
        run(src)
    assert (info.value.type_name, info.value.message) == ("AttributeError", message)


# Attacks that held: each refused (or harmless) before this file, kept as regressions.
HELD = [
    # callbacks get plain values: apply_/map_/map2_ items are Python numbers
    "x = torch.ones(3)\nx.apply_(lambda a: a.__class__)",
    "x = torch.ones(3)\nx.apply_(lambda a: print)",
    "x = torch.ones(3)\nx.map_(x, lambda a, b: torch.ones(2))",
    # vmap'd and transformed functions are tshell functions with nothing to read
    "torch.func.vmap(lambda x: x).__wrapped__",
    "o, fn = torch.func.vjp(lambda x: x * 2, torch.ones(2))\nfn.__closure__",
    "torch.func.vmap(lambda x: x).__globals__",
    # storages: no raw memory doors
    "torch.UntypedStorage.from_buffer(b'\\x00' * 8, 'little', dtype=torch.float32)",
    "torch.UntypedStorage.from_file('/etc/passwd', False, 100)",
    "torch.ones(3).set_(torch.UntypedStorage(4), 0, (100,), (1,))",
    "torch.frombuffer(b'abcd', dtype=torch.uint8)",
    "torch.ones(3).untyped_storage().resize_(0)",
    "torch.ones(3).untyped_storage().__reduce__",
    "torch.arange(4.).as_strided((3,), (1,), 10**6)",
    "torch.arange(4.).as_strided((10**3,), (1,))",
    # the generator's state: tshell's own 45 bytes, checked
    "torch.set_rng_state(torch.zeros(5056, dtype=torch.uint8))",
    "torch.set_rng_state('abc')",
    "torch.set_rng_state(torch.ones(3))",
    # format strings, hooks, registries, distributions' internals
    "'{0.__class__}'.format(torch.ones(2))",
    "'{0[0]}'.format([print])",
    "torch.distributions.kl._KL_REGISTRY",
    "torch.distributions.Normal(0., 1.).__dict__",
    "x = torch.ones(2, requires_grad=True)\n(x * 2).grad_fn.register_hook(print)",
    "torch.nn.Linear(2, 2)._register_state_dict_hook",
    "torch.Tensor._make_subclass",
    "torch.FloatTensor.__init__",
    "torch.testing.make_tensor((2,), dtype=print, device='cpu')",
    "torch.testing.make_tensor((2,), dtype=torch.float32, device='/etc/passwd')",
    "torch.asarray(b'abcd')",
    "torch.asarray(print)",
    "torch.FloatTensor([1.]).type('os.system')",
]


@pytest.mark.parametrize("src", HELD)
def test_attacks_on_the_surface_that_held(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError", "RuntimeError",
                                    "NameError"), info.value.format()
