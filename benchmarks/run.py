"""tshell against Python + torch and Python + NumPy on the workloads of docs/performance.md.

    python benchmarks/run.py            # full run: several repetitions, alternating
    python benchmarks/run.py --quick    # one short repetition (CI keeps the runner working)

torch is used when importable by TORCH_PYTHON (default: this interpreter); its columns show
'-' otherwise. Each workload runs as a separate process per repetition, implementations
alternating; loop workloads report the time of the loop measured inside that process: the
program's setup (making the data), imports and compilation run first and are excluded, for
every implementation alike (start-up has its own row; tshell's lazily imported modules, such
as numpy.random for the first random tensor, load during setup). Figures are medians.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = sys.executable
TORCH_PYTHON = os.environ.get("TORCH_PYTHON", sys.executable)
ENV = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
# Start-up is measured as users see it: with bytecode caches (pip writes them at install).
ENV.pop("PYTHONDONTWRITEBYTECODE", None)

# ---- the programs ---------------------------------------------------------------------------
# Each workload: program text with {n} for the iteration count; the text before the line
# starting with `for ` is setup (not timed). The tsh and torch texts are the same code, which
# is the point of tshell.

LOOP = """\
x = torch.rand(5, 3)
y = torch.rand(5, 3)
for i in range({n}):
    z = x + y
"""

SEED = """\
for i in range({n}):
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    out.backward()
"""

MLP = """\
torch.manual_seed(0)
X = torch.randn(128, 784)
Y = torch.randint(0, 10, (128,))
w1 = (torch.randn(784, 256) * 0.05).requires_grad_()
b1 = torch.zeros(256, requires_grad=True)
w2 = (torch.randn(256, 10) * 0.05).requires_grad_()
b2 = torch.zeros(10, requires_grad=True)
for step in range({n}):
    h = (X @ w1 + b1).relu()
    logits = h @ w2 + b2
    logp = logits.log_softmax(1)
    loss = -logp[torch.arange(128), Y].mean()
    loss.backward()
    with torch.no_grad():
        for p in [w1, b1, w2, b2]:
            p -= 0.1 * p.grad
            p.grad = None
"""

METHOD = """\
class Scale:
    def __init__(self, k):
        self.k = k

    def apply(self, x):
        return x * self.k
s = Scale(2.0)
x = torch.rand(5, 3)
for i in range({n}):
    y = s.apply(x)
"""

# The MLP step with the model as a class (its forward a method) and as functions: tshell
# against itself (the cost of classes and method calls).
MLP_SETUP = """\
torch.manual_seed(0)
X = torch.randn(128, 784)
Y = torch.randint(0, 10, (128,))
"""
MLP_STEP = """\
    logp = {forward}.log_softmax(1)
    loss = -logp[torch.arange(128), Y].mean()
    loss.backward()
    with torch.no_grad():
        for p in {parameters}:
            p -= 0.1 * p.grad
            p.grad = None
"""
MLP_CLASS = MLP_SETUP + """\
class MLP:
    def __init__(self):
        self.w1 = (torch.randn(784, 256) * 0.05).requires_grad_()
        self.b1 = torch.zeros(256, requires_grad=True)
        self.w2 = (torch.randn(256, 10) * 0.05).requires_grad_()
        self.b2 = torch.zeros(10, requires_grad=True)

    def forward(self, x):
        h = (x @ self.w1 + self.b1).relu()
        return h @ self.w2 + self.b2

    def parameters(self):
        return [self.w1, self.b1, self.w2, self.b2]
model = MLP()
for step in range({n}):
""" + MLP_STEP.format(forward="model.forward(X)", parameters="model.parameters()")
MLP_FUNCTIONS = MLP_SETUP + """\
w1 = (torch.randn(784, 256) * 0.05).requires_grad_()
b1 = torch.zeros(256, requires_grad=True)
w2 = (torch.randn(256, 10) * 0.05).requires_grad_()
b2 = torch.zeros(10, requires_grad=True)

def forward(x):
    h = (x @ w1 + b1).relu()
    return h @ w2 + b2

def parameters():
    return [w1, b1, w2, b2]
