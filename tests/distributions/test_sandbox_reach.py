"""The sandbox over what the rest of torch.distributions hands a program (transforms and their
inverses, constraints, the constraint registries, TransformedDistribution and the
distributions built on it, kl_divergence's registry, a program's own Transform, Constraint
and register_kl function): the audit of tests/hardening/test_sandbox_audit.py over everything
reachable from them, and escape attempts through their callables and tensors."""

import collections
import io

import pytest

from tests.hardening import test_sandbox_audit as audit
from tshell.lang import Interpreter, sandbox
from tshell.lang.errors import TshRuntimeError, TshSyntaxError

PROGRAM = """
D = torch.distributions
T = D.transforms
C = D.constraints
class Square(T.Transform):
    domain = C.positive
    codomain = C.positive
    bijective = True
    def _call(self, x):
        return x * x
    def _inverse(self, y):
        return y.sqrt()
    def log_abs_det_jacobian(self, x, y):
        return (2 * x).log()
class Even(C.Constraint):
    is_discrete = True
    def check(self, value):
        return value % 2 == 0
class MyNormal(D.Normal):
    pass
@D.register_kl(MyNormal, D.Normal)
def my_kl(p, q):
    return torch.tensor(0.)
registry = D.constraint_registry.ConstraintRegistry()
registry.register(Even, lambda c: Square())
values = {
    'exp': T.ExpTransform(cache_size=1), 'inverse': T.SigmoidTransform().inv,
    'compose': T.ComposeTransform([T.ExpTransform(), T.AffineTransform(1., torch.ones(2))]),
    'identity': T.identity_transform, 'power': T.PowerTransform(torch.tensor(2.)),
    'cat': T.CatTransform([T.ExpTransform(), T.TanhTransform()], 0, [1, 1]),
    'stack': T.StackTransform([T.ExpTransform(), T.SoftplusTransform()]),
    'independent': T.IndependentTransform(T.ExpTransform(), 1),
    'reshape': T.ReshapeTransform((2, 2), (4,)), 'corr': T.CorrCholeskyTransform(),
    'cdf': T.CumulativeDistributionTransform(D.Normal(0., 1.)),
    'square': Square(), 'even': Even(), 'registry': registry,
    'biject_to': D.biject_to, 'transform_to': D.transform_to,
    'constraints': [C.corr_cholesky, C.cat([C.real, C.positive]), C.stack([C.real]),
                    C.MixtureSameFamilyConstraint(C.positive), C.positive_semidefinite],
    'transformed': D.TransformedDistribution(D.Normal(0., 1.), [Square().inv, T.ExpTransform()]),
    'lognormal': D.LogNormal(0., 1.), 'gumbel': D.Gumbel(0., 1.), 'pareto': D.Pareto(1., 2.),
    'weibull': D.Weibull(1., 2.),
    'relaxed': D.RelaxedOneHotCategorical(torch.tensor(1.), torch.ones(3)),
    'relaxed_bernoulli': D.RelaxedBernoulli(torch.tensor(1.), 0.3),
    'independent_dist': D.Independent(D.Normal(torch.zeros(2), 1.), 1),
    'mixture': D.MixtureSameFamily(D.Categorical(torch.ones(2)), D.Normal(torch.zeros(2), 1.)),
    'lowrank': D.LowRankMultivariateNormal(torch.zeros(2), torch.ones(2, 1), torch.ones(2)),
    'wishart': D.Wishart(torch.tensor(3.), torch.eye(2)), 'lkj': D.LKJCholesky(3),
    'von_mises': D.VonMises(torch.tensor(0.), torch.tensor(1.)),
    'onehot': D.OneHotCategoricalStraightThrough(torch.ones(3)),
    'negative_binomial': D.NegativeBinomial(3., torch.tensor(0.5)),
    'continuous_bernoulli': D.ContinuousBernoulli(0.3), 'studentt': D.StudentT(3.),
    'kl': D.kl_divergence, 'register_kl': D.register_kl, 'my_kl': my_kl,
    'lazy': D.utils.lazy_property(lambda self: 1), 'utils': D.utils,
}
values['wishart'].precision_matrix
values['negative_binomial'].logits
values['onehot'].probs
values['compose'].inv
"""


@pytest.fixture(scope="module")
def reached():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(PROGRAM, "<audit>")
    roots = dict(interp.namespace["values"])
    roots["torch.distributions"] = interp.builtins["torch"]._members["distributions"]
    seen, per_type = {}, collections.Counter()
    queue = collections.deque((name, value, 0) for name, value in roots.items())
    while queue:
        path, value, depth = queue.popleft()
        if id(value) in seen:
            continue
        seen[id(value)] = (path, value)
        kind = type(value)
        if depth >= audit.MAX_DEPTH or (per_type[kind] >= audit.PER_TYPE and kind not in (
                type(roots["torch.distributions"]), dict, list, tuple)):
            continue
        per_type[kind] += 1
        for child_path, child in audit.children(path, value):
            queue.append((child_path, child, depth + 1))
    return seen


