"""numpy against CPython with NumPy itself: what d2l's preliminaries and chapters 2-4 do with
np prints the same text under tsh (the stand-in) as under Python (the real NumPy), errors
included; the seeded generators give NumPy's own numbers. NumPy scalars are Python numbers in
tsh (docs/language.md), so the snippets print them alone (str is the same) and not inside a
container (where NumPy 2 shows np.float64(...))."""

import pytest

from standin_compare import cpython, run_tsh, tsh

CREATION = [
    "print(np.array([1, 2, 3]), np.array([[1., 2.], [3., 4.]]), np.array([True, False]))",
    "print(repr(np.array([1, 2, 3])), repr(np.array([[1.5, 2.]], dtype=np.float32)))",
    "print(np.zeros((2, 3)), np.ones(3, dtype=int), np.full((2, 2), 7.))",
    "print(np.arange(10), np.arange(1, 2, 0.25), np.linspace(0, 1, 5))",
    "print(np.eye(3), np.identity(2, dtype=np.int32), np.zeros_like(np.ones((2, 2))))",
    "print(np.empty(0), np.array([]).shape, np.array(5).ndim, np.array([[1, 2]]).size)",
    "x, y = np.meshgrid(np.arange(3), np.arange(2))\nprint(x, y)",
    "print(np.diag([1, 2]), np.diag(np.arange(9).reshape(3, 3)), np.tile([1, 2], 2))",
    "print(np.repeat([1, 2], 3), np.logspace(0, 2, 3), np.triu(np.ones((3, 3))))",
]

DTYPES = [
    "a = np.array([1, 2], dtype=np.float32)\nprint(a.dtype, a.dtype.name, a.itemsize, a.nbytes)",
    "a = np.arange(3)\nprint(a.dtype, a.astype(np.float64).dtype, a.astype('float16'))",
    "print(np.array([1, 2.5]).dtype, np.array([True]).dtype, np.array([1 + 2j]).dtype)",
    "print(np.dtype('float32'), repr(np.dtype('int8')), np.dtype(float) == np.float64)",
    "print(np.float32, np.int64, np.dtype('f4').type, np.array([1, 2], 'u1') + 255)",
    "print(np.result_type(np.int8, np.float32), np.promote_types('i4', 'f4'))",
    "print((np.array([1, 2]) / 2).dtype, (np.array([1, 2]) // 2).dtype, "
    "np.array([1.7]).astype(int))",
]

INDEXING = [
    "x = np.arange(12).reshape(3, 4)\nprint(x[1], x[1, 2], x[:, 1], x[1:, ::2], x[-1])",
    "x = np.arange(12).reshape(3, 4)\nprint(x[x > 5], x[[0, 2]], x[[0, 1], [1, 2]])",
    "x = np.arange(12).reshape(3, 4)\nx[x % 2 == 0] = -1\nx[0, :] = 9\nprint(x)",
    "x = np.arange(6)\nprint(x[np.newaxis].shape, x[:, None].shape, x[..., 1], x[::-1])",
    "x = np.arange(6.)\nx[1:3] += 10\nx *= 2\nprint(x, 4 in x, len(x), list(x[:2]) == [0, 22])",
    "x = np.arange(10)\nprint(x[np.array([True] * 5 + [False] * 5)], x[x.argmax()])",
    "x = np.arange(4)\nprint(x[4])",
]

ARITHMETIC = [
    "a = np.arange(6).reshape(2, 3)\nb = np.array([10, 20, 30])\nprint(a + b, a * 2, b - a)",
    "a = np.arange(3.)\nprint(a / 2, a ** 2, 2 ** a, -a, abs(-a), a @ a, a % 2, 1 / (a + 1))",
    "a = np.arange(3).reshape(3, 1)\nprint(a + np.arange(4), a == np.arange(3), a < 1)",
    "print(np.ones((2, 3)) + np.ones((3, 2)))",
    "np.add(np.ones(2), 'a')", "np.ones(2) - 'a'",
    "a = np.array([1, 2, 3])\nprint(np.dot(a, a), a.dot(a), np.outer(a, a), np.matmul(a, a))",
    "A = np.arange(6).reshape(2, 3)\nprint(A.dot(np.ones(3)), np.dot(A, A.T), A @ A.T)",
]

