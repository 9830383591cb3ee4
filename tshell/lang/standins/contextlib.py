"""contextlib as tsh programs see it: contextmanager, nullcontext, suppress, closing and
ExitStack, written for tsh generators and functions (a @contextmanager function also decorates
functions, as Python's ContextDecorator; that class is not provided: tsh classes cannot
derive from it).

Python's versions would do the same on tsh objects, but hand out host objects (a
_GeneratorContextManager holds `gen`, `func`, `args`; ExitStack its callbacks' deque) and
read attributes with getattr. Here the classes are tshell's, with public names only as
Python documents them; an object's `close` and `__enter__`/`__exit__` are read as the
program may read them (the sandbox, the protocol methods of its class); an exception from
the `with` body is thrown into a generator as Python throws it (the generator may catch
it, re-raise it or another), and no traceback ever reaches the program.
"""

from __future__ import annotations

from .. import sandbox
from ..compile_stmt import context_manager
from ..functions import TshGenerator
from ..sandbox import Namespace
from ._classes import ShownClass

HOST_CALLABLES = ()


def _throw(gen, exc: BaseException):
    """Raise exc inside gen where it is paused: the exception itself, unchanged (a tsh
    generator's throw would mark it as raised by the program)."""
    if type(gen) is TshGenerator:
        return gen._gen.throw(exc)
    return sandbox.get_attribute(gen, "throw")(exc)


class ContextDecorator(metaclass=ShownClass):
    """A base class or mixin that lets a context manager decorate a function: each call of
    the function runs inside the context."""

    def _recreate_cm(self):
        return self

    def __call__(self, func):
        def inner(*args, **kwds):
            cm = self._recreate_cm()
            cm, enter, exit_ = context_manager(cm, None)
            enter(cm)
            try:
                result = func(*args, **kwds)
            except BaseException as e:
                if not exit_(cm, type(e), e, None):
                    raise
                return None
            exit_(cm, None, None, None)
            return result
        inner.__name__ = inner.__qualname__ = getattr(func, "__name__", "inner")
        return inner


class _GeneratorContextManager(ContextDecorator):
    """What a @contextmanager function returns: its generator run as a context manager."""

    __slots__ = ("_gen", "_func", "_args", "_kwds")

    def __init__(self, func, args, kwds):
        self._gen = func(*args, **kwds)
        self._func, self._args, self._kwds = func, args, kwds

    def _recreate_cm(self):
        return self.__class__(self._func, self._args, self._kwds)

    def __enter__(self):
        del self._args, self._kwds, self._func        # as Python: no recreating once used
        try:
            return next(self._gen)
        except StopIteration:
            raise RuntimeError("generator didn't yield") from None

    def __exit__(self, typ, value, traceback):
        if typ is None:
            try:
                next(self._gen)
            except StopIteration:
                return False
            raise RuntimeError("generator didn't stop")
        if value is None:
            value = typ()
        try:
            _throw(self._gen, value)
        except StopIteration as exc:
            return exc is not value        # the generator caught the exception (or stopped)
        except RuntimeError as exc:
            if exc is value:
                return False
            if isinstance(value, StopIteration) and exc.__cause__ is value:
                return False               # PEP 479: StopIteration turned RuntimeError
            raise
        except BaseException as exc:
            if exc is not value:
                raise
            return False
        raise RuntimeError("generator didn't stop after throw()")


def contextmanager(func):
    """@contextmanager decorator: a generator function that yields once becomes a context
    manager factory (the code before the yield runs on entry, after it on exit)."""
    def helper(*args, **kwds):
        return _GeneratorContextManager(func, args, kwds)
    helper.__name__ = helper.__qualname__ = getattr(func, "__name__", "helper")
    return helper


class nullcontext(metaclass=ShownClass):
    """Context manager that does no additional processing: `with nullcontext(x) as y`
    gives y = x."""

    __slots__ = ("enter_result",)

    def __init__(self, enter_result=None):
        self.enter_result = enter_result

    def __enter__(self):
        return self.enter_result

    def __exit__(self, *excinfo):
        pass


class suppress(metaclass=ShownClass):
    """Context manager to suppress the specified exceptions."""

    __slots__ = ("_exceptions",)

    def __init__(self, *exceptions):
        self._exceptions = exceptions

    def __enter__(self):
        pass

    def __exit__(self, exctype, excinst, exctb):
        return exctype is not None and issubclass(exctype, self._exceptions)


class closing(metaclass=ShownClass):
    """Context to automatically close something at the end of a block."""

    __slots__ = ("thing",)

    def __init__(self, thing):
        self.thing = thing

    def __enter__(self):
        return self.thing

    def __exit__(self, *exc_info):
        sandbox.get_attribute(self.thing, "close")()


class ExitStack(metaclass=ShownClass):
    """Context manager for dynamic management of a stack of exit callbacks (context
    managers entered with enter_context, functions pushed with callback)."""

    __slots__ = ("_exits",)

    def __init__(self):
        self._exits: list = []

    def enter_context(self, cm):
        """Enter cm and push its __exit__; returns what its __enter__ returns."""
        try:
            cm, enter, exit_ = context_manager(cm, None)
        except TypeError:
            cls = type(cm)
            raise TypeError(f"'{cls.__module__}.{cls.__qualname__}' object does not support "
                            "the context manager protocol") from None
        result = enter(cm)
        self._exits.append(lambda *exc: exit_(cm, *exc))
        return result

    def callback(self, callback, /, *args, **kwds):
        """Register callback(*args, **kwds) to run on exit; returns callback."""
        def run(*exc):
            callback(*args, **kwds)
        self._exits.append(run)
        return callback

    def push(self, exit):
        """Register an __exit__-like callable (or a context manager's __exit__)."""
        try:
            _, _, exit_method = context_manager(exit, None)
        except TypeError:
            self._exits.append(exit)
        else:
            self._exits.append(lambda *exc: exit_method(exit, *exc))
        return exit

    def pop_all(self):
        """A new ExitStack holding this one's callbacks (this one is left empty)."""
        stack = ExitStack()
        stack._exits, self._exits = self._exits, []
        return stack

    def close(self):
        """Immediately unwind the context stack."""
        self.__exit__(None, None, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc_details):
        received = exc_details[0] is not None
        pending = exc_details[1] if received else None
        suppressed = False
        while self._exits:
            cb = self._exits.pop()
            details = (type(pending), pending, None) if pending is not None else \
                (None, None, None)
            try:
                if cb(*details):
                    suppressed, pending = True, None
            except BaseException as new_exc:
                if pending is not None and new_exc is not pending and \
                        new_exc.__context__ is None:
                    new_exc.__context__ = pending
                pending, suppressed = new_exc, False
        if pending is not None and (not received or pending is not exc_details[1]):
            raise pending
        return received and suppressed and pending is None


for _cls, _names in {nullcontext: "enter_result", closing: "thing",
                     ExitStack: "enter_context callback push pop_all close"}.items():
    sandbox.register(_cls, _names.split())


def namespace() -> Namespace:
    return Namespace("contextlib", {
        "contextmanager": contextmanager, "nullcontext": nullcontext, "suppress": suppress,
        "closing": closing, "ExitStack": ExitStack})
