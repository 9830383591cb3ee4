"""torch.testing: assert_close with PyTorch's default tolerances per dtype and its mismatch
messages, make_tensor, and the deprecated assert_allclose."""
from __future__ import annotations

import cmath
import warnings

from . import dtypes
from .dtypes import BOOL, COMPLEX, FLOATING, INTEGRAL, promote_types
from .ops.creation import empty, tensor
from .random import rand, randint
from .tensor import Tensor

__all__ = ["assert_close", "make_tensor", "assert_allclose"]

# (rtol, atol) by dtype; every other dtype compares exactly.
DTYPE_PRECISIONS = {"float16": (0.001, 1e-05), "bfloat16": (0.016, 1e-05),
                    "float32": (1.3e-06, 1e-05), "float64": (1e-07, 1e-07),
                    "complex64": (1.3e-06, 1e-05), "complex128": (1e-07, 1e-07)}


class _Mismatch(Exception):
    """A failed comparison: the exception type to raise, its message, and where in nested
    inputs it happened."""

    def __init__(self, kind, message, where=()):
        super().__init__(message)
        self.kind, self.message, self.where = kind, message, where

    def error(self, msg):
        if isinstance(msg, str):
            return self.kind(msg)
        text = self.message
        if self.where:
            text += "\n\nThe failure occurred for item " + "".join(str([w]) for w in self.where)
        return self.kind(msg(text) if callable(msg) else text)


