"""Golden cases: scatter / scatter_add / scatter_reduce, index_add / index_copy / index_fill /
index_put, masked_scatter, take / take_along_dim / put, select/slice/diagonal_scatter and
narrow_copy (values with repeated indices, dtypes, grad_fn names, gradients to every input,
in-place rules, errors). Read by tests/golden/gen_core_goldens.py and tests/core/test_goldens.py.
"""
# C is bound by the loader (tests/golden/core_cases.py: family_cases).

_SETUP = """
x = torch.arange(12.).view(3, 4).clone().requires_grad_()
src = (torch.arange(12.).view(3, 4) * 10 + 1).requires_grad_()
idx = torch.tensor([[0, 1, 2, 0], [1, 1, 0, 0]])
"""

# ---- scatter -----------------------------------------------------------------------------------
C("scatter-src", _SETUP + "x.scatter(0, idx, src)")
C("scatter-value", _SETUP + "x.scatter(1, torch.tensor([[0], [3], [3]]), 2.5)")
C("scatter-fn-kw", _SETUP + "print(torch.scatter(x, 0, idx, src=src))\ntorch.scatter(x, 0, idx, value=-1)")
C("scatter-dim1-neg", _SETUP + "x.detach().scatter(-1, torch.tensor([[3, 2], [0, 0]]), src.detach()[:2])")
C("scatter-int32-index", _SETUP + "x.detach().scatter(0, idx.int(), src.detach())")
C("scatter-long-value-trunc", "torch.zeros(2, 3, dtype=torch.long).scatter(1, torch.tensor([[2], [0]]), 2.7)")
C("scatter-bool", "torch.zeros(2, 3, dtype=torch.bool).scatter(1, torch.tensor([[2], [0]]), True)")
C("scatter-int-src", "torch.zeros(2, 3, dtype=torch.int32).scatter(1, torch.tensor([[2, 1], [0, 0]]), torch.tensor([[5, 6], [7, 8]], dtype=torch.int32))")
C("scatter-0d", "torch.tensor(5.).scatter(0, torch.tensor(0), torch.tensor(7.))")
C("scatter-empty-index", "torch.zeros(2, 3).scatter(0, torch.tensor([], dtype=torch.long), torch.ones(2, 3))")
C("scatter-grads", _SETUP + """
y = x.scatter(0, idx, src)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
print(src.grad)
""".replace("src = (torch.arange(12.).view(3, 4) * 10 + 1).requires_grad_()",
            "src = (torch.arange(8.).view(2, 4) * 10 + 1).requires_grad_()"))
