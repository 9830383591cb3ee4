# Golden cases: structural torch.nn.functional ops (tshell/core/ops: convolution, pooling,
# normalization, padding, embedding, distance, interpolation, windows.py): one_hot, pad,
# normalize, cosine_similarity, cdist, embedding, layer/group/batch/instance norm, convolution
# (plain and transposed), pooling, unfold/fold and interpolate (declared with C(...) as
# core_cases.py).

# ---- one_hot ---------------------------------------------------------------------------------
C("one_hot_infer", "F = torch.nn.functional\nF.one_hot(torch.tensor([0, 2, 1, 2]))")
C("one_hot_classes_2d", "F = torch.nn.functional\nF.one_hot(torch.tensor([[0, 3], [1, 1]]), num_classes=5)")
C("one_hot_scalar_empty", "F = torch.nn.functional\nprint(F.one_hot(torch.tensor(2), 4))\nF.one_hot(torch.tensor([], dtype=torch.long), 3)")
C("one_hot_float_error", "torch.nn.functional.one_hot(torch.tensor([1., 2.]))")
C("one_hot_negative_error", "torch.nn.functional.one_hot(torch.tensor([1, -2]))")
C("one_hot_too_large_error", "torch.nn.functional.one_hot(torch.tensor([1, 5]), 3)")
C("one_hot_empty_error", "torch.nn.functional.one_hot(torch.tensor([], dtype=torch.long))")

# ---- pad -------------------------------------------------------------------------------------
C("pad_constant", """
F = torch.nn.functional
x = torch.arange(6.).view(2, 3)
print(F.pad(x, (1, 2)))
print(F.pad(x, (1, 0, 0, 1), value=-1.5))
F.pad(x.long(), [2, 1], value=7)
""")
C("pad_constant_negative", """
F = torch.nn.functional
x = torch.arange(12.).view(3, 4)
F.pad(x, (-1, 2, 1, -2))
""")
C("pad_constant_grad", """
F = torch.nn.functional
x = torch.arange(6.).view(1, 2, 3).requires_grad_()
y = F.pad(x, (1, 1, -1, 2), value=3.)
print(y)
(y * torch.arange(15.).view(1, 5, 3)).sum().backward()
x.grad
""")
C("pad_reflect", """
F = torch.nn.functional
x = torch.arange(8.).view(1, 2, 4).requires_grad_()
y = F.pad(x, (3, 1), mode='reflect')
print(y)
(y * torch.arange(16.).view(1, 2, 8)).sum().backward()
x.grad
""")
C("pad_reflect_2d", """
F = torch.nn.functional
x = torch.arange(12.).view(1, 3, 4).requires_grad_()
y = F.pad(x, (1, 2, 2, 1), mode='reflect')
print(y)
y.pow(2).sum().backward()
x.grad
""")
C("pad_replicate", """
F = torch.nn.functional
x = torch.arange(12.).view(1, 1, 3, 4).requires_grad_()
y = F.pad(x, (2, 1, 0, 2), mode='replicate')
print(y)
y.sum().backward()
x.grad
""")
C("pad_replicate_3d_and_int", """
F = torch.nn.functional
print(F.pad(torch.arange(8.).view(1, 2, 2, 2), (1, 0, 0, 1, 1, 0), mode='replicate'))
F.pad(torch.arange(6).view(2, 3), (1, 2), mode='replicate')
""")
C("pad_circular", """
F = torch.nn.functional
x = torch.arange(12.).view(1, 3, 4).requires_grad_()
y = F.pad(x, (2, 1, 1, 1), mode='circular')
print(y)
(y * torch.arange(35.).view(1, 5, 7)).sum().backward()
x.grad
""")
C("pad_circular_negative", "torch.nn.functional.pad(torch.arange(8.).view(1, 2, 4), (-1, 2), mode='circular')")
C("pad_odd_error", "torch.nn.functional.pad(torch.ones(2, 3), (1,))")
C("pad_too_long_error", "torch.nn.functional.pad(torch.ones(2, 3), (1, 1, 1, 1, 1, 1))")
C("pad_reflect_too_wide_error", "torch.nn.functional.pad(torch.ones(2, 3, 4), (4, 4), mode='reflect')")
C("pad_reflect_too_wide_2d_error", "torch.nn.functional.pad(torch.ones(2, 3, 4), (1, 1, 1, 5), mode='reflect')")
C("pad_reflect_ndim_error", "torch.nn.functional.pad(torch.ones(4), (1, 1), mode='reflect')")
C("pad_mode_value_error", "torch.nn.functional.pad(torch.ones(2, 3), (1, 1), mode='reflect', value=2.)")
C("pad_mode_unknown_error", "torch.nn.functional.pad(torch.ones(2, 3), (1, 1), mode='foo')")
C("pad_circular_wrap_error", "torch.nn.functional.pad(torch.ones(2, 3, 4), (5, 5), mode='circular')")
C("pad_negative_too_much_error", "torch.nn.functional.pad(torch.ones(2, 3, 4), (-3, -2))")
C("pad_float_width_error", "torch.nn.functional.pad(torch.ones(2, 3), [1, 1.5])")

