# Golden cases: triangles and diagonals, in-place shape changes, einsum / tensordot / kron /
# cross, tiling and splitting helpers, inverse / det (declared with C(...) as core_cases.py).

# ---- tril / triu -----------------------------------------------------------------------------
C("tril_default", "torch.tril(torch.arange(1., 13.).view(3, 4))")
C("tril_pos_neg", "x = torch.arange(12).view(3, 4)\nprint(torch.tril(x, 1))\ntorch.tril(x, diagonal=-1)")
C("triu_default", "torch.arange(1., 10.).view(3, 3).triu()")
C("triu_batch", "torch.ones(2, 3, 4, dtype=torch.int32).triu(-1)")
C("tril_bool", "torch.ones(3, 3, dtype=torch.bool).tril()")
C("tril_grad", """
x = torch.arange(1., 10.).view(3, 3).requires_grad_()
y = x.tril(1)
print(y)
y.sum().backward()
x.grad
""")
C("triu_grad_weights", """
x = torch.ones(2, 3, requires_grad=True)
(torch.triu(x) * torch.arange(6.).view(2, 3)).sum().backward()
x.grad
""")
C("tril_inplace_nonleaf", """
x = torch.ones(3, 3, requires_grad=True)
y = x * 2
y.tril_()
print(y)
y.sum().backward()
x.grad
""")
C("triu_inplace_plain", "x = torch.arange(9.).view(3, 3)\nr = x.triu_(1)\nprint(r is x, x._version)\nx")
C("tril_inplace_leaf_error", "x = torch.ones(2, 2, requires_grad=True)\nx.tril_()")
C("tril_1d_error", "torch.tril(torch.ones(3))")
C("triu_0d_error", "torch.ones(()).triu()")
C("tril_float_diag_error", "torch.tril(torch.ones(2, 3), 1.5)")

# ---- diag / diagonal / diag_embed / trace ----------------------------------------------------
C("diag_vec", "torch.diag(torch.tensor([1., 2., 3.]))")
C("diag_vec_offsets", "v = torch.tensor([1, 2, 3])\nprint(torch.diag(v, 1))\ntorch.diag(v, -1)")
C("diag_mat", "x = torch.arange(12.).view(3, 4)\nprint(torch.diag(x))\nprint(x.diag(1))\nx.diag(-2)")
C("diag_mat_out_of_range", "torch.diag(torch.ones(2, 3), 5)")
C("diag_mat_copy_and_grad", """
x = torch.arange(9.).view(3, 3).requires_grad_()
d = torch.diag(x)
print(d, d._base is None)
d.pow(2).sum().backward()
x.grad
""")
C("diag_vec_grad", """
v = torch.tensor([1., 2.], requires_grad=True)
m = torch.diag(v, 1)
print(m)
(m * torch.arange(9.).view(3, 3)).sum().backward()
v.grad
""")
C("diag_3d_error", "torch.diag(torch.ones(2, 2, 2))")
C("diag_0d_error", "torch.diag(torch.tensor(1.))")
C("diagonal_basic", "x = torch.arange(12).view(3, 4)\nprint(x.diagonal())\nprint(x.diagonal(1))\nx.diagonal(-1)")
C("diagonal_dims", "x = torch.arange(24).view(2, 3, 4)\nprint(torch.diagonal(x, 0, 1, 2))\ntorch.diagonal(x, offset=1, dim1=-1, dim2=0)")
C("diagonal_view", """
x = torch.zeros(3, 3)
d = x.diagonal()
print(d._base is x, d.stride(), d.is_contiguous())
d.fill_(5)
x[1, 1] = 7
print(d)
x
""")
C("diagonal_empty", "torch.ones(2, 3).diagonal(5)")
C("diagonal_grad", """
x = torch.ones(3, 4, requires_grad=True)
y = x.diagonal(1)
print(y)
(y * torch.tensor([1., 2., 3.])).sum().backward()
x.grad
""")
C("diagonal_same_dims_error", "torch.diagonal(torch.ones(3, 3), 0, 0, 0)")
C("diagonal_dim_range_error", "torch.ones(3, 3).diagonal(0, 0, 2)")
C("diagonal_1d_error", "torch.ones(3).diagonal()")
C("diag_embed_basic", "torch.diag_embed(torch.tensor([[1, 2], [3, 4]]))")
C("diag_embed_offset_dims", "torch.diag_embed(torch.arange(1., 7.).view(2, 3), 1, 0, 2)")
C("diag_embed_grad", """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = torch.diag_embed(x, -1)
print(y.shape, y.grad_fn.name())
(y * torch.arange(18.).view(2, 3, 3)).sum().backward()
x.grad
""")
C("diag_embed_0d_error", "torch.diag_embed(torch.tensor(3.))")
C("diag_embed_same_dims_error", "torch.diag_embed(torch.ones(3), 0, 0, 0)")
C("trace_float", "torch.arange(1., 10.).view(3, 3).trace()")
C("trace_int_rect", "x = torch.arange(6).view(2, 3)\nprint(torch.trace(x))\ntorch.trace(torch.ones(2, 2, dtype=torch.int8))")
C("trace_half", "torch.trace(torch.ones(3, 3, dtype=torch.float16))")
C("trace_grad", """
x = torch.ones(2, 3, requires_grad=True)
t = torch.trace(x * 3)
print(t)
t.backward()
x.grad
""")
C("trace_bool_error", "torch.trace(torch.ones(2, 2, dtype=torch.bool))")
C("trace_1d_error", "torch.trace(torch.ones(3))")