for step in range({n}):
""" + MLP_STEP.format(forward="forward(X)", parameters="parameters()")

# The MLP with torch.nn and torch.optim, as tutorials write it (issue 16's rows): the same
# arithmetic as MLP above, against the same program in Python + torch.
MLP_NN = """\
torch.manual_seed(0)
X = torch.randn(128, 784)
Y = torch.randint(0, 10, (128,))
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10))
loss_fn = torch.nn.CrossEntropyLoss()
opt = torch.optim.{optimizer}(model.parameters(), lr={lr})
for step in range({{n}}):
    loss = loss_fn(model(X), Y)
    loss.backward()
    opt.step()
    opt.zero_grad()
"""

NUMPY_METHOD = """\
import numpy as np
class Scale:
    def __init__(self, k):
        self.k = k

    def apply(self, x):
        return x * self.k
s = Scale(np.float32(2.0))
x = np.random.rand(5, 3).astype(np.float32)
for i in range({n}):
    y = s.apply(x)
"""

NUMPY_LOOP = """\
import numpy as np
x = np.random.rand(5, 3).astype(np.float32)
y = np.random.rand(5, 3).astype(np.float32)
for i in range({n}):
    z = x + y
"""

NUMPY_SEED = """\
import numpy as np
for i in range({n}):
    x = np.ones((2, 2), np.float32)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    grad = np.full((2, 2), 1 / 4, np.float32) * 3 * 2 * y
"""

NUMPY_MLP = """\
import numpy as np
r = np.random.default_rng(0)
X = r.standard_normal((128, 784), dtype=np.float32)
Y = r.integers(0, 10, 128)
w1 = r.standard_normal((784, 256), dtype=np.float32) * 0.05
b1 = np.zeros(256, np.float32)
w2 = r.standard_normal((256, 10), dtype=np.float32) * 0.05
b2 = np.zeros(10, np.float32)
for step in range({n}):
    a = X @ w1 + b1
    h = np.maximum(a, 0)
    logits = h @ w2 + b2
    m = logits.max(1, keepdims=True)
    e = np.exp(logits - m)
    p = e / e.sum(1, keepdims=True)
    g = p.copy()
    g[np.arange(128), Y] -= 1
    g /= 128
    gw2, gb2 = h.T @ g, g.sum(0)
    gh = (g @ w2.T) * (a > 0)
    gw1, gb1 = X.T @ gh, gh.sum(0)
    w1 -= 0.1 * gw1; b1 -= 0.1 * gb1; w2 -= 0.1 * gw2; b2 -= 0.1 * gb2
