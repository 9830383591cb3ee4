"""torch.optim.Optimizer: parameter groups, per-parameter state, state_dict, hooks, repr.

The update rules live in the subclasses (one file each), written with tensor ops in the
order of PyTorch's single-tensor `for` path, so that their float arithmetic rounds as
PyTorch's does. What is common to them is here: groups and their defaults, the step's
wrapper (hooks, the grad mode, the closure), and the state's save and load.
"""
from __future__ import annotations

import functools
import warnings
from collections import OrderedDict, defaultdict
from itertools import chain

import numpy as np

from ..grad_mode import INFERENCE, enable_grad, set_grad_enabled
from ..graph import RemovableHandle
from ..dtypes import float32, float64, get_default_dtype
from ..ops.creation import full
from ..parallel import MIN_SPLIT, bounds, parts_for, run_parts
from ..nn.parameter import Parameter
from ..tensor import Tensor, wrap

# torch.optim.optimizer.register_optimizer_step_pre_hook / _post_hook: hooks for every
# optimizer, run before (after) each instance's own.
_GLOBAL_PRE_HOOKS: OrderedDict = OrderedDict()
_GLOBAL_POST_HOOKS: OrderedDict = OrderedDict()

# PyTorch's accelerators for capturable=True (torch.optim.optimizer
# _get_capturable_supported_devices); a CPU parameter is refused at step().
CAPTURABLE_DEVICES = ["cuda", "xpu", "hpu", "privateuseone", "xla"]

DUPLICATE_WARNING = ("optimizer contains a parameter group with duplicate parameters; in "
                     "future, this will cause an error; see github.com/pytorch/pytorch/issues/"
                     "40967 for more information")


def register_optimizer_step_pre_hook(hook):
    """A hook(optimizer, args, kwargs) run before every optimizer's step; it may return
    new (args, kwargs)."""
    return RemovableHandle(_GLOBAL_PRE_HOOKS, hook)


def register_optimizer_step_post_hook(hook):
    """A hook(optimizer, args, kwargs) run after every optimizer's step."""
    return RemovableHandle(_GLOBAL_POST_HOOKS, hook)


