"""Escape attempts through what the language gained: classes, exceptions, generators,
decorators, lambdas, getattr/setattr/vars/dir, super() and type(). Each is refused with a
tsh error (never an internal error), leaves no file behind and prints nothing secret
(docs/security.md, "Classes")."""

import io
import os

import pytest

from tshell.lang import Interpreter, TshRuntimeError, TshSyntaxError

CLASS = "class A:\n    def f(self):\n        return 1\n"
NET = "class Net(torch.nn.Module if hasattr(torch.nn, 'Module') else object):\n    pass\n"

ESCAPES = [
    # classes: internals, metaclass machinery, forbidden definitions, forbidden bases
    CLASS + "A.__dict__",
    CLASS + "A.__bases__",
    CLASS + "A.__mro__",
    CLASS + "A.__subclasses__()",
    CLASS + "A.mro()",
    CLASS + "A().__dict__",
    CLASS + "A().__class__.__bases__",
    CLASS + "A.__init__.__globals__",
    CLASS + "A().f.__func__",
    CLASS + "A().f.__self__",
    CLASS + "A.f.__code__",
    CLASS + "A.__class__('B', (), {})",
    CLASS + "type(A)('B', (), {})",
    CLASS + "A.__getattribute__",
    CLASS + "a = A()\na.__dict__ = {}",
    CLASS + "A.__class__ = int",
    CLASS + "setattr(A, '__getattr__', print)",
    CLASS + "setattr(A(), '__class__', int)",
    CLASS + "delattr(A, '__init__')",
    "class A:\n    def __getattr__(self, name):\n        return 1",
    "class A:\n    def __getattribute__(self, name):\n        return 1",
    "class A:\n    def __setattr__(self, name, value):\n        pass",
    "class A:\n    def __del__(self):\n        pass",
    "class A:\n    def __init_subclass__(cls):\n        pass",
    "class A:\n    def __class_getitem__(cls, item):\n        pass",
    "class A:\n    __slots__ = ('x',)",
    "class A:\n    def __new__(cls):\n        pass",
    "class A:\n    def __get__(self, obj, kind):\n        pass",
    "class A:\n    def __reduce__(self):\n        pass",
    "class A(type):\n    pass",
    "class A(int):\n    pass",
    "class A(str):\n    pass",
    "class A(dict):\n    pass",
    "class A(torch.Tensor):\n    pass",
    "class A(print):\n    pass",
    "class A(metaclass=type):\n    pass",
    "class A(object, extra=1):\n    pass",
    "class A(**{'metaclass': type}):\n    pass",
    "class A(type(None)):\n    pass",
    # super(): only the program's classes, only protocol dunders
    CLASS + "class B(A):\n    def g(self):\n        return super().__getattribute__\nB().g()",
    CLASS + "class B(A):\n    def g(self):\n        return super().__reduce_ex__(2)\nB().g()",
    CLASS + "class B(A):\n    def g(self):\n        return super().__init_subclass__\nB().g()",
    "super(int, 1)",
    "super(type, type).mro",
    "super()",
    # super(Class), unbound: its __init__ (a no-op) and nothing else
    CLASS + "super(A).__init__.__func__",
    CLASS + "super(A).__init__.__globals__",
    CLASS + "super(A).__init__.__self__",
    CLASS + "super(A).cls",
    CLASS + "super(A).__reduce_ex__(2)",
    CLASS + "super(A).__class__.__init__",
    CLASS + "super(A).__getattribute__('cls')",
    CLASS + "getattr(super(A), '__init__').__code__",
    CLASS + "type(super(A))()",
    "super(int)",
    # library functions and descriptors reached through a program's subclass or the base
    "import torch.distributions as D\nclass G(D.Geometric):\n    pass\nG.logits.wrapped",
    "import torch.distributions as D\nclass G(D.Geometric):\n    pass\nG.mean.fget",
    "class M(torch.nn.Module):\n    pass\nclass O:\n    pass\nM.train(O())",
    "class O:\n    pass\ntorch.nn.Linear.forward(O(), torch.ones(2))",
    "class O:\n    pass\ntorch.optim.SGD.step(O())",
    # exceptions: no traceback, frame or internals
    "try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__",
    "try:\n    1 / 0\nexcept Exception as e:\n    e.__traceback__.tb_frame",
    "try:\n    1 / 0\nexcept Exception as e:\n    e.with_traceback",
    "try:\n    1 / 0\nexcept Exception as e:\n    e.__context__",
    "try:\n    (1).x\nexcept AttributeError as e:\n    e.obj",
    "try:\n    (1).x\nexcept AttributeError as e:\n    e.__dict__",
    "try:\n    1 / 0\nexcept Exception as e:\n    type(e).__subclasses__()",
    "try:\n    1 / 0\nexcept Exception as e:\n    e.__reduce__()",
    "class E(Exception):\n    pass\ntry:\n    raise E()\nexcept E as e:\n    e.__traceback__",
    # generators and generator expressions: no frame, no code
    "def g():\n    yield 1\ng().gi_frame",
    "def g():\n    yield 1\ng().gi_code",
    "def g():\n    yield 1\ng()._gen",
    "def g():\n    yield 1\ng().__next__.__self__",
    "(x for x in []).gi_frame",
    "(x for x in []).gi_yieldfrom",
    # lambdas and decorators
    "(lambda: 0).__code__",
    "(lambda: 0).__globals__",
    "(lambda: 0).__closure__",
    "(lambda x=1: x).__defaults__",
    "@staticmethod\ndef f():\n    pass\nf.__func__",
    "def deco(fn):\n    return fn.__globals__\n@deco\ndef f():\n    pass",
    # getattr / setattr / vars / dir / hasattr: the same rules as the dot
    "def f():\n    pass\ngetattr(f, '__globals__')",
    "getattr(print, '__self__')",
    "getattr(getattr(1, '__class__'), '__subclasses__')()",
    "getattr(torch.ones(1), '_data')",
    "getattr(object, 'mro')",
    "setattr(torch, 'x', 1)",
    "setattr(torch.Tensor, 'add', print)",
    "setattr(torch.ones(1), 'shape', (2,))",
    "vars(1)",
    "vars(torch.ones(1))",
    "vars(print)",
    "object.__subclasses__()",
    "object().__reduce_ex__(2)",
    "torch.ones(1).__class__.__init__.__globals__",
    "'{0.__class__}'.format(object())",
    "f'{object().__class__.__bases__}'",
    # a program's private names do not open the library's
    NET + "Net()._modules" if False else "torch.ones(1)._data",
    "x = torch.ones(1, requires_grad=True)\n(x * 2).grad_fn._saved",
    # the objects of the nn modules' second batch (options, lazy placeholders, namedtuples)
    "torch.nn.LinearCrossEntropyOptions()._adjust",
    "torch.nn.LinearCrossEntropyOptions().__post_init__.__globals__",
    "torch.nn.LinearCrossEntropyOptions().__class__.__dataclass_fields__",
    "getattr(torch.nn.LinearCrossEntropyOptions(), '__reduce__')",
    "torch.nn.UninitializedBuffer()._data",
    "torch.nn.UninitializedBuffer().__class__.__mro__",
    "torch.nn.UninitializedBuffer().materialize.__func__",
    "torch.nn.LazyConv1d(2, 2)._infer_parameters",
    "torch.nn.LazyConv1d(2, 2).__class__.__init__.__globals__",
    "m = torch.nn.AdaptiveLogSoftmaxWithLoss(4, 6, [2])\n"
    "m(torch.ones(1, 4), torch.tensor([0])).__class__._make",
    "torch.nn.TripletMarginWithDistanceLoss().distance_function.forward.__globals__",
    "torch.nn.functional.gumbel_softmax.__globals__",
]

