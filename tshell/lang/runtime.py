"""The names a tsh program starts with: torch (bare and as torch.NAME), np, Python built-ins."""

from __future__ import annotations

import builtins as py
import sys
import types

import numpy

from . import classes, deep_values, guards, safe_builtins, sandbox
from .functions import TshFunction, TshGenerator
from .namespace import LazyBuiltins, LazyMembers, LazyNames, Namespace
from .typeview import (GUARDED_TYPES, NAMEABLE, TYPE_OF_TYPE, classes_in, tsh_type)
from . import standins, tensor_methods

# The Python names of docs/language.md (+ a few harmless extras). They win over torch's bare
# names: tutorial code calls Python's max(a, b), float(x), int(n), and torch.float / torch.int
# stay reachable as torch.NAME.
PYTHON_BUILTINS = ("len range int float bool str abs min max sum round list tuple enumerate "
                   "zip sorted isinstance dict reversed any all repr divmod chr ord hex bin "
                   "oct pow map filter hash iter next callable complex set frozenset slice "
                   "object super property staticmethod classmethod issubclass id dir vars "
                   "getattr setattr hasattr delattr format ascii").split()
# Python's exception classes a program may catch, raise and subclass, and its constants.
PYTHON_EXCEPTIONS = (
    "BaseException Exception ArithmeticError AssertionError AttributeError EOFError "
    "FloatingPointError GeneratorExit ImportError ModuleNotFoundError IndexError KeyError "
    "KeyboardInterrupt LookupError MemoryError NameError NotImplementedError OSError "
    "FileNotFoundError OverflowError RecursionError RuntimeError StopIteration SyntaxError "
    "SystemExit "
    "TypeError UnboundLocalError ValueError ZeroDivisionError UnicodeError Warning "
    "UserWarning DeprecationWarning RuntimeWarning "
    # what the warnings and os stand-ins' callers name
    "FutureWarning PendingDeprecationWarning FileExistsError IsADirectoryError "
    "NotADirectoryError PermissionError").split()
# `__name__`: a program runs as Python runs a script or its REPL, as the main module (so
# `if __name__ == "__main__": main()` runs main).
PYTHON_CONSTANTS = {"NotImplemented": NotImplemented, "Ellipsis": Ellipsis,
                    "__name__": "__main__"}
# Sub-modules of tshell.core that tsh code sees as torch.NAME namespaces; other modules the
# core exports (backend, ops, printing...) are implementation and stay hidden. A package may
# name more of its own in a SUBMODULES tuple (torch.distributions.normal...).
SUBMODULES = {"autograd", "cuda", "nn", "functional", "return_types", "linalg", "init", "utils",
              "distributions", "rnn", "accelerator", "optim", "lr_scheduler", "signal",
              "func", "quasirandom"}
SUBMODULES |= {"cpu", "random", "testing", "version",     # torch.cpu, torch.random...
               "parameter",                              # torch.nn.parameter
               "amp", "compiler"}                        # torch.amp, torch.cpu.amp...
# Sub-modules imported only when a program first uses them (torch.nn's import would add a
# tenth to every start-up), with what the runtime does once they are loaded.
LAZY_SUBMODULES = {"nn": lambda nn: register_nn_types(nn)}
LAZY_SUBMODULES.update({name: lambda module: register_library_classes(load_core())
                        for name in ("distributions", "optim", "utils", "quasirandom",
                                     "signal", "testing", "amp", "compiler")})


def lower_max_memory(size):
    """set_max_memory(size): lower the memory limit (e.g. '512MB'); only tshell's
    --max-memory option or TSHELL_MAX_MEMORY can raise it."""
    from tshell.core import limits
    new = limits.parse_size(size) if isinstance(size, str) else size
    if not isinstance(new, int) or isinstance(new, bool) or new < 0:
        raise TypeError(f"set_max_memory(): expected a size such as 512MB or a number of "
                        f"bytes, got {size!r}")
    current = limits.max_bytes()
    if new > current:
        # the cap belongs to whoever runs tshell, not to the program it guards against
        raise RuntimeError(f"set_max_memory() can only lower the memory limit ({current} "
                           "bytes); raise it with --max-memory or TSHELL_MAX_MEMORY")
    limits.set_max_memory(new)


