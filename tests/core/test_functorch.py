"""functorch (tshell.core.functorch): torch.func's transforms and functorch's own module API
behind PyTorch 2.13's FutureWarning, which names the torch.func (or torch) spelling to use;
make_functional / make_functional_with_buffers / combine_state_for_ensemble as
torch/_functorch/make_functional.py builds them."""

import pytest

import tshell.core as torch
from tshell.core import functorch

WARNING = ("We've integrated functorch into PyTorch. As the final step of the integration, "
           "`functorch.{}` is deprecated as of PyTorch 2.0 and will be deleted in a future "
           "version of PyTorch >= 2.3. Please use `{}` instead; see the PyTorch 2.0 release "
           "notes and/or the `torch.func` migration guide for more details "
           "https://pytorch.org/docs/main/func.migrating.html")


def _linear():
    model = torch.nn.Linear(3, 2)
    with torch.no_grad():
        model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
        model.bias.copy_(torch.tensor([0.05, -0.05]))
    return model


@pytest.mark.parametrize("api, new_api, call", [
    ("vmap", "torch.vmap", lambda: functorch.vmap(torch.sin)(torch.ones(2))),
    ("grad", "torch.func.grad", lambda: functorch.grad(lambda x: x.sum())(torch.ones(2))),
    ("make_functional", "torch.func.functional_call",
     lambda: functorch.make_functional(_linear())),
    ("make_functional_with_buffers", "torch.func.functional_call",
     lambda: functorch.make_functional_with_buffers(_linear())),
    ("combine_state_for_ensemble", "torch.func.stack_module_state",
     lambda: functorch.combine_state_for_ensemble([_linear(), _linear()])),
])
def test_deprecation_warning(api, new_api, call):
    with pytest.warns(FutureWarning) as record:
        call()
    assert [str(w.message) for w in record] == [WARNING.format(api, new_api)]


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_make_functional_runs_a_copy_with_the_given_parameters():
    model = _linear()
    func, params = functorch.make_functional(model)
    assert isinstance(func, functorch.FunctionalModule) and func.param_names == ("weight", "bias")
    assert all(p.requires_grad for p in params) and params[0] is not model.weight
    assert [p.device.type for p in func.stateless_model.parameters()] == ["meta", "meta"]
    x = torch.tensor([[1., 2., 3.]])
    assert func(params, x).tolist() == model(x).tolist()
    doubled = (params[0] * 2, params[1])
    expected = torch.nn.functional.linear(x, doubled[0], params[1])
    assert func(doubled, x).tolist() == expected.tolist()
    # the parameters keep their graph: backward reaches them, not the model's
    func(params, x).sum().backward()
    assert params[0].grad.tolist() == [[1., 2., 3.]] * 2 and model.weight.grad is None
    _, frozen = functorch.make_functional(model, disable_autograd_tracking=True)
    assert not any(p.requires_grad for p in frozen)


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_tied_parameters_and_buffers():
    shared = _linear()
    func, params = functorch.make_functional(torch.nn.Sequential(shared, torch.nn.Tanh(),
                                                                 torch.nn.Linear(2, 3), shared))
    assert func.param_names == ("0.weight", "0.bias", "2.weight", "2.bias")
    assert func.names_map["0.weight"] == ["0.weight", "3.weight"]
    with pytest.raises(RuntimeError, match=r"^make_functional\(model\): `model` has buffers. "
                                           r"Please use make_functional_with_buffers\(model\) "
                                           r"instead.$"):
        functorch.make_functional(torch.nn.BatchNorm1d(2))
    func, params, buffers = functorch.make_functional_with_buffers(torch.nn.BatchNorm1d(2))
    assert func.buffer_names == ("running_mean", "running_var", "num_batches_tracked")
    func(params, buffers, torch.tensor([[1., 2.], [3., 6.]]))
    assert buffers[0].tolist() == pytest.approx([0.2, 0.4])     # updated in place, as PyTorch


@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_combine_state_for_ensemble():
    models = [_linear(), _linear()]
    with torch.no_grad():
        models[1].bias.add_(1)
    func, params, buffers = functorch.combine_state_for_ensemble(models)
    assert [tuple(p.shape) for p in params] == [(2, 2, 3), (2, 2)] and buffers == ()
    assert not any(p.requires_grad for p in params)
    x = torch.tensor([[1., 0., -1.]])
    out = functorch.vmap(func, in_dims=(0, 0, None))(params, buffers, x)
    assert out.tolist() == torch.stack([m(x) for m in models]).tolist()
    for models, text in (([], "Expected at least one model, got 0."),
                         ([_linear(), torch.nn.Tanh()], "Expected all models to be of the same "
                                                        "class."),
                         ([_linear(), _linear().eval()], "Expected all models to have the same "
                                                         "training/eval mode.")):
        with pytest.raises(RuntimeError) as info:
            functorch.combine_state_for_ensemble(models)
        assert str(info.value) == "combine_state_for_ensemble: " + text
