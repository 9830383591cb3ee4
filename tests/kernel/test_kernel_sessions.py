"""A PyTorch user's notebook session through jupyter_client: a model defined in one cell and
used in the next, errors naming their cells as IPython does, what is shown (execute_result
vs stream), input() over the stdin channel, Tab (complete_request) and shift-Tab
(inspect_request) on models, optimisers, autograd nodes and dict keys, is_complete on
multi-line classes, a training loop's output, interrupt and restart."""

import json
import os
import time

import pytest

from .test_kernel import execute, of_type, request, shell_reply, started_kernel

jupyter_client = pytest.importorskip("jupyter_client", reason="the tshell[jupyter] extra")

MODEL_CELL = """import torch
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


torch.manual_seed(0)
net = Net()
net.train()
net"""
NET_REPR = ("Net(\n  (fc1): Linear(in_features=4, out_features=8, bias=True)\n"
            "  (fc2): Linear(in_features=8, out_features=2, bias=True)\n)")


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    yield from started_kernel(tmp_path_factory)


def stdout_of(published) -> str:
    return "".join(s["text"] for s in of_type(published, "stream") if s["name"] == "stdout")


def test_a_model_cell_shows_its_last_value_as_pytorch_prints_it(kernel):
    _, client, _ = kernel
    reply, published = execute(client, MODEL_CELL)
    assert reply["status"] == "ok"
    # only the last expression is the cell's result: not manual_seed's generator, not
    # the module net.train() returns
    result, = of_type(published, "execute_result")
    assert result["data"] == {"text/plain": NET_REPR}
    assert not of_type(published, "stream")
    reply, published = execute(client, "print(net)")
    assert stdout_of(published) == NET_REPR + "\n" and not of_type(published, "execute_result")


def test_an_error_in_a_method_of_an_earlier_cell_names_both_cells(kernel):
    _, client, _ = kernel
    reply = execute(client, MODEL_CELL.replace("self.fc2(x)", "self.fc2(x).view(5)"))[0]
    defined = reply["execution_count"]
    reply, published = execute(client, "x = torch.ones(3, 4)\nout = net(x)")
    error, = of_type(published, "error")
    assert reply["status"] == "error" and error["ename"] == "RuntimeError"
    head, line, caret, *called = error["traceback"]
    assert head.startswith(f"error: Cell In[{defined}]:15:")       # the line in its cell
    assert line == "   15 |         return self.fc2(x).view(5)"
    assert called == [f"  in forward() called from Cell In[{reply['execution_count']}]:2:7"]


def test_input_asks_the_front_end_on_the_stdin_channel(kernel):
    _, client, _ = kernel
    msg_id = client.execute("size = int(input('hidden size? '))\nsize * 2", allow_stdin=True)
    asked = client.get_stdin_msg(timeout=30)
    assert asked["msg_type"] == "input_request"
    assert asked["content"] == {"prompt": "hidden size? ", "password": False}
    assert asked["parent_header"]["msg_id"] == msg_id
    client.input("16")
    assert shell_reply(client, msg_id)["status"] == "ok"
    reply, published = execute(client, "size")
    assert of_type(published, "execute_result")[0]["data"]["text/plain"] == "16"
    # a front end that cannot answer (allow_stdin false): an error, never a hang
    msg_id = client.execute("input()", allow_stdin=False)
    reply = shell_reply(client, msg_id)
    assert reply["status"] == "error" and reply["ename"] == "RuntimeError"
    assert "does not support input requests" in reply["evalue"]


def test_interrupt_while_input_waits(kernel):
    manager, client, _ = kernel
    msg_id = client.execute("answer = input('wait: ')", allow_stdin=True)
    client.get_stdin_msg(timeout=30)
    manager.interrupt_kernel()
    reply = shell_reply(client, msg_id)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert execute(client, "1 + 1")[0]["status"] == "ok"


def completions(client, code, cursor=None):
    reply = request(client, "complete", code, len(code) if cursor is None else cursor)
    return reply["matches"], reply["cursor_start"]


