"""Library code that reads an attribute under a name the program chose (docs/security.md,
"Names a program gives the library"): nn.ParameterDict's entries, a Distribution's
`arg_constraints` keys, pruning's tensor name. Python's getattr answers any name, so each was
a way to any attribute: `pd['__dict__']` gave a module's internals, `pd['__reduce_ex__'](2)`
handed out copyreg's `__newobj__`, `pd['__setattr__']` wrote library state, and a program's
Constraint received `getattr(self, '__dict__')`. Found by red-teaming: each printed what it
reached before the fix."""

import pytest

from tshell.lang import Interpreter

from .escapes import refused

PARAMETER_DICT = "pd = torch.nn.ParameterDict({'w': torch.ones(1)})\n"

# Reads and writes of a ParameterDict under names that are not its entries.
PARAMETER_DICT_ESCAPES = [
    "print(pd['__dict__'])", "print(pd['__class__'])", "print(pd['__reduce_ex__'](2))",
    "print(pd['__reduce_ex__'](1))", "pd['__setattr__']('_parameters', 5)",
    "print(pd['__init__'])", "print(pd['_parameters'])", "print(pd['_modules'])",
    "print(pd['forward'])", "print(pd['training'])",
    "print(pd.pop('__dict__'))", "del pd['__dict__']",
    "pd['__class__'] = torch.nn.Linear", "pd['__dict__'] = torch.ones(1)",
    "pd['_parameters'] = torch.ones(1)", "pd['forward'] = torch.ones(1)",
    "pd.update({'__class__': torch.nn.Linear})", "pd.setdefault('__dict__', torch.ones(1))",
    "pd['training'] = torch.ones(1)",
]


@pytest.mark.parametrize("src", PARAMETER_DICT_ESCAPES)
def test_a_parameter_dict_gives_its_entries_only(src):
    error, printed = refused("import torch\n" + PARAMETER_DICT + src)
    assert printed == ""
    assert "Traceback" not in str(error)


def test_a_refused_key_leaves_the_dict_as_it_was():
    interp = Interpreter()
    interp.run_source("import torch\n" + PARAMETER_DICT + "try:\n"
                      "    pd['__class__'] = torch.nn.Linear\nexcept KeyError:\n    pass\n"
                      "keys = list(pd.keys())\nkind = type(pd).__name__\n", "<t>")
    assert interp.namespace["keys"] == ["w"]
    assert interp.namespace["kind"] == "ParameterDict"


def test_a_parameter_dict_still_works_as_pytorchs():
    interp = Interpreter()
    interp.run_source("import torch\n" + PARAMETER_DICT +
                      "pd['b'] = torch.zeros(2)\npd['_own'] = torch.ones(3)\n"
                      "sizes = [tuple(pd[k].shape) for k in pd]\n"
                      "got = pd.get('missing', 7)\nhas = '_own' in pd\n"
                      "none = pd.get('__dict__')\n"
                      "popped = tuple(pd.pop('b').shape)\nn = len(pd)\n"
                      "kinds = [type(v).__name__ for v in pd.values()]\n", "<t>")
    ns = interp.namespace
    assert ns["sizes"] == [(1,), (2,), (3,)]
    assert (ns["got"], ns["has"], ns["popped"], ns["n"]) == (7, True, (2,), 2)
    assert ns["none"] is None
    assert ns["kinds"] == ["Parameter", "Parameter"]


DISTRIBUTION = """
from torch.distributions import constraints
leak = []
class Leaky(constraints.Constraint):
    def check(self, value):
        leak.append(value)
        return torch.tensor(True)
class D(torch.distributions.Distribution):
    arg_constraints = {NAME: Leaky()}
    def __init__(self):
        self.loc = torch.zeros(1)
        self._own = torch.zeros(1)
        super().__init__(torch.Size(), validate_args=True)
d = D()
"""


# (a name the program may read itself, `__class__` or its own `_own`, is validated as it is)
@pytest.mark.parametrize("name", ["__dict__", "__reduce_ex__", "__getattribute__",
                                  "_batch_shape", "_validate_args", "__setattr__"])
def test_a_distributions_constraint_gets_what_the_program_may_read(name):
    error, printed = refused("import torch\n" + DISTRIBUTION.replace("NAME", repr(name)))
    assert "not accessible in tsh" in str(error) or "has no attribute" in str(error)
    assert printed == ""


@pytest.mark.parametrize("name", ["loc", "_own"])
def test_a_distributions_own_parameters_are_still_validated(name):
    interp = Interpreter()
    interp.run_source("import torch\n" + DISTRIBUTION.replace("NAME", repr(name)) +
                      "n = len(leak)\nkind = type(leak[0]).__name__\n", "<t>")
    assert (interp.namespace["n"], interp.namespace["kind"]) == (1, "Tensor")