REDUCTIONS = [
    "x = np.arange(12).reshape(3, 4)\nprint(x.sum(), x.sum(axis=0), x.sum(axis=1, keepdims=True))",
    "x = np.arange(12.).reshape(3, 4)\nprint(x.mean(), x.mean(axis=0), x.std(), x.var(axis=1))",
    "x = np.array([[3, 1, 2], [9, 7, 8]])\nprint(x.max(), x.min(axis=1), np.max(x, axis=0))",
    "x = np.array([[3, 1, 2], [9, 7, 8]])\nprint(x.argmax(), x.argmax(axis=1), np.argmin(x, 0))",
    "x = np.array([3, 1, 2, 1])\nprint(np.sort(x), np.argsort(x), np.unique(x), x.cumsum())",
    "x = np.array([3, 1, 2, 1])\nprint(np.unique(x, return_counts=True), np.cumprod(x))",
    "x = np.arange(1, 5)\nprint(np.prod(x), np.median(x), np.percentile(x, 50), x.all(), x.any())",
    "x = np.array([1., np.nan, 3.])\nprint(np.nansum(x), np.nanmean(x), np.isnan(x), np.nanmax(x))",
    "print(np.trace(np.eye(3)), np.count_nonzero([0, 1, 2]), np.average([1, 2], weights=[3, 1]))",
    "x = np.array([4, 1, 3])\nx.sort()\nprint(x, np.diff(x), np.flip(x), np.cumsum(x, axis=0))",
    "np.ones(2).sum(axis=3)",
    "try:\n    np.ones((2, 2)).mean(axis=(0, 5))\nexcept IndexError as e:\n    print('caught', e)",
]

SHAPES = [
    "x = np.arange(12)\n"
    "print(x.reshape(3, 4), x.reshape(-1, 6).shape, x.reshape((2, 2, 3)).T.shape)",
    "x = np.arange(6).reshape(2, 3)\n"
    "print(x.T, x.transpose(), np.transpose(x), x.flatten(), x.ravel())",
    "x = np.arange(6).reshape(2, 3)\nprint(np.concatenate([x, x]), np.concatenate((x, x), axis=1))",
    "x = np.arange(6).reshape(2, 3)\nprint(np.stack([x, x]).shape, np.stack([x, x], axis=2).shape)",
    "x = np.arange(3)\nprint(np.vstack([x, x]), np.hstack([x, x]), np.column_stack([x, x]))",
    "x = np.arange(6)\nprint(np.split(x, 3), np.array_split(x, 4), np.expand_dims(x, 0).shape)",
    "x = np.ones((1, 3, 1))\n"
    "print(x.squeeze().shape, np.squeeze(x, axis=0).shape, x.swapaxes(0, 1).shape)",
    "print(np.arange(6).reshape(4, 2))",
    "print(np.concatenate([np.ones(2), np.ones((2, 2))]))",
    # "Extending torch.func with autograd.Function"'s NumpySort and NumpyTake
    "x = np.array([[3., 1., 2.], [0., 5., 4.]])\nind = np.argsort(x, axis=1)\n"
    "print(np.take_along_axis(x, ind, axis=1), np.take_along_axis(x, ind[:, :1], 1))\n"
    "print(np.take_along_axis(x, np.argsort(ind, axis=0), axis=0), "
    "np.take_along_axis(x[0], np.array([2, 0]), None))",
    "np.take_along_axis(np.ones((2, 3)), np.zeros(3, dtype=int), axis=1)",
    "np.take_along_axis(np.ones((2, 3)), np.zeros((2, 1)), axis=1)",
    "np.take_along_axis(np.ones((2, 3)), np.zeros((2, 1), dtype=int), axis=2)",
]

