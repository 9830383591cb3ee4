"""The object kinds torch's information surface added (finfo/iinfo, the legacy tensor classes,
Variable, storages, layouts and memory formats, devices, torch.cpu / get_device_module,
torch.random and its generator state, torch.testing, torch.version, the switch contexts and
torch's exception classes) keep the sandbox's promise (docs/security.md): their internals,
their classes' machinery and the Python modules behind them stay out of reach, their sizes
are checked against the memory cap, and what they are given is checked."""

import pytest

from tshell.lang import TshRuntimeError, TshSyntaxError

from tests.hardening.test_sandbox_breach import run  # the REPL's echo, a cap if given

S = "x = torch.arange(4.)\nu = x.untyped_storage()\ns = x.storage()\n"

REFUSED = [
    # finfo / iinfo: PyTorch's fields only
    "torch.finfo(torch.float32).__class__.__init__", "torch.finfo().__slots__",
    "torch.finfo().__reduce__()", "torch.iinfo(torch.int8).__dict__",
    "torch.finfo.__init__.__globals__", "type(torch.finfo())('x')",
    # legacy classes and Variable: no class machinery, no new classes
    "type(torch.FloatTensor)('A', (), {})", "torch.FloatTensor.mro()",
    "torch.FloatTensor.__call__", "torch.FloatTensor.__instancecheck__",
    "torch.autograd.Variable.__call__.__globals__", "type(torch.autograd.Variable)('V', (), {})",
    "class A(torch.FloatTensor):\n    pass", "class A(torch.finfo):\n    pass",
    "class A(torch.UntypedStorage):\n    pass", "torch.ones(2).new.__globals__",
    # storages: their arrays stay inside; wrapping takes storages, sizes are capped
    S + "u._array", S + "u._bytes", S + "s._untyped_storage", S + "s._elements",
    S + "u.__class__.__init__", S + "type(u)(x)", S + "torch.UntypedStorage(x.numpy())",
    S + "u.__getitem__.__globals__", S + "u[0:2]._array", S + "u[100]", S + "u[-100]",
    S + "s[100]", S + "u.to('mps')", S + "torch.UntypedStorage(10**15)",
    S + "torch.TypedStorage(10**15)", S + "torch.UntypedStorage(-1)",
    S + "torch.UntypedStorage([print])", S + "torch.TypedStorage([print])",
    "torch.TypedStorage(2, dtype=torch.float32, wrap_storage=torch.arange(3.))",
    # devices and device modules: namespaces, never Python modules
    "torch.cpu.__dict__", "torch.cpu.sys", "torch.cpu.Stream.__init__.__globals__",
    "torch.cpu.stream(None).__enter__.__globals__", "torch.get_device_module('cpu').__dict__",
    "torch.get_device_module('cpu').sys", "torch.get_device_module.__wrapped__",
    "torch.device('mps').__slots__", "torch.ones(2, device='mps')",
    # torch.random, torch.testing, torch.version: their public names only
    "torch.random.np", "torch.random.Tensor", "torch.random.default_generator._rng",
    "torch.default_generator.rng", "torch.random.fork_rng().__exit__.__globals__",
    "torch.testing.np", "torch.testing._compare", "torch.testing.dtypes",
    "torch.version.tshell_version", "torch.version.__file__", "torch.version.__loader__",
    # layouts, memory formats, switch contexts, exception classes
    "torch.strided.__reduce__()", "torch.channels_last.order",
    "torch.contiguous_format.__class__.__init__",
    "torch.autograd.set_detect_anomaly(False).__call__.__globals__",
    "torch.autograd.set_multithreading_enabled(True)._switch",
    "torch.OutOfMemoryError.__subclasses__()", "torch.OutOfMemoryError('x').__traceback__",
    "torch.ones(2).grad_dtype.__class__.__init__",
    "x = torch.ones(2)\nx.grad_dtype = print",
    "torch.testing.assert_close(torch.ones(2), torch.zeros(2), "
    "msg=lambda m: m.__class__.__subclasses__())",
]


@pytest.mark.parametrize("src", REFUSED)
def test_information_objects_keep_their_internals(src):
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "ValueError", "IndexError",
                                    "RuntimeError", "OverflowError"), info.value.format()


def test_storage_sizes_go_through_the_memory_cap():
    with pytest.raises(TshRuntimeError) as info:
        run("torch.UntypedStorage(10**8)", cap="64MB")
    assert "memory limit" in info.value.format()


def test_what_programs_reach_works():
    out = run("x = torch.ones(2, 3, 4, 5).contiguous(memory_format=torch.channels_last)\n"
              "print(x.stride(), x.untyped_storage().nbytes(), torch.finfo().eps)\n"
              "print(torch.get_device_module('cpu').device_count(), torch.version.cuda)\n"
              "print(isinstance(x, torch.FloatTensor), torch.random.initial_seed() >= 0)\n"
              ).stdout.getvalue()
    assert out == ("(60, 1, 15, 3) 480 1.1920928955078125e-07\n1 None\nTrue True\n")
