"""A PyTorch user's session in the real `tshell` in a pseudo-terminal (pexpect): a model
class typed over several lines, a tutorial program pasted whole, a training loop stopped
with Ctrl-C, errors inside functions of earlier inputs, Tab on models, optimisers, autograd
nodes and dict keys, multi-line history, input()."""

import re
import time

import pytest

from .test_e2e_habits import BACKSPACE, UP, finish, prompt, run_line, spawn

pexpect = pytest.importorskip("pexpect")

RUNNING = "\x1b[?2004l"                   # the prompt has left the terminal: code runs
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"
NET = """import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)

        self.fc2 = nn.Linear(8, 2)

    def forward(self, x):
        x = F.relu(self.fc1(x))
        return self.fc2(x)
"""
TRAIN = """
torch.manual_seed(0)
net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.1)
x = torch.randn(16, 4)
y = torch.randint(0, 2, (16,))
net.train()
for epoch in range(3):
    opt.zero_grad()
    loss = F.cross_entropy(net(x), y)
    loss.backward()
    opt.step()
    print(f"epoch {epoch}: loss {loss.item():.4f}")

if __name__ == "__main__":
    print("done", len(list(net.parameters())))
"""
NET_REPR = ("Net(\r\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\r\n"
            "  (fc2): Linear(in_features=8, out_features=2, bias=True)\r\n)")


def paste(child, text):
    child.send(PASTE_START + text + PASTE_END)


def type_lines(child, lines):
    """Type lines as a person does, each ended by Enter, pausing for the redraw."""
    for line in lines:
        child.send(line + "\r")
        time.sleep(0.15)