def typename(obj) -> str:
    """torch.typename: 'torch.FloatTensor' for a tensor, else the qualified class name."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = cls.__module__ or ""
    return cls.__qualname__ if module in ("", "builtins") else f"{module}.{cls.__qualname__}"


def scalar_dtype():
    """The dtype of a step count kept as a tensor (PyTorch's _get_scalar_dtype)."""
    return float64 if get_default_dtype() is float64 else float32


def step_count(p, on_device, value=0.0):
    """A step count (or running product) as PyTorch keeps it: a 0-dim tensor of the scalar
    dtype, on the CPU unless capturable=True or fused=True put it on the parameter's
    device."""
    return full((), value, dtype=scalar_dtype(), device=p.device if on_device else None)


def as_scalar(x):
    """PyTorch's _to_scalar: a one-element tensor hyperparameter as a 0-dim tensor."""
    return x.squeeze() if isinstance(x, Tensor) and x.dim() != 0 else x


def number(x):
    """A hyperparameter where PyTorch's kernels take a Scalar: a tensor's value."""
    return x.item() if isinstance(x, Tensor) else x


def _run_pre_hooks(step, self, args, kwargs):
    for hook in chain(_GLOBAL_PRE_HOOKS.values(), self._optimizer_step_pre_hooks.values()):
        result = hook(self, args, kwargs)
        if result is not None:
            if not (isinstance(result, tuple) and len(result) == 2):
                raise RuntimeError(f"{step} must return None or a tuple of (new_args, "
                                   f"new_kwargs), but got {result}.")
            args, kwargs = result
    return args, kwargs


def _with_step_hooks(step):
    """Optimizer.step wrapped as PyTorch's profile_hook_step wraps it: the global and the
    instance's pre-hooks (which may replace the arguments), the step, the post-hooks."""
    @functools.wraps(step)
    def wrapper(*args, **kwargs):
        self = args[0]
        self._opt_called = True          # for lr_scheduler's order warning
        if _GLOBAL_PRE_HOOKS or self._optimizer_step_pre_hooks:
            args, kwargs = _run_pre_hooks(step, self, args, kwargs)
        out = step(*args, **kwargs)
        if _GLOBAL_POST_HOOKS or self._optimizer_step_post_hooks:
            for hook in chain(self._optimizer_step_post_hooks.values(),
                              _GLOBAL_POST_HOOKS.values()):
                hook(self, args, kwargs)
        return out
    wrapper._hooked = True
    return wrapper


class TorchOptimClass(type):
    """type(opt) prints as PyTorch's class does: <class 'torch.optim.sgd.SGD'>."""

    def __repr__(cls):
        return f"<class '{cls.__module__.replace('tshell.core.', 'torch.', 1)}." \
               f"{cls.__qualname__}'>"


class Optimizer(metaclass=TorchOptimClass):
    """Base class for all optimizers: `params` is an iterable of tensors or of dicts (one
    per parameter group, each with "params" and the options that differ from `defaults`)."""

    # State entries that old state dicts may hold as numbers; loading makes them tensors.
    _SCALAR_STATE: tuple = ("step",)
    # Options a loaded group may lack and gets (PyTorch's __setstate__ of each optimizer).
    _LOAD_DEFAULTS: tuple = ()

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        step = cls.__dict__.get("step")
        if step is not None and not getattr(step, "_hooked", False):
            cls.step = _with_step_hooks(step)

    def __init__(self, params, defaults):
        self.defaults = defaults
        self._optimizer_step_pre_hooks = OrderedDict()
        self._optimizer_step_post_hooks = OrderedDict()
        self._optimizer_state_dict_pre_hooks = OrderedDict()
        self._optimizer_state_dict_post_hooks = OrderedDict()
        self._optimizer_load_state_dict_pre_hooks = OrderedDict()
        self._optimizer_load_state_dict_post_hooks = OrderedDict()
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            "Tensors or dicts, but got " + typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __repr__(self):
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group.keys()):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"

    # ---- parameter groups ----------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group ({"params": ..., option: value...}); missing options take the
        optimizer's defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered "
                            "collections, but the ordering of tensors in sets will change "
                            "between runs. Please use a list instead.")
        else:
            params = list(params)
        names = [p[0] for p in params if isinstance(p, tuple)]
        param_group["params"] = params = [p[1] if isinstance(p, tuple) else p for p in params]
        if names:
            if len(names) != len(params):
                raise ValueError("all optimizer params should be with/without names. Some "
                                 "param names are missing")
            param_group["param_names"] = names
        differentiable = self.defaults.get("differentiable", None)
        for param in params:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params "
                                "is " + typename(param))
            if not differentiable and not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            param_group.setdefault(name, default)
        if len(params) != len(set(params)):
            warnings.warn(DUPLICATE_WARNING, stacklevel=3)
        seen = set()
        for group in self.param_groups:
            seen.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not seen.isdisjoint(params):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Reset the gradients: to None (the default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p.grad
                if grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    # ---- the step --------------------------------------------------------------------------
    def step(self, closure=None):
        """Perform a single optimization step; `closure` re-evaluates the model and returns
        the loss.

        Each optimizer's `_update` runs for every parameter that has a gradient, group by
        group, in the group's order, after the closure (run with grad mode on); the update
        runs with grad mode on only for differentiable=True.
        """
        update = self._update
        if type(self)._update is Optimizer._update:
            raise NotImplementedError               # the base class steps nothing
        with set_grad_enabled(bool(self.defaults.get("differentiable", False))):
            loss = None
            if closure is not None:
                with enable_grad():
                    loss = closure()
            for group in self.param_groups:
                split = None            # decided at the group's first large parameter
                for p in group["params"]:
                    grad = p.grad
                    if grad is None:
                        continue
                    if p._data.size >= MIN_SPLIT:
                        if split is None:
                            split = self._splits(group)
                        if split and self._update_in_parts(group, p, grad):
                            continue
                    update(group, p, grad)
        return loss

    def _update(self, group, p, grad):
        """One parameter's update (each optimizer's rule)."""
        raise NotImplementedError

    # ---- a large parameter's update on several threads --------------------------------------
    # Whether `_update` is elementwise in the parameter, its gradient and the state tensors
    # of the parameter's shape (no reductions, no matrix products over them): then the
    # update of each part of them is the update of the whole, restricted to that part.
    # Only a class's own declaration counts (see _splits).
    _ELEMENTWISE = False
    # True while _update runs on the parts of a split parameter (an update rule may then
    # keep to its plain ops: Adam's block kernel gains nothing on a worker thread)
    _parts_running = False

    def _splits(self, group) -> bool:
        """Whether this group's large parameters are updated in parts. Only the library's
        own update rules, on plain options, run on worker threads: a subclass (a program's
        own, perhaps) may override what `_update` calls, and an option of a program's own
        class would run the program's code on a worker thread."""
        cls = type(self)
        return (cls.__module__.startswith("tshell.core.") and
                cls.__dict__.get("_ELEMENTWISE", False)
                and not (group.get("differentiable") or group.get("capturable"))
                and all(_plain(value) for key, value in group.items() if key != "params"))

    def _update_in_parts(self, group, p, grad) -> bool:
        """Run `_update` on parts of a large parameter on several threads (parallel.py),
        bit-identical to one call; False where it does not apply (nothing done then).

        Each part is a parameter of its own: plain tensors over slices of the parameter, its
        gradient and its state tensors of the parameter's shape, with a state dict of its
        own (entered in self.state for the call, so `_update` finds it). The first part's
        state shares the other entries (the step count, scalars) with the real state, and
        what the update writes there stays; the other parts work on copies of them. The
        version counters then advance by as many writes as one part made, as one call's.
        """
        parts = parts_for(p._data.size)
        state = self.state.get(p) or {}
        # a first step makes the state at the parameter's full size: it runs whole
        if parts == 1 or not state:
            return False
        keys = [key for key, value in state.items()
                if isinstance(value, Tensor) and value.shape == p.shape]
        whole = [p, grad, *(state[key] for key in keys)]
        if not all(_plain(t) and _splittable(t) for t in whole) or \
                len({t._data.ctypes.data for t in whole}) < len(whole) or \
                not all(_plain(value) for value in state.values()):
            return False
        pieces = [[_part(t._data.reshape(-1)[lo:hi]) for t in whole]
                  for lo, hi in bounds(p._data.size, parts)]
        part_states = [_part_state(state, dict(zip(keys, piece[2:])), copy=i > 0)
                       for i, piece in enumerate(pieces)]
        for piece, part_state in zip(pieces, part_states):
            self.state[piece[0]] = part_state
        self._parts_running = True
        try:
            run_parts([functools.partial(self._update, group, piece[0], piece[1])
                       for piece in pieces])
        finally:
            self._parts_running = False
            for piece in pieces:
                del self.state[piece[0]]
        for key, value in part_states[0].items():
            if key not in keys:
                state[key] = value
        for t, part in zip(whole, pieces[0]):
            if part._version:
                t._counter()[0] += part._version
        return True

    def _new_state(self, p, group) -> dict:
        """The state of a parameter's first step (each optimizer fills it)."""
        return {}

    def _state_of(self, p, group) -> dict:
        state = self.state[p]
        if len(state) == 0:
            if p.is_complex():
                raise NotImplementedError(f"tshell's {type(self).__name__} does not support "
                                          "complex parameters")
            state.update(self._new_state(p, group))
        return state

    @staticmethod
    def _check_capturable(group, p, what="params and state_steps"):
        """capturable=True needs an accelerator: PyTorch's check, made at step time."""
        if group.get("capturable") and p.device.type not in CAPTURABLE_DEVICES:
            raise AssertionError(f"If capturable=True, {what} must be on supported devices: "
                                 f"{CAPTURABLE_DEVICES}.")

    # ---- hooks ----------------------------------------------------------------------------
    def register_step_pre_hook(self, hook):
        """hook(optimizer, args, kwargs) before each step; it may return (args, kwargs)."""
        return RemovableHandle(self._optimizer_step_pre_hooks, hook)

    def register_step_post_hook(self, hook):
        """hook(optimizer, args, kwargs) after each step."""
        return RemovableHandle(self._optimizer_step_post_hooks, hook)

    def register_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer) before state_dict() builds its result."""
        return _handle(self._optimizer_state_dict_pre_hooks, hook, prepend)

    def register_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) after state_dict(); it may return a new one."""
        return _handle(self._optimizer_state_dict_post_hooks, hook, prepend)

    def register_load_state_dict_pre_hook(self, hook, prepend=False):
        """hook(optimizer, state_dict) before loading; it may return the dict to load."""
        return _handle(self._optimizer_load_state_dict_pre_hooks, hook, prepend)

    def register_load_state_dict_post_hook(self, hook, prepend=False):
        """hook(optimizer) after load_state_dict()."""
        return _handle(self._optimizer_load_state_dict_post_hooks, hook, prepend)

    # ---- saving and loading ------------------------------------------------------------
    def state_dict(self):
        """{'state': {index: per-parameter state}, 'param_groups': [group options with
        'params' as indices]}: parameters are numbered in group order, first come first."""
        for hook in self._optimizer_state_dict_pre_hooks.values():
            hook(self)
        index: dict = {}
        groups = []
        start = 0
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            # a parameter seen in an earlier group keeps its index; within one group the
            # last occurrence wins (PyTorch builds the group's mapping, then merges it)
            index.update({id(p): i for i, p in enumerate(group["params"], start)
                          if id(p) not in index})
            packed["params"] = [index[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v
                 for k, v in self.state.items()}
        state_dict = {"state": state, "param_groups": groups}
        for hook in self._optimizer_state_dict_post_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        return state_dict

    def load_state_dict(self, state_dict):
        """Load what state_dict() returned: groups must match in number and sizes; state
        tensors take each parameter's dtype and device (the step count excepted)."""
        state_dict = state_dict.copy()
        for hook in self._optimizer_load_state_dict_pre_hooks.values():
            result = hook(self, state_dict)
            if result is not None:
                state_dict = result
        groups = self.param_groups
        saved_groups = _deep_copy(state_dict["param_groups"])
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))
        special = {i: g for g in state_dict["param_groups"] for i in g["params"]}
        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                state[id_map[k]] = _cast(id_map[k], v, special.get(k, {}))
            else:
                state[k] = v
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
        self.state, self.param_groups = state, saved_groups
        self._after_load()
        for hook in self._optimizer_load_state_dict_post_hooks.values():
            hook(self)

    def _after_load(self):
        """PyTorch's __setstate__: options added since older versions get their value when
        a saved group lacks them; step counts saved as numbers become tensors."""
        self.defaults.setdefault("differentiable", False)
        for group in self.param_groups:
            for name, default in self._LOAD_DEFAULTS:
                group.setdefault(name, default)
            on_device = group.get("capturable") or group.get("fused")
            for p in group["params"]:
                state = self.state.get(p)
                for key in self._SCALAR_STATE if state else ():
                    if key in state and not isinstance(state[key], Tensor):
                        state[key] = step_count(p, on_device, float(state[key]))