def default_tolerances(*dtype_list, precisions=DTYPE_PRECISIONS):
    """The loosest (rtol, atol) of the dtypes."""
    pairs = [precisions.get(d.name, (0.0, 0.0)) for d in dtype_list]
    return max(p[0] for p in pairs), max(p[1] for p in pairs)


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raise AssertionError, with PyTorch's message, unless actual and expected (tensors,
    numbers, or sequences and mappings of them) are close."""
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got "
                         f"no {'rtol' if rtol is None else 'atol'}.")
    options = dict(rtol=rtol, atol=atol, equal_nan=equal_nan, check_device=check_device,
                   check_dtype=check_dtype, check_stride=check_stride)
    try:
        _compare(actual, expected, (), options)
    except _Mismatch as mismatch:
        raise mismatch.error(msg) from None


def _compare(actual, expected, where, options):
    if isinstance(actual, (list, tuple)) and isinstance(expected, (list, tuple)):
        if len(actual) != len(expected):
            raise _Mismatch(AssertionError, f"The length of the sequences mismatch: "
                                            f"{len(actual)} != {len(expected)}", where)
        for i, (a, e) in enumerate(zip(actual, expected)):
            _compare(a, e, where + (i,), options)
    elif isinstance(actual, dict) and isinstance(expected, dict):
        if actual.keys() != expected.keys():
            missing, extra = expected.keys() - actual.keys(), actual.keys() - expected.keys()
            raise _Mismatch(AssertionError, f"The keys of the mappings do not match:\n"
                                            f"Missing keys in the actual mapping: "
                                            f"{sorted(missing)}\nAdditional keys in the actual "
                                            f"mapping: {sorted(extra)}", where)
        for key in actual:
            _compare(actual[key], expected[key], where + (key,), options)
    elif actual is None and expected is None:
        return
    elif isinstance(actual, Tensor) and isinstance(expected, Tensor):
        _compare_tensors(actual, expected, where, options)
    elif _is_number(actual) and _is_number(expected):
        _compare_numbers(actual, expected, where, options)
    else:
        raise TypeError(f"No comparison pair was able to handle inputs of type "
                        f"{type(actual)!r} and {type(expected)!r}.")


def _is_number(value):
    return isinstance(value, (bool, int, float, complex))


def _compare_numbers(actual, expected, where, options):
    if options["check_dtype"] and type(actual) is not type(expected):
        raise _Mismatch(AssertionError, f"The (d)types do not match: {type(actual)} != "
                                        f"{type(expected)}.", where)
    rtol, atol = options["rtol"], options["atol"]
    if rtol is None:
        kinds = {bool: dtypes.bool_, int: dtypes.int64, float: dtypes.float64,
                 complex: dtypes.complex128}
        rtol, atol = default_tolerances(kinds[type(actual)], kinds[type(expected)])
    if actual == expected:
        return
    if options["equal_nan"] and cmath.isnan(actual) and cmath.isnan(expected):
        return
    difference = abs(actual - expected)
    if cmath.isfinite(difference) and difference <= atol + rtol * abs(expected):
        return
    raise _Mismatch(AssertionError, _scalar_message(actual, expected, rtol, atol), where)


def _compare_tensors(actual, expected, where, options):
    def attribute_mismatch(name, a, e):
        raise _Mismatch(AssertionError,
                        f"The values for attribute '{name}' do not match: {a} != {e}.", where)

    if actual.shape != expected.shape:
        attribute_mismatch("shape", actual.shape, expected.shape)
    if options["check_stride"] and actual.stride() != expected.stride():
        attribute_mismatch("stride()", actual.stride(), expected.stride())
    if options["check_device"] and actual.device != expected.device:
        attribute_mismatch("device", actual.device, expected.device)
    if options["check_dtype"] and actual.dtype is not expected.dtype:
        attribute_mismatch("dtype", actual.dtype, expected.dtype)
    rtol, atol = options["rtol"], options["atol"]
    if rtol is None:
        rtol, atol = default_tolerances(actual.dtype, expected.dtype)
    actual, expected = _equalized(actual.detach(), expected.detach())
    if _is_float8(actual.dtype):        # compared bit for bit, as PyTorch does
        matches = actual.view(dtypes.uint8) == expected.view(dtypes.uint8)
    else:
        matches = actual.isclose(expected, rtol=rtol, atol=atol,
                                 equal_nan=options["equal_nan"])
    if matches.all().item():
        return
    if actual.ndim == 0 and not _is_float8(actual.dtype):
        message = _scalar_message(actual.item(), expected.item(), rtol, atol)
    else:
        message = _tensor_message(actual, expected, matches, rtol, atol)
    raise _Mismatch(AssertionError, message, where)


def _is_float8(d):
    return d.category == FLOATING and d.itemsize == 1


def _equalized(actual, expected):
    """Both on the CPU in one dtype (uint16/32/64 compare as int64), as PyTorch compares."""
    if actual.device != expected.device:
        actual, expected = actual.cpu(), expected.cpu()
    if actual.dtype is not expected.dtype:
        wide = [dtypes.int64 if d in dtypes.BAREBONES_UNSIGNED else d
                for d in (actual.dtype, expected.dtype)]
        common = promote_types(*wide)
        actual, expected = actual.to(common), expected.to(common)
    return actual, expected


def _scalar_message(actual, expected, rtol, atol):
    difference = abs(actual - expected)
    relative = float("inf") if expected == 0 else difference / abs(expected)
    return _message("Scalars", f"Expected {expected} but got {actual}.", difference, None,
                    atol, relative, None, rtol)


def _tensor_message(actual, expected, matches, rtol, atol):
    total = matches.numel()
    mismatched = total - int(matches.sum().item())
    extra = f"Mismatched elements: {mismatched} / {total} ({mismatched / total:.1%})"
    if _is_float8(actual.dtype):
        first = tuple((~matches).nonzero()[0].tolist())
        return (f"Tensor-likes are not 'equal'!\n\n{extra}\nThe first mismatched element is "
                f"at index {first}.")
    a, e, same = actual.flatten(), expected.flatten(), matches.flatten()
    if actual.dtype.category < FLOATING:
        a, e = a.to(dtypes.int64), e.to(dtypes.int64)
    absolute = (a - e).abs()
    absolute[same] = 0
    max_abs, abs_at = absolute.max(0)
    relative = absolute / e.abs()
    relative[same] = 0
    max_rel, rel_at = relative.max(0)
    shape = tuple(matches.shape)
    return _message("Tensor-likes", extra, max_abs.item(), _unravel(int(abs_at), shape), atol,
                    max_rel.item(), _unravel(int(rel_at), shape), rtol)


def _unravel(flat, shape):
    index = []
    for size in reversed(shape):
        flat, rest = divmod(flat, size)
        index.append(rest)
    return tuple(reversed(index))


def _message(what, extra, abs_diff, abs_at, atol, rel_diff, rel_at, rtol):
    exact = rtol == 0 and atol == 0

    def line(kind, diff, at, tol):
        text = (f"{kind.title()} difference: {diff}" if at is None
                else f"Greatest {kind} difference: {diff} at index {at}")
        return text + ("" if exact else f" (up to {tol} allowed)") + "\n"

    text = f"{what} are not {'equal' if exact else 'close'}!\n\n{extra.strip()}\n"
    text += line("absolute", abs_diff, abs_at, atol) + line("relative", rel_diff, rel_at, rtol)
    return text.strip()


def make_tensor(*shape, dtype, device, low=None, high=None, requires_grad=False,
                noncontiguous=False, exclude_zero=False, memory_format=None):
    """A tensor of random values in [low, high) (default [-9, 9] for floats, [-9, 10) for
    integers, both truth values for bool), as PyTorch's test helper makes it."""
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = tuple(shape[0])
    if dtype.category == BOOL:
        result = randint(0, 2, shape, device=device, dtype=dtype)
    elif dtype.category == INTEGRAL:
        low = -9 if low is None else low
        high = 10 if high is None else high
        if not dtype.is_signed:
            low = max(low, 0)
        result = randint(int(low), int(high), shape, device=device, dtype=dtype)
    else:
        low = -9.0 if low is None else low
        high = 9.0 if high is None else high
        if dtype.category == COMPLEX or dtype.itemsize > 1:
            # PyTorch's: uniform_ in place (a complex tensor's float view part by part)
            result = empty(shape, device=device, dtype=dtype).uniform_(low, high)
        else:
            result = (rand(shape, device=device) * (high - low) + low).to(dtype)
    if noncontiguous and result.numel() > 1:
        result = result.repeat_interleave(2, dim=-1)[..., ::2]
    elif memory_format is not None:
        result = result.clone(memory_format=memory_format)
    if exclude_zero:
        replacement = 1 if dtype.category < FLOATING else dtypes.float_limits(
            dtypes.require_available(dtype if dtype.category == FLOATING else
                                     (dtypes.float64 if dtype is dtypes.complex128
                                      else dtypes.float32)))[0]
        result[result == 0] = replacement
    if requires_grad:
        result.requires_grad_(True)
    return result


_ALLCLOSE_PRECISIONS = {"float16": (1e-3, 1e-3), "float32": (1e-4, 1e-5),
                        "float64": (1e-5, 1e-8)}


def assert_allclose(actual, expected, rtol=None, atol=None, equal_nan=True, msg=""):
    """Deprecated since PyTorch 1.12: assert_close with looser tolerances, any dtypes."""
    warnings.warn("`torch.testing.assert_allclose()` is deprecated since 1.12 and will be "
                  "removed in a future release. Please use `torch.testing.assert_close()` "
                  "instead. You can find detailed upgrade instructions in "
                  "https://github.com/pytorch/pytorch/issues/61844.", FutureWarning,
                  stacklevel=2)
    if not isinstance(actual, Tensor):
        actual = tensor(actual)
    if not isinstance(expected, Tensor):
        expected = tensor(expected, dtype=actual.dtype)
    if rtol is None and atol is None:
        rtol, atol = default_tolerances(actual.dtype, expected.dtype,
                                        precisions=_ALLCLOSE_PRECISIONS)
    assert_close(actual, expected, rtol=rtol, atol=atol, equal_nan=equal_nan,
                 check_device=True, check_dtype=False, check_stride=False, msg=msg or None)