# ---- normalize / cosine_similarity / cdist ------------------------------------------------------
C("normalize_default_and_p1", """
F = torch.nn.functional
x = torch.tensor([[3., 4.], [0., 0.], [1., -1.]])
print(F.normalize(x))
print(F.normalize(x, dim=0))
F.normalize(x, p=1, dim=1)
""")
C("normalize_grad", """
F = torch.nn.functional
x = torch.tensor([[3., 4.], [1., 2.]], requires_grad=True)
y = F.normalize(x, dim=1)
print(y)
(y * torch.tensor([[1., 0.], [0., 1.]])).sum().backward()
x.grad
""")
C("normalize_int_error", "torch.nn.functional.normalize(torch.arange(6).view(2, 3))")
C("cosine_similarity_basic", """
F = torch.nn.functional
a = torch.tensor([[1., 0., 1.], [2., 2., 0.]])
b = torch.tensor([[1., 1., 1.], [0., 0., 0.]])
print(F.cosine_similarity(a, b))
print(F.cosine_similarity(a, b, dim=0))
torch.cosine_similarity(a, b[0], dim=-1)
""")
C("cosine_similarity_grad", """
F = torch.nn.functional
a = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
b = torch.tensor([[1., 0., 1.], [0., 1., 0.]])
s = F.cosine_similarity(a, b)
print(s)
s.sum().backward()
a.grad
""")
C("cosine_similarity_int_error", "torch.nn.functional.cosine_similarity(torch.ones(2, 3, dtype=torch.long), torch.ones(2, 3, dtype=torch.long))")
C("cosine_similarity_shape_error", "torch.nn.functional.cosine_similarity(torch.ones(2, 4), torch.ones(2, 5))")
C("cdist_p2_p1_inf", """
a = torch.tensor([[0., 0.], [1., 1.], [2., 0.]])
b = torch.tensor([[1., 0.], [3., 4.]])
print(torch.cdist(a, b))
print(torch.cdist(a, b, p=1))
print(torch.cdist(a, b, p=float('inf')))
torch.cdist(a, b, p=0)
""")
C("cdist_batched_grad", """
a = torch.arange(12.).view(2, 3, 2).requires_grad_()
b = torch.tensor([[[1., 0.], [0., 2.]]])
d = torch.cdist(a, b)
print(d)
d.sum().backward()
a.grad
""")
C("cdist_p3_grad", """
a = torch.tensor([[0., 1.], [2., -1.]], requires_grad=True)
b = torch.tensor([[1., 1.], [0., 3.], [-1., 0.]], requires_grad=True)
d = torch.cdist(a, b, p=3)
print(d)
d.sum().backward()
print(a.grad)
b.grad
""")
C("cdist_large_mm_path", """
a = torch.arange(60.).view(30, 2).div(10).requires_grad_()
b = torch.tensor([[0., 1.], [2., 3.]])
d = torch.cdist(a, b)
print(d[:3], d.shape)
d.sum().backward()
a.grad[:3]
""")
C("cdist_columns_error", "torch.cdist(torch.ones(2, 3, 4), torch.ones(2, 3, 5))")
C("cdist_1d_error", "torch.cdist(torch.ones(3), torch.ones(3))")
C("cdist_negative_p_error", "torch.cdist(torch.ones(2, 3), torch.ones(2, 3), p=-1)")
C("cdist_int_error", "torch.cdist(torch.ones(2, 3, dtype=torch.long), torch.ones(2, 3, dtype=torch.long))")