Optimizer.step = _with_step_hooks(Optimizer.step)


def _part(array):
    """A part of a split tensor: a plain tensor over `array` with a version counter of its
    own, which counts the part's writes (in inference_mode too)."""
    t = wrap(array)
    t._ver = [0]
    return t


def _part_state(state, split, copy):
    """A part's state: its slices of the split tensors, the other entries shared (or, with
    `copy`, tensors copied: a part's writes to them must not count twice)."""
    return {key: split[key] if key in split else
            value.clone() if copy and isinstance(value, Tensor) else value
            for key, value in state.items()}


_PLAIN_TYPES = frozenset((int, float, bool, str, type(None), Tensor, Parameter))


def _plain(value) -> bool:
    """An option or state value whose use runs no code of a program's own: a number, a
    string, None, a tensor of the library's own classes, a tuple of those."""
    if type(value) is tuple:
        return all(type(v) in _PLAIN_TYPES for v in value)
    return type(value) in _PLAIN_TYPES


def _splittable(t) -> bool:
    """A tensor whose storage can be cut into parts by slicing its flat data: a C-contiguous
    real floating NumPy array (a CPU tensor)."""
    data = t._data
    return type(data) is np.ndarray and data.flags.c_contiguous and data.dtype.kind == "f" \
        and t._ver is not INFERENCE       # an inference tensor's writes count nothing


