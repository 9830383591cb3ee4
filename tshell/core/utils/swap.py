"""torch.utils.swap_tensors: two tensor objects exchange their contents (class, data,
autograd state, attributes) and keep their identities, as PyTorch's does for
nn.Module conversions that must keep every reference to a parameter valid.

PyTorch refuses a tensor whose TensorImpl something else still holds (its use_count): a
view of it, a node that saved it, or, for a leaf, anything besides its AccumulateGrad node,
which it poisons instead (a backward through the old graph then raises). tshell counts the
same holders: the tensors whose view base it is, the nodes whose saved tensors hold it, and a
leaf's live AccumulateGrad.
"""
from __future__ import annotations

import gc
import weakref

from ..graph import AccumulateGrad, Node, Watch
from ..tensor import Tensor

_set_class = object.__dict__["__class__"].__set__

__all__ = ["swap_tensors"]

POISONED = ("Trying to execute AccumulateGrad node that was poisoned by swap_tensors this can "
            "happen when you try to run backward on a tensor that was swapped. For a module m "
            "with `torch.__future__.set_swap_module_params_on_conversion(True)` you should not "
            "change the device or dtype of the module (e.g. `m.cpu()` or `m.half()`) between "
            "running forward and backward. To resolve this, please only change the "
            "device/dtype before running forward (or after both forward and backward).")
NO_EDGE = ("It is not possible to get the gradient edge for a Tensor that does not require "
           "gradients")


def swap_tensors(t1, t2):
    """Swap the contents of two tensors: t1 then has t2's content while staying t1."""
    if weakref.getweakrefs(t1):
        raise RuntimeError("Cannot swap t1 because it has weakref associated with it")
    if weakref.getweakrefs(t2):
        raise RuntimeError("Cannot swap t2 because it has weakref associated with it")
    for t in (t1, t2):
        if not isinstance(t, Tensor):
            raise AttributeError(f"'{type(t).__name__}' object has no attribute '_use_count'")
    _check_use_count(t1, "t1")
    _check_use_count(t2, "t2")
    class1, class2 = type(t1), type(t2)
    _set_class(t1, class2)          # (Parameter's `__class__` attribute reads as Tensor)
    _set_class(t2, class1)
    t1.__dict__, t2.__dict__ = t2.__dict__, t1.__dict__
    # each content gets a fresh AccumulateGrad when it is next used (the old ones are poisoned)
    for t in (t1, t2):
        t.__dict__.pop("_accumulator", None)


def _accumulator(t):
    ref = t.__dict__.get("_accumulator")
    return ref() if ref is not None else None


def _holders(t) -> int:
    """How many views and saved-tensor slots of live nodes hold t."""
    count = 0
    for referrer in gc.get_referrers(t):
        if isinstance(referrer, Tensor) and vars(referrer).get("_base") is t:
            count += 1                                   # a view's base
        elif type(referrer) is dict and referrer.get("_base") is t:
            count += 1                                   # (the same, a dict made)
        elif type(referrer) is tuple and any(
                isinstance(n, Node) and not isinstance(n, AccumulateGrad)
                and n._saved is referrer for n in gc.get_referrers(referrer)):
            count += sum(1 for x in referrer if x is t)  # saved for backward
    return count


def _check_use_count(t, name):
    acc = _accumulator(t)
    use_count = 1 + (acc is not None) + _holders(t)
    if use_count == 1:
        return
    message = (f"Expected use_count of {name} to be 1 or 2 with an AccumulateGrad node but got "
               f"{use_count} make sure you are not holding references to the tensor in other "
               "places.")
    if use_count != 2 or not t.is_leaf:
        raise RuntimeError(message)
    if not t.requires_grad:
        raise RuntimeError(NO_EDGE)
    if acc is None:             # PyTorch makes the leaf's accumulator to look: one more holder
        raise RuntimeError(message)
    _poison(acc)


def _poison(acc):
    """The old graph's AccumulateGrad raises when a backward reaches it (its hooks run
    first; a Watch of its own, as the leaf's Watch moves with the content)."""
    def poisoned(grad):
        raise RuntimeError(POISONED)
    watch = Watch()
    old = acc._watch
    if old is not None:
        watch.hooks = {k: dict(v) for k, v in old.hooks.items()}
        watch.retained = dict(old.retained)
    watch.hooks = {0: {"swap_tensors": poisoned, **watch.hooks.get(0, {})}}
    acc._watch = watch
