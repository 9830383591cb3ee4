"""The Jupyter kernel through jupyter_client against a started kernel: execute, display data,
complete, inspect, is_complete, interrupt, errors, magics, and samples/tour.ipynb."""

import io
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

jupyter_client = pytest.importorskip("jupyter_client", reason="the tshell[jupyter] extra")

from jupyter_client.manager import KernelManager  # noqa: E402

from tshell.kernel import install  # noqa: E402
from tshell.lang import Interpreter  # noqa: E402
from tshell.ui.shell import echo_text  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TIMEOUT = 60


def started_kernel(tmp_path_factory):
    """A kernel started the way Jupyter starts it: from the installed kernelspec."""
    prefix = tmp_path_factory.mktemp("prefix")
    folder = install.install(prefix=str(prefix))
    assert os.path.basename(folder) == install.KERNEL_NAME
    work = tmp_path_factory.mktemp("work")
    env = dict(os.environ, JUPYTER_PATH=str(prefix / "share" / "jupyter"),
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    env.pop("NO_COLOR", None)
    saved = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = env["JUPYTER_PATH"]
    manager = KernelManager(kernel_name=install.KERNEL_NAME)
    manager.start_kernel(env=env, cwd=str(work))
    client = manager.client()
    client.start_channels()
    client.wait_for_ready(timeout=TIMEOUT)
    yield manager, client, work
    client.stop_channels()
    manager.shutdown_kernel(now=False)
    if saved is None:
        os.environ.pop("JUPYTER_PATH")
    else:
        os.environ["JUPYTER_PATH"] = saved


@pytest.fixture(scope="module")
def kernel(tmp_path_factory):
    yield from started_kernel(tmp_path_factory)


def execute(client, code):
    """(shell reply content, [(msg_type, content)] published on IOPub for this request)."""
    msg_id = client.execute(code)
    published = []
    while True:
        msg = client.get_iopub_msg(timeout=TIMEOUT)
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
        published.append((msg["msg_type"], msg["content"]))
    return shell_reply(client, msg_id), published


def shell_reply(client, msg_id):
    """The reply to msg_id (replies to earlier requests, such as wait_for_ready's extra
    kernel_info requests, are passed over)."""
    while True:
        reply = client.get_shell_msg(timeout=TIMEOUT)
        if reply["parent_header"].get("msg_id") == msg_id:
            return reply["content"]


def of_type(published, kind):
    return [content for msg_type, content in published if msg_type == kind]


def request(client, method, *args, **kwargs):
    return shell_reply(client, getattr(client, method)(*args, **kwargs))


def repl_echo(source):
    """What the REPL echoes for the last expression of source."""
    values = []
    interp = Interpreter(stdout=io.StringIO(), echo=values.append)
    interp.run_source(source + "\n", "<input>", echo=True)
    return echo_text(values[-1])


def test_kernelspec_names_the_kernel_and_its_language(kernel):
    spec = jupyter_client.kernelspec.KernelSpecManager().get_kernel_spec("tshell")
    assert spec.display_name == "tshell (PyTorch-style tensors)" and spec.language == "tsh"
    assert spec.argv[1:3] == ["-m", "tshell.kernel"]


def test_kernel_info_names_the_tsh_lexer(kernel):
    _, client, _ = kernel
    info = request(client, "kernel_info")
    assert info["implementation"] == "tshell"
    assert info["language_info"]["pygments_lexer"] == "tsh"
    assert info["language_info"]["file_extension"] == ".tsh"


def test_cells_share_one_namespace_and_echo_the_last_value_as_the_repl_does(kernel):
    _, client, _ = kernel
    reply, published = execute(client, "a = torch.arange(6.).view(2, 3)\nprint('sum', a.sum())")
    assert reply["status"] == "ok"
    assert of_type(published, "stream") == [{"name": "stdout", "text": "sum tensor(15.)\n"}]
    assert not of_type(published, "execute_result")
    reply, published = execute(client, "b = a * 2\nb.sum(0)\na.t() @ a")
    result, = of_type(published, "execute_result")
    assert result["execution_count"] == reply["execution_count"]
    assert result["data"]["text/plain"] == repl_echo(
        "a = torch.arange(6.).view(2, 3)\na.t() @ a")


def test_errors_return_name_value_and_tshells_caret_text(kernel):
    _, client, _ = kernel
    # ('vew' is as near to PyTorch's x.new as to x.view: CPython's rule would name 'new')
    reply, published = execute(client, "t = torch.ones(2)\nt.viw(2)")
    assert reply["status"] == "error"
    assert reply["ename"] == "AttributeError"
    assert reply["evalue"] == "'Tensor' object has no attribute 'viw'"
    error, = of_type(published, "error")
    assert error["traceback"] == [
        f"error: Cell In[{reply['execution_count']}]:2:1: AttributeError: 'Tensor' object "
        "has no attribute 'viw'. "
        "Did you mean: 'view'?",
        "    2 | t.viw(2)",
        "      | ^^^^^"]


def test_rich_output_show_graph_plot_hist(kernel):
    _, client, _ = kernel
    _, published = execute(client, "w = torch.ones(3, requires_grad=True)\n"
                                   "out = (w * 2).sum()\nshow(w)\ngraph(out)\n"
                                   "plot([1, 4, 9])\nhist(torch.randn(200), bins=10)")
    show, graph, plot, hist = (d["data"] for d in of_type(published, "display_data"))
    assert "<table" in show["text/html"] or "<pre" in show["text/html"]
    assert "shape (3,)" in show["text/plain"] and "requires_grad (leaf)" in show["text/plain"]
    assert "SumBackward0" in graph["text/plain"] and "AccumulateGrad w (3,)" in graph["text/plain"]
    if shutil.which("dot"):
        assert graph["image/svg+xml"].lstrip().startswith("<?xml")
        assert "SumBackward0" in graph["image/svg+xml"]
    for chart in (plot, hist):
        assert chart["image/svg+xml"].startswith("<svg") and chart["text/plain"]
    assert "<polyline" in plot["image/svg+xml"] and hist["image/svg+xml"].count("<rect") == 11


def test_progress_updates_one_line_in_place(kernel):
    _, client, _ = kernel
    _, published = execute(client, "for i in progress(range(4), description='steps'):\n"
                                   "    pass")
    first, = of_type(published, "display_data")
    display_id = first["transient"]["display_id"]
    updates = of_type(published, "update_display_data")
    assert updates and all(u["transient"]["display_id"] == display_id for u in updates)
    assert updates[-1]["data"]["text/plain"].startswith("steps: 100%|")
    assert " 4/4 [" in updates[-1]["data"]["text/plain"]


def test_magics_work_in_cells(kernel):
    _, client, work = kernel
    (work / "setup.tsh").write_text("loaded = 7\n")
    reply, published = execute(client, "%run setup.tsh\nm = loaded * 6\n%whos\nm")
    text = "".join(s["text"] for s in of_type(published, "stream"))
    assert reply["status"] == "ok" and "loaded" in text and "int" in text
    assert of_type(published, "execute_result")[0]["data"]["text/plain"] == "42"
    reply, published = execute(client, "%%time\nz = m + 1\nz")
    assert "Wall time:" in "".join(s["text"] for s in of_type(published, "stream"))
    assert of_type(published, "execute_result")[0]["data"]["text/plain"] == "43"
    reply, _ = execute(client, "%load setup.tsh")
    assert reply["payload"] == [{"source": "set_next_input", "replace": True,
                                 "text": "loaded = 7"}]
    reply, _ = execute(client, "%nosuchmagic")
    assert reply["status"] == "error" and reply["ename"] == "UsageError"


def test_complete_inspect_and_is_complete(kernel):
    _, client, _ = kernel
    execute(client, "v = torch.zeros(2, 3)")
    done = request(client, "complete", "v.vi", 4)
    assert done["matches"] == ["view", "view_as"]
    assert (done["cursor_start"], done["cursor_end"]) == (2, 4)
    assert "zeros" in request(client, "complete", "torch.zer", 9)["matches"]
    found = request(client, "inspect", "print(v)", 7)
    assert found["found"] and "Shape:          (2, 3)" in found["data"]["text/plain"]
    assert not request(client, "inspect", "nothing_here", 3)["found"]
    assert request(client, "is_complete", "if v.sum() > 0:") == {"status": "incomplete",
                                                                "indent": "    "}
    assert request(client, "is_complete", "x = (1,")["status"] == "incomplete"
    assert request(client, "is_complete", "x = 1")["status"] == "complete"
    assert request(client, "is_complete", "x = = 1")["status"] == "invalid"


def test_interrupt_stops_a_running_cell_and_the_kernel_lives_on(kernel):
    manager, client, _ = kernel
    execute(client, "n = 0")
    msg_id = client.execute("while True:\n    n = n + 1")
    time.sleep(1.0)
    manager.interrupt_kernel()
    reply = shell_reply(client, msg_id)
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    reply, published = execute(client, "n > 0")
    assert reply["status"] == "ok"
    assert of_type(published, "execute_result")[0]["data"]["text/plain"] == "True"


# what each code cell of samples/tour.ipynb must publish (in order), and its execute_result
TOUR = [
    ({"execute_result"}, "tensor([[0., 1., 2.],\n        [3., 4., 5.]])"),
    ({"stream", "execute_result"}, "tensor(2.5000)"),
    ({"execute_result"}, "tensor([[0., 1., 2.],\n        [3., 4., 5.]])"),
    ({"display_data"}, None),
    ({"display_data"}, None),
    ({"display_data"}, None),
    ({"display_data", "update_display_data", "execute_result"}, "1225"),
    ({"stream"}, None),
    ({"stream"}, None),
    ({"error"}, None),
]


def test_sample_notebook_runs_through_the_kernel(tmp_path_factory):
    with open(os.path.join(ROOT, "samples", "tour.ipynb"), encoding="utf-8") as f:
        notebook = json.load(f)
    code = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    assert all(not c["outputs"] for c in notebook["cells"] if c["cell_type"] == "code")
    assert notebook["metadata"]["kernelspec"]["name"] == "tshell"
    assert len(code) == len(TOUR)
    # a kernel of its own: the tour starts from an empty namespace
    for _, client, _ in started_kernel(tmp_path_factory):
        for source, (kinds, result) in zip(code, TOUR):
            reply, published = execute(client, source)
            assert {kind for kind, _ in published} - {"execute_input", "status"} == kinds, source
            if result is not None:
                assert of_type(published, "execute_result")[0]["data"]["text/plain"] == result
            assert reply["status"] == ("error" if "error" in kinds else "ok"), source



@pytest.mark.parametrize("flags", [["--prefix", "{tmp}/prefix"], ["--user"]])
def test_install_command_writes_the_kernelspec(tmp_path, flags):
    env = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "data"),
               PYTHONPATH=os.pathsep.join([ROOT, os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "tshell.kernel", "install",
                           *[f.format(tmp=tmp_path) for f in flags]],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    base = tmp_path / "prefix" / "share" / "jupyter" if "--prefix" in flags else \
        tmp_path / "data"
    spec = json.loads((base / "kernels" / "tshell" / "kernel.json").read_text())
    assert spec["display_name"] == "tshell (PyTorch-style tensors)"
    assert spec["argv"][-2:] == ["-f", "{connection_file}"]
    assert "tshell (PyTorch-style tensors)" in done.stdout
