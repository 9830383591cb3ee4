"""PyTorch's errors (class and exact text) for the torch surface.

Every expected text was obtained by running the same code with torch 2.13 CPU.
"""

import re

import pytest

import tshell.core as torch


def raises(cls, text, fn, *args, **kwargs):
    """Assert fn(*args) raises exactly `cls` (not a subclass check only) with message `text`."""
    with pytest.raises(cls) as info:
        fn(*args, **kwargs)
    assert type(info.value) is cls, f"raised {type(info.value).__name__}, torch raises {cls.__name__}"
    assert str(info.value) == text
    return info.value


BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they "
    "have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")


# ---------------------------------------------------------------------------------------
# autograd

def test_backward_twice_through_freed_graph():
    x = torch.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward()
    raises(RuntimeError, BACKWARD_TWICE, y.backward)


def test_backward_twice_exp():
    x = torch.ones(3, requires_grad=True)
    y = x.exp().sum()
    y.backward()
    raises(RuntimeError, BACKWARD_TWICE, y.backward)


def test_autograd_grad_twice_through_freed_graph():
    x = torch.ones(3, requires_grad=True)
    y = x.exp().sum()
    torch.autograd.grad(y, x)
    raises(RuntimeError, BACKWARD_TWICE, torch.autograd.grad, y, x)


def test_backward_twice_with_retain_graph_is_fine():
    x = torch.ones(3, requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 4.0, 4.0]


def test_implicit_gradient_of_non_scalar():
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, "grad can be implicitly created only for scalar outputs", (x * 2).backward)


def test_implicit_gradient_of_non_scalar_autograd_grad():
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, "grad can be implicitly created only for scalar outputs",
           torch.autograd.grad, x * 2, x)


def test_implicit_gradient_of_complex_scalar():
    # PyTorch 2.13's text (torch/autograd/__init__.py), for backward() and autograd.grad alike
    x = torch.ones(3, dtype=torch.complex64, requires_grad=True)
    message = "grad can be implicitly created only for real scalar outputs but got torch.complex64"
    raises(RuntimeError, message, x.sum().backward)
    raises(RuntimeError, message, torch.autograd.grad, x.sum(), x)


def test_backward_on_tensor_without_grad():
    raises(RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn",
           torch.ones(3).sum().backward)


def test_backward_after_no_grad():
    x = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        y = (x * 2).sum()
    raises(RuntimeError, "element 0 of tensors does not require grad and does not have a grad_fn", y.backward)


def test_backward_gradient_shape_mismatch():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    raises(RuntimeError, "Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] "
                         "has a shape of torch.Size([2]).", y.backward, torch.ones(3))


def test_autograd_grad_unused_input():
    x = torch.ones(2, requires_grad=True)
    z = torch.ones(2, requires_grad=True)
    raises(RuntimeError, "The differentiated Tensor at index 0 appears to not have been used in the graph. "
                         "Set allow_unused=True if this is the desired behavior.",
           torch.autograd.grad, (x * 2).sum(), z)



def test_backward_gradient_not_a_tensor():
    # torch.autograd._make_grads: a non-tensor gradient is iterated, each item must be a tensor
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    raises(TypeError, "gradients can be either Tensors or None, but got float", y.backward, [1., 2., 3.])
    raises(TypeError, "gradients can be either Tensors or None, but got str", y.backward, "abc")
    raises(TypeError, "gradients can be either Tensors or None, but got str", torch.autograd.grad, y, x, "abc")
    raises(TypeError, "'float' object is not iterable", y.sum().backward, 2.0)


def test_backward_complex_gradient_for_real_output():
    y = torch.ones(3, requires_grad=True) * 2
    raises(RuntimeError, "For complex Tensors, both grad_output and output are required to have the same "
                         "dtype. Mismatch in dtype: grad_output[0] has a dtype of torch.complex64 and output[0] "
                         "has a dtype of torch.float32.", y.backward, torch.ones(3, dtype=torch.complex64))


def test_backward_count_and_element_checks():
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    raises(RuntimeError, "got 2 tensors and 1 gradients", torch.autograd.backward, [y, y], [torch.ones(3)])
    raises(RuntimeError, "element 1 of tensors does not require grad and does not have a grad_fn",
           torch.autograd.backward, [x.sum(), torch.ones(3)])
    # the shape is checked before requires_grad
    raises(RuntimeError, "Mismatch in shape: grad_output[0] has a shape of torch.Size([2]) and output[0] "
                         "has a shape of torch.Size([3]).", torch.ones(3).backward, torch.ones(2))


