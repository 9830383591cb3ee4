"""torch.quasirandom.SobolEngine: (scrambled) Sobol sequences, PyTorch's algorithm and
direction numbers.

The direction numbers are Joe and Kuo's D(6) table for 21201 dimensions, which PyTorch
compiles into ATen: tools/gen_sobol_directions.py recovered it from torch 2.13 into
sobol_directions.npz (each row's primitive polynomial and initial numbers), read on the
first engine made. Unscrambled draws are PyTorch's exactly; scrambled ones follow the same
algorithm with tshell's random numbers (so other values than PyTorch's for a seed).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

from .dtypes import TorchModuleClass, get_default_dtype, int64, to_dtype
from .ops.creation import arange, from_numpy, zeros
from .ops.linalg import mv
from .ops.shape import cat
from .random import Generator, randint

__all__ = ["SobolEngine"]

MAXBIT = 30
MAXDIM = 21201
_DIRECTIONS_FILE = Path(__file__).with_name("sobol_directions.npz")
_directions: list = []        # [(poly, init)] once loaded


def _table():
    """(poly, its degrees, offsets of each row's initial numbers, init), loaded on first
    use."""
    if not _directions:
        with np.load(_DIRECTIONS_FILE) as data:
            poly, init = data["poly"].astype(np.int64), data["init"].astype(np.int64)
        degrees = np.array([int(p).bit_length() - 1 if p else 0 for p in poly], np.int64)
        _directions.append((poly, degrees, np.concatenate(([0], np.cumsum(degrees))), init))
    return _directions[0]


def initial_state(dimension):
    """ATen's _sobol_engine_initialize_state_: row d holds v_j * 2**(29 - j), with v_j from
    row d's initial numbers and the recurrence of its primitive polynomial (row 0: all 1)."""
    poly, degrees, offsets, init = _table()
    v = np.zeros((dimension, MAXBIT), np.int64)
    v[0] = 1
    degrees = degrees[1:dimension]
    for m in np.unique(degrees):
        rows = np.nonzero(degrees == m)[0] + 1
        p = poly[rows]
        for i in range(m):
            v[rows, i] = init[offsets[rows] + i]
        for j in range(m, MAXBIT):
            new = v[rows, j - m].copy()
            for k in range(m):
                taps = (p >> (m - 1 - k)) & 1
                new ^= taps * (v[rows, j - k - 1] << (k + 1))
            v[rows, j] = new
    return v << np.arange(MAXBIT - 1, -1, -1, dtype=np.int64)


def _steps(num_generated, n):
    """The columns of the state the next n points XOR in: the lowest zero bit of each
    count from num_generated (ATen's rightmost_zero)."""
    counts = np.arange(num_generated, num_generated + n, dtype=np.int64) + 1
    return np.log2(counts & -counts).astype(np.int64)


def _advance(quasi, n, state, num_generated):
    """ATen's _sobol_engine_draw loop: the n next points (n, dimension), quasi updated."""
    if n <= 0:
        return np.empty((0, quasi.shape[0]), np.int64)
    points = np.bitwise_xor.accumulate(state[:, _steps(num_generated, n)].T, axis=0) ^ quasi
    quasi[:] = points[-1]
    return points


def _scrambled(state, ltm):
    """ATen's _sobol_engine_scramble_: each direction number multiplied by the row's lower
    triangular binary matrix (with a unit diagonal), over GF(2)."""
    ltm = ltm.copy()
    ltm[:, np.arange(MAXBIT), np.arange(MAXBIT)] = 1
    dots = (ltm << np.arange(MAXBIT - 1, -1, -1, dtype=np.int64)).sum(-1)   # rows as bits
    out = np.zeros_like(state)
    for p in range(MAXBIT):
        parity = np.bitwise_count(dots[:, p, None] & state).astype(np.int64) & 1
        out |= parity << (MAXBIT - 1 - p)
    return out


def _resized_copy(out, result):
    """out.resize_as_(result).copy_(result), as PyTorch writes a draw into out=."""
    if out.shape != result.shape:
        out._data = result._data.astype(out._data.dtype)
        out._bump()
        return out
    return out.copy_(result)


CPU = "cpu"     # the engine's state and draws live on the host, whatever the default device


class SobolEngine(metaclass=TorchModuleClass):
    """The torch.quasirandom.SobolEngine is an engine for generating (scrambled) Sobol
    sequences, up to a dimension of 21201."""

    MAXBIT = MAXBIT
    MAXDIM = MAXDIM

    def __init__(self, dimension, scramble=False, seed=None):
        if dimension > self.MAXDIM or dimension < 1:
            raise ValueError("Supported range of dimensionality for SobolEngine is "
                             f"[1, {self.MAXDIM}]")
        self.seed = seed
        self.scramble = scramble
        self.dimension = dimension
        self.sobolstate = from_numpy(initial_state(dimension))
        if not self.scramble:
            self.shift = zeros(self.dimension, dtype=int64, device=CPU)
        else:
            self._scramble()
        self.quasi = self.shift.clone()
        self._first_point = (self.quasi / 2 ** self.MAXBIT).reshape(1, -1)
        self.num_generated = 0

    def _scramble(self):
        g = None
        if self.seed is not None:
            g = Generator()
            g.manual_seed(self.seed)
        shift_ints = randint(2, (self.dimension, self.MAXBIT), generator=g, device=CPU)
        self.shift = mv(shift_ints, 2 ** arange(self.MAXBIT, device=CPU))
        ltm = randint(2, (self.dimension, self.MAXBIT, self.MAXBIT), generator=g,
                      device=CPU).tril()
        self.sobolstate.numpy()[:] = _scrambled(self.sobolstate.numpy(), ltm.numpy())

    def _points(self, n, num_generated, dtype):
        if n < 0:
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: "
                               f"[{n}, {self.dimension}]")
        points = _advance(self.quasi.numpy(), n, self.sobolstate.numpy(), num_generated)
        # float64 first: a float32 result is the rounded point, as ATen's cast then scale
        return from_numpy(points / 2.0 ** self.MAXBIT).to(dtype)

    def draw(self, n=1, out=None, dtype=None):
        """Function to draw a sequence of n points from a Sobol sequence; the size of the
        result is (n, dimension)."""
        dtype = to_dtype(dtype) or get_default_dtype()
        if self.num_generated == 0:
            result = self._first_point.to(dtype)
            if n != 1:
                result = cat((result, self._points(n - 1, 0, dtype)), dim=-2)
        else:
            result = self._points(n, self.num_generated - 1, dtype)
        self.num_generated += n
        if out is not None:
            return _resized_copy(out, result)
        return result

    def draw_base2(self, m, out=None, dtype=None):
        """Function to draw a sequence of 2**m points from a Sobol sequence; the size of
        the result is (2**m, dimension)."""
        n = 2 ** m
        total_n = self.num_generated + n
        if not total_n & (total_n - 1) == 0:
            raise ValueError("The balance properties of Sobol' points require n to be a power "
                             f"of 2. {self.num_generated} points have been previously "
                             f"generated, then: n={self.num_generated}+2**{m}={total_n}. If "
                             "you still want to do this, please use 'SobolEngine.draw()' "
                             "instead.")
        return self.draw(n=n, out=out, dtype=dtype)

    def reset(self):
        """Function to reset the SobolEngine to base state."""
        self.quasi.copy_(self.shift)
        self.num_generated = 0
        return self

    def fast_forward(self, n):
        """Function to fast-forward the state of the SobolEngine by n steps: as drawing n
        samples without using them."""
        start = 0 if self.num_generated == 0 else self.num_generated - 1
        _advance(self.quasi.numpy(), n - 1 if self.num_generated == 0 else n,
                 self.sobolstate.numpy(), start)
        self.num_generated += n
        return self

    def __repr__(self):
        fmt_string = [f"dimension={self.dimension}"]
        if self.scramble:
            fmt_string += ["scramble=True"]
        if self.seed is not None:
            fmt_string += [f"seed={self.seed}"]
        return self.__class__.__name__ + "(" + ", ".join(fmt_string) + ")"