def test_complete_requests_on_models_optimisers_nodes_and_keys(kernel):
    _, client, _ = kernel
    execute(client, MODEL_CELL)
    execute(client, "net.hidden = 8\nopt = torch.optim.Adam(net.parameters())\n"
                    "loss = net(torch.ones(1, 4)).sum()\n"
                    "sd = net.state_dict()\ncfg = {'lr': 0.1, 'epochs': 3}")
    assert {"fc1", "fc2", "forward", "hidden", "parameters", "zero_grad"} <= set(
        completions(client, "net.")[0])
    assert completions(client, "nn.Line")[0][:1] == ["Linear"]
    assert completions(client, "nn.CrossE")[0] == ["CrossEntropyLoss"]
    assert {"Adam", "AdamW", "SGD", "lr_scheduler"} <= set(completions(client, "torch.optim.")[0])
    assert {"step", "zero_grad", "param_groups"} <= set(completions(client, "opt.")[0])
    assert {"name", "next_functions"} <= set(completions(client, "loss.grad_fn.")[0])
    # the class itself: its own and nn.Module's methods
    assert {"forward", "parameters"} <= set(completions(client, "Net.")[0])
    # dict keys, as IPython offers them: closed with the quote and bracket
    assert completions(client, "sd['fc2") == (["'fc2.weight']", "'fc2.bias']"], 3)
    assert completions(client, "cfg[")[0] == ['"lr"]', '"epochs"]']
    assert completions(client, 'cfg["ep')[0] == ['"epochs"]']
    # inside a string nothing is offered
    assert completions(client, "print('epoch lo")[0] == []


def test_inspect_requests_on_a_model_its_class_and_a_function(kernel):
    _, client, _ = kernel
    execute(client, MODEL_CELL)
    found = request(client, "inspect", "net(x)", 2, 0)
    text = found["data"]["text/plain"]
    assert found["found"] and text.startswith("Type:           Net\nParameters:     58\n")
    assert "Value:          Net(" in text
    text = request(client, "inspect", "Net", 3, 0)["data"]["text/plain"]
    assert "Signature:      Net()" in text and "Methods:        forward" in text
    text = request(client, "inspect", "torch.zeros(", 11, 0)["data"]["text/plain"]
    assert text.startswith("zeros(*size, ")
    # shift-Tab twice (detail 1): the source of a function defined in a cell, named by it
    reply, _ = execute(client, "x = 1\n\ndef accuracy(pred, y):\n"
                               "    return (pred.argmax(1) == y).float().mean()")
    text = request(client, "inspect", "accuracy(", 8, 1)["data"]["text/plain"]
    assert text == (f"# Cell In[{reply['execution_count']}]:3\ndef accuracy(pred, y):\n"
                    "    return (pred.argmax(1) == y).float().mean()")


@pytest.mark.parametrize("code, status, indent", [
    ("class Net(nn.Module):", "incomplete", "    "),
    ("class Net(nn.Module):\n    def __init__(self):", "incomplete", "        "),
    ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n\n"
     "    @torch.no_grad()", "incomplete", "    "),
    ("@torch.no_grad()\ndef evaluate(model, x):\n    return model(x)", "incomplete", ""),
    ("class Net(nn.Module):\n    def __init__(self):\n        super().__init__()\n\n",
     "complete", None),
    ("net = Net(\n    4,", "incomplete", "    "),
    ("%%time", "incomplete", ""),
    ("net?", "complete", None),
    ("class Net(nn.Module)\n    pass", "invalid", None),
])
def test_is_complete_for_multi_line_classes_and_decorators(kernel, code, status, indent):
    _, client, _ = kernel
    reply = request(client, "is_complete", code)
    assert reply["status"] == status
    if indent is not None:
        assert reply["indent"] == indent


def test_a_training_loop_streams_its_progress_as_it_runs(kernel):
    _, client, _ = kernel
    execute(client, MODEL_CELL)
    msg_id = client.execute(
        "import time\nopt = torch.optim.SGD(net.parameters(), lr=0.1)\n"
        "x, y = torch.randn(32, 4), torch.randint(0, 2, (32,))\n"
        "for epoch in range(4):\n    opt.zero_grad()\n    loss = F.cross_entropy(net(x), y)\n"
        "    loss.backward()\n    opt.step()\n    print(f'epoch {epoch} loss {loss:.3f}')\n"
        "    time.sleep(0.3)\nloss.item() > 0")
    arrivals = []
    while True:
        msg = client.get_iopub_msg(timeout=60)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "stream":
            arrivals.append((time.monotonic(), msg["content"]["text"]))
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    text = "".join(t for _, t in arrivals)
    assert [line.split()[:2] for line in text.splitlines()] == [
        ["epoch", str(i)] for i in range(4)]
    assert len(arrivals) >= 2 and arrivals[-1][0] - arrivals[0][0] > 0.5   # not all at the end
    assert shell_reply(client, msg_id)["status"] == "ok"