ELEMENTWISE = [
    "x = np.array([0., 0.5, 1.])\nprint(np.sin(x), np.cos(x), np.tanh(x), np.exp(x))",
    "x = np.array([1., 2., 4.])\n"
    "print(np.log(x), np.log2(x), np.log10(x), np.sqrt(x), np.log1p(x))",
    "x = np.array([-1.5, 0.2, 2.7])\n"
    "print(np.abs(x), np.sign(x), np.floor(x), np.ceil(x), np.round(x))",
    "x = np.array([-2, 0, 3])\nprint(np.maximum(x, 0), np.minimum(x, 1), np.clip(x, -1, 1))",
    "x = np.array([-2, 0, 3])\nprint(np.where(x > 0, x, 0), np.where(x > 0), np.square(x))",
    "x = np.array([1., 2.])\nprint(np.power(x, 3), np.exp2(x), np.arctan2(x, x), np.hypot(x, x))",
    "print(np.isclose([1., 2.], [1., 2.1]), np.allclose([1.], [1. + 1e-9]), np.isfinite([np.inf]))",
    "print(np.logical_and([True, False], [True, True]), np.logical_not([True]), np.fmax([1], [2]))",
    "print(np.pi, np.e, np.inf, -np.inf, np.nan, np.newaxis)",
    "x = np.array([1e-8, 1.])\nprint(np.expm1(x), np.cbrt([27.]), np.deg2rad(180.), np.sinc(0.))",
]

LEGACY_RANDOM = [
    "np.random.seed(0)\nprint(np.random.rand(2, 3), np.random.randn(3), np.random.rand())",
    "np.random.seed(1)\nprint(np.random.normal(0, 1, (2, 2)), np.random.normal(5, 0.1, 3))",
    "np.random.seed(2)\nprint(np.random.randint(0, 10, 5), np.random.randint(5, size=(2, 2)))",
    "np.random.seed(3)\n"
    "print(np.random.uniform(-1, 1, 4), np.random.random(2), np.random.random_sample((1, 2)))",
    "np.random.seed(4)\n"
    "print(np.random.choice(5, 3), np.random.choice([1.5, 2.5, 3.5], 2, replace=False))",
    "np.random.seed(5)\n"
    "print(np.random.choice(4, 6, p=[0.1, 0.2, 0.3, 0.4]), np.random.permutation(6))",
    "np.random.seed(6)\nx = np.arange(6)\nnp.random.shuffle(x)\nl = [1, 2, 3, 4]\n"
    "np.random.shuffle(l)\nprint(x, l)",
    "np.random.seed(7)\n"
    "print(np.random.binomial(10, 0.5, 4), np.random.poisson(3, 4), np.random.exponential(2, 2))",
    "np.random.seed(8)\n"
    "print(np.random.multivariate_normal([0, 0], [[1, 0], [0, 1]], 2), np.random.multinomial(10, "
    "[0.5, 0.5]))",
    "np.random.seed(9)\n"
    "print(np.random.beta(2, 3, 2), np.random.gamma(2, 1, 2), np.random.standard_normal(2))",
    "np.random.seed(10)\n"
    "print(np.random.normal(np.zeros(3), np.arange(1, 4)), np.random.dirichlet([1, 1]))",
    "r = np.random.RandomState(42)\n"
    "print(r.rand(2), r.randint(0, 3, 4), r.normal(size=2), type(r))",
    "r = np.random.RandomState(0)\na = r.rand(3)\nr.seed(0)\nprint(a, r.rand(3))",
    "np.random.randint(5, 1)",
    "np.random.choice(3, 5, replace=False)",
    "np.random.normal(0, -1)",
]