# ---- embedding -------------------------------------------------------------------------------
C("embedding_basic", """
F = torch.nn.functional
w = torch.arange(15.).view(5, 3)
print(F.embedding(torch.tensor([[0, 2], [4, 2]]), w))
torch.embedding(w, torch.tensor([1, 3]))
""")
C("embedding_padding_idx_grad", """
F = torch.nn.functional
w = torch.arange(15.).view(5, 3).requires_grad_()
e = F.embedding(torch.tensor([[0, 2, 1], [1, 2, 4]]), w, padding_idx=2)
print(e)
(e * 2).sum().backward()
w.grad
""")
C("embedding_max_norm", """
F = torch.nn.functional
w = torch.arange(15.).view(5, 3)
print(F.embedding(torch.tensor([1, 1, 3]), w, max_norm=2.))
w
""")
C("embedding_out_of_range_error", "torch.nn.functional.embedding(torch.tensor([5]), torch.ones(5, 3))")
C("embedding_float_index_error", "torch.nn.functional.embedding(torch.tensor([1.]), torch.ones(5, 3))")
C("embedding_padding_idx_error", "torch.nn.functional.embedding(torch.tensor([1]), torch.ones(5, 3), padding_idx=7)")
C("embedding_weight_1d_error", "torch.nn.functional.embedding(torch.tensor([1]), torch.ones(5))")