C("scatter-value-grad", _SETUP + """
y = x.scatter(1, torch.tensor([[0], [3], [3]]), 2.5)
y.sum().backward()
x.grad
""")
C("scatter-src-bigger-grad-error", _SETUP + """
y = x.scatter(0, idx, src)
y.sum().backward()
""")
C("scatter-reduce-add-warn", _SETUP + """
y = torch.zeros(3, 4).scatter_(0, idx, src.detach(), reduce='add')
print(y)
torch.ones(3, 4).scatter(0, idx, 2.0, reduce='multiply')
""", warn=True)
C("scatter-reduce-grad-fn", _SETUP + """
y = x.scatter(0, idx, 2.0, reduce='add')
print(y.grad_fn.name())
y.sum().backward()
""")
C("scatter-reduce-bad", _SETUP + "torch.zeros(3, 4).scatter_(1, idx, 1.0, reduce='mean')")
C("scatter-inplace", _SETUP + """
y = x * 1
print(y._version)
y.scatter_(0, idx, src)
print(y._version, y.grad_fn.name())
y.sum().backward()
print(x.grad)
src.grad
""")
C("scatter-inplace-value", _SETUP + """
y = x.detach().clone()
y.scatter_(1, torch.tensor([[1], [2], [3]]), -3.0)
""")
C("scatter-inplace-leaf", _SETUP + "x.scatter_(0, idx, src)")
C("scatter-inplace-view-of-leaf", _SETUP + "x[0].scatter_(0, torch.tensor([1]), 5.0)")
C("scatter-inplace-expanded", "torch.zeros(3).expand(2, 3).scatter_(1, torch.tensor([[0], [0]]), 1.0)")
C("err-scatter-index-dtype", _SETUP + "x.scatter(0, idx.float(), src)")
C("err-scatter-index-short", _SETUP + "x.scatter(0, idx.short(), 1.0)")
C("err-scatter-src-dtype", _SETUP + "x.scatter(0, idx, src.double())")
C("err-scatter-oob", _SETUP + "x.scatter(0, idx + 3, src)")
C("err-scatter-negative", _SETUP + "x.scatter(0, idx - 1, src)")
C("err-scatter-dim", _SETUP + "x.scatter(2, idx, src)")
C("err-scatter-index-too-big", _SETUP + "x.scatter(0, torch.zeros(2, 5, dtype=torch.long), src)")
C("err-scatter-index-src", "torch.zeros(3, 4).scatter(1, torch.zeros(2, 2, dtype=torch.long), torch.zeros(1, 1))")
C("err-scatter-index-self-value", "torch.zeros(3, 4).scatter(1, torch.zeros(4, 2, dtype=torch.long), 1.0)")
C("err-scatter-ndim", _SETUP + "x.scatter(0, torch.zeros(2, 2, 2, dtype=torch.long), src)")
C("err-scatter-ndim-src", "torch.zeros(3, 4).scatter(0, torch.zeros(1, 1, dtype=torch.long), torch.tensor(3.))")
C("err-scatter-complex-value", "torch.zeros(3, 4).scatter(1, torch.zeros(2, 2, dtype=torch.long), 1+2j)")