lower_max_memory.__name__ = lower_max_memory.__qualname__ = "set_max_memory"
def device_module_namespace(device=None):
    """torch.get_device_module(...) as a namespace (tsh code never holds a Python module)."""
    from tshell.core import get_device_module    # the core loads on first use (load_core)
    module = get_device_module(device)
    name = "torch." + module.__name__.rsplit(".", 1)[-1]
    return module_namespace(name, module, depth=1)


device_module_namespace.__name__ = device_module_namespace.__qualname__ = "get_device_module"
def compile_model(*args, **kwargs):
    """torch.compile, its OptimizedModule's `_orig_mod` readable (LIBRARY_PRIVATE) first."""
    import tshell.core.nn.modules.optimized  # noqa: F401 (the class registered below)
    from tshell.core.torch_compile import compile as core_compile
    register_library_classes(load_core())
    return core_compile(*args, **kwargs)


compile_model.__name__ = compile_model.__qualname__ = "compile"
compile_model.__doc__ = "torch.compile: the model or function run eagerly (docs/language.md)."
# Core functions that tsh code gets in a safer form.
REPLACED = {"set_max_memory": lower_max_memory, "get_device_module": device_module_namespace,
            "compile": compile_model}


def load_core():
    """The tshell.core module, or None while it is not importable (early development)."""
    try:
        import tshell.core as core
    except ImportError:
        return None
    return core


def _public_functions(module) -> list:
    """Without __all__: the functions a module defines itself (not its imports or classes)."""
    return [n for n, v in vars(module).items() if not n.startswith("_")
            and isinstance(v, types.FunctionType) and v.__module__ == module.__name__]


def module_namespace(name: str, module, depth: int = 0) -> Namespace:
    """Wrap a Python module's public names (its __all__, else its functions) in a Namespace.
    Names the module makes at their first use (its __getattr__: tshell.core's op modules)
    are made at the program's first use of them too."""
    names = getattr(module, "__all__", None) or _public_functions(module)
    members, pending = {}, []
    for n in names:
        if n.startswith("_"):
            continue
        if n in LAZY_SUBMODULES and depth < 3:
            members[n] = _lazy_namespace(f"{name}.{n}", module, n, depth + 1)
        elif n not in vars(module) and "__getattr__" in vars(module):
            pending.append(n)               # made by the module at its first use
        else:
            value = _member(name, module, n, depth)
            if value is not _NOT_A_MEMBER:
                members[n] = value
    if not pending:
        return Namespace(name, members)

    def resolve(n):
        value = _member(name, module, n, depth)
        if value is _NOT_A_MEMBER:
            raise KeyError(n)
        NAMEABLE.update(classes_in({n: value}))
        return value
    return Namespace(name, LazyNames(members, pending, resolve))


_NOT_A_MEMBER = object()


def _member(name: str, module, n: str, depth: int):
    """What module.n is in the namespace `name`: a namespace for a sub-module tsh code may
    see, the safer form of a REPLACED function, the value itself; _NOT_A_MEMBER for a raw
    Python module or a missing name."""
    value = REPLACED.get(n) or getattr(module, n, _NOT_A_MEMBER)
    if isinstance(value, types.ModuleType):
        exposed = n in SUBMODULES or n in getattr(module, "SUBMODULES", ())
        if depth < 3 and exposed and value.__name__.startswith("tshell."):
            return module_namespace(f"{name}.{n}", value, depth + 1)
        return _NOT_A_MEMBER               # never hand a raw Python module to tsh code
    if isinstance(value, types.SimpleNamespace):       # e.g. the core's torch.linalg
        return _simple_namespace(f"{name}.{n}", value)
    return value


def _lazy_namespace(name: str, module, attr: str, depth: int) -> Namespace:
    """The namespace of module.attr, imported on first use (then its types are registered
    with the sandbox and its classes made nameable)."""
    def load():
        value = getattr(module, attr)
        LAZY_SUBMODULES[attr](value)
        members = module_namespace(name, value, depth)._members
        NAMEABLE.update(classes_in(members))
        return members
    return Namespace(name, LazyMembers(load))


def _simple_namespace(name: str, ns: types.SimpleNamespace) -> Namespace:
    """A SimpleNamespace's names; the core's torch.linalg / special / fft are made at the
    program's first use of the namespace (their op modules imported then: load_all)."""
    load_all = getattr(type(ns), "load_all", None)
    if load_all is None:
        return Namespace(name, _simple_members(name, ns))

    def load():
        load_all(ns)
        return _simple_members(name, ns)
    return Namespace(name, LazyMembers(load))


