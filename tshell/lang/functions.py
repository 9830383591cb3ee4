"""Functions and generators defined in tsh: what `def`, `lambda` and `yield` make at run time.

A TshFunction runs its compiled body in a fresh frame (a dict; OUTER links the frame it was
defined in). It binds arguments as Python does, with Python's messages, and is callable from
Python code too (hooks, sorted's key, DataLoader calling a dataset's __getitem__). Defined in
a class body it is a method: binding to an instance goes through __get__, as a Python
function's does. A function whose body yields makes a TshGenerator when called.
"""

from __future__ import annotations

from types import MethodType

from .errors import TshRecursionError

OUTER = "\0outer"              # frame key of the enclosing frame (not a valid tsh name)
CLASS = "\0class"              # frame key of a method's class, for super()
MISSING = object()             # a parameter without a default
MAX_DEPTH = 1000               # CPython's recursion limit: frames, the module's included
# tsh function calls and comprehensions that may be active at once under the module's frame
# (each is a frame in CPython 3.11); one more is a RecursionError, at CPython's depth
MAX_NESTED = MAX_DEPTH - 1


class CallState:
    """Mutable state shared by the functions of one interpreter: the call depth, and the
    exceptions being handled (for a bare `raise`)."""

    __slots__ = ("depth", "handling")

    def __init__(self):
        self.depth = 0
        self.handling: list = []


class Signature:
    """What a function takes beyond plain positional parameters: positional-only ones (the
    first `posonly`), *args, keyword-only ones with their defaults, **kwargs."""

    __slots__ = ("posonly", "vararg", "kwonly", "kwdefaults", "kwarg")

    def __init__(self, posonly=0, vararg=None, kwonly=(), kwdefaults=None, kwarg=None):
        self.posonly, self.vararg, self.kwarg = posonly, vararg, kwarg
        self.kwonly, self.kwdefaults = kwonly, kwdefaults or {}


class _FunctionClass(type):
    """type(f) of a tsh function prints as Python's does."""

    def __repr__(cls):
        return "<class 'function'>"


