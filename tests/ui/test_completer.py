"""Tab completion: names, members, attributes of values, keyword arguments, paths, magics."""

import io

import pytest

from .helpers import completions, interpreter


def test_method_of_a_tensor_variable():
    interp = interpreter("x = torch.ones(2, 2)\n")
    assert completions(interp, "x.vi")[:2] == ["view", "view_as"]


def test_torch_members():
    got = completions(interpreter(), "torch.ze")
    assert "zeros" in got and "zeros_like" in got
    assert all(name.startswith("ze") for name in got)


def test_np_members_and_bare_torch_names():
    assert "zeros" in completions(interpreter(), "np.ze")
    assert {"zeros", "zeros_like"} <= set(completions(interpreter(), "ze"))


def test_user_names_and_keywords():
    interp = interpreter("learning_rate = 0.1\n")
    assert "learning_rate" in completions(interp, "lear")
    assert "while" in completions(interp, "whi")


def test_keyword_arguments_of_the_call():
    assert "requires_grad=" in completions(interpreter(), "torch.ones(2, requ")
    interp = interpreter("def step(w, lr=0.1):\n    return w\n")
    assert "lr=" in completions(interp, "step(1, l")


def test_nested_namespace_and_magics():
    assert completions(interpreter(), "torch.cuda.is_a") == ["is_available"]
    assert completions(interpreter(), "%wh") == ["who", "whos"]


def test_file_paths_inside_load(tmp_path, monkeypatch):
    (tmp_path / "weights.npy").write_bytes(b"")
    monkeypatch.chdir(tmp_path)
    assert completions(interpreter(), 'w = load("wei') == ["ghts.npy"]


def test_no_private_names_and_no_computed_properties():
    interp = interpreter("x = torch.ones(3)\n")
    assert not [n for n in completions(interp, "x.") if n.startswith("_")]
    assert completions(interp, "x.T.") == []           # never evaluates x.T
    assert completions(interp, "nosuchname.") == []


def test_completion_reads_no_values():
    """A huge tensor completes as fast as a small one: only names and types are read."""
    import time
    interp = interpreter("big = torch.zeros(2000, 2000)\n")
    start = time.perf_counter()
    for _ in range(20):
        assert "view" in completions(interp, "big.vi")
    assert time.perf_counter() - start < 1.0


def test_keywords_are_the_grammars():
    from tshell.lang.grammar import keywords
    interp = interpreter()
    offered = set(completions(interp, "lam")) | set(completions(interp, "whi"))
    assert ("lambda" in offered) == ("lambda" in keywords())     # only once tsh accepts it
    assert "while" in offered


def test_cell_magics_complete_after_two_percent_signs():
    assert completions(interpreter(), "%%ti") == ["time", "timeit"]
    assert "history" in completions(interpreter(), "%hist")


MODEL = """import torch.nn as nn
class Net(nn.Module):
    scale = 2
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 2)
        self.hidden_size = 3
    def forward(self, x):
        return self.fc(x)
    @property
    def size(self):
        print("the property ran")
        return torch.ones(2)
net = Net()
cfg = {"lr": 0.1, "epochs": 3, 7: "seven"}
sd = net.state_dict()
"""


def test_members_of_a_class_defined_in_tsh_and_of_a_library_class():
    interp = interpreter(MODEL)
    assert {"forward", "scale", "parameters", "zero_grad"} <= set(completions(interp, "Net."))
    assert completions(interp, "Net.fo") == ["forward"]
    assert "in_features" not in completions(interp, "nn.Linear.")       # instance-only
    assert "forward" in completions(interp, "nn.Linear.")


def test_attributes_of_a_model_instance():
    interp = interpreter(MODEL)
    assert {"fc", "forward", "hidden_size", "size", "scale"} <= set(completions(interp, "net."))
    assert completions(interp, "net.fc.we") == ["weight"]


def test_tab_never_runs_a_property_written_in_tsh():
    out = io.StringIO()
    interp = interpreter(MODEL, out)
    assert completions(interp, "net.size.") == []
    assert completions(interp, "net.hidden_size.re") == ["real"]
    assert out.getvalue() == ""


@pytest.mark.parametrize("typed, offered", [
    ("cfg[", ['"lr"]', '"epochs"]', "7]"]),
    ('cfg["', ['"lr"]', '"epochs"]']),
    ("cfg['ep", ["'epochs']"]),
    ("cfg[7", ["7]"]),
    ('sd["fc.b', ['"fc.bias"]']),
    ('print(cfg["l', ['"lr"]']),
])
def test_dict_keys_closed_with_the_quote_and_bracket(typed, offered):
    assert completions(interpreter(MODEL), typed) == offered


def test_no_closing_bracket_when_one_follows_the_cursor():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    from tshell.ui.completer import TshCompleter
    text = 'cfg["ep"]'
    found = TshCompleter(interpreter(MODEL)).get_completions(
        Document(text, 7), CompleteEvent(completion_requested=True))
    assert [c.text for c in found] == ['"epochs']       # its quote and ']' are there


@pytest.mark.parametrize("typed", ['print("epoch lo', "x = 'to", 'f"{a} an'])
def test_nothing_is_offered_inside_a_string(typed):
    assert completions(interpreter(MODEL), typed) == []