def test_empty_inputs():
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, "`inputs` argument to `grad()` cannot be empty.", torch.autograd.grad, x.sum(), [])
    raises(RuntimeError, "`inputs` argument to `backward()` cannot be empty.", x.sum().backward, inputs=[])


def test_materialize_grads_with_allow_unused_false():
    x = torch.ones(2, requires_grad=True)
    raises(ValueError, "Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
                       "allow_unused=False.", torch.autograd.grad, x.sum(), x, allow_unused=False,
           materialize_grads=True)


def test_materialized_grad_requires_grad_with_create_graph():
    x = torch.ones(3, requires_grad=True)
    z = torch.ones(3, requires_grad=True)
    gz, gx = torch.autograd.grad(x.sum(), [z, x], materialize_grads=True, create_graph=True)
    assert str(gz) == "tensor([0., 0., 0.], requires_grad=True)" and gz.is_leaf
    assert str(gx) == "tensor([1., 1., 1.])"


def test_autograd_grad_dict_inputs_and_only_inputs():
    x = torch.ones(3, requires_grad=True)
    r = torch.autograd.grad((x * 2).sum(), {"a": x})
    assert list(r) == ["a"] and str(r["a"]) == "tensor([2., 2., 2.])"
    with pytest.warns(FutureWarning, match="^only_inputs argument is deprecated and is ignored now"):
        torch.autograd.grad(x.sum(), x, only_inputs=False)


def test_backward_inputs_accumulates_only_into_them():
    x = torch.ones(3, requires_grad=True)
    w = torch.ones(3, requires_grad=True)
    (x * w * 2).sum().backward(inputs=w)
    assert x.grad is None and str(w.grad) == "tensor([2., 2., 2.])"
    torch.autograd.backward((x * w).sum(), inputs=[x, w])
    assert str(x.grad) == "tensor([1., 1., 1.])" and str(w.grad) == "tensor([3., 3., 3.])"


def test_backward_create_graph_warns_once():
    from tshell.core.autograd import _CYCLE_WARNED
    _CYCLE_WARNED.clear()
    x = torch.ones(2, requires_grad=True)
    with pytest.warns(UserWarning, match="^Using backward\\(\\) with create_graph=True will create a "
                                         "reference cycle between the parameter and its gradient"):
        (x * x).sum().backward(create_graph=True)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x * x).sum().backward(create_graph=True)

LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation."


def test_inplace_add_on_leaf():
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, LEAF_INPLACE, x.add_, 1)


def test_inplace_mul_on_leaf():
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, LEAF_INPLACE, x.mul_, 2)


def test_augmented_assignment_on_leaf():
    x = torch.ones(3, requires_grad=True)

    def f():
        nonlocal x
        x += 1
    raises(RuntimeError, LEAF_INPLACE, f)


def test_setitem_on_leaf():
    x = torch.ones(3, requires_grad=True)

    def f():
        x[0] = 3
    raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.", f)


@pytest.mark.parametrize("call", [
    lambda x: x.sub_(1), lambda x: x.div_(2), lambda x: x.pow_(2), lambda x: x.zero_(),
    lambda x: x.fill_(1.0), lambda x: x.copy_(torch.zeros(2, 3)), lambda x: x.clamp_(0, 1),
], ids=["sub_", "div_", "pow_", "zero_", "fill_", "copy_", "clamp_"])
def test_other_inplace_ops_on_leaf(call):
    raises(RuntimeError, LEAF_INPLACE, call, torch.ones(2, 3, requires_grad=True))


@pytest.mark.parametrize("call", [
    lambda x: x.t().add_(1), lambda x: x[0].mul_(2), lambda x: x.view(6).zero_(),
], ids=["t().add_", "[0].mul_", "view().zero_"])
def test_inplace_on_view_of_leaf(call):
    raises(RuntimeError, "a view of a leaf Variable that requires grad is being used in an in-place operation.",
           call, torch.ones(2, 3, requires_grad=True))


def test_inplace_on_detached_leaf_is_fine():
    x = torch.ones(3, requires_grad=True)
    x.detach().add_(1)
    assert x.tolist() == [2.0, 2.0, 2.0]


