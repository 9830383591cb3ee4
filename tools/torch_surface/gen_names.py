"""Write tests/surface/torch_names.txt: the public names of PyTorch's surface that issue 17
measures tshell against, one `QUALIFIED_NAME KIND` a line, from the installed torch.

    /work/torchenv/bin/python tools/torch_surface/gen_names.py

"Public" here: what a program can reach without a leading underscore and that is the API of
the namespace it is listed under. Left out, by rule:
- names starting with '_', and `torch.Tensor`'s dunder operators with them;
- modules, except torch's own top-level sub-modules (`torch.fft`, `torch.jit`...: listed with
  kind `module`, since `torch.jit.script` starts with reaching `torch.jit`); Python modules
  torch imports (`torch.os`, `torch.sys`) are not torch's;
- what torch merely imports: classes and functions defined outside torch (`typing.Callable`
  in torch.nn.functional), torch's classes re-exported by another namespace (the `Tensor`
  that torch.special imports for its annotations), and the names of NOT_PUBLIC;
- non-callable values that are not torch objects (the docstring templates `common_args`,
  `EPOCH_DEPRECATION_WARNING`); torch's own constants stay (`torch.float32`, `torch.pi`,
  `torch.strided`).
The output is sorted and deterministic.
"""
from __future__ import annotations

import importlib
import inspect
import sys
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTPUT = ROOT / "tests" / "surface" / "torch_names.txt"

# The namespaces issue 17 asks for; torch.Tensor's names are its methods and properties.
NAMESPACES = ("torch", "torch.Tensor", "torch.nn", "torch.nn.functional", "torch.nn.init",
              "torch.autograd", "torch.autograd.functional", "torch.linalg", "torch.special",
              "torch.fft", "torch.optim", "torch.optim.lr_scheduler", "torch.utils.data",
              "torch.distributions")

# Names that pass the rules above but are not the API of the namespace they sit in, by hand.
NOT_PUBLIC = {
    # build and import-time switches of the torch package, and its private helpers that
    # happen to lack an underscore
    "torch": "TYPE_CHECKING USE_GLOBAL_DEPS USE_RTLD_GLOBAL_WITH_LIBTORCH PRIVATE_OPS "
             "classproperty get_file_path prepare_multiprocessing_environment "
             "profiler_allow_cudagraph_cupti_lazy_reinit_cuda12",
    # TorchScript's annotation helpers and the __torch_function__ protocol's helpers
    # (torch.overrides' API), imported for the functions' own use, and an argument check
    # of the pooling functions
    "torch.nn.functional": "BroadcastingList1 BroadcastingList2 BroadcastingList3 DType "
                           "TYPE_CHECKING boolean_dispatch handle_torch_function "
                           "has_torch_function has_torch_function_unary "
                           "has_torch_function_variadic assert_int_or_pair",
    # the profiler's and the C++ engine's types, imported from torch._C for torch.autograd's
    # own sub-modules (torch.autograd.profiler, torch.autograd.graph), and the
    # __torch_function__ helpers
    "torch.autograd": "DeviceType ProfilerActivity ProfilerConfig ProfilerEvent ProfilerState "
                      "SavedTensor handle_torch_function has_torch_function is_tensor_like "
                      "kineto_available",
    "torch.optim.lr_scheduler": "Optimizer TYPE_CHECKING",
}


def main() -> int:
    import torch
    rows = []
    for namespace in NAMESPACES:
        obj = torch.Tensor if namespace == "torch.Tensor" else importlib.import_module(namespace)
        excluded = set(NOT_PUBLIC.get(namespace, "").split())
        for name in sorted(dir(obj)):
            if name.startswith("_") or name in excluded:
                continue
            kind = tensor_kind(obj, name) if obj is torch.Tensor else \
                member_kind(torch, namespace, name, getattr(obj, name))
            if kind is not None:
                rows.append(f"{namespace}.{name} {kind}")
        missing = excluded - set(dir(obj))
        if missing:
            raise SystemExit(f"NOT_PUBLIC names no longer in {namespace}: {sorted(missing)}")
    header = (f"# torch {torch.__version__}'s public names: QUALIFIED_NAME KIND, "
              "by tools/torch_surface/gen_names.py")
    OUTPUT.write_text("\n".join([header, *sorted(rows)]) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} names to {OUTPUT.relative_to(ROOT)}", file=sys.stderr)
    return 0


def tensor_kind(cls, name: str) -> str:
    static = inspect.getattr_static(cls, name)
    return "method" if callable(static) else "property"


def member_kind(torch, namespace: str, name: str, value) -> str | None:
    """The kind of namespace.name, or None when it is not public (module docstring)."""
    if isinstance(value, types.ModuleType):
        own = namespace == "torch" and value.__name__ == f"torch.{name}"
        return "module" if own else None
    if isinstance(value, type) or callable(value):
        defined_in = getattr(value, "__module__", None) or "torch"
        if not defined_in.startswith("torch"):
            return None                            # typing, functools, collections...
        if isinstance(value, type) and getattr(torch, name, None) is value and \
                not defined_in.startswith(namespace):
            return None                            # torch.Tensor imported for annotations
        return "class" if isinstance(value, type) else "function"
    if type(value).__module__.startswith("torch") or namespace == "torch":
        return "constant"                          # dtypes, layouts, torch.pi, torch.newaxis
    return None                                    # docstring templates, math.inf


if __name__ == "__main__":
    raise SystemExit(main())