"""

LOOPED = {
    # name: (iterations, tsh/torch program, numpy program)
    "100000 x `z = x + y` (5x3)": (100_000, LOOP, NUMPY_LOOP),
    "seed autograd snippet x 10000": (10_000, SEED, NUMPY_SEED),
    "MLP 784-256-10, 200 SGD steps": (200, MLP, NUMPY_MLP),
    "100000 x user method `s.apply(x)`": (100_000, METHOD, NUMPY_METHOD),
    "MLP nn.Sequential + optim.SGD": (200, MLP_NN.format(optimizer="SGD", lr=0.1), NUMPY_MLP),
    "MLP nn.Sequential + optim.Adam": (200, MLP_NN.format(optimizer="Adam", lr=0.001),
                                       NUMPY_MLP),
}
# tshell against itself: name -> (iterations, program, the reference program)
SELF_COMPARED = {
    "MLP as `class MLP` / as functions": (200, MLP_CLASS, MLP_FUNCTIONS),
}

TARGETS = {
    "start-up (-c print)": "<= 1.5x numpy, <= 0.25x torch",
    "100000 x `z = x + y` (5x3)": "<= 2x torch (goal 1x)",
    "seed autograd snippet x 10000": "<= 1x torch",
    "MLP 784-256-10, 200 SGD steps": "<= 1.0x torch",
    "100000 x user method `s.apply(x)`": "<= 1.5x torch",
    "MLP nn.Sequential + optim.SGD": "<= 1.0x torch",
    "MLP nn.Sequential + optim.Adam": "<= 1.0x torch",
    "MLP as `class MLP` / as functions": "<= 1.05x",
    "parse + compile 10000 lines": "<= 1 s",
    "rand(4096,4096).view(-1) peak": "<= 1.1x (64 MiB + baseline)",
}


# ---- running ----------------------------------------------------------------------------

def run_process(argv, stdin_text=None):
    """Wall time of one process and its peak RSS (MiB); raises on failure."""
    t = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    proc = subprocess.run(argv, input=stdin_text, capture_output=True, text=True, env=ENV)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(f"{argv[:3]} failed: {proc.stderr.strip()[-500:]}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def peak_rss(argv):
    """Peak RSS of one process in MiB, measured by a wrapper so each process is alone."""
    code = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], check=True, "
            "stdout=subprocess.DEVNULL); print(resource.getrusage(resource.RUSAGE_CHILDREN)"
            ".ru_maxrss)")
    out = subprocess.run([PYTHON, "-c", code, *argv], capture_output=True, text=True,
                         env=ENV, check=True).stdout
    return int(out.split()[-1]) / 1024


def has_torch():
    try:
        subprocess.run([TORCH_PYTHON, "-c", "import torch"], check=True, capture_output=True)
        return True
    except (subprocess.CalledProcessError, OSError):
        return False


def tsh_file(text, tmp):
    path = os.path.join(tmp, f"w{abs(hash(text))}.tsh")
    with open(path, "w") as f:
        f.write(text)
    return path


# A Python harness: the program's setup (argv[1]) runs in `ns`, then its loop (argv[2]) is
# timed; {prelude} imports the library and makes `ns`.
_PYTHON_HARNESS = ("import sys, time\n{prelude}\n"
                   "setup = compile(open(sys.argv[1]).read(), 'setup', 'exec')\n"
                   "loop = compile(open(sys.argv[2]).read(), 'loop', 'exec')\nexec(setup, ns)\n"
                   "t = time.perf_counter(); exec(loop, ns)\n"
                   "print(time.perf_counter() - t)\n")

HARNESS = {
    # Each runs one program in a fresh process: its setup (argv[1]), then its loop (argv[2]),
    # and prints the seconds the loop took.
    "tshell": ("import sys, time\nfrom tshell.lang import Interpreter\n"
               "it = Interpreter()\nsetup = it.compile(open(sys.argv[1]).read(), 'setup.tsh')\n"
               "loop = it.compile(open(sys.argv[2]).read(), 'loop.tsh')\n"
               "it.run_compiled(setup)\n"
               "t = time.perf_counter(); it.run_compiled(loop)\n"
               "print(time.perf_counter() - t)\n"),
    "torch": _PYTHON_HARNESS.format(prelude="import torch\nns = {'torch': torch}"),
    "numpy": _PYTHON_HARNESS.format(prelude="import numpy\nns = {}"),
}


def split_program(text):
    """(setup, loop): the loop starts at the first line beginning with `for `."""
    at = text.index("\nfor ") + 1 if not text.startswith("for ") else 0
    return text[:at], text[at:]


def measure_looped(n, program, np_program, reps, torch_ok, tmp):
    """Times (s) of the loop per implementation and repetition, implementations alternating."""
    texts = {"tshell": program, "numpy": np_program}
    pythons = {"tshell": PYTHON, "numpy": PYTHON}
    if torch_ok:
        texts["torch"], pythons["torch"] = program, TORCH_PYTHON
    samples = {k: [] for k in texts}
    for _ in range(reps):
        for name, text in texts.items():
            paths = [os.path.join(tmp, f"{name}.{part}") for part in ("setup", "loop")]
            for path, part in zip(paths, split_program(text.format(n=n))):
                with open(path, "w") as f:
                    f.write(part)
            out = subprocess.run([pythons[name], "-c", HARNESS[name], *paths],
                                 capture_output=True, text=True, env=ENV)
            if out.returncode != 0:
                raise RuntimeError(f"{name} failed: {out.stderr.strip()[-500:]}")
            samples[name].append(float(out.stdout.split()[-1]))
    return samples


def measure_self_compared(n, program, reference, reps, tmp):
    """tshell's times for program and for reference, alternating, as measure_looped."""
    samples = {"tshell": [], "reference": []}
    for _ in range(reps):
        for name, text in (("tshell", program), ("reference", reference)):
            paths = [os.path.join(tmp, f"{name}.{part}") for part in ("setup", "loop")]
            for path, part in zip(paths, split_program(text.format(n=n))):
                with open(path, "w") as f:
                    f.write(part)
            out = subprocess.run([PYTHON, "-c", HARNESS["tshell"], *paths],
                                 capture_output=True, text=True, env=ENV)
            if out.returncode != 0:
                raise RuntimeError(f"{name} failed: {out.stderr.strip()[-500:]}")
            samples[name].append(float(out.stdout.split()[-1]))
    return samples


