"""Write tshell/core/sobol_directions.npz: the direction numbers of torch.quasirandom.SobolEngine
(Joe and Kuo's D(6) table for 21201 dimensions, which PyTorch compiles into ATen).

    /work/torchenv/bin/python tools/gen_sobol_directions.py     # a Python with torch 2.13

PyTorch does not expose the table itself, only the state it initialises from it
(torch._sobol_engine_initialize_state_): row d holds v_j * 2**(29 - j), j < 30, where
v_0..v_{m-1} are the table's initial numbers and the rest follow from the recurrence of
the row's primitive polynomial p of degree m (tshell/core/quasirandom.py). This script
reads the state, recovers each row's m initial numbers and its polynomial (the polynomial's
bits solve a linear system over GF(2); its degree is the smallest that does), checks that
the recurrence rebuilds the whole state, and stores:
  poly   uint32[21201]          the polynomials (row 0 has none: 0)
  init   uint32[sum of degrees] the initial numbers, row after row (row 0 has none)
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import torch

MAXBIT, MAXDIM = 30, 21201
OUT = Path(__file__).resolve().parents[1] / "tshell" / "core" / "sobol_directions.npz"


def recurrence(p, init):
    """The 30 numbers v_j of a row from its polynomial and initial numbers (ATen's loop)."""
    m = p.bit_length() - 1
    v = list(init)
    for j in range(m, MAXBIT):
        new = v[j - m]
        for k in range(m):
            if (p >> (m - 1 - k)) & 1:
                new ^= v[j - k - 1] << (k + 1)
        v.append(new)
    return v


def solve_polynomial(v, m):
    """The degree-m polynomial whose recurrence gives v, or None: its bits b_0..b_{m-1}
    (b_i the coefficient of x^i; x^m is implied) satisfy, for each j >= m and bit t,
    v_j[t] = v_{j-m}[t] ^ XOR_k b_{m-1-k} * v_{j-k-1}[t - k - 1]."""
    rows = []
    for j in range(m, MAXBIT):
        for t in range(j + 1):
            coeffs = 0
            for k in range(m):
                if t - k - 1 >= 0 and (v[j - k - 1] >> (t - k - 1)) & 1:
                    coeffs |= 1 << (m - 1 - k)
            rhs = ((v[j] >> t) ^ (v[j - m] >> t)) & 1
            rows.append((coeffs, rhs))
    # Gaussian elimination over GF(2) on bitmask rows
    pivots = {}
    for coeffs, rhs in rows:
        for bit, (pc, pr) in pivots.items():
            if coeffs >> bit & 1:
                coeffs ^= pc
                rhs ^= pr
        if coeffs == 0:
            if rhs:
                return None
            continue
        bit = coeffs.bit_length() - 1
        for other, (oc, orr) in list(pivots.items()):
            if oc >> bit & 1:
                pivots[other] = (oc ^ coeffs, orr ^ rhs)
        pivots[bit] = (coeffs, rhs)
    if len(pivots) < m:
        return None                       # underdetermined: not this degree
    bits = sum(rhs << bit for bit, (_, rhs) in pivots.items())
    return bits | (1 << m)


def main():
    state = torch.zeros(MAXDIM, MAXBIT, dtype=torch.long)
    torch._sobol_engine_initialize_state_(state, MAXDIM)
    shifts = np.array([MAXBIT - 1 - j for j in range(MAXBIT)])
    directions = (state.numpy() >> shifts).tolist()
    polys, init = [0], []
    degree = 1
    for d in range(1, MAXDIM):
        v = directions[d]
        for m in range(degree, 19):
            p = solve_polynomial(v, m)
            if p is not None and recurrence(p, v[:m]) == v:
                break
        else:
            sys.exit(f"row {d}: no polynomial of degree <= 18 reproduces it")
        degree = m
        polys.append(p)
        init += v[:m]
    np.savez_compressed(OUT, poly=np.array(polys, np.uint32), init=np.array(init, np.uint32))
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes, {len(init)} initial numbers)")


if __name__ == "__main__":
    main()
