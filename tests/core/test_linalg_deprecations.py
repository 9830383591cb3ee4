"""The deprecation warnings of the older linalg names, word for word as PyTorch 2.13 gives
them (its TORCH_WARN_ONCE: once per process, so each test forgets the earlier one first;
the golden cases run in one process and cannot)."""

import warnings

import pytest

import tshell.core as torch
from tshell.core.ops.shape import _WARNED_ONCE

A = torch.tensor([[4., 2.], [2., 3.]])

CALLS = {
    "qr": lambda: torch.qr(A),
    "nuclear_norm": lambda: torch.nuclear_norm(A),
    "chain_matmul": lambda: torch.chain_matmul(A, A, A),
    "lu": lambda: torch.lu(A),
    "lu_solve": lambda: torch.lu_solve(torch.ones(2, 1), *torch.linalg.lu_factor(A)),
    "cholesky": lambda: torch.cholesky(A),
    "triangular_solve": lambda: torch.triangular_solve(torch.ones(2, 1), A),
    "frobenius_norm": lambda: torch.frobenius_norm(A, (0, 1)),
}

# torch 2.13's text, without its "(Triggered internally at ...)" tail
EXPECTED = {
    "qr": (
        "torch.qr is deprecated in favor of torch.linalg.qr and will be removed in a "
        "future PyTorch release.\n"
        "The boolean parameter 'some' has been replaced with a string parameter 'mode'.\n"
        "Q, R = torch.qr(A, some)\n"
        "should be replaced with\n"
        "Q, R = torch.linalg.qr(A, 'reduced' if some else 'complete')"
    ),
    "nuclear_norm": (
        "at::nuclear_norm is deprecated and it is just left for JIT compatibility. It "
        "will be removed in a future PyTorch release. Please use `linalg.matrix_norm(A, "
        "'nuc', dim, keepdim)` instead"
    ),
    "chain_matmul": (
        "torch.chain_matmul is deprecated and will be removed in a future PyTorch "
        "release. Use torch.linalg.multi_dot instead, which accepts a list of two or "
        "more tensors rather than multiple parameters."
    ),
    "lu": (
        "torch.lu is deprecated in favor of torch.linalg.lu_factor / "
        "torch.linalg.lu_factor_ex and will be removed in a future PyTorch release.\n"
        "LU, pivots = torch.lu(A, compute_pivots)\n"
        "should be replaced with\n"
        "LU, pivots = torch.linalg.lu_factor(A, compute_pivots)\n"
        "and\n"
        "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\n"
        "should be replaced with\n"
        "LU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)"
    ),
    "lu_solve": (
        "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be "
        "removed in a future PyTorch release.\n"
        "Note that torch.linalg.lu_solve has its arguments reversed.\n"
        "X = torch.lu_solve(B, LU, pivots)\n"
        "should be replaced with\n"
        "X = torch.linalg.lu_solve(LU, pivots, B)"
    ),
    "cholesky": (
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be "
        "removed in a future PyTorch release.\n"
        "L = torch.cholesky(A)\n"
        "should be replaced with\n"
        "L = torch.linalg.cholesky(A)\n"
        "and\n"
        "U = torch.cholesky(A, upper=True)\n"
        "should be replaced with\n"
        "U = torch.linalg.cholesky(A).mH\n"
        "This transform will produce equivalent results for all valid (symmetric "
        "positive definite) inputs."
    ),
    "triangular_solve": (
        "torch.triangular_solve is deprecated in favor of "
        "torch.linalg.solve_triangularand will be removed in a future PyTorch release.\n"
        "torch.linalg.solve_triangular has its arguments reversed and does not return a "
        "copy of one of the inputs.\n"
        "X = torch.triangular_solve(B, A).solution\n"
        "should be replaced with\n"
        "X = torch.linalg.solve_triangular(A, B)."
    ),
    "frobenius_norm": (
        "at::frobenius_norm is deprecated and it is just left for JIT compatibility. It "
        "will be removed in a future PyTorch release. Please use `linalg.vector_norm(A, "
        "2., dim, keepdim)` instead"
    ),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_warns_once_with_torchs_text(name):
    _WARNED_ONCE.pop(name, None)
    with warnings.catch_warnings(record=True) as first:
        warnings.simplefilter("always")
        CALLS[name]()
    with warnings.catch_warnings(record=True) as again:
        warnings.simplefilter("always")
        CALLS[name]()
    assert [str(w.message) for w in first] == [EXPECTED[name]]
    assert [w.category for w in first] == [UserWarning]
    assert again == []