def tshell_command():
    """The `tshell` console script beside this Python, as users run it (else -m tshell)."""
    script = os.path.join(os.path.dirname(PYTHON), "tshell")
    return [script] if os.access(script, os.X_OK) else [PYTHON, "-m", "tshell"]


def measure_startup(reps, torch_ok):
    impls = {
        "tshell": tshell_command() + ["-c", "print(ones(2,2).sum())"],
        "numpy": [PYTHON, "-c", "import numpy; print(numpy.ones((2,2)).sum())"],
    }
    if torch_ok:
        impls["torch"] = [TORCH_PYTHON, "-c", "import torch; print(torch.ones(2,2).sum())"]
    samples = {k: [] for k in impls}
    for _ in range(reps):
        for name, argv in impls.items():
            samples[name].append(run_process(argv)[0])
    return samples


def compile_script(lines):
    """The parse + compile row's script: assignments, `if` blocks and comprehensions."""
    body = []
    for i in range(lines // 4):
        body += [f"x{i} = ones(2, 3) * {i}", "if x0.sum() > 0:",
                 f"    y = x{i}.view(-1) + 1", "z = [v * 2 for v in range(3)]"]
    return "\n".join(body) + "\n"


def measure_compile(lines, reps, tmp):
    """Parse + compile of a generated script of `lines` lines, in-process (seconds)."""
    path = tsh_file(compile_script(lines), tmp)
    code = textwrap.dedent(f"""
        import sys, time
        from tshell.lang import Interpreter
        src = open(sys.argv[1]).read()
        interp = Interpreter()
        interp.compile("x = 1" + chr(10), "warm.tsh")  # loads the cached parse tables once
        best = 1e9
        for _ in range({reps}):
            t = time.perf_counter()
            interp.compile(src, "big.tsh")
            best = min(best, time.perf_counter() - t)
        print(best)
    """)
    out = subprocess.run([PYTHON, "-c", code, path], capture_output=True, text=True, env=ENV,
                         check=True).stdout
    return float(out.split()[-1])


def measure_memory(tmp):
    prog = tsh_file("x = rand(4096, 4096)\ny = x.view(-1)\n", tmp)
    base = tsh_file("x = rand(1)\n", tmp)
    peak = peak_rss([PYTHON, "-m", "tshell", prog])
    baseline = peak_rss([PYTHON, "-m", "tshell", base])
    return peak, baseline


# ---- report -----------------------------------------------------------------------------

def fmt(v, unit="s"):
    if v is None:
        return "-"
    return f"{v * 1000:.1f} ms" if unit == "s" and v < 1 else f"{v:.3f} {unit}"


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "-"


def paired_range(samples, ref):
    """min-max over repetitions of tshell's time / ref's time in the same repetition (the
    implementations run back to back, so a slow spell of the machine touches both)."""
    if ref not in samples or len(samples["tshell"]) < 2:
        return "-"
    r = [a / b for a, b in zip(samples["tshell"], samples[ref])]
    return f"{min(r):.2f}-{max(r):.2f}"


def medians(samples):
    return {k: statistics.median(v) for k, v in samples.items()}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="one short repetition (for CI)")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--only", metavar="TEXT", default="",
                    help="run only the rows whose name contains TEXT (e.g. MLP, seed)")
    args = ap.parse_args()

    def wanted(name):
        return args.only.lower() in name.lower()

    reps = 1 if args.quick else args.reps
    scale = 20 if args.quick else 1
    torch_ok = has_torch()
    subprocess.run([PYTHON, "-m", "compileall", "-q", os.path.join(ROOT, "tshell")],
                   env=ENV, capture_output=True)
    rows, memory = [], None     # rows: (name, {implementation: [seconds per repetition]})
    self_rows = []              # (name, {"tshell": [...], "reference": [...]})
    with tempfile.TemporaryDirectory() as tmp:
        if wanted("start-up (-c print)"):
            rows.append(("start-up (-c print)",
                         measure_startup(reps if not args.quick else 2, torch_ok)))
        for name, (n, prog, np_prog) in LOOPED.items():
            if wanted(name):
                rows.append((name, measure_looped(max(1, n // scale), prog, np_prog, reps,
                                                  torch_ok, tmp)))
        for name, (n, prog, reference) in SELF_COMPARED.items():
            if wanted(name):
                self_rows.append((name, measure_self_compared(max(1, n // scale), prog,
                                                              reference, reps, tmp)))
        if wanted("parse + compile 10000 lines"):
            # One process per repetition (best of 3 compiles in each), the median reported:
            # a single process can fall entirely within a slow spell of the machine.
            rows.append(("parse + compile 10000 lines",
                         {"tshell": [measure_compile(10_000, 1 if args.quick else 3, tmp)
                                     for _ in range(reps)]}))
        if wanted("rand(4096,4096).view(-1) peak"):
            memory = measure_memory(tmp)
    print(f"python {sys.version.split()[0]}, torch {'yes' if torch_ok else 'not installed'}"
          f"{', QUICK (scaled down 20x)' if args.quick else ''}")
    head = (f"{'workload':<32}{'tshell':>11}{'torch':>11}{'numpy':>11}{'/torch':>8}"
            f"{'/numpy':>8}{'paired /torch':>15}{'paired /numpy':>15}")
    print(head + "  target")
    for name, samples in rows:
        m = medians(samples)
        ts, tt, tn = m["tshell"], m.get("torch"), m.get("numpy")
        print(f"{name:<32}{fmt(ts):>11}{fmt(tt):>11}{fmt(tn):>11}{ratio(ts, tt):>8}"
              f"{ratio(ts, tn):>8}{paired_range(samples, 'torch'):>15}"
              f"{paired_range(samples, 'numpy'):>15}  {TARGETS.get(name, '')}")
    print("(medians and the ratios of medians; 'paired': the range over repetitions of "
          "tshell's time / the reference's in the same repetition)")
    for name, samples in self_rows:
        m = medians(samples)
        print(f"{name:<32}{fmt(m['tshell']):>11}{fmt(m['reference']):>11}"
              f"{ratio(m['tshell'], m['reference']):>8}{paired_range(samples, 'reference'):>15}"
              f"  {TARGETS.get(name, '')}")
    for name, samples in rows:
        if name.startswith("MLP 784") and "torch" in samples:
            # The row's floor: tshell runs NumPy's kernels, so it cannot beat this program.
            m = medians(samples)
            print(f"MLP floor: the hand-written NumPy step / torch = "
                  f"{ratio(m['numpy'], m['torch'])}; tshell / that step = "
                  f"{ratio(m['tshell'], m['numpy'])}")
    if memory is not None:
        peak, baseline = memory
        print(f"{'rand(4096,4096).view(-1) peak':<32}{peak:>8.1f} MiB  baseline "
              f"{baseline:.1f} MiB  ratio {peak / (64.0 + baseline):.2f}x of (64 MiB + "
              f"baseline)  {TARGETS['rand(4096,4096).view(-1) peak']}")
    if wanted("GPU"):
        gpu = subprocess.run([PYTHON, os.path.join(ROOT, "benchmarks", "bench_gpu.py")],
                             capture_output=True, text=True, env=ENV)
        print(gpu.stdout.strip() or gpu.stderr.strip()[-300:])


if __name__ == "__main__":
    main()