def test_the_walk_reaches_transforms_constraints_and_distributions(reached):
    kinds = {type(v).__name__ for _, v in reached.values()}
    for expected in ("ExpTransform", "_InverseTransform", "ComposeTransform", "CatTransform",
                     "CumulativeDistributionTransform", "Square", "Even", "ConstraintRegistry",
                     "_Cat", "_CorrCholesky", "MixtureSameFamilyConstraint",
                     "TransformedDistribution", "LogNormal", "Independent", "Wishart",
                     "LowRankMultivariateNormal", "MixtureSameFamily", "Categorical",
                     "Tensor"):
        assert expected in kinds, f"the walk never reached a {expected}"


@pytest.mark.parametrize("check", [
    audit.test_no_module_frame_code_or_file_is_reachable,
    audit.test_no_dangerous_builtin_is_reachable,
    audit.test_no_function_of_a_system_module_is_reachable,
    audit.test_classes_expose_nothing,
    audit.test_no_allowed_attribute_is_private,
    audit.test_functions_and_methods_expose_nothing,
])
def test_audit(check, reached):
    check(reached)


def test_no_host_object_is_reachable(reached):
    """The audit's host check, but for the instances of the program's own classes (Square,
    Even: callable through Transform.__call__, their class the program's)."""
    own = {k: v for k, v in reached.items()
           if type(v[1]) not in sandbox.TSH_CLASSES
           and not (isinstance(v[1], type) and v[1] in sandbox.TSH_CLASSES)}
    assert len(own) < len(reached)
    audit.test_no_host_object_is_reachable(own)


_MAKE = ("D = torch.distributions\nt = D.transforms.ExpTransform()\n"
         "d = D.LogNormal(0., 1.)\nc = D.constraints.positive\n")
ESCAPES = [
    "t._call", "t._call.__code__", "t.__call__.__globals__", "t.inv._inv",
    "t.log_abs_det_jacobian.__func__", "t.log_abs_det_jacobian.__self__",
    "t.with_cache.__globals__", "t.__class__.__init__.__globals__",
    "type(t).__mro__", "type(t).__subclasses__()", "t.__dict__", "t.__getstate__()",
    "getattr(t, '_cached_x_y')", "getattr(t, '__reduce_ex__')(2)",
    "t.inv.__class__.__init__", "d.__class__.__init__.__globals__",
    "d.transforms[0]._call", "d.base_dist._validate_sample.__func__",
    "d.log_prob.__func__.__globals__", "c.check.__globals__", "c.__class__.__bases__",
    "D.biject_to._registry", "D.biject_to.register.__func__", "D.biject_to.__call__",
    "D.kl_divergence.__globals__", "D.kl_divergence.__code__", "D.register_kl.__closure__",
    "D.register_kl(D.Normal, D.Normal).__closure__",
    "D.kl._KL_REGISTRY", "D.transforms.functools", "D.transforms.math",
    "D.kl.warnings", "D.constraint_registry.constraints.__dict__",
    "D.Gumbel.log_prob.__globals__", "D.Geometric.logits.wrapped",
    "D.Geometric.logits.__wrapped__", "D.von_mises._rejection_sample",
    "D.lowrank_multivariate_normal._batch_capacitance_tril",
    "'{0.__class__.__init__.__globals__}'.format(t)",
    "f'{t._call}'",
    "import torch.distributions.kl as kl\nkl._KL_MEMOIZE",
    "from torch.distributions.transforms import _InverseTransform",
    "from torch.distributions.utils import sum_rightmost",
    "from torch.distributions.utils import autograd",
    "import torch.distributions.utils as u\nu.lazy_property(print).wrapped.__self__",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_escape_attempts_fail_cleanly(src):
    interp = Interpreter(stdout=io.StringIO())
    with pytest.raises((TshRuntimeError, TshSyntaxError)) as info:
        interp.run_source(_MAKE + src, "<escape>")
    assert info.value.type_name in ("AttributeError", "NameError", "ImportError", "TypeError",
                                    "SyntaxError", "ValueError"), info.value.format()


def run(src):
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(src, "<t>")
    return interp.stdout.getvalue()


def test_a_program_defines_a_transform_a_constraint_and_a_kl():
    out = run(PROGRAM + """
print(values['square'](torch.tensor([3.])), values['square'].inv(torch.tensor([16.])))
print(values['transformed'].log_prob(torch.tensor([2.])))
print(values['registry'](values['even']), values['even'].check(torch.tensor([1, 2])))
print(D.kl_divergence(MyNormal(0., 1.), D.Normal(1., 1.)))
print(D.kl_divergence(D.Normal(0., 1.), D.Normal(1., 1.)))
""")
    # the values PyTorch 2.13 prints for the same program
    assert out.splitlines() == [
        "tensor([9.]) tensor([4.])", "tensor([-1.4009])", "Square() tensor([False,  True])",
        "tensor(0.)", "tensor(0.5000)"]


def test_transform_callables_run_a_programs_code_only_through_its_methods():
    """A program's _call runs with the program's guards: it cannot reach the transform's
    Python internals either."""
    with pytest.raises(TshRuntimeError) as info:
        run(PROGRAM + "class Peek(T.Transform):\n    def _call(self, x):\n"
                      "        return self._inv_call.__func__\nPeek()(torch.ones(1))\n")
    assert info.value.type_name == "AttributeError"