class TshFunction(metaclass=_FunctionClass):
    """A function defined in tsh (def or lambda)."""

    __slots__ = ("name", "names", "defaults", "body", "outer", "state", "qualname", "extra",
                 "owner", "generator", "doc", "where")

    def __init__(self, name, names, defaults, body, outer, state, qualname=None, extra=None,
                 generator=False, doc=None, where=None):
        self.name, self.names, self.defaults = name, names, defaults
        self.body, self.outer, self.state = body, outer, state
        self.qualname = qualname or name      # 'outer.<locals>.inner', as CPython names it
        self.extra = extra                    # a Signature, or None for plain parameters
        self.owner = None                     # the class, for a method that calls super()
        self.generator = generator            # body(frame) is a Python generator
        self.doc = doc
        self.where = where                    # (SourceUnit, Span) of the def: `f??` shows it

    def __repr__(self):
        return f"<function {self.qualname} at {id(self):#x}>"

    @property
    def __name__(self):     # for Python code that names its callbacks (the core's hook errors)
        return self.name

    def __get__(self, obj, objtype=None):
        """In a class, a method: bound to the instance it is read from."""
        return self if obj is None else MethodType(self, obj)

    def __call__(self, *args, **kwargs):
        return self.invoke(args, kwargs)

    def invoke(self, args, kwargs):
        """Run the body in a fresh frame; tag escaping errors with this function's name."""
        if not kwargs and len(args) == len(self.names) and self.extra is None:
            frame = dict(zip(self.names, args))
        else:
            frame = self._bind(args, kwargs)
        if self.outer is not None:
            frame[OUTER] = self.outer
        if self.owner is not None:
            frame[CLASS] = self.owner
        if self.generator:
            return TshGenerator(self.body(frame), self.name, self.qualname)
        state = self.state
        if state.depth >= MAX_NESTED:
            raise TshRecursionError("maximum recursion depth exceeded")
        state.depth += 1
        try:
            result = self.body(frame)
        except Exception as e:
            e.__dict__.setdefault("_tsh_chain", []).append([self.name, None])
            raise
        finally:
            state.depth -= 1
        return result[0] if result is not None else None

    # ------------------------------------------------------------------ binding
    def _bind(self, args, kwargs) -> dict:
        """Python's argument binding rules and messages."""
        names, extra = self.names, self.extra or _PLAIN
        n, posonly = len(names), extra.posonly
        frame = dict(zip(names, args))
        rest = args[n:]
        collected = {} if extra.kwarg is not None else None
        wrongly_positional = []
        for key, value in kwargs.items():        # keywords are checked first, as in CPython
            if key in names[posonly:] or key in extra.kwonly:
                if key in frame:
                    raise TypeError(f"{self.qualname}() got multiple values for argument "
                                    f"'{key}'")
                frame[key] = value
            elif collected is not None:
                collected[key] = value
            elif key in names[:posonly]:
                wrongly_positional.append(key)
            else:
                raise TypeError(f"{self.qualname}() got an unexpected keyword argument "
                                f"'{key}'")
        if wrongly_positional:
            raise TypeError(f"{self.qualname}() got some positional-only arguments passed as "
                            f"keyword arguments: '{', '.join(wrongly_positional)}'")
        if extra.vararg is not None:
            frame[extra.vararg] = rest
        elif rest:
            raise self._too_many(len(args), kwargs)
        missing = []
        for name, default in zip(names, self.defaults):
            if name not in frame:
                if default is MISSING:
                    missing.append(name)
                else:
                    frame[name] = default
        if missing:
            raise self._missing(missing, "positional")
        for name in extra.kwonly:
            if name not in frame:
                default = extra.kwdefaults.get(name, MISSING)
                if default is MISSING:
                    missing.append(name)
                else:
                    frame[name] = default
        if missing:
            raise self._missing(missing, "keyword-only")
        if collected is not None:
            frame[extra.kwarg] = collected
        return frame

    def _too_many(self, given: int, kwargs) -> TypeError:
        n = len(self.names)
        optional = sum(d is not MISSING for d in self.defaults)
        takes = (f"from {n - optional} to {n} positional arguments" if optional else
                 f"{n} positional argument{'s' * (n != 1)}")
        keyword_only = sum(k in (self.extra.kwonly if self.extra else ()) for k in kwargs)
        if keyword_only:
            given_text = (f"{given} positional argument{'s' * (given != 1)} (and "
                          f"{keyword_only} keyword-only argument{'s' * (keyword_only != 1)}) "
                          "were given")
        else:
            given_text = f"{given} {'were' if given != 1 else 'was'} given"
        return TypeError(f"{self.qualname}() takes {takes} but {given_text}")

    def _missing(self, missing: list, kind: str) -> TypeError:
        quoted = [f"'{m}'" for m in missing]
        listed = (" and ".join(quoted) if len(quoted) < 3 else
                  ", ".join(quoted[:-1]) + ", and " + quoted[-1])
        return TypeError(f"{self.qualname}() missing {len(missing)} required {kind} "
                         f"argument{'s' * (len(missing) != 1)}: {listed}")


_PLAIN = Signature()


class TshGenerator:
    """What calling a generator function (or a generator expression) gives: the Python
    generator running its body, behind an object that hands out no frame or code."""

    __slots__ = ("_gen", "_name", "_qualname")

    def __init__(self, gen, name: str, qualname: str):
        self._gen, self._name, self._qualname = gen, name, qualname

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._gen)

    def send(self, value):
        """Resume the generator with value as the result of its `yield`."""
        return self._gen.send(value)

    def throw(self, exc):
        """Raise exc where the generator is paused: the program's own error, as `raise`
        makes it (errors.is_user_error)."""
        if isinstance(exc, type) and issubclass(exc, BaseException):
            exc = exc()
        if isinstance(exc, BaseException):
            exc.__dict__["_tsh_raised"] = True
        return self._gen.throw(exc)

    def close(self):
        """Finish the generator (GeneratorExit where it is paused)."""
        self._gen.close()

    def __repr__(self):
        return f"<generator object {self._qualname} at {id(self):#x}>"


TshGenerator.__name__ = TshGenerator.__qualname__ = "generator"
TshGenerator.__module__ = "builtins"
