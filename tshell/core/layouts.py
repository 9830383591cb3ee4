"""Layouts and memory formats: torch.strided (every tensor here is strided), and the memory
formats (contiguous_format, channels_last...) that contiguous(), clone(), to() and *_like
accept. A channels_last tensor is a strided view whose strides are PyTorch's (NHWC memory
seen as NCHW), so every op reads it as any other view.
"""
from __future__ import annotations

from .backend import xp_of
from .dtypes import TorchClass
from .registry import export


@export("torch")
class layout(metaclass=TorchClass):
    """How a tensor's elements are laid out in memory; tshell has the strided layout only."""

    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return (_layout_by_name, (self._name,))


def _layout_by_name(name):
    return strided if name == "strided" else layout(name)


strided = export("torch.strided")(layout("strided"))


@export("torch")
class memory_format(metaclass=TorchClass):
    """The order of dimensions in memory a new tensor takes."""

    __slots__ = ("_name", "order")

    def __init__(self, name, order):
        self._name = name
        self.order = order     # dims from the outermost in memory; None: keep / rowmajor

    def __repr__(self):
        return "torch." + self._name

    def __reduce__(self):
        return (_format_by_name, (self._name,))


def _format_by_name(name):
    return FORMATS[name]


contiguous_format = memory_format("contiguous_format", None)
preserve_format = memory_format("preserve_format", None)
channels_last = memory_format("channels_last", (0, 2, 3, 1))
channels_last_3d = memory_format("channels_last_3d", (0, 2, 3, 4, 1))
FORMATS = {f._name: f for f in (contiguous_format, preserve_format, channels_last,
                                channels_last_3d)}
export("torch.contiguous_format", "torch.legacy_contiguous_format")(contiguous_format)
export("torch.preserve_format")(preserve_format)
export("torch.channels_last")(channels_last)
export("torch.channels_last_3d")(channels_last_3d)


@export("Tensor.layout", as_property=True)
def tensor_layout(self):
    return strided


def as_memory_format(value, default=contiguous_format):
    """A memory_format argument checked (None: the default)."""
    if value is None:
        return default
    if not isinstance(value, memory_format):
        raise TypeError(f"argument 'memory_format' must be torch.memory_format, not "
                        f"{type(value).__name__}")
    return value


def check_rank(fmt, ndim):
    """PyTorch's error for channels_last of a tensor that is not 4-d (5-d for _3d)."""
    if fmt.order is not None and ndim != len(fmt.order):
        suffix = "_3d" if fmt is channels_last_3d else ""
        raise RuntimeError(f"required rank {len(fmt.order)} tensor to use channels_last"
                           f"{suffix} format")


def format_strides(shape, fmt):
    """The strides (in elements) of a dense tensor of shape laid out in fmt."""
    order = fmt.order or tuple(range(len(shape)))
    strides, step = [0] * len(shape), 1
    for d in reversed(order):
        strides[d] = step
        step *= max(shape[d], 1)
    return tuple(strides)


def is_in_format(shape, strides, fmt):
    """PyTorch's is_contiguous(memory_format=fmt): the strides of the dims of more than one
    element are those of fmt's dense layout (contiguous_format and preserve_format: row
    major)."""
    if fmt.order is not None and len(shape) != len(fmt.order):
        return False
    expected = format_strides(shape, fmt)
    return all(n == 1 or s == e for n, s, e in zip(shape, strides, expected))


def strides_like_channels_last(shape, strides):
    """PyTorch's suggest_memory_format() == channels_last for a 4-d tensor: its strides run
    C -> W -> H -> N from the smallest, with its tie-breaks (ambiguous layouts, such as
    those of size-1 dims, stay contiguous_format)."""
    if len(shape) != 4 or strides[1] == 0:
        return False
    smallest = 0
    for d in (1, 3, 2, 0):
        if shape[d] == 0 or strides[d] < smallest:
            return False
        if d == 0 and smallest == strides[1]:
            return False
        smallest = strides[d] * (shape[d] if shape[d] > 1 else 1)
    return True