def _simple_members(name: str, ns: types.SimpleNamespace) -> dict:
    members = {}
    for n, v in vars(ns).items():
        if n.startswith("_") or isinstance(v, types.ModuleType):
            continue
        members[n] = _simple_namespace(f"{name}.{n}", v) if isinstance(
            v, types.SimpleNamespace) else v
    return members


def numpy_namespace() -> Namespace:
    """The `np` namespace; its members are made at the first use of np (numpy_standin)."""
    return Namespace("numpy", LazyMembers(_numpy_members))


def _numpy_members() -> dict:
    numpy_standin()
    return dict(_NUMPY_MEMBERS)


_NUMPY_MEMBERS: dict = {}   # np's members, made once per process and shared


def numpy_standin():
    """The numpy stand-in, its classes readable (sandbox) and nameable and np's members made:
    at a program's first use of np or of an array (x.numpy(), safetensors.numpy), not at
    start-up, which most programs would pay ~19 M instructions for (its ~200 checked
    functions). Imported here, not at the top, for that reason."""
    from .standins import numpy as np_standin
    if not _NUMPY_MEMBERS:
        for cls, names in np_standin.CLASS_ATTRIBUTES.items():
            sandbox.register(cls, names)
        _NUMPY_MEMBERS.update(np_standin.namespace()._members)
        NAMEABLE.update(classes_in(_NUMPY_MEMBERS))
    return np_standin


# The public surface PyTorch gives these core types; their other public attributes are
# tshell's own machinery (a node's saved tensors, a dtype's NumPy dtype, a generator's
# NumPy generator), for tshell's Python code and not for programs.
CORE_ATTRIBUTES = {
    ("autograd", "Node"): "next_functions name metadata",
    ("autograd", "AccumulateGrad"): "next_functions name metadata variable",
    ("dtypes", "dtype"): "is_complex is_floating_point is_signed itemsize",
    ("random", "Generator"): "initial_seed manual_seed seed get_state set_state device",
    ("quasirandom", "SobolEngine"): "MAXBIT MAXDIM dimension scramble seed sobolstate shift "
                                    "quasi num_generated draw draw_base2 fast_forward reset",
    ("layouts", "memory_format"): "",     # (its dims' order is tshell's own)
}


def register_core_types(core) -> None:
    """Tensors may have requires_grad / grad / data / grad_dtype assigned (docs/security.md);
    the core types of CORE_ATTRIBUTES expose PyTorch's names only; x.numpy() gives the np
    stand-in's array."""
    tensor = core.Tensor
    sandbox.register(tensor, sandbox.PUBLIC, ("requires_grad", "grad", "data", "grad_dtype"))
    sandbox.REWRITES[(tensor, "numpy")] = _wrapped_numpy
    register_library_classes(core)


def _register_core_attributes() -> None:
    """CORE_ATTRIBUTES of the core's modules loaded so far (a lazily loaded one's once it
    is: register_library_classes runs again then)."""
    for (module, name), names in CORE_ATTRIBUTES.items():
        loaded = sys.modules.get(f"tshell.core.{module}")
        cls = getattr(loaded, name, None)
        if cls is not None and cls not in sandbox.GET_RULES:
            sandbox.register(cls, names.split())


def register_nn_types(nn) -> None:
    """Once torch.nn is loaded: Module subclassable and open to public attributes
    (`model.fc = nn.Linear(2, 3)`: Module.__setattr__ registers it); Parameter.numpy() gives
    the np stand-in's array (the rewrites go by exact type)."""
    register_library_classes(load_core())
    sandbox.REWRITES[(nn.Parameter, "numpy")] = _wrapped_numpy


# The library classes tsh classes may derive from (with their subclasses), and those whose
# instances take any public attribute, as in PyTorch (docs/security.md, "Classes").
SUBCLASSABLE = ("nn.Module", "utils.data.Dataset", "utils.data.IterableDataset",
                "utils.data.Sampler", "autograd.Function", "optim.Optimizer",
                "optim.lr_scheduler.LRScheduler", "distributions.Distribution",
                "distributions.transforms.Transform", "distributions.constraints.Constraint",
                "nn.utils.prune.BasePruningMethod")