# ---- scatter_add ----------------------------------------------------------------------------------
C("scatter-add", _SETUP + "x.scatter_add(0, idx, src)")
C("scatter-add-fn", _SETUP + "torch.scatter_add(x.detach(), 1, torch.tensor([[0, 0, 0], [3, 3, 1]]), src.detach()[:2])")
C("scatter-add-grads", """
x = torch.ones(3, 4, requires_grad=True)
s = torch.arange(8.).view(2, 4).requires_grad_()
idx = torch.tensor([[0, 1, 2, 0], [0, 1, 0, 0]])
y = x.scatter_add(0, idx, s)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("scatter-add-inplace", """
z = torch.zeros(5)
z.scatter_add_(0, torch.tensor([0, 0, 4, 0]), torch.tensor([1., 2., 3., 4.]))
print(z._version)
z
""")
C("scatter-add-int", "torch.zeros(4, dtype=torch.long).scatter_add(0, torch.tensor([1, 1, 3]), torch.tensor([5, 6, 7]))")
C("err-scatter-add-value", "torch.zeros(3).scatter_add(0, torch.tensor([0]), 2.0)")
C("err-scatter-add-dtype", "torch.zeros(3).scatter_add_(0, torch.tensor([0]), torch.ones(1, dtype=torch.float64))")
C("scatter-add-src-bigger-grad-error", _SETUP + "x.scatter_add(0, idx, src).sum().backward()")

# ---- scatter_reduce -------------------------------------------------------------------------------
_SR = """
base = torch.tensor([5., -1., 2., 0.])
s = torch.tensor([1., 3., -2., 4., 3., 0.5])
i = torch.tensor([0, 0, 1, 1, 1, 2])
"""
for _r in ("sum", "prod", "mean", "amax", "amin"):
    for _inc in (True, False):
        C(f"scatter-reduce-{_r}-{_inc}", _SR + f"""
base.requires_grad_()
s.requires_grad_()
y = base.scatter_reduce(0, i, s, '{_r}', include_self={_inc})
print(y)
(y * torch.tensor([1., 2., 3., 4.])).sum().backward()
print(base.grad)
s.grad
""")
C("scatter-reduce-amax-ties", """
base = torch.tensor([3., 0.], requires_grad=True)
s = torch.tensor([3., 3., 1.], requires_grad=True)
y = base.scatter_reduce(0, torch.tensor([0, 0, 1]), s, 'amax')
y.sum().backward()
print(y, base.grad, s.grad)
""")
C("scatter-reduce-prod-zeros", """
base = torch.tensor([2., 3., 0.], requires_grad=True)
s = torch.tensor([0., 4., 0., 0., 5.], requires_grad=True)
y = base.scatter_reduce(0, torch.tensor([0, 0, 1, 1, 2]), s, 'prod')
y.sum().backward()
print(y, base.grad, s.grad)
""")
C("scatter-reduce-2d", _SETUP + "x.scatter_reduce(1, torch.tensor([[0, 0, 1], [3, 3, 3], [2, 1, 0]]), src[:, :3], 'amin', include_self=False)")
C("scatter-reduce-int-mean", """
print(torch.full((3,), -5).scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([1, -2, -4]), 'mean'))
torch.full((3,), 5).scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([1, 2, 4]), 'mean', include_self=False)
""")
C("scatter-reduce-inplace", """
y = torch.tensor([1., 2., 3.], requires_grad=True) * 1
y.scatter_reduce_(0, torch.tensor([2, 2]), torch.tensor([10., 20.]), 'amax')
print(y._version)
y
""")
C("err-scatter-reduce-name", "torch.zeros(3).scatter_reduce(0, torch.tensor([0]), torch.ones(1), 'add')")
C("scatter-reduce-legacy-names", """
x = torch.tensor([1., 5., 2.], requires_grad=True)
s = torch.tensor([3., 4., 0.], requires_grad=True)
y = x.scatter_reduce(0, torch.tensor([0, 1, 2]), s, 'max')
y.sum().backward()
print(y, x.grad, s.grad)
torch.zeros(3).scatter_reduce(0, torch.tensor([0, 0]), torch.tensor([1., -2.]), 'min')
""")
C("err-scatter-reduce-src-float", "torch.zeros(3).scatter_reduce(0, torch.tensor([0]), 1.0, 'sum')")
C("scatter-reduce-src-bigger-grad-error", _SETUP + "x.scatter_reduce(0, idx, src, 'sum').sum().backward()")

# ---- gather (shares the checks and the backward) --------------------------------------------------
C("gather-int32-index", _SETUP + "x.gather(1, torch.tensor([[0, 0], [3, 1], [2, 2]], dtype=torch.int32))")
C("err-gather-float-index", _SETUP + "x.gather(1, torch.tensor([[0.]]))")
C("gather-double-backward", """
x = torch.tensor([1., 2., 3.], requires_grad=True)
y = (x.gather(0, torch.tensor([0, 0, 2])) ** 2).sum()
g, = torch.autograd.grad(y, x, create_graph=True)
print(g)
g.sum().backward()
x.grad
""")

# ---- index_add --------------------------------------------------------------------------------------
_IX = """
x = torch.zeros(3, 4, requires_grad=True)
s = torch.arange(8.).view(2, 4).requires_grad_()
"""
C("index-add-dup", _IX + "x.index_add(0, torch.tensor([0, 0]), s)")
C("index-add-alpha", _IX + "torch.index_add(x, 0, torch.tensor([2, 0]), s, alpha=0.5)")
C("index-add-dim1", "torch.ones(2, 3).index_add(1, torch.tensor([2, 2, 0]), torch.arange(6.).view(2, 3), alpha=2)")
C("index-add-int", "torch.zeros(3, dtype=torch.long).index_add(0, torch.tensor([1, 1]), torch.tensor([3, 4]), alpha=2.5)")
C("index-add-int32-index", _IX + "x.detach().index_add(0, torch.tensor([0, 2], dtype=torch.int32), s.detach())")
C("index-add-0d", "torch.tensor(2.).index_add(0, torch.tensor(0), torch.tensor(3.))")
C("index-add-grads", _IX + """
y = x.index_add(0, torch.tensor([0, 0]), s, alpha=3)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("index-add-inplace", _IX + """
y = x * 2
y.index_add_(0, torch.tensor([1, 1]), s)
print(y, y._version)
y.sum().backward()
s.grad
""")
C("err-index-add-leaf", _IX + "x.index_add_(0, torch.tensor([0]), s[:1])")
C("err-index-add-float-index", _IX + "x.index_add(0, torch.tensor([0., 1.]), s)")
C("err-index-add-oob", _IX + "x.index_add(0, torch.tensor([0, 3]), s)")
C("err-index-add-negative", _IX + "x.index_add(0, torch.tensor([-1, 0]), s)")
C("err-index-add-dtype", _IX + "x.index_add(0, torch.tensor([0, 1]), s.double())")
C("err-index-add-shape", _IX + "x.index_add(0, torch.tensor([0, 1]), s[:, :3])")
C("err-index-add-count", _IX + "x.index_add(0, torch.tensor([0, 1, 2]), s)")
C("err-index-add-matrix-index", _IX + "x.index_add(0, torch.tensor([[0], [1]]), s)")
C("err-index-add-src-dim", "torch.zeros(2, 3).index_add(1, torch.tensor([2]), torch.ones(2))")
C("err-index-add-dim", _IX + "x.index_add(5, torch.tensor([0, 1]), s)")