def test_inplace_on_leaf_under_no_grad_is_fine():
    x = torch.ones(3, requires_grad=True)
    with torch.no_grad():
        x.add_(1)
        x[0] = 5.0
    assert x.tolist() == [5.0, 2.0, 2.0]
    assert x.requires_grad and x.is_leaf


def test_numpy_on_tensor_requiring_grad():
    msg = "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."
    x = torch.ones(3, requires_grad=True)
    raises(RuntimeError, msg, x.numpy)
    raises(RuntimeError, msg, (x * 2).numpy)
    assert x.detach().numpy().tolist() == [1.0, 1.0, 1.0]


def test_saved_tensor_modified_in_place():
    x = torch.ones(2, requires_grad=True)
    y = x.exp()
    y.add_(1)
    with pytest.raises(RuntimeError) as info:
        y.sum().backward()
    msg = str(info.value)
    assert type(info.value) is RuntimeError
    assert msg.startswith(
        "one of the variables needed for gradient computation has been modified by an inplace operation: "
        "[torch.FloatTensor [2]], which is output 0 of Exp, is at version")
    assert "is at version 1; expected version 0 instead." in msg


def test_requires_grad_on_int_factory():
    msg = "Only Tensors of floating point and complex dtype can require gradients"
    raises(RuntimeError, msg, torch.ones, 2, dtype=torch.long, requires_grad=True)
    raises(RuntimeError, msg, torch.zeros, 2, dtype=torch.int32, requires_grad=True)
    raises(RuntimeError, msg, torch.tensor, [1, 2], requires_grad=True)
    raises(RuntimeError, msg, torch.arange, 3, requires_grad=True)


def test_requires_grad_method_on_int():
    raises(RuntimeError, "only Tensors of floating point dtype can require gradients",
           torch.ones(2, dtype=torch.long).requires_grad_)


def test_requires_grad_attribute_on_int():
    t = torch.ones(2, dtype=torch.long)

    def f():
        t.requires_grad = True
    raises(RuntimeError, "only Tensors of floating point and complex dtype can require gradients", f)


NONLEAF_FLAG = ("you can only change requires_grad flags of leaf variables. If you want to use a computed "
                "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().")


def test_requires_grad_false_on_non_leaf():
    y = torch.ones(2, requires_grad=True) * 2
    raises(RuntimeError, NONLEAF_FLAG, y.requires_grad_, False)


def test_requires_grad_attribute_false_on_non_leaf():
    y = torch.ones(2, requires_grad=True) * 2

    def f():
        y.requires_grad = False
    raises(RuntimeError, NONLEAF_FLAG, f)


def test_grad_of_non_leaf_warns_and_is_none():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.sum().backward()
    start = ("The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
             "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
             "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor "
             "by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 "
             "for more information.")
    with pytest.warns(UserWarning, match="^" + re.escape(start)):
        g = y.grad
    assert g is None


def test_retain_grad_non_leaf_has_grad():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.sum().backward()
    assert y.grad.tolist() == [1.0, 1.0]


# ---------------------------------------------------------------------------------------
# conversion to Python scalars

def test_item_many_elements():
    raises(RuntimeError, "a Tensor with 2 elements cannot be converted to Scalar", torch.ones(2).item)
    raises(RuntimeError, "a Tensor with 6 elements cannot be converted to Scalar", torch.ones(2, 3).item)


def test_item_zero_elements():
    raises(RuntimeError, "a Tensor with 0 elements cannot be converted to Scalar", torch.ones(0).item)


def test_item_one_element_any_shape_is_fine():
    assert torch.ones(1, 1).item() == 1.0


def test_float_int_of_multi_element():
    msg = "only one element tensors can be converted to Python scalars"
    raises(ValueError, msg, float, torch.ones(2))
    raises(ValueError, msg, int, torch.ones(2))
    raises(ValueError, msg, float, torch.ones(0))


def test_bool_of_multi_element():
    raises(RuntimeError, "Boolean value of Tensor with more than one value is ambiguous", bool, torch.ones(2))


def test_bool_of_empty():
    raises(RuntimeError, "Boolean value of Tensor with no values is ambiguous", bool, torch.ones(0))


# ---------------------------------------------------------------------------------------
# shapes, indices, dims

