"""Write tests/surface/doc_examples.json: the `>>>` examples of torch 2.13's docstrings for
every name of tests/surface/torch_names.txt that is not out of scope (tshell/lang/
unsupported.py), with the text torch 2.13 actually prints for each.

    /work/torchenv/bin/pip install xdoctest      # once: PyTorch's own doctest parser
    /work/torchenv/bin/python tools/torch_surface/gen_doc_examples.py     # about two minutes

Each docstring is a session, as in PyTorch's own doctest run (xdoctest, with doc_session's
PREAMBLE as its global exec), cut into xdoctest's parts: the statements up to each shown
output. An example is one part. Its statements run in order in the session's namespace, each
compiled in 'single' mode so that an expression statement echoes its repr, as in the REPL;
its text is what it prints, then `ExceptionClass: message` if a statement raises (the rest of
the part is then skipped).

Every session runs six times: with seed 0, again, and four times with the random stream
moved (torch.manual_seed(n) seeds n + 1, ..., n + 4; new Generators start elsewhere). An
example is `checked` when all six print the same non-empty text, without an address: text
that depends on no random value, memory or clock, which tshell can reproduce (its generator
differs from PyTorch's by design). A random result with few outcomes can still look fixed
(`torch.multinomial(torch.tensor([0., 10., 3., 0.]), 2)` is tensor([1, 2]) three times in
four); those few stay in the failing list. The other examples stay as setup for the ones
after them, with why they are not checked:
- `varies`: the runs print different text (random numbers, uninitialized memory, addresses);
- `torch error`: torch raises where the docstring shows no traceback (the example needs
  CUDA, a file, or names it never defines);
- `silent`: it prints nothing;
- `doc differs`: the docstring shows output of another form, numbers and spacing aside: the
  example prints what an earlier broken one left (`sorted` is Python's built-in when the
  `sorted, indices = ...` before it failed), or the docstring is out of date.
The expected text is torch 2.13's, not the docstring's (reprs have changed their spacing and
digits since many were written); the docstring's is kept as `doc`. The output is the same on
every run.
"""
from __future__ import annotations

import ast
import contextlib
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))    # the out-of-scope table, what a session starts from

from tests.surface.doc_session import (PREAMBLE, PartTimeout, part_timeout,  # noqa: E402
                                       reset_session)
from tshell.lang import unsupported     # noqa: E402
from xdoctest.parser import DoctestParser   # noqa: E402

NAMES = ROOT / "tests" / "surface" / "torch_names.txt"
OUTPUT = ROOT / "tests" / "surface" / "doc_examples.json"
MOVES = (1, 2, 3, 4)    # how far the runs after the first two move the random stream


def main() -> int:
    import torch
    torch.set_num_threads(1)
    sessions, unparsed = [], []
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)                  # examples that torch.save write here
        for names, doc in docstrings(torch):
            try:
                examples = [p for p in DoctestParser().parse(doc) if not isinstance(p, str)]
            except Exception as e:          # xdoctest's errors for what it cannot parse
                unparsed.append({"name": names[0], "why": str(e).splitlines()[0]})
                continue
            if examples:
                sessions.append(session(torch, names, examples))
        os.chdir(ROOT)
    write(torch, sessions, unparsed)
    return 0


def docstrings(torch):
    """(names, docstring) for each in-scope name with a docstring; names sharing one
    docstring (torch.nn.functional.conv2d is torch.conv2d) give one session."""
    out_of_scope = set(unsupported.names())
    by_doc: dict = {}
    for line in NAMES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, kind = line.split()
        if name in out_of_scope or kind == "constant":
            continue
        doc = getattr(resolve(torch, name), "__doc__", None)
        if isinstance(doc, str) and ">>>" in doc:
            by_doc.setdefault(doc, []).append(name)
    return [(names, doc) for doc, names in by_doc.items()]


def resolve(torch, name: str):
    obj = torch
    for part in name.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def session(torch, names, parts) -> dict:
    runs = [run(torch, parts), run(torch, parts)] + [run(torch, parts, m) for m in MOVES]
    examples = []
    for part, texts in zip(parts, zip(*runs)):
        why = status(part, texts)
        examples.append({"source": part.source, "doc": part.want or "", "status": why,
                         "expected": kept_text(why, texts[0][0])})
    return {"name": names[0], "aliases": names[1:], "examples": examples}