OPEN = ("nn.Module", "autograd.FunctionCtx")
# The underscore attributes programs read (docs/security.md, "No underscore names"): the
# tables of a module that tutorials print and walk (the Pruning Tutorial's
# `module._forward_pre_hooks`), the parameter a pruning hook acts on, and what a graph node
# saved for backward (the saved-tensors-hooks tutorial's `y.grad_fn._saved_self`).
LIBRARY_PRIVATE = {"nn.Module": "_modules _parameters _buffers _forward_pre_hooks "
                                "_forward_hooks _backward_hooks",
                   "nn.utils.prune.BasePruningMethod": "_tensor_name",
                   "nn.RNNBase": "_flat_weights_names",
                   "autograd.graph.Node": "_saved_self _saved_other _saved_result "
                                          "_saved_exponent",
                   "Tensor": "_version",
                   "nn.modules.optimized.OptimizedModule": "_orig_mod"}


def register_library_classes(core) -> None:
    """Make the classes of SUBCLASSABLE and OPEN that are loaded so, and give the core types
    of CORE_ATTRIBUTES their names (again as lazily loaded parts of the library arrive;
    nothing here imports one)."""
    _register_core_attributes()
    if core.Tensor not in sandbox.READABLE_VALUES:
        sandbox.READABLE_VALUES.append(core.Tensor)
        sandbox.CLASS_METHODS[core.Tensor] = tensor_methods.reader(core.Tensor)
    for path in SUBCLASSABLE:
        cls = _loaded_attribute(core, path)
        if isinstance(cls, type) and cls not in classes.SUBCLASSABLE:
            classes.SUBCLASSABLE.append(cls)
    for path in OPEN:
        cls = _loaded_attribute(core, path)
        if isinstance(cls, type):
            sandbox.open_type(cls)
    for path, names in LIBRARY_PRIVATE.items():
        cls = _loaded_attribute(core, path)
        if isinstance(cls, type):
            sandbox.allow_private(cls, names.split())
    compiled = _loaded_attribute(core, "nn.modules.optimized.OptimizedModule")
    if isinstance(compiled, type) and compiled.__base__ not in sandbox.READABLE_VALUES:
        sandbox.READABLE_VALUES.append(compiled.__base__)   # `_orig_mod`: the program's module


def _loaded_attribute(core, path: str):
    """core.a.b.c, or None while a part of it is not loaded (or does not exist)."""
    value = core
    for part in path.split("."):
        value = vars(value).get(part) if isinstance(value, types.ModuleType) else \
            getattr(value, part, None)
    return value


def _wrapped_numpy(t):
    real = t.numpy

    def numpy(*args, **kwargs):
        """The tensor's data as a numpy array (sharing memory, as in PyTorch)."""
        return numpy_standin().outward(real(*args, **kwargs))
    return numpy


def make_print(interp):
    def print(*args, sep=" ", end="\n", file=None, flush=False, **others):
        """print(*values, sep=' ', end='\\n', file=None): write values to standard output
        (or to file: an object with a write method, such as sys.stderr)."""
        if others:
            raise TypeError(f"'{next(iter(others))}' is an invalid keyword argument for print()")
        for name, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):   # Python's own check
                raise TypeError(f"{name} must be None or a string, not {type(value).__name__}")
        for a in args:
            guards.check_text(a)
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        if file is not None:
            _print_to(file, [str(a) for a in args], sep, end, flush)
            return
        out = interp.stdout if interp.stdout is not None else sys.stdout
        out.write(sep.join([str(a) for a in args]) + end)
        if flush:
            out.flush()

    def parameters(*args, sep=" ", end="\n", file=None, flush=False):
        """What help(print) shows: **others is only there for Python's message."""
    print.__wrapped__ = parameters
    return print


def _print_to(file, texts: list, sep: str, end: str, flush: bool) -> None:
    """print(..., file=f): f's write (as the sandbox lets the program read it) called with
    each piece, as Python's print does."""
    write = sandbox.get_attribute(file, "write")
    for i, text in enumerate(texts):
        if i:
            write(sep)
        write(text)
    write(end)
    if flush:
        sandbox.get_attribute(file, "flush")()


GUARDED_TYPES.update({py.list: safe_builtins.GuardedList, py.tuple: safe_builtins.GuardedTuple,
                      py.dict: safe_builtins.GuardedDict, py.str: safe_builtins.GuardedStr,
                      **{cls.__base__: cls for cls in deep_values.NESTED}})