# ---- layer_norm / group_norm / batch_norm / instance_norm --------------------------------------
C("layer_norm_basic", """
F = torch.nn.functional
x = torch.arange(12.).view(3, 4) ** 1.5
print(F.layer_norm(x, (4,)))
torch.layer_norm(x, [3, 4], eps=1e-3)
""")
C("layer_norm_affine_grad", """
F = torch.nn.functional
x = torch.tensor([[1., 2., 4.], [0., -1., 3.]], requires_grad=True)
w = torch.tensor([1., 2., 0.5], requires_grad=True)
b = torch.tensor([0., 1., -1.], requires_grad=True)
y = F.layer_norm(x, (3,), w, b)
print(y)
(y * torch.tensor([[1., 2., 3.], [-1., 0., 1.]])).sum().backward()
print(x.grad)
print(w.grad)
b.grad
""")
C("layer_norm_double_grad", """
F = torch.nn.functional
x = torch.tensor([[1., 2., 4.], [0., -1., 3.]], requires_grad=True)
y = F.layer_norm(x, (3,))
g, = torch.autograd.grad((y * torch.tensor([1., 2., 3.])).sum(), x, create_graph=True)
print(g)
g.pow(2).sum().backward()
x.grad
""")
C("layer_norm_shape_error", "torch.nn.functional.layer_norm(torch.ones(2, 3, 4), (5,))")
C("layer_norm_weight_error", "torch.nn.functional.layer_norm(torch.ones(2, 3, 4), (4,), torch.ones(3))")
C("layer_norm_int_error", "torch.nn.functional.layer_norm(torch.ones(2, 4, dtype=torch.long), (4,))")
C("group_norm_grad", """
F = torch.nn.functional
x = torch.arange(24.).view(2, 4, 3).double().pow(1.3).requires_grad_()
w = torch.tensor([1., 2., 3., 4.], dtype=torch.double, requires_grad=True)
y = F.group_norm(x, 2, w, torch.ones(4, dtype=torch.double))
print(y)
(y * torch.arange(24.).view(2, 4, 3)).sum().backward()
print(x.grad)
w.grad
""")
C("group_norm_groups_error", "torch.nn.functional.group_norm(torch.ones(2, 3, 4), 2)")
C("group_norm_weight_error", "torch.nn.functional.group_norm(torch.ones(2, 3, 4), 3, torch.ones(2))")
C("batch_norm_training_running_stats", """
F = torch.nn.functional
x = torch.arange(24.).view(4, 3, 2).pow(1.2).requires_grad_()
rm, rv = torch.zeros(3), torch.ones(3)
y = F.batch_norm(x, rm, rv, training=True, momentum=0.2)
print(y)
print(rm, rv, rm._version)
(y * torch.arange(24.).view(4, 3, 2)).sum().backward()
x.grad
""")
C("batch_norm_eval_affine_grad", """
F = torch.nn.functional
x = torch.arange(12.).view(4, 3).requires_grad_()
w = torch.tensor([1., 2., 3.], requires_grad=True)
b = torch.tensor([0., 1., 2.], requires_grad=True)
y = F.batch_norm(x, torch.tensor([1., 2., 3.]), torch.tensor([4., 1., 0.25]), w, b)
print(y)
y.pow(2).sum().backward()
print(x.grad)
print(w.grad)
b.grad
""")
C("batch_norm_no_running_stats", """
F = torch.nn.functional
x = torch.tensor([[1., 2.], [3., 5.], [4., 0.]], requires_grad=True)
y = torch.batch_norm(x, None, None, None, None, True, 0.1, 1e-5, False)
print(y)
F.batch_norm(x, None, None, training=True, eps=0.5)
""")
C("batch_norm_eval_missing_stats_error", "torch.nn.functional.batch_norm(torch.ones(2, 3), None, None)")
C("batch_norm_stat_size_error", "torch.nn.functional.batch_norm(torch.ones(2, 3, 4), torch.zeros(2), torch.ones(2))")
C("batch_norm_weight_size_error", "torch.nn.functional.batch_norm(torch.ones(2, 3, 4), torch.zeros(3), torch.ones(3), torch.ones(2))")
C("batch_norm_one_value_error", "torch.nn.functional.batch_norm(torch.ones(1, 3, 1), None, None, training=True)")
C("instance_norm_running", """
F = torch.nn.functional
x = torch.arange(24.).view(2, 3, 4).pow(1.5).requires_grad_()
rm, rv = torch.zeros(3), torch.ones(3)
y = F.instance_norm(x, rm, rv, weight=torch.tensor([1., 2., 3.]))
print(y)
print(rm, rv)
y.pow(3).sum().backward()
x.grad
""")
C("instance_norm_one_element_error", "torch.nn.functional.instance_norm(torch.ones(2, 3, 1))")

