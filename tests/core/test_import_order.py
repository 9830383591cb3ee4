"""The core's import order (issue 14): leaf modules, the tensor, the graph recording, the
engine, the ops, the namespaces. A module imports, when it loads, only modules below it; an
import inside a function (a late import) is there because a cycle or start-up cost needs it,
and says which in a comment."""
from __future__ import annotations

import ast
import functools
import graphlib
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = os.path.join(ROOT, "tshell", "core")

# The bottom of the order, lowest first: a module may load only modules of its own layer or
# one below (and registry, which every layer may use). Everything else of tshell.core (the
# ops, random, methods, serialization, the torch.* namespaces, nn, optim...) stands above.
LAYERS = [
    ("op_index", "registry", "autocast_policy", "allocator", "file_io", "atomic_file",
     "switches"),                                             # nothing above (data, tools)
    ("dtypes", "grad_mode", "graph"),                         # grad mode; nodes and edges
    ("device", "limits", "meta"),
    ("backend", "printing"),
    ("tensor",),                                              # Tensor and record (recording)
    ("autograd",),                                            # the backward engine
]
BASE = [name for layer in LAYERS for name in layer]

# Modules whose late imports are not yet reviewed (issue 14: each op module's owner comments
# or removes them); the lead empties this set.
MAX_LATE_IMPORTS = 26      # the 8 of torch.compile and amp (2026-12-08) each say why


def _modules():
    """{dotted name: path} of every module of tshell.core."""
    found = {}
    for folder, _, files in os.walk(CORE):
        for f in files:
            if f.endswith(".py"):
                path = os.path.join(folder, f)
                parts = os.path.relpath(path, ROOT)[:-3].split(os.sep)
                found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


@functools.cache
def _imports(path):
    """[(node, late)] for each import statement of a module; late: inside a function."""
    found = []

    def visit(node, late):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.Import, ast.ImportFrom)):
                found.append((child, late))
            visit(child, late or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                    ast.Lambda)))
    with open(path) as f:
        visit(ast.parse(f.read()), False)
    return tuple(found)


def _targets(module, node):
    """The tshell.core modules an import statement of `module` loads."""
    if isinstance(node, ast.Import):
        names = [a.name for a in node.names]
    else:
        if node.level:
            base = module.split(".")
            if not MODULES[module].endswith("__init__.py"):
                base = base[:-1]
            base = base[:len(base) - node.level + 1]
            package = ".".join(base + ([node.module] if node.module else []))
        else:
            package = node.module or ""
        names = [f"{package}.{a.name}" if f"{package}.{a.name}" in MODULES else package
                 for a in node.names]
    return {n for n in names if n in MODULES and n != module}


@functools.cache
def _load_graph():
    """{module: the tshell.core modules it imports when it loads}."""
    return {m: set().union(*[_targets(m, node) for node, late in _imports(path) if not late])
            for m, path in MODULES.items()}


def _late_imports():
    """[(module, line number, has a comment)] for each import inside a function."""
    found = []
    for m, path in MODULES.items():
        with open(path) as f:
            lines = f.read().splitlines()
        for node, late in _imports(path):
            if late:
                text = lines[node.lineno - 1:node.end_lineno]
                commented = any("#" in line for line in text) or \
                    lines[node.lineno - 2].strip().startswith("#")
                found.append((m, node.lineno, commented))
    return found


def test_core_loads_without_a_cycle():
    graph = _load_graph()
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as e:
        pytest.fail(f"modules of tshell.core import each other when they load: {e.args[1]}")


@pytest.mark.parametrize("name", BASE)
def test_base_module_imports_only_below(name):
    """Statically: each import a base module runs when it loads names its layer or one below."""
    graph = _load_graph()
    level = next(i for i, layer in enumerate(LAYERS) if name in layer)
    allowed = {f"tshell.core.{n}" for layer in LAYERS[:level + 1] for n in layer}
    above = sorted(graph[f"tshell.core.{name}"] - allowed)
    assert not above, f"tshell.core.{name} imports modules above it: {above}"


_PULLED_IN = """
import importlib, json, sys, types
core = types.ModuleType("tshell.core")     # the package without its __init__ (which loads all)
core.__path__ = [sys.argv[1]]
pulled = {}
for name in sys.argv[2:]:                  # each from nothing: no module of tshell.core loaded
    for loaded in [m for m in sys.modules if m.startswith("tshell.core")]:
        del sys.modules[loaded]
    sys.modules["tshell.core"] = core
    importlib.import_module("tshell.core." + name)
    pulled[name] = sorted(m[len("tshell.core."):] for m in sys.modules
                          if m.startswith("tshell.core."))
print(json.dumps(pulled))
"""


def test_base_modules_pull_in_nothing_above_them():
    """Run: each base module, imported alone, loads only its layer and those below."""
    out = subprocess.run([sys.executable, "-c", _PULLED_IN, CORE, *BASE], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    pulled = json.loads(out.stdout)
    for level, layer in enumerate(LAYERS):
        allowed = {n for below in LAYERS[:level + 1] for n in below}
        for name in layer:
            above = sorted(set(pulled[name]) - allowed)
            assert not above, f"importing tshell.core.{name} loads {above}"
    assert pulled["registry"] == ["autocast_policy", "op_index", "registry"] and \
        "graph" in pulled["tensor"]


def test_late_imports_say_why():
    silent = [f"{m}:{line}" for m, line, commented in _late_imports() if not commented]
    assert not silent, f"late imports without a comment saying which cycle or cost: {silent}"


def test_late_imports_are_few():
    count = len(_late_imports())
    assert count <= MAX_LATE_IMPORTS, f"{count} imports inside functions in tshell.core"


def test_lazy_submodules_are_imported_on_first_use():
    """torch.nn, torch.distributions, torch.optim... (tshell.core.LAZY) cost every program's
    start-up nothing until it uses them, through the core and through a tsh interpreter."""
    code = ("import sys, tshell.core as core; from tshell.lang import Interpreter; "
            "Interpreter(); print(core.LAZY, [m for m in core.LAZY "
            "if 'tshell.core.' + m in sys.modules]); core.optim; core.quasirandom; "
            "print('tshell.core.optim' in sys.modules, 'tshell.core.quasirandom' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120)
    lazy, loaded = out.stdout.splitlines()
    assert "'nn'" in lazy and "'distributions'" in lazy and lazy.endswith(" []"), out.stderr
    assert loaded == "True True"