# ---- in-place shape changes ------------------------------------------------------------------
C("t_plain", "x = torch.arange(6.).view(2, 3)\nr = x.t_()\nprint(r is x, x.shape, x.stride(), x.is_contiguous(), x._version)\nx")
C("transpose_plain", "x = torch.arange(24).view(2, 3, 4)\nx.transpose_(0, 2)\nprint(x.shape, x.stride())\nx[:, 0]")
C("swapdims_swapaxes_plain", "x = torch.zeros(2, 3, 4)\nx.swapdims_(0, 1)\nprint(x.shape)\nx.swapaxes_(1, 2)\nx.shape")
C("squeeze_plain", "x = torch.zeros(1, 3, 1, 2)\nx.squeeze_()\nprint(x.shape)\ny = torch.zeros(1, 3, 1)\ny.squeeze_(0)\nprint(y.shape)\ny.squeeze_((0, 1))\ny.shape")
C("unsqueeze_plain", "x = torch.tensor([1, 2, 3])\nx.unsqueeze_(0)\nprint(x)\nx.unsqueeze_(-1)\nx.shape")
C("inplace_view_ops_share_memory", """
x = torch.zeros(2, 3)
y = x.view(6)
x.t_()
x[0, 1] = 5
print(y)
x
""")
C("inplace_view_ops_leaf_errors", """
x = torch.ones(2, 3, requires_grad=True)
for op in (lambda: x.t_(), lambda: x.transpose_(0, 1), lambda: x.unsqueeze_(0),
           lambda: x.squeeze_(), lambda: x.swapdims_(0, 1), lambda: x.swapaxes_(0, 1)):
    try:
        op()
    except RuntimeError as e:
        print(e)
x.shape
""")
C("inplace_view_ops_nograd_leaf", """
x = torch.ones(2, 3, requires_grad=True)
with torch.no_grad():
    x.t_()
print(x.shape, x.is_leaf, x.grad_fn, x.requires_grad)
""")
C("inplace_view_ops_grad_fn_names", """
for op in ("t_()", "transpose_(0, 1)", "swapdims_(0, 1)", "swapaxes_(1, 0)", "unsqueeze_(0)",
           "unsqueeze_(-1)", "squeeze_()", "squeeze_(0)", "squeeze_((0, 1))"):
    x = torch.ones(1, 3, requires_grad=True)
    y = x * 2
    r = eval("y." + op)
    print(op, r is y, y.shape, y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
    (y * torch.arange(3.).view(y.shape)).sum().backward()
    print(x.grad)
""")
C("t_inplace_grad_values", """
x = torch.arange(6.).view(2, 3).requires_grad_()
y = x * 1
y.t_()
print(y)
(y * torch.arange(6.).view(3, 2)).sum().backward()
x.grad
""")
C("t_inplace_of_view", """
x = torch.ones(2, 3, requires_grad=True)
y = x * 2
v = y[0:1]
v.t_()
print(v.shape, v.grad_fn.name(), v._base is y, y.grad_fn.name())
""")
C("t_inplace_3d_error", "torch.ones(2, 3, 4).t_()")
C("transpose_inplace_dim_error", "torch.ones(2, 3).transpose_(0, 2)")
C("unsqueeze_inplace_dim_error", "torch.ones(2, 3).unsqueeze_(3)")
C("squeeze_inplace_dim_error", "torch.ones(2, 3).squeeze_(3)")
C("t_inplace_not_in_torch", "print([hasattr(torch, n) for n in ('t_', 'transpose_', 'squeeze_', 'unsqueeze_', 'tril_', 'triu_')])")
C("t_inplace_1d", "x = torch.ones(3)\nx.t_()")

