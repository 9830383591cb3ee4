"""heapq, bisect, os and pathlib against CPython 3.11 (values, printing, errors), the file
calls in a folder of the test's own, an environment of the program's own, and the iterator
functions stopping within the memory cap on endless input."""

import os

import pytest

from standin_compare import cpython, run_tsh, tsh, tsh_error

HEAPQ_BISECT = [
    "import heapq\nh = []\nfor v in [5, 1, 8, 3, 9, 2]:\n    heapq.heappush(h, v)\n"
    "print(h, heapq.heappop(h), h, heapq.nlargest(2, h), heapq.nsmallest(2, iter(h)))",
    "import heapq\ndata = [7, 2, 9]\nheapq.heapify(data)\n"
    "print(data, heapq.heapreplace(data, 1), heapq.heappushpop(data, 0), data)",
    "import heapq\nprint(list(heapq.merge([1, 4, 7], [2, 5], [3])), heapq.nlargest(2, "
    "['a', 'bbb', 'cc'], key=len), list(heapq.merge([3, 1], [2], reverse=True)), "
    "heapq.nsmallest(1, (x * x for x in range(-3, 3))), heapq.heappush)",
    "import heapq\nh = []\nheapq.heappush(h, (2, 'b'))\nheapq.heappush(h, (1, 'a'))\n"
    "print(heapq.heappop(h), heapq.nlargest(0, [1]), heapq.nlargest(5, [3, 1]))",
    "import bisect\na = [1, 3, 5, 7]\nprint(bisect.bisect(a, 4), bisect.bisect_left(a, 5), "
    "bisect.bisect_right(a, 5), bisect.bisect_left(a, 5, 0, 2))\nbisect.insort(a, 4)\n"
    "bisect.insort_left(a, 5)\nbisect.insort_right(a, 0)\nprint(a, bisect.insort, "
    "bisect.insort_left, bisect.bisect)",
    "import bisect\npairs = [(1, 'a'), (3, 'c')]\nbisect.insort(pairs, (2, 'b'), key=lambda p: "
    "p[0])\nprint(pairs, bisect.bisect_left(pairs, 3, key=lambda p: p[0]))",
    # errors
    "import heapq\nheapq.heappush(5, 1)", "import heapq\nheapq.heappop([])",
    "import heapq\nheapq.heapify((1, 2))", "import bisect\nbisect.insort(5, 1)",
    "import bisect\nbisect.bisect([1], 1, -1)",
]

OS_PATHLIB = [
    "import os\nimport os.path\nimport os.path as osp\n"
    "print(os.path.join('ckpt', 'run1', 'model.pt'), os.path.basename('/a/b/c.pt'), "
    "os.path.dirname('a/b/c.pt'), os.path.splitext('model.tar.gz'), os.path.split('a/b'), "
    "osp.normpath('a//b/../c'), os.sep, os.path.sep, os.name, os.linesep == '\\n', "
    "os.path.isabs('/x'), os.path.commonpath(['a/b', 'a/c']))",
    "from pathlib import Path\np = Path('ckpt') / 'run1' / 'model.pt'\n"
    "print(p, repr(p), p.name, p.stem, p.suffix, p.parent, p.parts, p.with_suffix('.pth'), "
    "type(p).__name__, p.with_name('x.pt'), p.with_stem('best'), p.as_posix())",
    "from pathlib import Path\nprint('base' / Path('x'), Path('a', 'b'), Path('a/b') == "
    "Path('a') / 'b', str(Path('c')), Path('a/b.tar.gz').suffixes, Path('ckpt').joinpath("
    "'a', 'b.pt'), Path('/a/b').is_absolute(), Path('a/b/c').relative_to('a'), "
    "sorted([Path('b'), Path('a')]), len({Path('a'), Path('a')}))",
    "from pathlib import Path\nPath(3)", "from pathlib import Path\nPath('a') / 3",
    "import os\nos.path.join('a', 3)",
]