def _handle(hooks, hook, prepend):
    handle = RemovableHandle(hooks, hook)
    if prepend:
        hooks.move_to_end(handle._id, last=False)
    return handle


def _cast(param, value, group, key=None):
    """A loaded state value for `param`: tensors to its device, and to its dtype when it is
    floating ('step' keeps its own unless capturable or fused)."""
    if isinstance(value, Tensor):
        if key == "step":
            if group.get("capturable") or group.get("fused"):
                return value.to(dtype=float32, device=param.device)
            return value
        if param.is_floating_point():
            return value.to(dtype=param.dtype, device=param.device)
        return value.to(device=param.device)
    if isinstance(value, dict):
        return {k: _cast(param, v, group, k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast(param, v, group) for v in value)
    return value


def _deep_copy(value):
    """copy.deepcopy for the values of parameter groups (tensors are cloned)."""
    if isinstance(value, Tensor):
        return value.detach().clone().requires_grad_(value.requires_grad)
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_deep_copy(v) for v in value)
    return value


# ---- argument checks shared by the optimizers' constructors ------------------------------
def check_lr(lr) -> None:
    """PyTorch's checks of `lr`: a tensor must have one element; no negative value."""
    if isinstance(lr, Tensor) and lr.numel() != 1:
        raise ValueError("Tensor lr must be 1-element")
    check_at_least_zero(("learning rate", lr))


def check_at_least_zero(*named) -> None:
    """ValueError('Invalid NAME: value') for the first (NAME, value) not >= 0 (NaN fails)."""
    for what, value in named:
        if not 0.0 <= value:
            raise ValueError(f"Invalid {what}: {value}")


def check_betas(betas) -> None:
    for i, beta in enumerate(betas[:2]):
        if not 0.0 <= beta < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {beta}")


def check_fused(fused, foreach, differentiable) -> None:
    """PyTorch's checks of fused=True (which then runs the single-tensor arithmetic here)."""
    if fused:
        if differentiable:
            raise RuntimeError("`fused` does not support `differentiable`")
        if foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