def test_mm_mismatch():
    msg = "mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)"
    raises(RuntimeError, msg, torch.mm, torch.ones(2, 3), torch.ones(4, 5))
    raises(RuntimeError, msg, torch.matmul, torch.ones(2, 3), torch.ones(4, 5))
    raises(RuntimeError, msg, lambda: torch.ones(2, 3) @ torch.ones(4, 5))


def test_vector_matrix_mismatch():
    raises(RuntimeError, "mat1 and mat2 shapes cannot be multiplied (1x3 and 4x5)",
           lambda: torch.ones(3) @ torch.ones(4, 5))


def test_matrix_vector_mismatch():
    raises(RuntimeError, "size mismatch, got input (2), mat (2x3), vec (4)",
           lambda: torch.ones(2, 3) @ torch.ones(4))


def test_bmm_mismatch():
    raises(RuntimeError, "Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].",
           torch.bmm, torch.ones(2, 2, 3), torch.ones(2, 4, 5))


def test_mm_needs_matrix():
    raises(RuntimeError, "self must be a matrix", torch.mm, torch.ones(3), torch.ones(3))


def test_dot_mismatch():
    msg = ("inconsistent tensor size, expected tensor [3] and src [4] to have the same number of elements, "
           "but got 3 and 4 elements respectively")
    raises(RuntimeError, msg, lambda: torch.ones(3) @ torch.ones(4))
    raises(RuntimeError, msg, torch.matmul, torch.ones(3), torch.ones(4))


def test_index_out_of_range():
    x = torch.ones(3)
    raises(IndexError, "index 5 is out of bounds for dimension 0 with size 3", lambda: x[5])
    raises(IndexError, "index -4 is out of bounds for dimension 0 with size 3", lambda: x[-4])
    raises(IndexError, "index 3 is out of bounds for dimension 1 with size 3", lambda: torch.ones(2, 3)[:, 3])


def test_setitem_index_out_of_range():
    x = torch.ones(3)

    def f():
        x[5] = 1.0
    raises(IndexError, "index 5 is out of bounds for dimension 0 with size 3", f)


def test_too_many_indices():
    raises(IndexError, "too many indices for tensor of dimension 1", lambda: torch.ones(3)[0, 0])
    raises(IndexError, "too many indices for tensor of dimension 2", lambda: torch.ones(2, 3)[0, 0, 0])


def test_index_0dim():
    raises(IndexError, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
                       "in C++ to convert a 0-dim tensor to a number", lambda: torch.tensor(1.0)[0])


def test_bad_dim():
    raises(IndexError, "Dimension out of range (expected to be in range of [-1, 0], but got 2)",
           torch.ones(3).sum, 2)
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
           torch.ones(2, 2).sum, 2)
    raises(IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got -3)",
           torch.ones(2, 2).sum, -3)


@pytest.mark.parametrize("call,text", [
    (lambda x: x.mean(2), "[-2, 1], but got 2"),
    (lambda x: x.softmax(2), "[-2, 1], but got 2"),
    (lambda x: x.transpose(0, 2), "[-2, 1], but got 2"),
    (lambda x: x.unsqueeze(3), "[-3, 2], but got 3"),
    (lambda x: x.max(2), "[-2, 1], but got 2"),
    (lambda x: x.cumsum(-3), "[-2, 1], but got -3"),
])
def test_bad_dim_other_ops(call, text):
    raises(IndexError, f"Dimension out of range (expected to be in range of {text})", call, torch.ones(2, 2))


def test_inplace_result_type_cast():
    msg = "result type Float can't be cast to the desired output type Long"
    raises(RuntimeError, msg, torch.ones(2, dtype=torch.long).add_, 1.5)
    raises(RuntimeError, msg, torch.ones(2, dtype=torch.long).mul_, torch.ones(2))
    raises(RuntimeError, msg, torch.add, torch.ones(2), 1, out=torch.zeros(2, dtype=torch.long))


def test_mean_on_int():
    base = ("mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. "
            "Got: ")
    raises(RuntimeError, base + "Long", torch.ones(2, dtype=torch.long).mean)
    raises(RuntimeError, base + "Int", torch.ones(2, dtype=torch.int32).mean)
    raises(RuntimeError, base + "Bool", torch.ones(2, dtype=torch.bool).mean)


def test_cat_mismatch():
    raises(RuntimeError, "Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 "
                         "for tensor number 1 in the list.", torch.cat, [torch.ones(2, 3), torch.ones(2, 4)])
    raises(RuntimeError, "Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 "
                         "for tensor number 1 in the list.", torch.cat, [torch.ones(2, 3), torch.ones(3, 3)], 1)