def copy_in_format(xp, array, fmt):
    """A copy of array whose memory follows fmt (its dims permuted into memory order, copied
    dense, and viewed back)."""
    check_rank(fmt, array.ndim)
    if fmt.order is None:
        return xp.array(array, copy=True, order="C")
    inverse = sorted(range(array.ndim), key=fmt.order.__getitem__)
    return xp.ascontiguousarray(array.transpose(fmt.order)).transpose(inverse)


def in_memory_format(array, memory_format):
    """A fresh array laid out in memory_format (torch.empty(..., memory_format=))."""
    fmt = as_memory_format(memory_format)
    if fmt is preserve_format:
        raise RuntimeError("unsupported memory format Preserve")
    if fmt.order is None:
        return array
    return copy_in_format(xp_of(array), array, fmt)


def dense_order(array):
    """The dims in memory order when array's elements fill a block without gaps or overlaps
    (PyTorch's "non-overlapping and dense"), else None."""
    strides = element_strides(array)
    order = tuple(sorted(range(array.ndim), key=lambda d: -strides[d]))
    step = 1
    for d in reversed(order):
        if array.shape[d] != 1 and strides[d] != step:
            return None
        step *= array.shape[d]
    return order


def relaid_like(array, like, fmt, xp):
    """array (a fresh dense result of like's shape) in the memory format a *_like or clone
    gives: fmt's, or for preserve_format like's own order when like is dense."""
    if fmt is preserve_format:
        order = dense_order(like)
        if order is None or order == tuple(range(like.ndim)):
            return array
        fmt = memory_format("dense", order)
    elif fmt.order is None:
        return array
    return copy_in_format(xp, array, fmt)


def element_strides(array):
    item = array.itemsize
    return tuple(s // item for s in array.strides)


@export("Tensor")
def dim_order(self, *, ambiguity_check=False):
    """The dims from the outermost in memory to the innermost, as PyTorch's
    compute_elementwise_output_logical_to_physical_perm orders them. ambiguity_check=True
    raises where several orders fit (a size-1 dim, or two neighbouring dims with one
    stride); a list of memory formats lets such a tensor pass when it is contiguous in
    exactly one of them."""
    if not isinstance(ambiguity_check, bool) and not (
            isinstance(ambiguity_check, list)
            and all(isinstance(f, memory_format) for f in ambiguity_check)):
        raise TypeError("The ambiguity_check argument must be a bool or a list of memory "
                        "formats.")
    shape, strides = self._data.shape, element_strides(self._data)
    if ambiguity_check is not False and (1 in shape or any(
            a == b for a, b in zip(strides, strides[1:]))):
        formats = ambiguity_check if isinstance(ambiguity_check, list) else []
        if sum(self.is_contiguous(memory_format=f) for f in formats) != 1:
            raise RuntimeError("The tensor does not have unique dim order, or cannot map to "
                               "exact one of the given memory formats.")
    if len(shape) < 2:
        return tuple(range(len(shape)))
    contiguous = self.is_contiguous()
    last = self.is_contiguous(memory_format=channels_last)
    if contiguous != last:
        return tuple(range(len(shape))) if contiguous else (0, *range(2, len(shape)), 1)
    perm = list(reversed(range(len(shape))))      # innermost first while sorting
    for i in range(1, len(shape)):                 # an insertion sort that leaves ties
        later = i
        for earlier in reversed(range(i)):
            comparison = _should_swap(shape, strides, perm[earlier], perm[later])
            if comparison > 0:
                perm[earlier], perm[later] = perm[later], perm[earlier]
                later = earlier
            elif comparison < 0:
                break
    if ambiguity_check and any(_should_swap(shape, strides, a, b) != -1
                               for a, b in zip(perm, perm[1:])):
        raise RuntimeError("The tensor does not have unique dim order.")
    return tuple(reversed(perm))


def _should_swap(shape, strides, a, b) -> int:
    """1: dim a lies outside dim b in memory, -1: inside, 0: undecided (PyTorch's
    should_swap, for one tensor)."""
    def at_least(x, y):
        return y == 0 or x != 0 and (x >= y or x % y == 0)
    sa, sb = strides[a], strides[b]
    if sa == 0 or sb == 0:
        return 0
    if sa == sb:
        return 0 if at_least(shape[b], shape[a]) else 1
    if at_least(sb, sa):
        return -1
    return 1 if at_least(sa, sb) else 0