GENERATOR = [
    "rng = np.random.default_rng(42)\n"
    "print(rng.integers(0, 10, 5), rng.random(3), rng.normal(size=2))",
    "rng = np.random.default_rng(0)\nprint(rng.standard_normal((2, 2)), rng.uniform(0, 1, 3))",
    "rng = np.random.default_rng(1)\n"
    "print(rng.choice(10, 3, replace=False), rng.choice([1., 2., 3.], 4))",
    "rng = np.random.default_rng(2)\n"
    "print(rng.choice(np.arange(12).reshape(4, 3), 2), rng.permutation(5))",
    "rng = np.random.default_rng(3)\nx = np.arange(6)\nrng.shuffle(x)\n"
    "print(x, rng.permuted(np.arange(4)))",
    "rng = np.random.default_rng(4)\n"
    "print(rng.integers(5, size=(2, 3)), rng.integers(1, 6, 3, endpoint=True))",
    "rng = np.random.default_rng(5)\n"
    "print(rng.random(2, dtype=np.float32), rng.exponential(1, 2), rng.poisson(2, 3))",
    "rng = np.random.default_rng([1, 2, 3])\n"
    "print(rng.binomial(5, 0.3, 3), rng.multinomial(6, [0.5, 0.5], 2))",
    "rng = np.random.default_rng(6)\n"
    "print(rng.multivariate_normal([0, 0], np.eye(2), 2), rng.gamma(2., size=2))",
    "rng = np.random.default_rng(7)\n"
    "print(rng is np.random.default_rng(rng), type(rng), isinstance(rng, np.random.Generator))",
    "print(np.random.default_rng(8).normal(size=3) == np.random.default_rng(8).normal(size=3))",
    "rng = np.random.default_rng(9)\nl = [1, 2, 3]\nrng.shuffle(l)\nprint(l, rng.choice(5))",
    "print(np.random.default_rng(3).choice(10**12, 3, replace=False))",
    "np.random.default_rng(0).integers(5, 1)",
    "np.random.default_rng(0).choice(3, 4, replace=False)",
    "np.random.default_rng(-1)",
]

LINALG = [
    "A = np.array([[2., 1.], [1., 3.]])\n"
    "print(np.linalg.norm(A), np.linalg.inv(A), np.linalg.det(A))",
    "A = np.array([[2., 1.], [1., 3.]])\nprint(np.linalg.eig(A))\nprint(np.linalg.eigh(A))",
    "A = np.array([[2., 1.], [1., 3.]])\nU, S, Vh = np.linalg.svd(A)\n"
    "print(U, S, Vh, np.linalg.svd(A))",
    "A = np.array([[2., 1.], [1., 3.]])\nr = np.linalg.qr(A)\nprint(r.Q, r.R, type(r), r)",
    "A = np.array([[2., 1.], [1., 3.]])\n"
    "print(np.linalg.solve(A, [1., 2.]), np.linalg.matrix_rank(A))",
    "A = np.array([[1., 2.], [3., 4.], [5., 6.]])\n"
    "print(np.linalg.pinv(A), np.linalg.svd(A, full_matrices=False).S)",
    "A = np.array([[1., 2.], [3., 4.], [5., 6.]])\n"
    "x, res, rank, s = np.linalg.lstsq(A, [1., 2., 3.])\nprint(x, res, rank, s)",
    "v = np.array([3., 4.])\n"
    "print(np.linalg.norm(v), np.linalg.norm(v, 1), np.linalg.norm(np.eye(2), axis=0))",
    "A = np.array([[4., 2.], [2., 3.]])\nsign, logdet = np.linalg.slogdet(A)\n"
    "print(np.linalg.cholesky(A), np.linalg.eigvals(A), sign, logdet)",
    "print(np.linalg.matrix_power(np.array([[1, 1], [1, 0]]), 10), np.linalg.cond(np.eye(2)))",
    "try:\n    np.linalg.inv(np.zeros((2, 2)))\nexcept np.linalg.LinAlgError as e:\n"
    "    print('caught', e, type(e))",
    "np.linalg.inv(np.zeros((2, 2)))",
    "np.linalg.cholesky(-np.eye(2))",
    "np.linalg.solve(np.eye(2), np.ones(3))",
]


COPIES = [
    "import copy\ng = np.random.default_rng(1)\nh = copy.deepcopy(g)\nk = copy.copy(g)\n"
    "print(g.random(), h.random(), k.random())",
    "import copy\nr = np.random.RandomState(3)\n"
    "print(copy.deepcopy(r).rand(2), r.rand(2), copy.copy(r).rand(), r.rand())",
    "import copy\na = np.arange(3.)\nb = copy.copy(a)\nc = copy.deepcopy([a, a])\nb[0] = 9\n"
    "c[0][1] = 7\nprint(a, b, c, c[0] is c[1])",
    "import copy\ne = copy.deepcopy(np.linalg.eig(np.eye(2)))\nprint(e, type(e))\n"
    "s = copy.deepcopy(np.linalg.slogdet(np.eye(2)))\nprint(s.sign, copy.copy(s).logabsdet)",
]