def test_cat_ndim_mismatch():
    raises(RuntimeError, "Tensors must have same number of dimensions: got 2 and 1",
           torch.cat, [torch.ones(2, 3), torch.ones(3)])


def test_stack_mismatch():
    raises(RuntimeError, "stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [2, 4] at entry 1",
           torch.stack, [torch.ones(2, 3), torch.ones(2, 4)])


def test_view_shape_invalid():
    raises(RuntimeError, "shape '[-1, 7]' is invalid for input of size 16", torch.ones(16).view, -1, 7)
    raises(RuntimeError, "shape '[3, 5]' is invalid for input of size 16", torch.ones(4, 4).view, 3, 5)
    raises(RuntimeError, "shape '[5, -1]' is invalid for input of size 16", torch.ones(16).reshape, 5, -1)


def test_two_inferred_dims():
    raises(RuntimeError, "only one dimension can be inferred", torch.ones(16).view, -1, -1)
    raises(RuntimeError, "only one dimension can be inferred", torch.ones(16).reshape, -1, 4, -1)


def test_view_on_non_contiguous():
    raises(RuntimeError, "view size is not compatible with input tensor's size and stride (at least one dimension "
                         "spans across two contiguous subspaces). Use .reshape(...) instead.",
           torch.ones(3, 4).t().view, 12)


def test_broadcast_mismatch():
    msg = "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"
    raises(RuntimeError, msg, lambda: torch.ones(2, 3) + torch.ones(2, 4))
    raises(RuntimeError, msg, lambda: torch.ones(2, 3) * torch.ones(4))
    raises(RuntimeError, msg, torch.add, torch.ones(2, 3), torch.ones(2, 4))


def test_negative_step_slice():
    raises(ValueError, "step must be greater than zero", lambda: torch.ones(3)[::-1])
    raises(ValueError, "step must be greater than zero", lambda: torch.ones(2, 3)[:, ::-2])


# ---------------------------------------------------------------------------------------
# creation functions: wrong argument types. torch says e.g.
#   TypeError: zeros(): argument 'dtype' must be torch.dtype, not str
# tshell may word the rest differently; the class and the function's name must match.

@pytest.mark.parametrize("name,call", [
    ("zeros", lambda: torch.zeros(2, dtype="float")),        # zeros(): argument 'dtype' must be torch.dtype, not str
    ("tensor", lambda: torch.tensor([1.0], dtype="float32")),  # tensor(): argument 'dtype' must be torch.dtype, not str
    ("ones", lambda: torch.ones("a")),                        # ones(): argument 'size' (position 1) must be tuple of ints, not str
    ("randn", lambda: torch.randn(2.5)),                      # randn(): argument 'size' (position 1) must be tuple of ints, not float
    ("arange", lambda: torch.arange("a")),                    # arange(): argument 'end' (position 1) must be Number, not str
    ("full", lambda: torch.full(2, 1.0)),                     # full(): argument 'size' (position 1) must be tuple of ints, not int
])
def test_creation_bad_argument_type(name, call):
    with pytest.raises(TypeError) as info:
        call()
    assert name in str(info.value)


def test_unknown_dtype_name():
    with pytest.raises(AttributeError):
        torch.floatt  # noqa: B018


# ---------------------------------------------------------------------------------------
# devices: PyTorch's errors where a GPU exists; a clear error where none does

# `cuda_device` (tests/conftest.py) is the real GPU when CuPy sees one, else the stand-in.

def test_numpy_on_cuda_tensor(cuda_device):
    raises(TypeError, "can't convert cuda:0 device type tensor to numpy. Use Tensor.cpu() to copy the tensor "
                      "to host memory first.", torch.ones(2, device="cuda").numpy)


def test_mixed_devices(cuda_device):
    raises(RuntimeError, "Expected all tensors to be on the same device, but found at least two devices, "
                         "cuda:0 and cpu!", lambda: torch.ones(2, device="cuda") + torch.ones(2))


@pytest.mark.skipif(torch.cuda.is_available(), reason="a CUDA device is present")
def test_cuda_unavailable_raises():
    assert torch.cuda.device_count() == 0
    with pytest.raises(Exception) as info:
        torch.ones(2).to("cuda")
    assert "cuda" in str(info.value).lower() or "cupy" in str(info.value).lower()