PRUNE = """
import torch.nn.utils.prune as prune
leak = []
class M(torch.nn.Linear):
    def register_parameter(self, name, param):
        leak.append(param)
        super().register_parameter(name, param)
m = M(2, 2)
"""


@pytest.mark.parametrize("call", [
    "prune.identity(m, NAME)", "prune.random_unstructured(m, NAME, 0.5)",
    "prune.global_unstructured([(m, NAME)], prune.L1Unstructured, amount=1)",
    "prune.l1_unstructured(torch.nn.Linear(2, 2), NAME, 0.5)",
])
@pytest.mark.parametrize("name", ["__dict__", "__reduce_ex__", "__setattr__",
                                  "_non_persistent_buffers_set", "_forward_hooks_with_kwargs"])
def test_pruning_reads_only_what_the_program_may_read(call, name):
    error, printed = refused("import torch\n" + PRUNE + call.replace("NAME", repr(name)) +
                             "\nprint(leak)")
    assert "not accessible in tsh" in str(error) or "has no attribute" in str(error)
    assert printed == ""


def test_pruning_a_parameter_still_works():
    interp = Interpreter()
    interp.run_source("import torch\n" + PRUNE + "prune.identity(m, 'weight')\n"
                      "names = sorted(n for n, p in m.named_parameters())\n"
                      "kinds = [type(p).__name__ for p in leak]\n", "<t>")
    assert interp.namespace["names"] == ["bias", "weight_orig"]
    assert interp.namespace["kinds"] == ["Parameter"] * 3      # weight, bias, weight_orig


SCHEDULER = """
w = torch.nn.Parameter(torch.ones(1))
opt = torch.optim.SGD([w], lr=0.1)
class Decay:
    def __init__(self):
        self.rate = 0.5
        self._seen = 0
    def __call__(self, epoch):
        return self.rate ** epoch
decay = Decay()
lin = torch.nn.Linear(1, 1)
"""


def test_a_schedulers_state_of_a_library_callable_holds_what_the_program_may_read():
    interp = Interpreter()
    interp.run_source("import torch\n" + SCHEDULER + """
class Scale(torch.nn.Module):
    def forward(self, epoch):
        return 1.0
s = torch.optim.lr_scheduler.LambdaLR(opt, Scale())
saved = sorted(s.state_dict()['lr_lambdas'][0])
""", "<t>")
    saved = interp.namespace["saved"]
    assert "training" in saved and "_parameters" in saved
    assert not {"_state_dict_hooks", "_non_persistent_buffers_set", "_load_state_dict_pre_hooks",
                "_forward_hooks_with_kwargs"} & set(saved)


@pytest.mark.parametrize("state", ["{'_forward_hooks': {1: print}}", "{'__class__': 5}",
                                   "{'_state_dict_hooks': {}}", "{'__dict__': {}}"])
def test_a_schedulers_reload_writes_only_what_the_program_may_write(state):
    error, printed = refused("import torch\n" + SCHEDULER + f"""
s = torch.optim.lr_scheduler.MultiplicativeLR(opt, lin)
sd = s.state_dict()
sd['lr_lambdas'] = [{state}]
s.load_state_dict(sd)
print('loaded')
""")
    assert "not accessible in tsh" in str(error) or "cannot set" in str(error)
    assert printed == ""


def test_a_schedulers_reload_sets_only_the_attributes_it_saves():
    interp = Interpreter()
    interp.run_source("import torch\n" + SCHEDULER + """
s = torch.optim.lr_scheduler.LambdaLR(opt, decay)
sd = s.state_dict()
decay.rate = 0.1
sd.update({'optimizer': 5, '__class__': 5, 'get_lr': print, 'last_epoch': 7})
s.load_state_dict(sd)
got = [s.optimizer is opt, type(s).__name__, s.last_epoch, decay.rate, decay._seen,
       sorted(s.state_dict())]
""", "<t>")
    got = interp.namespace["got"]
    assert got[:5] == [True, "LambdaLR", 7, 0.5, 0]
    assert "optimizer" not in got[5] and "__class__" not in got[5] and "get_lr" not in got[5]


def test_python_code_over_the_core_reads_its_own_subclasses_as_python_does():
    """With the language imported in the process, a subclass of a library class made by
    Python code (not by a tsh program) still validates its parameters as PyTorch does."""
    import tshell.core as core
    import tshell.lang.sandbox  # noqa: F401 (installs the sandbox's reader)

    class MyNormal(core.distributions.Normal):
        pass

    assert float(MyNormal(0.0, 2.0).scale) == 2.0
    assert float(core.distributions.kl_divergence(
        core.distributions.Normal(0.0, 1.0), MyNormal(0.0, 2.0))) > 0