# ---- einsum ------------------------------------------------------------------------------------
C("einsum_matmul", "a = torch.arange(6.).view(2, 3)\nb = torch.arange(12.).view(3, 4)\ntorch.einsum('ij,jk->ik', a, b)")
C("einsum_implicit_and_list", "a = torch.arange(6.).view(2, 3)\nb = torch.arange(12.).view(3, 4)\nprint(torch.einsum('ij,jk', a, b))\ntorch.einsum('ij, jk -> ik', [a, b])")
C("einsum_unary", """
a = torch.arange(9.).view(3, 3)
print(torch.einsum('ij->ji', a))
print(torch.einsum('ii', a))
print(torch.einsum('ii->i', a))
print(torch.einsum('ij->', a))
print(torch.einsum('ij->j', a))
torch.einsum('ba', a)
""")
C("einsum_dot_outer_batch", """
v = torch.tensor([1., 2., 3.])
w = torch.tensor([4., 5., 6.])
print(torch.einsum('i,i->', v, w))
print(torch.einsum('i,j->ij', v, w))
B = torch.arange(12.).view(2, 2, 3)
C = torch.arange(12.).view(2, 3, 2)
torch.einsum('bij,bjk->bik', B, C)
""")
C("einsum_ellipsis_three", """
B = torch.arange(12.).view(2, 2, 3)
b = torch.arange(6.).view(3, 2)
print(torch.einsum('...j,jk->...k', B, b))
v = torch.tensor([1., 2., 3.])
torch.einsum('i,i,i->', v, v, v)
""")
C("einsum_int_and_broadcast", """
print(torch.einsum('ij,jk->ik', torch.ones(2, 3, dtype=torch.long), torch.ones(3, 2, dtype=torch.long)))
torch.einsum('ij,ij->', torch.ones(2, 3), torch.ones(1, 3))
""")
C("einsum_grad_fns", """
a = torch.ones(2, 3, requires_grad=True)
b = torch.ones(3, 4, requires_grad=True)
v = torch.ones(3, requires_grad=True)
for eq, ops in (("ij,jk->ik", (a, b)), ("ij->ji", (a,)), ("ij->", (a,)), ("ij->j", (a,)),
                ("i,i->", (v, v)), ("i,j->ij", (v, v)), ("ij,ij->ij", (a, a))):
    print(eq, torch.einsum(eq, *ops).grad_fn.name())
""")
C("einsum_grads", """
a = torch.arange(6.).view(2, 3).requires_grad_()
b = torch.arange(12.).view(3, 4).requires_grad_()
torch.einsum('ij,jk->ik', a, b).pow(2).sum().backward()
print(a.grad)
print(b.grad)
m = torch.arange(9.).view(3, 3).requires_grad_()
torch.einsum('ii->', m).backward()
m.grad
""")
C("einsum_view_shares", "a = torch.ones(2, 3)\nr = torch.einsum('ij->ji', a)\nprint(r._base is a, r.stride())\nr")
C("einsum_errors", """
a = torch.ones(2, 3)
b = torch.ones(3, 4)
for eq, ops in (("ij,jk->ik", (a,)), ("ij,jk->ik", (a, a)), ("ijk,jk->ik", (a, b)),
                ("ij->k", (a,)), ("ij->ii", (a,)), ("i1->i", (a,)), ("ij,jk->ik", (a, b, a)),
                ("ij,jk->ik", (a, b.long())), ("ii", (a,))):
    try:
        torch.einsum(eq, *ops)
    except RuntimeError as e:
        print(e)
""")