def kept_text(why: str, text: str):
    """What the file keeps of torch's text: all of it, but no text for `varies` and only
    the error line of a `torch error` (a DataLoader worker's traceback varies), so that the
    file is the same on every run."""
    if why == "varies":
        return None
    if why == "torch error":
        return text.rstrip().splitlines()[-1] + "\n"
    return text


def status(part, texts) -> str:
    """Whether the part is checked, or why not; texts: (text, raised) of each run."""
    (first, raised), *others = texts
    doc = part.want or ""
    if raised and not doc.startswith("Traceback"):
        return "torch error"
    if any(first != text for text, _ in others) or ADDRESS.search(first):
        return "varies"
    if not first:
        return "silent"
    if doc and not agrees(doc, first, raised):
        return "doc differs"
    return "checked"


def agrees(doc: str, text: str, raised: bool) -> bool:
    """The docstring shows output of this form: the same text, or its beginning (docstrings
    cut long tensors short), once whitespace, blank-line markers and the digits of numbers
    are set aside (reprs have changed their spacing and digits since many docstrings were
    written), its `...` standing for anything; for an error, the same exception class."""
    if raised:
        return error_class(doc) == error_class(text)
    pattern = re.escape(form(doc)).replace(re.escape("..."), ".*")
    return re.match(pattern, form(text), re.DOTALL) is not None


ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")     # the same in every run by chance only
NUMBER = re.compile(r"(?<![\w.])[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def form(text: str) -> str:
    return NUMBER.sub("0", "".join(text.replace("<BLANKLINE>", "").split()))


def error_class(text: str) -> str:
    """RuntimeError from 'RuntimeError: ...', _LinAlgError from 'torch._C._LinAlgError: ...'."""
    return text.rstrip().splitlines()[-1].split(":")[0].split(".")[-1]


def run(torch, parts, move: int = 0) -> list:
    """(text, raised) of each part, run in order in one namespace."""
    namespace: dict = {"__name__": "__main__"}
    with moved_random_stream(torch, move):
        reset_session(torch)
        exec(PREAMBLE, namespace)
        return [run_part(part.source, namespace) for part in parts]


def run_part(source: str, namespace: dict) -> tuple:
    out = io.StringIO()
    raised = False
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        try:
            with part_timeout():
                for statement in ast.parse(source).body:
                    exec(compile(ast.Interactive([statement]), "<doctest>", "single"),
                         namespace)
        except BaseException as e:       # SystemExit from an example too, and PartTimeout
            if isinstance(e, KeyboardInterrupt) and not isinstance(e, PartTimeout):
                raise
            out.write(f"{type(e).__name__}: {e}\n")
            raised = True
    return out.getvalue(), raised


@contextlib.contextmanager
def moved_random_stream(torch, move: int):
    """torch.manual_seed(n) seeds n + move, and new Generators start from a seed of their
    own, so that an example seeding its own numbers still prints other values."""
    if not move:
        yield
        return
    manual_seed, generator = torch.manual_seed, torch.Generator

    class MovedGenerator(generator):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            super().manual_seed(12345 + move)

        def manual_seed(self, seed):
            return super().manual_seed(seed + move)

    torch.manual_seed = lambda seed: manual_seed(seed + move)
    torch.Generator = MovedGenerator
    try:
        yield
    finally:
        torch.manual_seed, torch.Generator = manual_seed, generator


def write(torch, sessions, unparsed) -> None:
    counts: dict = {}
    for s in sessions:
        for example in s["examples"]:
            counts[example["status"]] = counts.get(example["status"], 0) + 1
    doc = {"generator": "tools/torch_surface/gen_doc_examples.py",
           "torch_version": torch.__version__, "preamble": PREAMBLE, "counts": counts,
           "unparsed": unparsed, "sessions": sessions}
    OUTPUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(sessions)} docstrings to {OUTPUT.relative_to(ROOT)}: {counts}",
          file=sys.stderr)


if __name__ == "__main__":
    raise SystemExit(main())
