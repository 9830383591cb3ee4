"""The sandbox audit (tests/hardening/test_sandbox_audit.py) over the values torch.utils.data
and torch.distributions hand a program: loaders, their iterators, samplers and their
iterators, datasets, every distribution, constraints. Nothing reachable from them through
allowed attributes, items or type() is a module, frame, code, file, generator, host (NumPy)
object or dangerous built-in; classes and functions expose nothing; no allowed name is
private."""

import collections
import io

import pytest

from tests.hardening import test_sandbox_audit as audit
from tshell.lang import Interpreter
from tshell.lang import sandbox

PROGRAM = """
import numpy as np
from torch.utils.data import (DataLoader, TensorDataset, SequentialSampler, RandomSampler,
    WeightedRandomSampler, SubsetRandomSampler, BatchSampler, random_split, StackDataset,
    ChainDataset)
D = torch.distributions
ds = TensorDataset(torch.ones(4, 2), torch.arange(4))
loader = DataLoader(ds, batch_size=2, shuffle=True)
class_loader = DataLoader([{'a': np.array([1., 2.])}, {'a': np.array([3., 4.])}], batch_size=2)
values = {
    'ds': ds, 'loader': loader, 'loader_iter': iter(loader), 'batch': next(iter(loader)),
    'np_batch': next(iter(class_loader)), 'seq': SequentialSampler(ds),
    'seq_iter': iter(SequentialSampler(ds)), 'random': RandomSampler(ds),
    'random_iter': iter(RandomSampler(ds)),
    'weighted': WeightedRandomSampler([1., 2.], 3),
    'weighted_iter': iter(WeightedRandomSampler([1., 2.], 3)),
    'subset_sampler': SubsetRandomSampler([0, 1]),
    'batch_sampler': BatchSampler(range(3), 2, False),
    'batches': iter(BatchSampler(range(3), 2, False)), 'split': random_split(ds, [2, 2]),
    'concat': ds + ds, 'stack': StackDataset(ds, ds), 'chain_of_nothing': ChainDataset([]),
    'chain_iter': iter(ChainDataset([])), 'iterable_loader': DataLoader(ChainDataset([])),
    'gen_loader': DataLoader(ds, shuffle=True, generator=torch.Generator()),
    'normal': D.Normal(0., 1.), 'uniform': D.Uniform(0., 1.), 'bernoulli': D.Bernoulli(0.3),
    'categorical': D.Categorical(logits=torch.zeros(3)),
    'binomial': D.Binomial(3, torch.tensor(0.5)),
    'multinomial': D.Multinomial(3, torch.ones(3)), 'poisson': D.Poisson(2.),
    'exponential': D.Exponential(1.), 'gamma': D.Gamma(2., 1.), 'beta': D.Beta(2., 3.),
    'dirichlet': D.Dirichlet(torch.ones(3)),
    'mvn': D.MultivariateNormal(torch.zeros(2), torch.eye(2)),
    'mvn_precision': D.MultivariateNormal(torch.zeros(2), precision_matrix=torch.eye(2)),
    'expanded': D.Normal(0., 1.).expand((2,)),
    'cholesky_ex': torch.linalg.cholesky_ex(torch.eye(2)),
}
values['bernoulli'].logits
values['categorical'].probs
"""


@pytest.fixture(scope="module")
def reached():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source(PROGRAM, "<audit>")
    roots = dict(interp.namespace["values"])
    roots["torch.utils"] = interp.builtins["torch"]._members["utils"]
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
                sandbox.Namespace, dict, list, tuple)):
            continue
        per_type[kind] += 1
        for child_path, child in audit.children(path, value):
            queue.append((child_path, child, depth + 1))
    return seen


def test_the_walk_reaches_loaders_samplers_and_distributions(reached):
    kinds = {type(v).__name__ for _, v in reached.values()}
    for expected in ("DataLoader", "_SingleProcessDataLoaderIter", "RandomSampler",
                     "BatchSampler", "_Deferred", "_Batches", "TensorDataset", "Subset",
                     "Normal", "MultivariateNormal", "_GreaterThan", "_IndependentConstraint",
                     "Tensor", "Generator"):
        assert expected in kinds, f"the walk never reached a {expected}"


@pytest.mark.parametrize("check", [
    audit.test_no_module_frame_code_or_file_is_reachable,
    audit.test_no_dangerous_builtin_is_reachable,
    audit.test_no_function_of_a_system_module_is_reachable,
    audit.test_no_host_object_is_reachable,
    audit.test_classes_expose_nothing,
    audit.test_no_allowed_attribute_is_private,
    audit.test_functions_and_methods_expose_nothing,
])
def test_audit(check, reached):
    check(reached)


def test_arg_constraints_are_a_fresh_dict_each_time():
    interp = Interpreter(stdout=io.StringIO())
    interp.run_source("d = torch.distributions.Normal(0., 1.)\n"
                      "d.arg_constraints['scale'] = 5\n"
                      "ok = 'scale' in d.arg_constraints and d.arg_constraints['scale'] != 5\n",
                      "<t>")
    assert interp.namespace["ok"] is True