SECRET_PROGRAMS = [
    # each would print the environment or make a file if an escape worked
    "class A:\n    pass\ntry:\n    os = A.__init__.__globals__['os']\n    os.system('touch pwned')\n"
    "except Exception as e:\n    print('refused', type(e).__name__)",
    "for name in ('__globals__', '__code__', '__builtins__', '__self__', '__func__'):\n"
    "    print(name, hasattr(print, name), hasattr(lambda: 0, name))",
    "print(getattr(object, '__subclasses__', 'hidden'), getattr(type, 'mro', 'hidden'))",
]


def run(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(src, "<escape>")
    return interp.stdout.getvalue()


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_are_refused(src, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        run(src)
    assert info.value.type_name in ("AttributeError", "TypeError", "SyntaxError",
                                    "RuntimeError", "NameError", "ValueError"), \
        info.value.format()
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("src", SECRET_PROGRAMS)
def test_probing_finds_nothing(src, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = run(src)
    assert "True" not in out and "<" not in out.replace("<lambda>", ""), out
    assert os.listdir(tmp_path) == []


def test_ctrl_c_cannot_be_swallowed_by_a_bare_except():
    """`except:` and `except BaseException:` take every exception but tshell's interrupt (a
    KeyboardInterrupt the program did not raise itself); only a clause naming
    KeyboardInterrupt takes it (as a program's own handler)."""
    def run_interrupted(src):
        interp = Interpreter(stdout=io.StringIO())

        def interrupt():
            raise KeyboardInterrupt          # as the SIGINT handler raises it
        interp.builtins["interrupt"] = interrupt
        interp.run_source(src, "<t>")
        return interp.stdout.getvalue()
    src = "try:\n    interrupt()\nexcept:\n    print('swallowed')\n"
    with pytest.raises(KeyboardInterrupt):
        run_interrupted(src)
    with pytest.raises(KeyboardInterrupt):
        run_interrupted(src.replace("except:", "except BaseException:"))
    assert run_interrupted(src.replace("except:", "except KeyboardInterrupt:")) == "swallowed\n"


def test_a_raised_keyboard_interrupt_is_caught_as_in_python():
    src = ("def stop():\n    raise KeyboardInterrupt\n"
           "try:\n    stop()\nexcept:\n    print('caught')\n")
    assert run(src) == "caught\n"
    assert run(src.replace("except:", "except BaseException as e:")) == "caught\n"
    assert run(src.replace("except:", "except KeyboardInterrupt:")) == "caught\n"
    with pytest.raises(KeyboardInterrupt):
        run(src.replace("except:", "except Exception:"))


def test_exit_gets_no_traceback():
    out = run("class C:\n    def __enter__(self):\n        return self\n"
              "    def __exit__(self, kind, value, tb):\n        print(kind, tb)\n"
              "        return True\nwith C():\n    1 / 0\n")
    assert out == "<class 'ZeroDivisionError'> None\n"


def test_internal_exception_classes_show_as_pythons():
    out = run("try:\n    (1).nope\nexcept Exception as e:\n    print(type(e), type(e) is AttributeError)\n"
              "try:\n    undefined\nexcept Exception as e:\n    print(type(e).__name__)\n")
    assert out == "<class 'AttributeError'> True\nNameError\n"
