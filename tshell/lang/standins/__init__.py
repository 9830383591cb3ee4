"""Stand-ins for Python modules that tsh programs import: tshell's own objects with the
module's behaviour, so that no host module, class or function reaches a program
(docs/security.md, "Module stand-ins").

Each stand-in is a module of this package named after the import name, listed in STANDINS,
with a `namespace()` function returning the `sandbox.Namespace` a program imports, and a
tuple `HOST_CALLABLES` of the host functions it hands out as they are (pure functions such as
math.sqrt), each reviewed: the sandbox audit allows these and no other host callable. The
attribute names of a stand-in's classes are registered with the sandbox when its module is
loaded, once per process: at the first `import` of its name (start-up loads none); numpy's by
the runtime, at a program's first use of np or of an array (runtime.numpy_standin).
A stand-in whose values belong to one interpreter (sys: its `argv`, its standard output)
has `namespace_for(interp)` in place of `namespace()`, called at each interpreter's first
import of it. `_classes` holds what the stand-ins share.
"""

from __future__ import annotations

import importlib

# import name -> module of this package
STANDINS = {name: name for name in (
    "numpy", "math", "cmath", "random", "itertools", "functools", "operator", "collections",
    "time", "typing", "dataclasses", "copy", "string", "statistics", "json", "safetensors",
    "functorch", "re", "unicodedata", "warnings", "contextlib", "enum", "abc", "sys",
    "argparse", "heapq", "bisect", "os", "pathlib", "tqdm")}

_loaded: dict = {}


def load(name: str, interp=None):
    """The namespace of the stand-in for `import name` (in interpreter interp), or None
    when there is none."""
    if name not in _loaded:
        module_name = STANDINS.get(name)
        if module_name is None:
            return None
        module = importlib.import_module(f"{__name__}.{module_name}")
        if hasattr(module, "namespace_for"):
            return module.namespace_for(interp)
        _loaded[name] = module.namespace()
    return _loaded[name]


def host_callables() -> set:
    """The host callables every stand-in hands out (for the sandbox audit)."""
    found: set = set()
    for module_name in set(STANDINS.values()):
        module = importlib.import_module(f"{__name__}.{module_name}")
        found.update(getattr(module, "HOST_CALLABLES", ()))
    return found