# ---- index_copy -------------------------------------------------------------------------------------
C("index-copy", _IX + "x.index_copy(0, torch.tensor([2, 0]), s)")
C("index-copy-grads", _IX + """
y = x.index_copy(1, torch.tensor([3, 1]), torch.arange(6.).view(3, 2).requires_grad_())
(y * torch.arange(12.).view(3, 4)).sum().backward()
x.grad
""")
C("index-copy-src-grad", _IX + """
y = x.index_copy(0, torch.tensor([2, 0]), s)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("index-copy-inplace", """
y = torch.zeros(2, 3)
y.index_copy_(1, torch.tensor([2]), torch.ones(2, 1))
""")
C("err-index-copy-int32", _IX + "x.index_copy(0, torch.tensor([0, 2], dtype=torch.int32), s)")
C("err-index-copy-oob", _IX + "x.index_copy(0, torch.tensor([0, 3]), s)")
C("err-index-copy-dtype", _IX + "x.index_copy(0, torch.tensor([0, 2]), s.double())")
C("err-index-copy-slice", _IX + "x.index_copy(0, torch.tensor([0, 2]), s[:, :3])")
C("err-index-copy-slice-3d", "torch.zeros(2, 3, 4).index_copy(0, torch.tensor([0]), torch.zeros(1, 2, 5))")
C("err-index-copy-count", _IX + "x.index_copy(0, torch.tensor([0, 2]), s[:1])")
C("err-index-copy-ndim", "torch.zeros(2, 3).index_copy(1, torch.tensor(2), torch.ones(2))")

# ---- index_fill ---------------------------------------------------------------------------------------
C("index-fill", _IX + "x.index_fill(0, torch.tensor([0, 2]), 7)")
C("index-fill-negative-dup", "torch.zeros(2, 4).index_fill(1, torch.tensor([-1, 0, -1]), -2.5)")
C("index-fill-0d-index", "torch.zeros(2, 3).index_fill(-1, torch.tensor(2), 3)")
C("index-fill-long", "torch.zeros(3, 2, dtype=torch.long).index_fill(0, torch.tensor([1]), 2.5)")
C("index-fill-tensor-value", """
x = torch.arange(6.).view(2, 3).requires_grad_()
v = torch.tensor(2., requires_grad=True)
y = x.index_fill(1, torch.tensor([0, 2, 0]), v)
print(y)
(y * torch.arange(6.).view(2, 3)).sum().backward()
print(x.grad)
v.grad
""")
C("index-fill-double-value", "torch.zeros(2, 2).index_fill(0, torch.tensor([1]), torch.tensor(2.5, dtype=torch.float64))")
C("index-fill-inplace", """
y = torch.zeros(5)
y.index_fill_(0, torch.tensor([1, 3]), torch.tensor(2.))
""")
C("err-index-fill-int32", _IX + "x.index_fill(0, torch.tensor([0], dtype=torch.int32), 7)")
C("err-index-fill-oob", _IX + "x.index_fill(0, torch.tensor([3]), 7)")
C("err-index-fill-matrix", _IX + "x.index_fill(1, torch.tensor([[0]]), 7)")
C("err-index-fill-1d-value", _IX + "x.index_fill(0, torch.tensor([0]), torch.tensor([7.]))")
C("err-index-fill-complex", _IX + "x.index_fill(0, torch.tensor([0]), 1+2j)")
C("err-index-fill-view-of-leaf", _IX + "x[0].index_fill_(0, torch.tensor([0]), 1.)")

# ---- index_put ------------------------------------------------------------------------------------------
C("index-put", _IX + "x.index_put((torch.tensor([0, 2]),), torch.tensor(5.))")
C("index-put-accumulate", _IX + "x.index_put((torch.tensor([0, 0]),), torch.ones(4), accumulate=True)")
C("index-put-dup-no-acc", "torch.zeros(3).index_put((torch.tensor([1, 1]),), torch.tensor([4., 6.]))")
C("index-put-pairs", _IX + "torch.index_put(x, [torch.tensor([0, 2]), torch.tensor([1, 3])], torch.tensor([1., 2.]), True)")
C("index-put-mask", "torch.arange(4.).index_put((torch.tensor([True, False, True, False]),), torch.tensor(-1.))")
C("index-put-grads", """
x = torch.zeros(3, 4, requires_grad=True)
v = torch.arange(4.).requires_grad_()
for acc in (False, True):
    y = x.index_put((torch.tensor([0, 0]),), v, accumulate=acc)
    g = torch.autograd.grad((y * torch.arange(12.).view(3, 4)).sum(), (x, v))
    print(y.grad_fn.name(), g)
""")
C("index-put-inplace", """
y = torch.zeros(2, 3)
torch.index_put_(y, (torch.tensor([1, 1]), torch.tensor([0, 0])), torch.tensor(2.), accumulate=True)
y.index_put_((torch.tensor([0]),), torch.tensor([7., 8., 9.]))
print(y._version)
y
""")
C("err-index-put-leaf", _IX + "x.index_put_((torch.tensor([0]),), torch.tensor(1.))")
C("err-index-put-number", _IX + "x.index_put((torch.tensor([0]),), 5.)")
C("err-index-put-dtype", _IX + "x.index_put((torch.tensor([0]),), torch.tensor(5., dtype=torch.float64))")
C("err-index-put-oob", _IX + "x.index_put((torch.tensor([3]),), torch.tensor(5.))")
C("err-index-put-float-index", _IX + "x.index_put((torch.tensor([0.]),), torch.tensor(5.))")
C("err-index-put-shape", _IX + "x.index_put((torch.tensor([0, 2]),), torch.ones(3))")
C("err-index-put-none", _IX + "x.index_put((torch.tensor([0]), None), torch.tensor(5.))")

# ---- masked_scatter ---------------------------------------------------------------------------------------
_MS = """
x = torch.zeros(3, 4, requires_grad=True)
s = torch.arange(12.).view(3, 4).add(1).requires_grad_()
m = torch.tensor([[True, False, True, False], [False, False, False, True], [True, True, False, False]])
"""
C("masked-scatter", _MS + "x.masked_scatter(m, s)")
C("masked-scatter-bcast-mask", _MS + "print(x.masked_scatter(m[0], s))\ntorch.masked_scatter(x, m[:, :1], s)")
C("masked-scatter-grads", _MS + """
y = x.masked_scatter(m, s)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("masked-scatter-inplace", _MS + """
y = torch.zeros(3, 4)
y.masked_scatter_(m, torch.tensor([[1., 2.], [3., 4.], [5., 6.]]))
""")
C("err-masked-scatter-few", _MS + "x.masked_scatter(m, s[:1, :2])")
C("err-masked-scatter-dtype", _MS + "x.masked_scatter(m, s.double())")
C("err-masked-scatter-mask-dtype", _MS + "x.masked_scatter(m.int(), s)")
C("masked-fill-inplace", """
y = torch.arange(4.)
y.masked_fill_(torch.tensor([True, False, False, True]), -1)
""")

# ---- take / take_along_dim / put ------------------------------------------------------------------------------
C("take", _SETUP + "x.take(torch.tensor([[0, 11], [5, 5]]))")
C("take-neg-0d", _SETUP + "print(torch.take(x, torch.tensor(-1)))\nx.t().take(torch.tensor([1, 2]))")
C("take-grad", _SETUP + """
x.take(torch.tensor([0, 0, 5, -1])).sum().backward()
x.grad
""")
C("err-take-oob", _SETUP + "x.take(torch.tensor([12]))")
C("err-take-oob-neg", _SETUP + "x.take(torch.tensor([-13]))")
C("err-take-int32", _SETUP + "x.take(torch.tensor([1], dtype=torch.int32))")
C("take-along-dim", _SETUP + "torch.take_along_dim(x, torch.tensor([[0], [2], [1]]), dim=1)")
C("take-along-dim-flat", _SETUP + "torch.take_along_dim(x, torch.tensor([0, 11, 3]))")
C("take-along-dim-bcast", _SETUP + "print(x.take_along_dim(torch.tensor([[0, 1, 1]]), 1))\ntorch.take_along_dim(x, torch.tensor([[0], [1]]), dim=0)")
C("take-along-dim-argsort", """
x = torch.tensor([[3., 1., 2.], [0., 5., 4.]], requires_grad=True)
y = torch.take_along_dim(x, x.argsort(dim=1), dim=1)
(y * torch.tensor([1., 2., 3.])).sum().backward()
print(y)
x.grad
""")
C("err-take-along-dim-dtype", _SETUP + "torch.take_along_dim(x, torch.tensor([[0.]]), dim=0)")
C("err-take-along-dim-int32", _SETUP + "torch.take_along_dim(x, torch.tensor([[0]], dtype=torch.int32), dim=0)")
C("err-take-along-dim-ndim", _SETUP + "torch.take_along_dim(x, torch.tensor([0]), dim=0)")
C("err-take-along-dim-bcast", _SETUP + "torch.take_along_dim(x, torch.tensor([[0, 1]]), dim=0)")
C("err-take-along-dim-bcast2", _SETUP + "torch.take_along_dim(x, torch.tensor([[0, 1, 1], [1, 1, 1]]), dim=1)")
C("err-take-along-dim-flat-oob", _SETUP + "torch.take_along_dim(x, torch.tensor([13]))")
C("put", _IX + "x.put(torch.tensor([0, 0, 5]), torch.tensor([1., 2., 3.]))")
C("put-accumulate", _IX + "torch.put(x, torch.tensor([0, 0, -1]), torch.tensor([1., 2., 3.]), True)")
C("put-grads", """
x = torch.ones(2, 3, requires_grad=True)
s = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
for acc in (False, True):
    y = x.put(torch.tensor([0, 4, 4, 1]), s, accumulate=acc)
    print(y, torch.autograd.grad((y * torch.arange(6.).view(2, 3)).sum(), (x, s)))
""")
C("put-inplace", """
y = torch.zeros(2, 3)
y.put_(torch.tensor([0, 0, 1]), torch.tensor([1., 2., 3.]), accumulate=True)
print(y._version)
y
""")
C("err-put-leaf", _IX + "x.put_(torch.tensor([0]), torch.tensor([1.]))")
C("err-put-oob", _IX + "x.put(torch.tensor([0, 12]), torch.tensor([1., 2.]))")
C("err-put-count", _IX + "x.put(torch.tensor([0, 0, 1]), torch.tensor([1., 2.]))")
C("err-put-dtype", _IX + "x.put(torch.tensor([0]), torch.tensor([1.], dtype=torch.float64))")
C("err-put-int32", _IX + "x.put(torch.tensor([0], dtype=torch.int32), torch.tensor([1.]))")
C("err-put-number", _IX + "x.put(torch.tensor([0]), 5.)")

# ---- select_scatter / slice_scatter / diagonal_scatter / narrow_copy ---------------------------------------------
C("select-scatter", _IX + "print(torch.select_scatter(x, torch.ones(4), 0, 1))\nx.select_scatter(torch.ones(3, dtype=torch.long), 1, -1)")
C("select-scatter-grads", """
x = torch.ones(3, 4, requires_grad=True)
s = torch.arange(4.).requires_grad_()
y = torch.select_scatter(x, s, 0, 1)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("err-select-scatter-index", _IX + "torch.select_scatter(x, torch.ones(3), 1, 4)")
C("err-select-scatter-shape", _IX + "torch.select_scatter(x, torch.ones(3), 0, 1)")
C("slice-scatter", _IX + "print(torch.slice_scatter(x, torch.ones(3, 2), 1, 0, 4, 2))\nx.slice_scatter(torch.ones(2, 4), start=-2)")
C("slice-scatter-defaults", _IX + "torch.slice_scatter(x, torch.ones(1, 4, dtype=torch.float64), start=2)")
C("slice-scatter-grads", """
x = torch.ones(3, 4, requires_grad=True)
s = torch.arange(6.).view(3, 2).requires_grad_()
y = torch.slice_scatter(x, s, dim=1, start=1, step=2)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("err-slice-scatter-step", _IX + "torch.slice_scatter(x, torch.ones(3, 2), dim=1, step=0)")
C("err-slice-scatter-shape", _IX + "torch.slice_scatter(x, torch.ones(3, 2), dim=1, start=10)")
C("diagonal-scatter", _IX + "print(torch.diagonal_scatter(x, torch.ones(3)))\nprint(x.diagonal_scatter(torch.ones(3), 1))\ntorch.diagonal_scatter(x, torch.ones(2), -1)")
C("diagonal-scatter-3d", "torch.diagonal_scatter(torch.zeros(2, 3, 3), torch.arange(6.).view(3, 2), 0, 0, 2)")
C("diagonal-scatter-grads", """
x = torch.ones(3, 4, requires_grad=True)
s = torch.tensor([5., 6., 7.], requires_grad=True)
y = torch.diagonal_scatter(x, s, 1)
(y * torch.arange(12.).view(3, 4)).sum().backward()
print(x.grad)
s.grad
""")
C("err-diagonal-scatter-shape", _IX + "torch.diagonal_scatter(x, torch.ones(4))")
C("err-diagonal-scatter-dims", _IX + "torch.diagonal_scatter(x, torch.ones(3), dim1=0, dim2=0)")
C("narrow-copy", _SETUP + "print(torch.narrow_copy(x, 1, 1, 2))\nx.narrow_copy(0, -1, 1)")
C("narrow-copy-grad", _SETUP + """
y = x.narrow_copy(1, 1, 2)
print(y.is_contiguous(), y._version)
(y * torch.tensor([1., 2.])).sum().backward()
x.grad
""")
C("err-narrow-copy-length", _SETUP + "x.narrow_copy(0, 2, 2)")
C("err-narrow-copy-start", _SETUP + "x.narrow_copy(0, -4, 1)")
C("err-narrow-copy-0d", "torch.narrow_copy(torch.tensor(3.), 0, 0, 1)")

# ---- double backward through the new ops -----------------------------------------------------------------------
C("scatter-add-double-backward", """
x = torch.tensor([1., 2.], requires_grad=True)
s = torch.tensor([3., 4., 5.], requires_grad=True)
y = (x.scatter_add(0, torch.tensor([0, 0, 1]), s) ** 2).sum()
gx, gs = torch.autograd.grad(y, (x, s), create_graph=True)
print(gx, gs)
(gx.sum() + gs.sum()).backward()
print(x.grad, s.grad)
""")
C("index-add-double-backward", """
x = torch.tensor([1., 2.], requires_grad=True)
s = torch.tensor([3., 4., 5.], requires_grad=True)
y = (x.index_add(0, torch.tensor([1, 1, 0]), s, alpha=2) ** 2).sum()
gx, gs = torch.autograd.grad(y, (x, s), create_graph=True)
print(gx, gs)
(gx.sum() + gs.sum()).backward()
print(x.grad, s.grad)
""")