@pytest.mark.parametrize("src", HEAPQ_BISECT + OS_PATHLIB)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_files_in_the_programs_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = ("import os\nfrom pathlib import Path\nos.makedirs('out/sub', exist_ok=True)\n"
           "os.makedirs('out/sub', exist_ok=True)\nprint(os.path.exists('out/sub'), "
           "os.path.isdir('out'), os.path.isfile('out'))\n"
           "p = Path('ckpt') / 'run' / 'model.pt'\nprint(p.exists(), p.parent.exists())\n"
           "p.parent.mkdir(parents=True, exist_ok=True)\n"
           "torch.save({'w': torch.ones(2)}, p)\n"
           "print(p.exists(), p.is_file(), p.parent.is_dir(), torch.load(p)['w'], "
           "os.path.getsize(str(p)) > 0)\nos.mkdir('single')\ntry:\n"
           "    os.makedirs('out/sub')\nexcept FileExistsError as e:\n    print('exists:', e)\n"
           "try:\n    Path('single').mkdir()\nexcept FileExistsError as e:\n"
           "    print('exists:', e)")
    assert run_tsh(src) == ("True True False\nFalse False\nTrue True True tensor([1., 1.]) "
                            "True\nexists: [Errno 17] File exists: 'out/sub'\n"
                            "exists: [Errno 17] File exists: 'single'\n")
    assert (tmp_path / "ckpt" / "run" / "model.pt").is_file()


def test_the_environment_is_the_programs_own():
    assert "HOME" in os.environ or "PATH" in os.environ
    src = ("import os\nprint(os.environ, len(os.environ), 'PATH' in os.environ, "
           "os.environ.get('LOCAL_RANK', '0'), os.getenv('HOME'))\n"
           "os.environ['MY_FLAG'] = '1'\nos.environ.setdefault('B', 'x')\n"
           "print(os.environ['MY_FLAG'], os.getenv('MY_FLAG'), dict(os.environ.items()), "
           "list(os.environ))")
    assert run_tsh(src) == ("environ({}) 0 False 0 None\n"
                            "1 1 {'MY_FLAG': '1', 'B': 'x'} ['MY_FLAG', 'B']\n")
    assert "MY_FLAG" not in os.environ
    assert run_tsh("import os\nprint(len(os.environ))") == "0\n"   # a new interpreter's
    assert tsh_error("import os\nos.environ['X'] = 1") == ("TypeError", "str expected, not int")
    assert tsh_error("import os\nos.environ['NOPE']") == ("KeyError", "'NOPE'")


@pytest.mark.parametrize("name", ["system", "popen", "fork", "kill", "getpid", "remove",
                                  "listdir", "getcwd", "chdir", "walk", "open", "environb",
                                  "execv", "spawnv", "putenv", "scandir", "rename", "chmod"])
def test_no_process_or_file_content_call(name):
    kind, message = tsh_error(f"import os\nos.{name}")
    assert kind == "AttributeError" and f"no attribute '{name}'" in message


@pytest.mark.parametrize("name", ["abspath", "realpath", "expanduser", "expandvars"])
def test_no_path_call_that_tells_the_host(name):
    kind, message = tsh_error(f"import os\nos.path.{name}")
    assert kind == "AttributeError"


@pytest.mark.parametrize("name", ["read_text", "write_text", "read_bytes", "write_bytes",
                                  "open", "iterdir", "glob", "rglob", "cwd", "home", "resolve",
                                  "absolute", "expanduser", "unlink", "rmdir", "rename",
                                  "touch", "chmod", "stat", "_pure"])
def test_no_path_method_reads_writes_or_lists(name):
    kind, message = tsh_error(f"from pathlib import Path\nPath('x').{name}")
    assert kind == "AttributeError"


@pytest.mark.parametrize("call", ["heapq.nlargest(1, itertools.count())",
                                  "heapq.nsmallest(1, itertools.count())",
                                  "list(heapq.merge(itertools.count(), [1]))"])
def test_endless_input_is_read_a_python_step_at_a_time(call):
    """nlargest(1, it) is max(it) in C: the iterator is read one Python step per item, so
    Ctrl-C (here the watchdog the interrupt tests use) stops it."""
    import threading
    import _thread
    timer = threading.Timer(0.5, _thread.interrupt_main)
    timer.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            tsh(f"import heapq, itertools\n{call}")
    finally:
        timer.cancel()