# ---- convolution -----------------------------------------------------------------------------
C("conv1d_basic", """
F = torch.nn.functional
x = torch.arange(10.).view(1, 2, 5)
w = torch.tensor([[[1., 0., -1.], [2., 1., 0.]]])
print(F.conv1d(x, w))
print(F.conv1d(x, w, torch.tensor([0.5]), stride=2, padding=1))
torch.conv1d(x, w, padding='same', dilation=2)
""")
C("conv2d_grads", """
F = torch.nn.functional
x = torch.arange(32.).view(1, 2, 4, 4).div(8).requires_grad_()
w = torch.arange(36.).view(2, 2, 3, 3).sub(18).div(10).requires_grad_()
b = torch.tensor([0.5, -1.], requires_grad=True)
y = F.conv2d(x, w, b, padding=1)
print(y)
(y * torch.arange(32.).view(1, 2, 4, 4)).sum().backward()
print(x.grad)
print(w.grad)
b.grad
""")
C("conv2d_stride_dilation_groups", """
F = torch.nn.functional
x = torch.arange(72.).view(1, 4, 3, 6).requires_grad_()
w = torch.ones(6, 2, 2, 2)
y = F.conv2d(x, w, stride=(1, 2), dilation=(1, 2), groups=2, padding=(1, 0))
print(y.shape)
print(y[0, ::2])
y.sum().backward()
x.grad[0, 0]
""")
C("conv2d_same_even_kernel", """
F = torch.nn.functional
x = torch.arange(16.).view(1, 1, 4, 4).requires_grad_()
y = torch.conv2d(x, torch.ones(1, 1, 2, 2), padding='same')
print(y)
y.sum().backward()
x.grad
""")
C("conv2d_unbatched_and_int", """
F = torch.nn.functional
print(F.conv2d(torch.arange(9.).view(1, 3, 3), torch.ones(1, 1, 2, 2), padding='valid'))
F.conv2d(torch.arange(16).view(1, 1, 4, 4), torch.ones(2, 1, 3, 3, dtype=torch.long))
""")
C("conv2d_double_grad", """
F = torch.nn.functional
x = torch.arange(9.).view(1, 1, 3, 3).requires_grad_()
w = torch.tensor([[[[1., -1.], [2., 0.5]]]], requires_grad=True)
y = F.conv2d(x, w)
gx, gw = torch.autograd.grad(y.pow(2).sum(), (x, w), create_graph=True)
print(gx)
print(gw)
(gx.sum() + gw.pow(2).sum()).backward()
print(x.grad)
w.grad
""")
C("conv_transpose2d_grads", """
F = torch.nn.functional
x = torch.arange(8.).view(1, 2, 2, 2).requires_grad_()
w = torch.arange(24.).view(2, 3, 2, 2).div(10).requires_grad_()
y = F.conv_transpose2d(x, w, torch.tensor([1., 0., -1.]), stride=2, padding=1, output_padding=1)
print(y)
(y * torch.arange(27.).view(1, 3, 3, 3)).sum().backward()
print(x.grad)
w.grad
""")
C("conv_transpose1d_basic", """
F = torch.nn.functional
torch.conv_transpose1d(torch.arange(6.).view(1, 2, 3), torch.ones(2, 1, 2), stride=2, groups=2)
""")
C("conv2d_channels_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(2, 2, 2, 2))")
C("conv2d_ndim_error", "torch.nn.functional.conv2d(torch.ones(3, 4), torch.ones(2, 3, 2, 2))")
C("conv2d_kernel_too_large_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(2, 3, 6, 6))")
C("conv2d_groups_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(4, 1, 2, 2), groups=2)")
C("conv2d_groups_weight_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(4, 1, 2, 2), groups=3)")
C("conv2d_same_strided_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 1, 2, 2), groups=3, stride=2, padding='same')")
C("conv2d_padding_string_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 3, 2, 2), padding='foo')")
C("conv2d_negative_padding_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 3, 2, 2), padding=-1)")
C("conv2d_stride_zero_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 3, 2, 2), stride=0)")
C("conv2d_dtype_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(3, 3, 2, 2).double())")
C("conv2d_bias_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 3, 2, 2), torch.ones(2))")
C("conv2d_stride_length_error", "torch.nn.functional.conv2d(torch.ones(1, 3, 5, 5), torch.ones(3, 3, 2, 2), stride=(1, 2, 3))")
C("conv1d_weight_ndim_error", "torch.nn.functional.conv2d(torch.ones(2, 3, 5, 5), torch.ones(2, 3, 2))")
C("conv_transpose2d_output_padding_error", "torch.nn.functional.conv_transpose2d(torch.ones(1, 3, 5, 5), torch.ones(3, 2, 3, 3), output_padding=2)")

