"""torch.autograd.Function: custom forward/backward, as PyTorch 2.13 runs and prints them
(expected texts recorded from PyTorch 2.13)."""

import re

import pytest

import tshell.core as torch
from tests.core.test_gradcheck import check


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, k):
        ctx.save_for_backward(x)
        ctx.k = k
        return x ** 3 * k

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return 3 * x ** 2 * g * ctx.k, None


class Two(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, a, b):
        return a + b


def test_forward_backward_and_printing():
    x = torch.tensor([1., 2.], requires_grad=True)
    y = Cube.apply(x, 2)
    assert str(y) == "tensor([ 2., 16.], grad_fn=<CubeBackward>)"
    assert repr(type(y.grad_fn)) == "<class 'torch.autograd.function.CubeBackward'>"
    assert re.fullmatch(r"<torch\.autograd\.function\.CubeBackward object at 0x[0-9a-f]+>",
                        repr(y.grad_fn))
    y.sum().backward()
    assert str(x.grad) == "tensor([ 6., 24.])"


def test_needs_input_grad_and_no_graph_without_grad():
    seen = []

    class Probe(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, c):
            seen.append(ctx.needs_input_grad)
            return a * b

        @staticmethod
        def backward(ctx, g):
            return g, g, None

    a = torch.ones(2, requires_grad=True)
    out = Probe.apply(a, torch.ones(2), 3)
    assert seen == [(True, False, False)] and out.grad_fn is not None
    with torch.no_grad():
        assert Probe.apply(a, a, 1).grad_fn is None
    assert Probe.apply(torch.ones(2), torch.ones(2), 1).grad_fn is None


def test_several_outputs_share_one_node_and_missing_grads_are_zeros():
    x = torch.tensor([1., 2.], requires_grad=True)
    p, q = Two.apply(x)
    assert p.grad_fn is q.grad_fn and (p.output_nr, q.output_nr) == (0, 1)
    p.sum().backward()                       # backward(a=ones, b=zeros)
    assert str(x.grad) == "tensor([1., 1.])"


def test_an_input_returned_comes_back_as_a_new_tensor():
    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    x = torch.ones(2, requires_grad=True)
    z = Identity.apply(x)
    assert z is not x and x.grad_fn is None and type(z.grad_fn).__name__ == "IdentityBackward"


def test_errors_are_pytorchs():
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g, g

    class NoBackward(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    x = torch.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match=r"^function BadBackward returned an incorrect "
                                           r"number of gradients \(expected 1, got 2\)$"):
        Bad.apply(x).sum().backward()
    with pytest.raises(NotImplementedError, match="^You must implement either the backward "
                                                  "or vjp method"):
        NoBackward.apply(x).sum().backward()
    with pytest.warns(DeprecationWarning, match="should not be instantiated"):
        Cube()


def test_saved_tensors_notice_in_place_changes():
    x = torch.ones(2, requires_grad=True)
    y = x * 1
    out = Cube.apply(y, 1)
    y.add_(1)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        out.sum().backward()


def test_gradient_matches_finite_differences():
    check(lambda t: Cube.apply(t, 1.5), [0.5, -1.5, 2.0])


def test_double_backward_through_a_function_written_with_tensor_ops():
    x = torch.tensor([2.0], requires_grad=True)
    (g,) = torch.autograd.grad(Cube.apply(x, 1), x, create_graph=True)
    (gg,) = torch.autograd.grad(g, x)
    assert g.item() == 12.0 and gg.item() == 12.0


class CubeOnce(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2


def test_once_differentiable_backward_runs_unrecorded_and_refuses_a_second_backward():
    x = torch.tensor(2., dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(CubeOnce.apply(x), x, create_graph=True)
    assert (g.item(), g.requires_grad) == (12.0, False)
    v = torch.tensor(1., dtype=torch.float64, requires_grad=True)
    g, = torch.autograd.grad(CubeOnce.apply(x), x, grad_outputs=v, create_graph=True)
    assert g.requires_grad
    with pytest.raises(RuntimeError, match="^trying to differentiate twice a function that "
                       "was marked with @once_differentiable$"):
        g.backward()


class DefaultedArgs(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, scale=2.0):
        ctx.scale = scale
        return x * scale

    @staticmethod
    def backward(ctx, g):
        return g * ctx.scale, None, None, None     # Fusing Conv+BN's backward pads with Nones


def test_trailing_none_gradients_past_the_inputs_are_dropped():
    x = torch.ones(3, requires_grad=True)
    DefaultedArgs.apply(x).sum().backward()
    assert x.grad.tolist() == [2.0, 2.0, 2.0]