def screen_text(child) -> str:
    """What the child wrote since the last expect, escape codes removed."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)


def test_a_model_class_typed_with_the_repls_indentation(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    run_line(child, "import torch.nn as nn")
    # no indentation typed: the REPL indents after ':' and dedents after 'return';
    # Backspace in the indentation removes one level
    type_lines(child, ["class Net(nn.Module):", "def __init__(self):", "super().__init__()",
                       "self.fc = nn.Linear(4, 2)", BACKSPACE + "@staticmethod",
                       "def scale():", "return 2", "def forward(self, x):",
                       "return self.fc(x) * self.scale()", ""])
    prompt(child)
    run_line(child, "model = Net()")
    child.send("print(model)\r")
    child.expect_exact("Net(\r\n  (fc): Linear(in_features=4, out_features=2, bias=True)\r\n)")
    prompt(child)
    child.send("model(torch.ones(3, 4)).shape\r")
    child.expect_exact("torch.Size([3, 2])")
    prompt(child)
    assert finish(child) == 0


def test_a_pasted_tutorial_program_runs_whole_and_echoes_only_its_last_statement(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    paste(child, NET + TRAIN)
    child.expect_exact("epoch 2: loss ")
    child.expect_exact("done 4")
    prompt(child)
    ran = screen_text(child)
    # torch.manual_seed(0) and net.train() are expression statements in the middle: as in
    # IPython and Python 3.13's REPL, only the last statement of an input echoes
    assert "Generator object" not in ran and "(fc1)" not in ran
    child.send("net\r")
    child.expect_exact(NET_REPR)
    prompt(child)
    assert finish(child) == 0


def test_ctrl_c_stops_a_training_loop_and_a_long_op_and_keeps_the_model(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    paste(child, NET)
    prompt(child)
    paste(child, "net = Net()\nopt = torch.optim.SGD(net.parameters(), lr=0.01)\n"
                 "x, y = torch.randn(64, 4), torch.randint(0, 2, (64,))\nstep = 0\n"
                 "while True:\n    opt.zero_grad()\n"
                 "    F.cross_entropy(net(x), y).backward()\n    opt.step()\n"
                 "    step += 1\n    if step % 50 == 0:\n        print('step', step)\n")
    child.expect_exact("step 50")
    child.sendintr()
    child.expect_exact("KeyboardInterrupt")
    prompt(child)
    child.send("print(step > 0, net(x).shape)\r")
    child.expect_exact("True torch.Size([64, 2])")
    prompt(child)
    run_line(child, "a = torch.randn(600, 600)")
    child.send("b = a\rfor _ in range(10**6):\r    b = (a @ b).tanh()\r\r")
    time.sleep(1.0)
    child.sendintr()                  # inside or between the products: back at the prompt
    child.expect_exact("KeyboardInterrupt")
    prompt(child)
    child.send("b.shape\r")
    child.expect_exact("torch.Size([600, 600])")
    prompt(child)
    assert finish(child) == 0


def test_an_error_in_a_function_of_an_earlier_input_names_both_inputs(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    paste(child, "def loss_of(pred, target):\n    return (pred - target).pow(2).mean_()\n")
    prompt(child)
    run_line(child, "t = torch.ones(3)")
    child.send("loss_of(t, t)\r")
    child.expect(r"error: <input-1>:2:\d+: AttributeError: 'Tensor' object has no "
                 r"attribute 'mean_'")
    child.expect_exact("    2 |     return (pred - target).pow(2).mean_()")
    child.expect_exact("in loss_of() called from <input-3>:1:1")
    prompt(child)
    child.send("%history -n\r")
    child.expect_exact("3: loss_of(t, t)")    # the numbers errors name
    prompt(child)
    assert finish(child) == 0


def test_tab_completes_models_optimisers_autograd_nodes_and_dict_keys(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    paste(child, NET + "\nnet = Net()\nnet.hidden_size = 8\n"
                       "loss = net(torch.ones(1, 4)).sum()\n"
                       "sd = {'fc1.weight': 1, 'fc2.bias': 2}\n")
    prompt(child)
    for typed, tab, rest, shown in [
            ("print(net.hid", "\t", ")", "8"),                       # a user attribute
            ("net.fo", "\t", "(torch.ones(1, 4)).shape", "torch.Size([1, 2])"),  # a method
            ("print(nn.Linea", "\t", ")", "<class 'torch.nn.modules.linear.Linear'>"),
            ("print(torch.optim.RMS", "\t", ")", "<class 'torch.optim.rmsprop.RMSprop'>"),
            ("print(loss.grad_fn.na", "\t", "())", "SumBackward0"),
            ("print(sd['fc2", "\t", ")", "2")]:                      # a key, closed
        child.send(typed)
        time.sleep(0.2)
        child.send(tab)
        time.sleep(0.4)
        child.send(rest + "\r")
        child.expect_exact(shown + "\r\n")
        prompt(child)
    assert finish(child) == 0


def test_a_multi_line_entry_is_one_history_entry_in_the_next_session(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    type_lines(child, ["for k in range(3):", "print('row', k * 10)", ""])
    child.expect_exact("row 20")
    prompt(child)
    assert finish(child) == 0
    history = (tmp_path / "history").read_text()
    assert "+for k in range(3):\n+    print('row', k * 10)\n" in history
    child = spawn(tmp_path, history=history)
    prompt(child)
    child.send(UP)                            # the whole block comes back, and runs after
    time.sleep(0.3)                           # the empty line that ends a block
    child.send("\r")
    time.sleep(0.2)
    child.send("\r")
    child.expect_exact("row 0\r\nrow 10\r\nrow 20")
    prompt(child)
    assert finish(child) == 0


def test_input_reads_a_line_typed_at_the_terminal(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    child.send("name = input('your name: ')\r")
    child.expect_exact(RUNNING + "your name: ")       # its prompt, not the typed line
    child.send("Ada\r")
    prompt(child)
    child.send("print('hello', name, len(name))\r")
    child.expect_exact("hello Ada 3")
    prompt(child)
    child.send("input('again: ')\r")
    child.expect_exact(RUNNING + "again: ")
    child.sendintr()                                  # Ctrl-C while it waits
    child.expect_exact("KeyboardInterrupt")
    prompt(child)
    assert finish(child) == 0


def test_question_mark_on_a_model_and_its_class_and_a_long_value(tmp_path):
    child = spawn(tmp_path)
    prompt(child)
    paste(child, NET + "\nnet = Net()\n")
    prompt(child)
    child.send("net?\r")
    child.expect_exact("Type:           Net")
    child.expect_exact("Parameters:     58")                 # 4*8 + 8 + 8*2 + 2
    child.expect_exact("Value:          Net(")
    prompt(child)
    child.send("Net?\r")
    child.expect_exact("Signature:      Net()")
    child.expect_exact("Bases:          Module")
    child.expect_exact("Methods:        forward")
    prompt(child)
    child.send("list(range(100000))\r")             # echo is cut, never a flood
    child.expect(r"\.\.\. \([0-9,]+ more characters\)")
    prompt(child)
    assert finish(child) == 0