# ---- pooling ---------------------------------------------------------------------------------
C("max_pool2d_indices_grad", """
F = torch.nn.functional
x = torch.tensor([[[[1., 5., 2., 0.], [3., 4., 8., 1.], [0., 9., 2., 2.], [6., 1., 3., 7.]]]],
                 requires_grad=True)
y, i = F.max_pool2d(x, 2, return_indices=True)
print(y)
print(i)
(y * torch.tensor([[1., 2.], [3., 4.]])).sum().backward()
x.grad
""")
C("max_pool2d_padding_ceil", """
F = torch.nn.functional
x = torch.arange(35.).view(1, 5, 7).requires_grad_()
y = torch.max_pool2d(x, 3, 2, 1, ceil_mode=True)
print(y)
y.sum().backward()
x.grad
""")
C("max_pool2d_dilation", "torch.nn.functional.max_pool2d(torch.arange(36.).view(1, 1, 6, 6), (2, 3), stride=(2, 1), dilation=2, return_indices=True)")
C("max_pool1d_grad", """
F = torch.nn.functional
x = torch.tensor([[[1., 5., 2., 0., 7., 3.]]], requires_grad=True)
y, i = F.max_pool1d(x, 3, 2, padding=1, return_indices=True)
print(y, i)
y.sum().backward()
x.grad
""")
C("avg_pool2d_pad_modes", """
F = torch.nn.functional
x = torch.arange(16.).view(1, 1, 4, 4)
print(F.avg_pool2d(x, 3, 2, 1))
print(F.avg_pool2d(x, 3, 2, 1, count_include_pad=False))
print(F.avg_pool2d(x, 3, 2, ceil_mode=True))
F.avg_pool2d(x, 2, divisor_override=3)
""")
C("avg_pool2d_grad", """
F = torch.nn.functional
x = torch.arange(20.).view(1, 4, 5).requires_grad_()
y = F.avg_pool2d(x, (2, 3), stride=(2, 1), padding=(1, 1), count_include_pad=False)
print(y)
y.sum().backward()
x.grad
""")
C("avg_pool1d_grad", """
F = torch.nn.functional
x = torch.arange(7.).view(1, 1, 7).requires_grad_()
y = torch.avg_pool1d(x, 3, 2, 1)
print(y)
y.pow(2).sum().backward()
x.grad
""")
C("adaptive_avg_pool2d_grad", """
F = torch.nn.functional
x = torch.arange(35.).view(1, 5, 7).requires_grad_()
y = F.adaptive_avg_pool2d(x, (3, 2))
print(y)
y.sum().backward()
print(x.grad)
F.adaptive_avg_pool2d(x, (2, None)).shape
""")
C("adaptive_avg_pool1d", """
x = torch.arange(10.).view(1, 2, 5).requires_grad_()
y = torch.adaptive_avg_pool1d(x, 3)
print(y)
y.sum().backward()
x.grad
""")
C("adaptive_max_pool2d_grad", """
F = torch.nn.functional
x = torch.tensor([[[1., 5., 2.], [3., 4., 8.], [0., 9., 2.], [6., 1., 3.]]], requires_grad=True)
y, i = F.adaptive_max_pool2d(x, (2, 2), return_indices=True)
print(y)
print(i)
y.sum().backward()
print(x.grad)
F.adaptive_max_pool1d(torch.tensor([[3., 1., 4., 1., 5.]]), 2)
""")
C("max_pool2d_output_too_small_error", "torch.nn.functional.max_pool2d(torch.ones(2, 3, 5, 5), 6)")
C("max_pool2d_pad_error", "torch.nn.functional.max_pool2d(torch.ones(2, 3, 5, 5), 2, padding=2)")
C("max_pool2d_ndim_error", "torch.nn.functional.max_pool2d(torch.ones(3, 4), 2)")
C("max_pool2d_stride_zero_error", "torch.nn.functional.max_pool2d(torch.ones(2, 3, 5, 5), 2, stride=0)")
C("max_pool2d_kernel_tuple_error", "torch.nn.functional.max_pool2d(torch.ones(2, 3, 5, 5), (2, 2, 2))")
C("max_pool1d_output_error", "torch.nn.functional.max_pool1d(torch.ones(2, 3, 4), 5)")
C("max_pool1d_ndim_error", "torch.nn.functional.max_pool1d(torch.ones(2, 3, 5, 5), 2)")
C("avg_pool1d_output_error", "torch.nn.functional.avg_pool1d(torch.ones(2, 3, 4), 5)")
C("avg_pool1d_ndim_error", "torch.nn.functional.avg_pool1d(torch.ones(2, 3, 5, 5), 2)")
C("adaptive_avg_pool2d_size_error", "torch.nn.functional.adaptive_avg_pool2d(torch.ones(2, 3, 5, 5), (2, 3, 4))")
C("adaptive_avg_pool2d_int_error", "torch.nn.functional.adaptive_avg_pool2d(torch.ones(2, 3, 5, 5, dtype=torch.long), 2)")
C("adaptive_avg_pool2d_ndim_error", "torch.nn.functional.adaptive_avg_pool2d(torch.ones(3, 4), 2)")