BUILTIN_FUNCTION = type(len)


def as_builtin(fn, text: str | None = None, kind=BUILTIN_FUNCTION, name: str | None = None):
    """A built-in that tshell writes in Python (print, sorted, type, help) as tsh code sees
    it: it prints as CPython's does (`<built-in function print>`), type() of it is `kind`,
    and a call runs fn directly (a class whose __call__ is fn: no wrapper frame)."""
    name = name or fn.__name__
    text = text or f"<built-in function {name}>"
    cls = py.type("builtin_function_or_method", (), {
        "__slots__": (), "__call__": staticmethod(fn), "__repr__": lambda self: text,
        "__name__": name, "__qualname__": name, "__doc__": fn.__doc__,
        "__wrapped__": staticmethod(getattr(fn, "__wrapped__", fn))})
    GUARDED_TYPES[cls] = kind
    return cls()


def make_help(interp):
    def help(obj=None):
        """help(f): the signature and first doc line of a built-in."""
        out = interp.stdout if interp.stdout is not None else sys.stdout
        if obj is None:
            # the built-ins that are not torch's bare names (those help(torch) lists)
            torch = getattr(interp.builtins.get("torch"), "_members", {})
            own = sorted(n for n, v in interp.builtins.items() if isinstance(n, str) and
                         not n.startswith(("_", "\0")) and torch.get(n, None) is not v)
            out.write(describe(None) + "\n\n" + columns(own, terminal_width()) + "\n")
        else:
            out.write(describe(obj) + "\n")
    help.__qualname__ = "help"          # "help() takes ...", not "make_help.<locals>.help()"
    return help


def terminal_width() -> int:
    """The terminal's columns ($COLUMNS first; 80 where there is no terminal)."""
    import shutil           # only for help(): not on the start-up path
    return shutil.get_terminal_size((80, 24)).columns