# ---- tensordot / kron / cross --------------------------------------------------------------------
C("tensordot_int_dims", """
a = torch.arange(6.).view(2, 3)
b = torch.arange(12.).view(3, 4)
print(torch.tensordot(a, b, 1))
print(torch.tensordot(a, a, 2))
torch.tensordot(torch.tensor([1., 2.]), torch.tensor([3., 4.]), dims=0)
""")
C("tensordot_lists", """
A = torch.arange(24.).view(2, 3, 4)
b = torch.arange(12.).view(3, 4)
print(torch.tensordot(A, b, dims=([1, 2], [0, 1])))
torch.tensordot(torch.arange(6).view(2, 3), torch.arange(6).view(2, 3), dims=[[0], [0]])
""")
C("tensordot_grad", """
a = torch.arange(6.).view(2, 3).requires_grad_()
b = torch.ones(3, 2, requires_grad=True)
r = torch.tensordot(a, b, dims=([1], [0]))
print(r)
r.sum().backward()
print(a.grad)
b.grad
""")
C("tensordot_errors", """
a = torch.ones(2, 3)
for dims in (3, -1, ([0], [1]), ([0, 1], [1]), 2.0):
    try:
        torch.tensordot(a, a, dims)
    except RuntimeError as e:
        print(e)
torch.tensordot(a, a.long(), 1)
""")
C("kron_basic", """
print(torch.kron(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[0, 1], [1, 0]])))
print(torch.kron(torch.tensor([1., 2.]), torch.tensor([1., 10., 100.])))
print(torch.kron(torch.ones(2), torch.ones(2, 2, 2)).shape)
torch.kron(torch.ones(2, 2), torch.tensor([1, 2])).dtype
""")
C("kron_grad", """
a = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
b = torch.tensor([1., -1., 2.], requires_grad=True)
k = a.kron(b)
print(k)
k.pow(2).sum().backward()
print(a.grad)
b.grad
""")
C("cross_dim", """
a = torch.tensor([[1., 0., 0.], [0., 1., 0.]])
b = torch.tensor([[0., 1., 0.], [0., 0., 1.]])
print(torch.cross(a, b, dim=1))
print(a.cross(b, dim=-1))
torch.linalg.cross(a, b)
""")
C("cross_int_and_broadcast", """
print(torch.linalg.cross(torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6])))
torch.linalg.cross(torch.tensor([[1., 2., 3.], [4., 5., 6.]]), torch.tensor([[0., 0., 1.]]))
""")
C("cross_default_dim_value", "torch.cross(torch.ones(3, 2), torch.arange(6.).view(3, 2))")
C("cross_grad", """
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = torch.tensor([-1., 0.5, 2.], requires_grad=True)
c = torch.linalg.cross(a, b)
print(c)
(c * torch.tensor([1., 2., 3.])).sum().backward()
print(a.grad)
b.grad
""")
C("cross_errors", """
for a, b, d in ((torch.ones(3), torch.ones(4), 0), (torch.ones(2, 3), torch.ones(2, 3), 0),
                (torch.ones(2, 3), torch.ones(3), 1), (torch.ones(3), torch.ones(3).double(), 0)):
    try:
        torch.linalg.cross(a, b, dim=d)
    except RuntimeError as e:
        print(e)
torch.linalg.cross(torch.ones(3, 2), torch.ones(3, 2))
""")