# ---- unfold / fold ---------------------------------------------------------------------------
C("unfold_fold_roundtrip", """
F = torch.nn.functional
x = torch.arange(18.).view(1, 2, 3, 3).requires_grad_()
cols = F.unfold(x, 2)
print(cols)
y = F.fold(cols, (3, 3), 2)
print(y)
y.sum().backward()
x.grad
""")
C("unfold_padding_stride", "torch.nn.functional.unfold(torch.arange(16.).view(1, 1, 4, 4), (2, 3), padding=1, stride=(2, 3))")
C("unfold_too_large_error", "torch.nn.functional.unfold(torch.ones(2, 3, 5, 5), 6)")
C("fold_blocks_error", "torch.nn.functional.fold(torch.ones(1, 12, 5), (3, 3), 2)")
C("fold_channels_error", "torch.nn.functional.fold(torch.ones(1, 10, 4), (3, 3), 2)")

# ---- interpolate -----------------------------------------------------------------------------
C("interpolate_nearest", """
F = torch.nn.functional
x = torch.arange(6.).view(1, 1, 2, 3).requires_grad_()
y = F.interpolate(x, scale_factor=2)
print(y)
print(F.interpolate(x, size=(3, 4)))
y.sum().backward()
x.grad
""")
C("interpolate_bilinear", """
F = torch.nn.functional
x = torch.arange(6.).view(1, 1, 2, 3).requires_grad_()
y = F.interpolate(x, size=(3, 5), mode='bilinear')
print(y)
print(F.interpolate(x, size=(3, 5), mode='bilinear', align_corners=True))
(y * torch.arange(15.).view(1, 1, 3, 5)).sum().backward()
x.grad
""")
C("interpolate_linear_1d", """
F = torch.nn.functional
x = torch.tensor([[[0., 1., 4., 9.]]], requires_grad=True)
y = F.interpolate(x, scale_factor=1.5, mode='linear')
print(y)
y.sum().backward()
x.grad
""")
C("interpolate_both_error", "torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2), size=(3, 3), scale_factor=2)")
C("interpolate_neither_error", "torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2))")
C("interpolate_bilinear_3d_error", "torch.nn.functional.interpolate(torch.ones(1, 2, 3), scale_factor=2, mode='bilinear')")
C("interpolate_nearest_align_error", "torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2), scale_factor=2, align_corners=True)")
C("interpolate_size_length_error", "torch.nn.functional.interpolate(torch.ones(1, 1, 2, 2), size=(7,), mode='bilinear')")
C("torch_level_norm_signatures", """
x = torch.arange(12.).view(2, 3, 2)
print(torch.layer_norm(x, [2], None, None, 1e-5, False))
print(torch.group_norm(x, 3, torch.ones(3), None, 1e-5, False))
torch.instance_norm(x, None, None, None, None, True, 0.1, 1e-5, False)
""")
C("conv2d_bias_double_grad", """
F = torch.nn.functional
x = torch.arange(9.).view(1, 1, 3, 3).requires_grad_()
w = torch.ones(1, 1, 2, 2, requires_grad=True)
b = torch.ones(1, requires_grad=True)
y = F.conv2d(x, w, b)
gx, gw, gb = torch.autograd.grad(y.pow(2).sum(), (x, w, b), create_graph=True)
print(gb)
gb.backward()
print(x.grad)
w.grad
""")
C("batch_norm_double_grad", """
F = torch.nn.functional
x = torch.tensor([[1., 2.], [3., 5.], [4., 0.]], dtype=torch.double, requires_grad=True)
y = F.batch_norm(x, None, None, torch.tensor([2., 1.], dtype=torch.double), None, training=True)
g, = torch.autograd.grad((y.pow(3) * torch.tensor([[1., 2.], [3., 1.], [0., 1.]])).sum(), x,
                        create_graph=True)
print(g)
g.pow(2).sum().backward()
x.grad
""")