def columns(words, width: int) -> str:
    """words in as many columns as fit in width, down then across, each column as wide as
    its longest word (as `ls` lays them out)."""
    words = list(words)
    if not words:
        return ""
    for count in range(min(len(words), max(width // 3, 1)), 0, -1):
        rows = -(-len(words) // count)
        cols = [words[c * rows:(c + 1) * rows] for c in range(-(-len(words) // rows))]
        widths = [max(len(w) for w in col) for col in cols]
        if sum(widths) + 2 * (len(cols) - 1) <= width or len(cols) == 1:
            break
    return "\n".join("  ".join(col[r].ljust(w) for col, w in zip(cols, widths)
                               if r < len(col)).rstrip() for r in range(rows))


def describe(obj) -> str:
    """Help text: name(signature), PyTorch's where it documents one, and the first
    paragraph of the docstring."""
    import inspect
    if obj is None:
        return "help(NAME) shows a built-in's signature; torch.NAME and np.NAME are listed " \
               "by help(torch) and help(np). The built-ins:"
    if isinstance(obj, Namespace):
        return f"module {obj._name}:\n" + columns(sorted(obj._members), terminal_width())
    if inspect.ismethod(obj) and isinstance(obj.__func__, TshFunction):
        obj = obj.__func__                  # help(model.forward): the method's own text
    if isinstance(obj, TshFunction):
        head = f"{obj.name}({', '.join(obj.names)})  (defined in tsh)"
        doc = (obj.doc or "").strip().split("\n")[0]
        return f"{head}\n    {doc}" if doc else head
    name = getattr(obj, "__name__", type(obj).__name__)
    signature = pytorch_signature(obj, name) or _own_signature(obj)
    paragraph = (inspect.getdoc(obj) or "").strip().split("\n\n")[0]
    doc = "\n    ".join(line.strip() for line in paragraph.splitlines())
    return f"{name}{signature}\n    {doc}" if doc else f"{name}{signature}"


def _own_signature(obj) -> str:
    """The Python signature of tshell's function, without the elementwise ops' internal
    `params=` (an op's own arguments, passed by the functions that declare it)."""
    import inspect
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return "(...)"
    kept = [p for p in sig.parameters.values()
            if not (p.name == "params" and p.kind is p.KEYWORD_ONLY)]
    return str(sig.replace(parameters=kept))


def pytorch_signature(obj, name: str):
    """The signature PyTorch shows for obj when obj is torch.nn.functional.NAME, torch.NAME
    Tensor.NAME or torch.special.NAME (pytorch_signatures.py, made from PyTorch), else None."""
    from .pytorch_signatures import SIGNATURES
    if GUARDED_TYPES.get(type(obj)) is tensor_methods.METHOD_DESCRIPTOR:
        return SIGNATURES["Tensor"].get(name)      # torch.Tensor.view read from the class
    core = load_core()
    if core is None or not isinstance(name, str):
        return None
    target = getattr(obj, "__func__", obj)           # x.view: the method's function
    for place, holder in (("F", core.nn.functional), ("torch", core), ("Tensor", core.Tensor),
                          ("special", core.special)):
        text = SIGNATURES[place].get(name)
        if text is not None:
            try:
                found = getattr(holder, name)
            except AttributeError:
                continue
            if found is target:
                return text
    return None


def make_runtime(interp, argv) -> tuple:
    """(builtins dict, modules dict) for a new interpreter."""
    core = load_core()
    torch = module_namespace("torch", core) if core is not None else Namespace("torch", {})
    if core is not None:
        register_core_types(core)
        core.methods.on_bind(_nameable_as_bound)
    np = numpy_namespace()
    sandbox.register(TshGenerator, ("send", "throw", "close"))
    names = _bare_names(torch._members)
    for n in PYTHON_BUILTINS + PYTHON_EXCEPTIONS:
        names[n] = safe_builtins.BUILTINS.get(n) or getattr(py, n)   # size- and depth-checked
    names.update(PYTHON_CONSTANTS)
    for n in safe_builtins.PYTHON_WRITTEN:
        names[n] = as_builtin(names[n])
    names.update(print=as_builtin(make_print(interp)),
                 type=as_builtin(tsh_type, "<class 'type'>", TYPE_OF_TYPE, "type"),
                 help=as_builtin(make_help(interp), "Type help() for interactive help, or "
                                 "help(object) for help about object."),
                 exit=as_builtin(_quitter("exit"), "Use exit() or Ctrl-D (i.e. EOF) to exit"),
                 quit=as_builtin(_quitter("quit"), "Use quit() or Ctrl-D (i.e. EOF) to exit"),
                 torch=torch, np=np, argv=list(argv))
    sandbox.DISPLAY_NAMES[TshFunction] = "function"
    for guarded in set(GUARDED_TYPES.values()):
        sandbox.DISPLAY_NAMES.setdefault(type(guarded), "type")   # list.append: a 'type'
    modules = Modules(interp, torch=torch, numpy=np)
    sandbox.MODULE_VERSIONS.update(numpy=numpy.__version__)
    if core is not None:
        sandbox.MODULE_VERSIONS.update({"torch": core.__version__,
                                        "torch.version": core.__version__})
    if not NAMEABLE:
        NAMEABLE.update(classes_in(names))
    return names, modules


def _quitter(name: str):
    """exit() and quit(): raise SystemExit(code), as Python's site built-ins do (which also
    close sys.stdin: not tshell's to close). A script ends with the code's status, the REPL
    too (cli.system_exit_status)."""
    def quit(code=None):
        raise SystemExit(code)
    quit.__name__ = quit.__qualname__ = name
    return quit


def _bare_names(torch_members: dict) -> dict:
    """The built-ins' start: torch's names, bare; those torch makes at their first use are
    made at the program's first use of either spelling (ones, torch.ones)."""
    if not isinstance(torch_members, LazyNames):
        return dict(torch_members)
    return LazyBuiltins(dict(dict.items(torch_members)), torch_members.pending(),
                        torch_members.__getitem__)


def _nameable_as_bound(bound: dict) -> None:
    """The classes the core binds to torch names (as their modules load) can be named:
    type(s) is torch.UntypedStorage holds whichever of the two a program reads first."""
    NAMEABLE.update(value for value in bound.values() if isinstance(value, type))


class Modules(dict):
    """What `import` finds: torch and numpy, then the stand-ins (math, random...) loaded at
    their first import; the classes a stand-in hands out become nameable (type())."""

    def __init__(self, interp, **modules):
        super().__init__(**modules)
        self.interp = interp

    def get(self, name, default=None):
        if name not in self:
            namespace = standins.load(name, self.interp)
            if namespace is None:
                return default
            NAMEABLE.update(classes_in(namespace._members))
            self[name] = namespace
        return dict.get(self, name, default)