# Snippets of d2l's chapters as the book writes them.
D2L = [
    "def f(x):\n    return 3 * x ** 2 - 4 * x\n"
    "def numerical_lim(f, x, h):\n    return (f(x + h) - f(x)) / h\n"
    "for h in 10.0**np.arange(-1, -6, -1):\n"
    "    print(f'h={h:.5f}, numerical limit={numerical_lim(f, 1, h):.5f}')",
    "import math\ndef normal(x, mu, sigma):\n    p = 1 / math.sqrt(2 * math.pi * sigma**2)\n"
    "    return p * np.exp(-0.5 * (x - mu)**2 / sigma**2)\nx = np.arange(-7, 7, 0.01)\n"
    "params = [(0, 1), (0, 2), (3, 1)]\nys = [normal(x, mu, sigma) for mu, sigma in params]\n"
    "print(len(ys), ys[0].shape, ys[2][::200], ys[1].max())",
    "x = np.arange(-8.0, 8.0, 0.1)\nprint(np.maximum(x, 0)[75:85], (1 / (1 + np.exp(-x)))[::40])",
    "np.random.seed(0)\nX = np.random.normal(0, 1, (5, 2))\nw = np.array([2, -3.4])\n"
    "y = X @ w + 4.2 + np.random.normal(0, 0.01, 5)\nprint(X, y, y.reshape(-1, 1).shape)",
]


@pytest.mark.parametrize("src", CREATION + DTYPES + INDEXING + ARITHMETIC + REDUCTIONS + SHAPES
                         + ELEMENTWISE + LEGACY_RANDOM + GENERATOR + LINALG + COPIES + D2L)
def test_same_output_and_errors_as_numpy(src):
    src = "import numpy as np\n" + src
    assert tsh(src) == cpython(src)


def test_the_module_functions_share_one_stream_as_in_numpy():
    """seed, then any mix of module functions: the numbers NumPy's global generator gives."""
    src = ("import numpy as np\nnp.random.seed(11)\na = np.random.rand(2)\n"
           "b = np.random.choice(10, 2)\nc = np.random.normal(size=2)\nprint(a, b, c)")
    assert tsh(src) == cpython(src)


@pytest.mark.parametrize("src,expected", [
    ("t = torch.from_numpy(np.random.default_rng(0).random(3))\n"
     "print(t.dtype, t.tolist() == np.random.default_rng(0).random(3).tolist())",
     "torch.float64 True\n"),
    ("np.random.seed(0)\nt = torch.tensor(np.random.rand(2, 2), dtype=torch.float32)\n"
     "print(t.shape, t.dtype)", "torch.Size([2, 2]) torch.float32\n"),
    ("x = torch.arange(4.)\nn = x.numpy()\nprint(np.linalg.norm(n), type(n @ n))",
     "3.7416574954986572 <class 'float'>\n"),
    ("w = np.linalg.inv(np.eye(2) * 2)\nprint(torch.tensor(w))",
     "tensor([[0.5000, 0.0000],\n        [0.0000, 0.5000]], dtype=torch.float64)\n"),
])
def test_np_and_torch_interplay(src, expected):
    assert run_tsh(src) == expected


def test_linalg_results_and_generators_print_as_numpy():
    out = run_tsh("import numpy as np\nr = np.linalg.svd(np.eye(2))\n"
                  "print(type(r), r.S, r[1], len(r), np.random.RandomState, "
                  "np.random.Generator, np.linalg.LinAlgError)\n"
                  "print(repr(np.random.default_rng(0))[:19])")
    assert out == ("<class 'numpy.linalg._linalg.SVDResult'> [1. 1.] [1. 1.] 3 "
                   "<class 'numpy.random.mtrand.RandomState'> "
                   "<class 'numpy.random._generator.Generator'> "
                   "<class 'numpy.linalg.LinAlgError'>\nGenerator(PCG64) at\n")