# ---- tile / repeat_interleave / meshgrid / broadcast_tensors / tensor_split -----------------------
C("tile_basic", """
x = torch.tensor([[1, 2], [3, 4]])
print(torch.tile(x, (2,)))
print(x.tile(2, 1))
print(x.tile((1, 2, 1)).shape)
torch.tile(x, ())
""")
C("tile_grad", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x.tile(3)\nprint(y)\n(y * torch.arange(6.)).sum().backward()\nx.grad")
C("tile_negative_error", "torch.tile(torch.ones(2, 3), (2, -1))")
C("repeat_interleave_int", """
x = torch.tensor([[1, 2], [3, 4]])
print(torch.repeat_interleave(x, 2))
print(x.repeat_interleave(2, dim=0))
print(x.repeat_interleave(3, dim=-1))
torch.repeat_interleave(torch.tensor(5.), 3)
""")
C("repeat_interleave_tensor", """
x = torch.tensor([[1, 2], [3, 4]])
print(torch.repeat_interleave(x, torch.tensor([1, 2]), dim=0))
print(torch.repeat_interleave(torch.tensor([2, 1, 3])))
x.repeat_interleave(torch.tensor(2), dim=1)
""")
C("repeat_interleave_grad", """
x = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
y = x.repeat_interleave(2, dim=1)
print(y)
(y * torch.arange(8.).view(2, 4)).sum().backward()
print(x.grad)
z = torch.repeat_interleave(x, torch.tensor([0, 3]), dim=0)
print(z)
z.sum().backward()
x.grad
""")
C("repeat_interleave_errors", """
a = torch.ones(2, 3)
for rep, d in ((-1, None), (torch.tensor([1, 2, 3]), 0), (torch.tensor([-1, 2]), 0),
               (torch.tensor([[1, 2]]), 0)):
    try:
        torch.repeat_interleave(a, rep, dim=d)
    except RuntimeError as e:
        print(e)
torch.repeat_interleave(a, 2, dim=3)
""")
C("meshgrid_ij", """
x = torch.tensor([1, 2, 3])
y = torch.tensor([4, 5])
gx, gy = torch.meshgrid(x, y, indexing='ij')
print(gx)
print(gy)
print(gx.stride(), gx._base is x)
torch.meshgrid([x, y], indexing='xy')
""")
C("meshgrid_three_and_0d", """
a, b, c = torch.meshgrid(torch.arange(2), torch.arange(3), torch.arange(4), indexing='xy')
print(a.shape, b.shape, c.shape)
torch.meshgrid(torch.tensor(1.), indexing='ij')
""")
C("meshgrid_grad", """
x = torch.tensor([1., 2.], requires_grad=True)
y = torch.tensor([3., 4., 5.], requires_grad=True)
gx, gy = torch.meshgrid(x, y, indexing='ij')
print(gx.grad_fn.name())
(gx * gy).sum().backward()
print(x.grad)
y.grad
""")
C("meshgrid_errors", """
for args, kw in (((torch.ones(2), torch.ones(3)), {'indexing': 'foo'}),
                 ((torch.arange(2), torch.arange(3.)), {'indexing': 'xy'}),
                 ((), {'indexing': 'ij'})):
    try:
        torch.meshgrid(*args, **kw)
    except RuntimeError as e:
        print(e)
""")
C("broadcast_tensors_basic", """
a, b = torch.broadcast_tensors(torch.tensor([[1], [2]]), torch.tensor([10, 20, 30]))
print(a)
print(b, b.stride())
print(torch.broadcast_tensors())
torch.broadcast_tensors(torch.ones(2))
""")
C("broadcast_tensors_grad_error", """
x = torch.ones(2, 1, requires_grad=True)
a, b = torch.broadcast_tensors(x, torch.ones(3))
print(a.grad_fn.name())
a.sum().backward()
print(x.grad)
torch.broadcast_tensors(torch.ones(2), torch.ones(3))
""")
C("tensor_split_sections", """
x = torch.arange(7)
print(torch.tensor_split(x, 3))
print(x.tensor_split(2))
print(torch.tensor_split(torch.arange(6).view(2, 3), 2, dim=1))
torch.tensor_split(x, 9)
""")
C("tensor_split_indices", """
x = torch.arange(7)
print(torch.tensor_split(x, [1, 5]))
print(torch.tensor_split(x, (2, 1)))
print(torch.tensor_split(x, [-2, 3]))
print(torch.tensor_split(x, torch.tensor([1, 5])))
print(torch.tensor_split(x, torch.tensor(3)))
torch.tensor_split(torch.ones(2, 3), [1, 5], dim=1)
""")
C("tensor_split_views_grad", """
x = torch.arange(6.).requires_grad_()
a, b = torch.tensor_split(x, 2)
print(a.grad_fn.name(), a._base is x)
(a * 2 + b * 3).sum().backward()
x.grad
""")
C("tensor_split_errors", """
for call in (lambda: torch.tensor_split(torch.ones(3), 0),
             lambda: torch.tensor_split(torch.tensor(1), 2)):
    try:
        call()
    except RuntimeError as e:
        print(e)
""")

# ---- ravel / moveaxis / flips / rot90 / atleast / column_stack / dstack ---------------------------
C("ravel_views", """
x = torch.arange(6).view(2, 3)
r = x.ravel()
print(r, r._base is x)
y = torch.ravel(x.t())
print(y, y._base is x)
torch.ravel(torch.tensor(1))
""")
C("ravel_grad_fn", "x = torch.ones(2, 3, requires_grad=True)\nprint(x.ravel().grad_fn.name())\nx.t().ravel().grad_fn.next_functions[0][0].name()")
C("moveaxis", """
x = torch.zeros(2, 3, 4)
print(torch.moveaxis(x, 0, -1).shape)
print(x.moveaxis((0, 1), (2, 0)).shape)
torch.moveaxis(torch.arange(6).view(2, 3), 0, 1)
""")
C("fliplr_flipud", """
x = torch.arange(6).view(2, 3)
print(torch.fliplr(x))
print(x.flipud())
torch.flipud(torch.tensor([1., 2., 3.]))
""")
C("flip_errors", """
for call in (lambda: torch.fliplr(torch.ones(3)), lambda: torch.flipud(torch.tensor(1.))):
    try:
        call()
    except RuntimeError as e:
        print(e)
""")
C("rot90_values", """
x = torch.arange(6).view(2, 3)
for k in (1, 2, 3, 4, -1, 5):
    r = torch.rot90(x, k)
    print(k, r.tolist(), r.stride())
print(x.rot90(1, [1, 0]))
torch.rot90(torch.arange(8).view(2, 2, 2), 1, (1, 2))
""")
C("rot90_grad", """
x = torch.arange(6.).view(2, 3).requires_grad_()
y = x.rot90()
print(y)
(y * torch.arange(6.).view(3, 2)).sum().backward()
x.grad
""")
C("rot90_errors", """
a = torch.ones(2, 3)
for call in (lambda: torch.rot90(torch.ones(3)), lambda: torch.rot90(a, 1, [0, 0]),
             lambda: torch.rot90(a, 1, [0]), lambda: torch.rot90(a, 1, [1, -1])):
    try:
        call()
    except RuntimeError as e:
        print(e)
torch.rot90(a, 1, [0, 2])
""")
C("atleast_nd", """
s = torch.tensor(1.)
v = torch.tensor([1, 2])
m = torch.ones(2, 2)
print(torch.atleast_1d(s), torch.atleast_1d(v))
print(torch.atleast_2d(s), torch.atleast_2d(v))
print(torch.atleast_3d(s).shape, torch.atleast_3d(v).shape, torch.atleast_3d(m).shape)
print(torch.atleast_3d(torch.ones(2, 3, 4, 5)).shape)
print(torch.atleast_1d(s, v))
print(torch.atleast_2d([s, v]))
torch.atleast_1d()
""")
C("atleast_grad_fns", """
x = torch.ones(3, requires_grad=True)
print(torch.atleast_1d(x) is x, torch.atleast_2d(x).grad_fn.name(), torch.atleast_3d(x).grad_fn.name())
torch.atleast_1d(x.sum()).grad_fn.name()
""")
C("column_stack", """
print(torch.column_stack([torch.tensor([1, 2, 3]), torch.tensor([4, 5, 6])]))
print(torch.column_stack((torch.arange(4).view(2, 2), torch.tensor([7, 8]))))
print(torch.column_stack([torch.tensor(1), torch.tensor(2)]))
torch.column_stack([torch.ones(2, 3, 4), torch.ones(2, 1, 4)]).shape
""")
C("dstack", """
print(torch.dstack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
print(torch.dstack((torch.ones(2, 2), torch.zeros(2, 2))).shape)
torch.dstack([torch.tensor(1), torch.tensor(2.)])
""")
C("stack_helpers_grad", """
a = torch.tensor([1., 2.], requires_grad=True)
b = torch.tensor([[3.], [4.]], requires_grad=True)
r = torch.column_stack([a, b])
print(r)
d = torch.dstack([a, a])
print(d.grad_fn.name())
(r.sum() + d.sum()).backward()
print(a.grad)
b.grad
""")
C("stack_helpers_empty_errors", """
for f in (torch.column_stack, torch.dstack):
    try:
        f([])
    except RuntimeError as e:
        print(e)
""")

# ---- inverse / det ---------------------------------------------------------------------------------
C("inverse_values", """
A = torch.tensor([[4., 7.], [2., 6.]])
print(torch.inverse(A))
print(torch.linalg.inv(A.double()))
A.inverse() @ A
""")
C("inverse_batch", "torch.inverse(torch.tensor([[[2., 0.], [0., 4.]], [[1., 2.], [3., 4.]]]))")
C("inverse_grad", """
A = torch.tensor([[4., 7.], [2., 6.]], requires_grad=True)
B = torch.inverse(A)
print(B.grad_fn.name())
(B * torch.tensor([[1., 2.], [3., 4.]])).sum().backward()
A.grad
""")
C("det_values", """
A = torch.tensor([[1., 2.], [3., 4.]])
print(torch.det(A), A.det(), torch.linalg.det(A.double()))
print(torch.det(torch.ones(2, 2, 2)))
torch.det(torch.tensor([[2., 0., 0.], [0., 3., 0.], [1., 1., 4.]]))
""")
C("det_grad", """
A = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
d = torch.det(A)
print(d)
d.backward()
A.grad
""")
C("inverse_det_errors", """
for call in (lambda: torch.inverse(torch.ones(2, 3)), lambda: torch.linalg.inv(torch.ones(3)),
             lambda: torch.inverse(torch.tensor([[1, 2], [3, 4]])),
             lambda: torch.det(torch.ones(3)), lambda: torch.linalg.det(torch.ones(2, 3)),
             lambda: torch.det(torch.tensor([[1, 2], [3, 4]]))):
    try:
        call()
    except RuntimeError as e:
        print(e)
torch.inverse(torch.ones(2, 2))
""")

# ---- Tensor.H: the conjugate transpose ------------------------------------------------------
C("H_complex", "torch.tensor([[1+2j, 3-1j]]).H")
C("H_real_is_a_transpose_view", """
x = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
h = x.H
print(h, h.stride(), h.data_ptr() == x.data_ptr())
(h * torch.arange(6.).view(3, 2)).sum().backward()
x.grad
""")
C("H_complex_grad", """
z = torch.tensor([[1+2j, 3-1j], [0.5j, -2+0j]], requires_grad=True)
h = z.H
print(h)
h.backward(torch.tensor([[1+1j, 2-1j], [0j, 3+0j]]))
z.grad
""")
C("H_0d", "torch.tensor(1.+1j).H", warn=True)      # PyTorch warns once per process
C("H_0d_real_is_itself", "a = torch.tensor(2.)\na.H is a")
C("H_not_a_matrix", """
for shape in [(3,), (2, 2, 2)]:
    try:
        torch.ones(*shape).H
    except RuntimeError as e:
        print(e)
""")

# ---- Tensor.unfold: sliding windows as a view --------------------------------------------
C("unfold_1d", "x = torch.arange(1., 8.)\ny = x.unfold(0, 3, 2)\nprint(y, y.stride(), y.is_contiguous())\ny._base is x")
C("unfold_3d_dim", "z = torch.arange(24.).view(2, 3, 4).unfold(1, 2, 1)\nprint(z.shape, z.stride())\nz")
C("unfold_negative_dim_step_past", "torch.arange(10).view(2, 5).unfold(-1, 2, 3)")
C("unfold_0d_and_empty", "print(torch.tensor(5.).unfold(0, 1, 1))\ntorch.arange(7.).unfold(0, 0, 1)")
C("unfold_shares_memory", "x = torch.zeros(6)\nw = x.unfold(0, 2, 2)\nw[1, 0] = 7\nprint(x._version)\nx")
C("unfold_grad_overlapping", """
x = torch.arange(1., 8., requires_grad=True)
y = x.unfold(0, 3, 2)
print(y.grad_fn.name(), y.grad_fn.next_functions[0][0].name())
(y * torch.arange(9.).view(3, 3)).sum().backward()
x.grad
""")
C("unfold_double_backward", """
g = torch.arange(1., 8., requires_grad=True)
out = g.unfold(0, 3, 2)
(gg,) = torch.autograd.grad((out ** 2).sum(), g, create_graph=True)
print(gg, gg.grad_fn.name())
gg.sum().backward()
g.grad
""")
C("unfold_errors", """
x = torch.arange(7.)
for args in [(0, 8, 1), (0, 3, 0), (0, -1, 1), (2, 1, 1)]:
    try:
        x.unfold(*args)
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__, e)
try:
    torch.tensor(5.).unfold(0, 2, 1)
except RuntimeError as e:
    print(e)
""")

# ---- sizes and dims by keyword, and the argument parser's errors for them ---------------------
C("size_keywords", """
x = torch.arange(6.)
print(x.view(size=(2, 3)).shape, x.reshape(shape=(3, 2)).shape, torch.reshape(x, shape=[6]).shape)
print(x.expand(size=(2, 6)).shape, x.view(1, 6).permute(dims=(1, 0)).shape,
      torch.permute(x.view(2, 3), dims=(1, 0)).shape, x.repeat(repeats=(2,)).shape)
print(x.flip(dims=(0,)), torch.flip(x, dims=[0]), x.tile(dims=(2,)).shape)
print(x.new_zeros(size=(2,)), x.new_ones(size=[1, 2]), torch.zeros(size=(1, 2)))
print(torch.ones(2, True).shape, x.repeat((2, True)).shape, x.reshape(2, torch.tensor(3)).shape)
""")
C("size_argument_errors", """
x = torch.arange(6.)
for f in (lambda: torch.zeros(10 / 2), lambda: torch.zeros([2.0]), lambda: torch.zeros((2, 3.0)),
          lambda: torch.zeros(2.0, 3), lambda: torch.ones(2, "a"), lambda: torch.zeros(None),
          lambda: torch.rand(2, 3.0), lambda: torch.randn((2, 3.0)), lambda: x.new_zeros((2, 3.0)),
          lambda: torch.randint(0, 5, (2, 3.0)), lambda: torch.full((2.0,), 1),
          lambda: x.reshape(3.0), lambda: x.reshape(2, 3.0), lambda: x.reshape(2, None),
          lambda: x.reshape(2, torch.tensor(3.)), lambda: x.reshape(), lambda: x.expand(6.0),
          lambda: x.expand((2, 3.0)), lambda: x.tile((2.0,)), lambda: x.tile(2, 1.0),
          lambda: x.repeat(2, 1.0), lambda: x.flip(), lambda: torch.flip(x),
          lambda: x.reshape(2, 3, shape=(2, 3)), lambda: x.expand(6, size=(6,)),
          lambda: x.permute(0, dims=(0,)), lambda: x.repeat(2, repeats=(2,)),
          lambda: x.expand(size=6), lambda: x.reshape(shape=6), lambda: x.permute(dims=0),
          lambda: x.repeat(repeats=2), lambda: torch.ones(size=2.0), lambda: x.flip(dims=0)):
    try:
        f()
    except TypeError as e:
        print(e)
""")
C("randint_forms", """
print(torch.randint(10, size=(3,)).shape, torch.randint(high=10, size=(2,)).shape,
      torch.randint(low=2, high=3, size=(2,)), torch.randint(5, (2,)).shape,
      torch.randint(1, 2, (2,)), torch.randint(3, (2,), dtype=torch.int8).dtype)
for f in (lambda: torch.randint(10), lambda: torch.randint(size=(2,)),
          lambda: torch.randint(1, 2), lambda: torch.randint(3, 1, (2,))):
    try:
        f()
    except (TypeError, RuntimeError) as e:
        print(type(e).__name__, e)
""")
C("copy_forms_one_piece_backward", """
x = torch.ones(3, requires_grad=True)
y, = torch.split_copy(x, 3)
y.sum().backward()
print(x.grad, y.grad_fn.name())
x.grad = None
b, = torch.unbind_copy(x.view(1, 3))
(b * 3).sum().backward()
print(x.grad, b.grad_fn.name())
""")
