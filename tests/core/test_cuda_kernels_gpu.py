"""The generated CUDA kernels on a real GPU against the eager CUDA ops (skipped without one).

The same random expressions as test_cuda_fusion.py, run through CupyLauncher (contiguous,
broadcast-strided and misaligned operands): integer and bool results bitwise, floating
results within 1 ulp (CUDA's expf/tanhf may differ from CuPy's by an ulp)."""
from __future__ import annotations

import random

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import backend
from tests.conftest import real_cuda_available
from tests.core.test_cuda_fusion import _eager, _kinds, _random_tree, _random_values
from tshell.core.cuda_kernels.fusion import NOT_FUSED, FusedExpression

pytestmark = pytest.mark.skipif(not real_cuda_available(), reason="needs CuPy and a GPU")


def _within_one_ulp(a, e):
    if a.dtype != e.dtype or a.shape != e.shape:
        return False
    if a.dtype.kind != "f":
        return bool(np.array_equal(a, e))
    both_nan = np.isnan(a) & np.isnan(e)
    wide = np.float64 if a.dtype != np.float64 else np.longdouble
    ulp = np.spacing(np.abs(e).astype(a.dtype)).astype(wide)
    close = np.abs(a.astype(wide) - e.astype(wide)) <= ulp
    return bool(np.all(both_nan | close | (a == e)))


def test_kernels_equal_the_eager_cuda_ops():
    backend.load_cuda()
    rng, rnd = np.random.default_rng(1), random.Random(1)
    fused = 0
    for _ in range(400):
        leaves = []
        tree = _random_tree(rnd, 3, leaves)
        values = [v.to("cuda") if isinstance(v, torch.Tensor) else v
                  for v in _random_values(rng, rnd, len(leaves))]
        if rnd.random() < 0.3:       # non-contiguous and misaligned operands too
            values = [v.t() if isinstance(v, torch.Tensor) and v.dim() == 2 else v
                      for v in values]
        try:
            expected = _eager(tree, values)
        except Exception:
            continue
        r = FusedExpression(tree).run(values)
        if r is NOT_FUSED:
            continue
        fused += 1
        assert _within_one_ulp(r.cpu().numpy(), expected.cpu().numpy()), (tree, _kinds(values))
    assert fused > 150


def test_large_contiguous_and_tail():
    backend.load_cuda()
    for n in (1, 3, 1000, (1 << 20) + 7):
        x = torch.randn(n, device="cuda")
        e = FusedExpression(("mul", ("leaf", 0), ("sigmoid", ("leaf", 1))))
        r = e.run([x, x])
        assert _within_one_ulp(r.cpu().numpy(), (x * torch.sigmoid(x)).cpu().numpy())
        off = x[1:]                                          # a misaligned view: vec=1
        assert _within_one_ulp(e.run([off, off]).cpu().numpy(),
                               (off * torch.sigmoid(off)).cpu().numpy())


def test_in_place_update_on_gpu():
    backend.load_cuda()
    w, g = torch.randn(1 << 16, device="cuda"), torch.randn(1 << 16, device="cuda")
    expected = (w - 0.01 * g).cpu().numpy()
    e = FusedExpression(("sub", ("leaf", 0), ("mul", ("leaf", 1), ("leaf", 2))))
    assert e.run([w, 0.01, g], w) is w and w._version == 1
    assert np.array_equal(w.cpu().numpy(), expected)