def test_interrupt_a_loop_of_long_ops_then_restart_empties_the_session(tmp_path_factory):
    for manager, client, _ in started_kernel(tmp_path_factory):
        execute(client, "a = torch.randn(500, 500)\nb = a")
        msg_id = client.execute("for _ in range(10**6):\n    b = (a @ b).tanh()")
        time.sleep(1.5)
        manager.interrupt_kernel()
        reply = shell_reply(client, msg_id)
        assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
        reply, published = execute(client, "b.shape")
        assert of_type(published, "execute_result")[0]["data"]["text/plain"] == \
            "torch.Size([500, 500])"
        manager.restart_kernel(now=False)
        client.wait_for_ready(timeout=60)
        reply, published = execute(client, "a")
        assert reply["status"] == "error" and reply["ename"] == "NameError"
        assert reply["execution_count"] == 1          # a new session counts from 1
        assert of_type(published, "error")[0]["traceback"][0].startswith(
            "error: Cell In[1]:1:1: NameError: name 'a' is not defined")


def test_history_requests_give_this_sessions_cells(tmp_path_factory):
    for _, client, _ in started_kernel(tmp_path_factory):
        for code in ["x = torch.ones(2)", "y = x * 2", "for i in range(2):\n    y = y + i",
                     "y = x * 2"]:
            execute(client, code)
        client.execute("hidden = 1", silent=True)
        execute(client, "y")
        tail = request(client, "history", hist_access_type="tail", n=2, output=False)
        assert [tuple(entry) for entry in tail["history"]] == [(1, 4, "y = x * 2"),
                                                               (1, 5, "y")]
        ranged = request(client, "history", hist_access_type="range", session=0, start=2,
                         stop=4, output=False, raw=True)
        assert [entry[2] for entry in ranged["history"]] == [
            "y = x * 2", "for i in range(2):\n    y = y + i"]
        found = request(client, "history", hist_access_type="search", pattern="y = x*",
                        unique=True, output=False, raw=True)
        assert [tuple(entry) for entry in found["history"]] == [(1, 4, "y = x * 2")]
        with_output = request(client, "history", hist_access_type="tail", n=1, output=True)
        assert [entry[2][0] for entry in with_output["history"]] == ["y"]
        # an empty cell has its number too: %history numbers cells as In [N] does
        execute(client, "")
        reply, published = execute(client, "%history -n 3-7")
        assert reply["execution_count"] == 7
        assert "".join(s["text"] for s in of_type(published, "stream")) == (
            "   3:\nfor i in range(2):\n    y = y + i\n   4: y = x * 2\n   5: y\n"
            "   7: %history -n 3-7\n")


def test_values_show_as_pytorch_shows_them(tmp_path_factory):
    """Each cell's Out is PyTorch 2.13's repr (recorded by gen_display_reprs.py), as an
    execute_result; nothing else is published."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "display_reprs.json")
    with open(path, encoding="utf-8") as f:
        cells = json.load(f)["cells"]
    for _, client, _ in started_kernel(tmp_path_factory):
        execute(client, "import torch\nimport torch.nn as nn")
        for code, shown in cells:
            reply, published = execute(client, code)
            assert reply["status"] == "ok", code
            assert {kind for kind, _ in published} - {"status"} == {"execute_input",
                                                                 "execute_result"}, code
            result, = of_type(published, "execute_result")
            assert result["data"] == {"text/plain": shown}, code


def test_exit_asks_the_front_end_to_end_the_session(kernel):
    _, client, _ = kernel
    execute(client, "kept = 1")
    for code in ["exit()", "quit()", "raise SystemExit"]:
        reply, published = execute(client, code)
        assert reply["status"] == "ok" and not of_type(published, "error"), code
        assert reply["payload"] == [{"source": "ask_exit", "keepkernel": False}]
    reply, published = execute(client, "raise SystemExit(3)")
    assert reply["status"] == "error" and reply["ename"] == "SystemExit"
    assert of_type(published, "error")[0]["traceback"] == ["error: SystemExit: 3"]
    reply, published = execute(client, "kept")           # the kernel went on
    assert of_type(published, "execute_result")[0]["data"]["text/plain"] == "1"