# ---------------------------------------------------------------------------------------
# more of PyTorch's checks on the shape / index / matmul surface

@pytest.mark.parametrize("cls,text,call", [
    (RuntimeError, "unsupported operation: more than one element of the written-to tensor refers to a single "
                   "memory location. Please clone() the tensor before performing the operation.",
     lambda: torch.tensor([1.0, 2.0, 3.0]).expand(2, 3).add_(1)),
    (RuntimeError, "invalid shape dimension -2 at index 0 of shape [-2, 8]", lambda: torch.ones(16).view(-2, 8)),
    (RuntimeError, "The expanded size of the tensor (4) must match the existing size (3) at non-singleton "
                   "dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]", lambda: torch.ones(3).expand(2, 4)),
    (RuntimeError, "permute(): duplicate dims are not allowed.", lambda: torch.ones(2, 3).permute(0, 0)),
    (RuntimeError, "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor",
     lambda: torch.ones(2, 3).repeat(2)),
    (RuntimeError, "stack expects a non-empty TensorList", lambda: torch.stack([])),
    (ValueError, "torch.cat(): expected a non-empty list of Tensors", lambda: torch.cat([])),
    (RuntimeError, "chunk expects `chunks` to be greater than 0, got: 0", lambda: torch.ones(3).chunk(0)),
    (RuntimeError, "split_with_sizes expects split_sizes to sum exactly to 3 (input tensor's size at dimension 0), "
                   "but got split_sizes=[1, 1]", lambda: torch.ones(3).split([1, 1])),
    (IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
     lambda: torch.ones(2, 3).squeeze(2)),
    (IndexError, "Dimension out of range (expected to be in range of [-2, 1], but got 2)",
     lambda: torch.ones(2, 3).flatten(2)),
    (RuntimeError, "t() expects a tensor with <= 2 dimensions, but self is 3D", lambda: torch.ones(2, 3, 4).t()),
    (RuntimeError, "batch1 must be a 3D tensor", lambda: torch.bmm(torch.ones(2, 3), torch.ones(3, 2))),
    (RuntimeError, "where expected condition to be a boolean tensor, but got a tensor with dtype Float",
     lambda: torch.where(torch.ones(2), torch.ones(2), torch.ones(2))),
    (IndexError, "The shape of the mask [3] at index 0 does not match the shape of the indexed tensor [2, 3] "
                 "at index 0", lambda: torch.ones(2, 3)[torch.ones(3, dtype=torch.bool)]),
    (IndexError, "tensors used as indices must be long, int, byte or bool tensors",
     lambda: torch.ones(3)[torch.tensor([0.0])]),
    (IndexError, "index 5 is out of bounds for dimension 0 with size 3", lambda: torch.ones(3)[torch.tensor([5])]),
    (RuntimeError, "expected m1 and m2 to have the same dtype, but got: long int != float",
     lambda: torch.ones(2, 2, dtype=torch.long) @ torch.ones(2, 2)),
], ids=["expand-overlap-inplace", "view-neg2", "expand-size", "permute-dup", "repeat-fewer", "stack-empty",
        "cat-empty", "chunk0", "split-sizes", "squeeze-dim", "flatten-dim", "t-3d", "bmm-2d", "where-cond",
        "mask-shape", "float-index", "index-tensor-oob", "mm-dtype"])
def test_more_torch_checks(cls, text, call):
    raises(cls, text, call)


# ---------------------------------------------------------------------------------------
# grad mode: no_grad / enable_grad / set_grad_enabled / inference_mode

def test_grad_mode_decorators_without_parentheses():
    x = torch.ones(2, requires_grad=True)

    @torch.no_grad
    def f(a):
        "doc"
        return a * 2

    @torch.enable_grad
    def g(a):
        return a * 2

    @torch.inference_mode
    def h(a):
        return a * 2
    assert str(f(x)) == "tensor([2., 2.])" and f.__name__ == "f" and f.__doc__ == "doc"
    with torch.no_grad():
        assert str(g(x)) == "tensor([2., 2.], grad_fn=<MulBackward0>)"
    assert not h(x).requires_grad and torch.is_grad_enabled()


def test_set_grad_enabled_as_decorator_leaves_mode_alone():
    # set_grad_enabled.__call__ undoes the switch its constructor made
    x = torch.ones(2, requires_grad=True)

    @torch.set_grad_enabled(False)
    def f(a):
        return a * 2
    assert torch.is_grad_enabled()
    assert not f(x).requires_grad and torch.is_grad_enabled()


def test_set_grad_enabled_argument_error():
    raises(TypeError, "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not int",
           torch.set_grad_enabled, 1)
    raises(TypeError, "set_grad_enabled(): argument 'enabled' (position 1) must be bool, not NoneType",
           torch.set_grad_enabled, None)
    assert torch.is_grad_enabled()


# ---------------------------------------------------------------------------------------
# requires_grad flags, .data, detach_

def test_requires_grad_attribute_checks():
    # THPVariable_set_requires_grad: a bool first, then leaf-ness, then the dtype
    t = torch.ones(2, dtype=torch.long)

    def set_to(obj, value):
        obj.requires_grad = value
    raises(RuntimeError, "requires_grad must be a bool", set_to, torch.ones(2), 1)
    raises(RuntimeError, "requires_grad must be a bool", set_to, t, "yes")
    y = torch.ones(2, requires_grad=True) * 2
    raises(RuntimeError, "you can only change requires_grad flags of leaf variables.", set_to, y, True)
    assert y.requires_grad_(True) is y     # the method lets a non-leaf stay as it is


def test_requires_grad_method_argument_error():
    x = torch.ones(2)
    raises(TypeError, "requires_grad_(): argument 'requires_grad' (position 1) must be bool, not int",
           x.requires_grad_, 1)
    raises(TypeError, "requires_grad_(): argument 'requires_grad' must be bool, not NoneType",
           x.requires_grad_, requires_grad=None)
    assert x.requires_grad_(requires_grad=True).requires_grad


def test_data_has_its_own_version_counter():
    x = torch.ones(3, requires_grad=True)
    y = x.exp()
    y.data.mul_(0)            # invisible to autograd: no "modified by an inplace operation"
    assert y._version == 0
    y.sum().backward()
    assert str(x.grad) == "tensor([0., 0., 0.])"
    d = x.detach()
    d.add_(1)                 # detach() shares it
    assert x._version == 1


def test_data_assignment_of_int_tensor_to_tensor_requiring_grad():
    x = torch.ones(3, requires_grad=True)

    def f():
        x.data = torch.zeros(3, dtype=torch.int64)
    raises(RuntimeError, "data set to a tensor that requires gradients must be floating point or complex dtype", f)
    y = torch.ones(3)
    y.data = torch.zeros(3, dtype=torch.int64)
    assert str(y) == "tensor([0, 0, 0])"


def test_detach_in_place_of_any_view():
    # PyTorch refuses detach_() on every view, whether or not its base requires grad
    msg = ("Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel (DDP) "
           "for training, and gradient_as_bucket_view is set as True, gradients are views of DDP buckets, and "
           "hence detach_() cannot be called on these gradients. To fix this error, please refer to the "
           "Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
    x = torch.ones(2, 3)
    raises(RuntimeError, msg, x[1:].detach_)
    raises(RuntimeError, msg, x.t().detach_)
    assert str(x.detach().detach_()) == "tensor([[1., 1., 1.],\n        [1., 1., 1.]])"


# ---------------------------------------------------------------------------------------
# retain_grad and root gradients

def test_retain_grad_follows_inplace_op():
    # PyTorch moves the retains_grad hook to the tensor's new grad_fn
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y[1:].mul_(3)
    y.sum().backward()
    assert str(y.grad) == "tensor([1., 1., 1.])" and str(x.grad) == "tensor([2., 6., 6.])"
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.retain_grad()
    y.mul_(5)
    (y * y).sum().backward()
    assert str(y.grad) == "tensor([20., 20., 20.])"


def test_retain_grad_on_output_of_split():
    x = torch.ones(2, 3, requires_grad=True)
    a, b = x.split([1, 1], 0)
    a.retain_grad()
    (a * 2 + b).sum().backward()
    assert str(a.grad) == "tensor([[2., 2., 2.]])" and b.retains_grad is False


def test_root_gradient_cast_to_output_dtype():
    x = torch.tensor([1., 2.], requires_grad=True)
    x.backward(torch.tensor([5., 5.], dtype=torch.float64))
    assert str(x.grad) == "tensor([5., 5.])"
