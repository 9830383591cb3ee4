"""Every sample under samples/ runs through the real `tshell` command line.

- samples/*.tsh: `tshell FILE` exits 0 and its stdout equals samples/expected/NAME.out
  (object addresses ``0x...`` are normalised to ``0x0`` on both sides and in the file).
- samples/errors/*.tsh: `tshell FILE` exits 2 and its stderr equals
  samples/expected/errors/NAME.err.
- samples/seed_*.tsh: tshell's stdout matches what PyTorch prints for the same file
  (tests/golden/seed_goldens.json, made by tests/golden/gen_seed_goldens.py with torch 2.13):
  line by line, exactly, except on the lines the generator found to depend on random values
  (rand/randn/randn_like/empty), where the numbers may differ.

Samples are found with glob, so a new sample is picked up automatically; it then needs its
expected file.  To (re)write the expected files from tshell's current output (a sample whose
exit status is wrong is reported and not written), CHECK THEM BY EYE, then commit them:

    python tests/test_samples.py --regen          # all samples
    python tests/test_samples.py --regen NAME...  # only these (file names or stems)

(or run pytest with TSHELL_REGEN=1: the sample tests then write instead of compare.)
tshell's random generator has a fixed default seed, so a run is repeatable.
The torch goldens are regenerated with `python tests/golden/gen_seed_goldens.py` (torch 2.13).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
EXPECTED = SAMPLES / "expected"
SEED_GOLDENS = ROOT / "tests" / "golden" / "seed_goldens.json"

# Samples not run here, with the reason (e.g. needs command-line ARGS, or known to be slow).
# Keys are paths relative to samples/, e.g. "train_mlp.tsh" or "errors/foo.tsh".
EXCLUDE: dict[str, str] = {}

ADDR = re.compile(r"0x[0-9a-fA-F]+")
NUMBER = re.compile(r"[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)")
TIMEOUT = 60


def _env() -> dict:
    env = dict(os.environ)
    for k in ("NO_COLOR", "FORCE_COLOR", "TSHELL_MAX_MEMORY", "TSHELL_HISTORY", "COLUMNS", "LINES"):
        env.pop(k, None)
    extra = os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    env["PYTHONPATH"] = str(ROOT) + extra
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def run_tshell(rel: str) -> subprocess.CompletedProcess:
    """Run `tshell samples/REL` from the repository root (so messages name samples/REL)."""
    return subprocess.run([sys.executable, "-m", "tshell", f"samples/{rel}"], cwd=ROOT,
                          env=_env(), capture_output=True, text=True, encoding="utf-8",
                          stdin=subprocess.DEVNULL, timeout=TIMEOUT)


def _discover(pattern: str) -> list[str]:
    return sorted(p.relative_to(SAMPLES).as_posix() for p in SAMPLES.glob(pattern)
                  if p.relative_to(SAMPLES).as_posix() not in EXCLUDE)


def ok_samples() -> list[str]:
    return _discover("*.tsh")


def error_samples() -> list[str]:
    return _discover("errors/*.tsh")


def expected_path(rel: str) -> Path:
    stem = Path(rel)
    if stem.parts[0] == "errors":
        return EXPECTED / "errors" / (stem.stem + ".err")
    return EXPECTED / (stem.stem + ".out")


def norm_addr(text: str) -> str:
    return ADDR.sub("0x0", text)


def loose(line: str) -> str:
    """A line with every number replaced by '#', runs of spaces collapsed and the spaces
    next to brackets dropped (sign padding depends on the values)."""
    s = NUMBER.sub("#", line)
    s = re.sub(r"\s+", " ", s)
    s = re.sub(r"([\[(]) ", r"\1", s)
    return s.strip()


def regen(names=()) -> int:
    wanted = {Path(n).stem for n in names}
    count = failed = 0
    for rel in ok_samples() + error_samples():
        if wanted and Path(rel).stem not in wanted:
            continue
        p = run_tshell(rel)
        target = expected_path(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        is_err = rel.startswith("errors/")
        text = p.stderr if is_err else p.stdout
        want_rc = 2 if is_err else 0
        if p.returncode != want_rc:
            print(f"NOT WRITTEN {target.relative_to(ROOT)}: exit status {p.returncode}, "
                  f"expected {want_rc}\n{p.stderr}", file=sys.stderr)
            failed += 1
            continue
        target.write_text(norm_addr(text), encoding="utf-8")
        print(f"wrote {target.relative_to(ROOT)} ({len(text.splitlines())} lines)")
        count += 1
    return 0 if count and not failed else 1


REGEN = os.environ.get("TSHELL_REGEN") == "1"

if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "--regen":
        sys.exit(regen(sys.argv[2:]))
    sys.stderr.write(__doc__)
    sys.exit(2)

import pytest  # noqa: E402  (the --regen path above runs without pytest)


def _check_expected_exists(rel: str) -> Path:
    target = expected_path(rel)
    if not target.exists():
        pytest.fail(f"{target.relative_to(ROOT)} is missing: run "
                    f"`python tests/test_samples.py --regen {Path(rel).stem}` and check it by eye")
    return target


@pytest.mark.parametrize("rel", ok_samples())
def test_sample_runs(rel):
    if REGEN:
        regen([rel])
    p = run_tshell(rel)
    assert p.returncode == 0, f"exit {p.returncode}\nstderr:\n{p.stderr}"
    assert "Traceback (most recent call last)" not in p.stderr
    want = _check_expected_exists(rel).read_text(encoding="utf-8")
    assert norm_addr(p.stdout) == norm_addr(want)


@pytest.mark.parametrize("rel", error_samples())
def test_error_sample(rel):
    if REGEN:
        regen([rel])
    p = run_tshell(rel)
    assert p.returncode == 2, f"exit {p.returncode}\nstderr:\n{p.stderr}"
    assert "Traceback (most recent call last)" not in p.stderr
    assert "\x1b" not in p.stderr + p.stdout
    want = _check_expected_exists(rel).read_text(encoding="utf-8")
    assert norm_addr(p.stderr) == norm_addr(want)


# Specific promises of the seed error samples (the committed .err files are checked above;
# these pin the points the tutorial's broken blocks are about).
def test_error_sample_details():
    rels = set(error_samples())
    checks = {
        "errors/seed_fullwidth_paren.tsh": ("did you mean '('?", "2:13:", "^"),
        "errors/seed_unclosed_call.tsh": ("'(' was never closed", "3:6:", "     ^"),
        "errors/seed_two_statements.tsh": ("2:23:", " " * 22 + "^"),
    }
    for rel, needles in checks.items():
        if rel not in rels:
            continue
        err = run_tshell(rel).stderr
        for n in needles:
            assert n in err, f"{rel}: {n!r} not in\n{err}"
        if rel.endswith("seed_two_statements.tsh"):
            # The caret points at the second statement's first character ('a', col 23).
            src = (SAMPLES / rel).read_text(encoding="utf-8").splitlines()[1]
            assert src[22:23] == "a" and src[23:26] == " = "
            marked = [line for line in err.splitlines() if line.strip().startswith("|")]
            gutter, caret = marked[0].split("|", 1)
            assert caret.index("^") == 1 + 22


def _seed_goldens() -> dict:
    return json.loads(SEED_GOLDENS.read_text(encoding="utf-8"))["samples"]


def test_every_seed_sample_has_a_torch_golden():
    have = set(_seed_goldens())
    missing = [p.name for p in SAMPLES.glob("seed_*.tsh") if p.name not in have]
    assert not missing, (f"no torch golden for {missing}: run "
                         "tests/golden/gen_seed_goldens.py with torch 2.13")


def compare_with_torch(got: str, want: str, random_lines) -> list[str]:
    """Differences between tshell's and torch's stdout, as readable lines (empty: equal)."""
    got_l, want_l = norm_addr(got).split("\n"), norm_addr(want).split("\n")
    rnd = set(random_lines)
    problems = []
    if len(got_l) != len(want_l):
        problems.append(f"line count: tshell {len(got_l)}, torch {len(want_l)}")
    for i, (g, w) in enumerate(zip(got_l, want_l)):
        if g == w:
            continue
        if i in rnd and loose(g) == loose(w):
            continue
        problems.append(f"line {i + 1}{' (random)' if i in rnd else ''}:\n"
                        f"  tshell: {g!r}\n  torch:  {w!r}")
    return problems


def test_there_are_samples_to_check():
    # The parametrised tests below pass vacuously over an empty list: a missing directory or
    # golden file must fail here instead.
    assert ok_samples() and error_samples() and _seed_goldens()


@pytest.mark.parametrize("name", sorted(_seed_goldens()))   # a missing file fails collection
def test_seed_sample_matches_torch(name):
    if f"{name}" in EXCLUDE:
        pytest.skip(EXCLUDE[name])
    rec = _seed_goldens()[name]
    p = run_tshell(name)
    assert p.returncode == 0, p.stderr
    problems = compare_with_torch(p.stdout, rec["stdout"], rec["random_lines"])
    assert not problems, "tshell differs from torch:\n" + "\n".join(problems)


def test_loose_comparison_helpers():
    # The loose form ignores values and sign padding, but not structure or suffixes.
    assert loose("tensor([[ 0.2186, -1.7107,  1.4356],") == loose("tensor([[0.4500, 0.6500, "
                                                                  "0.4074],")
    assert loose("tensor([[1.2083e-29, 4.5829e-41, nan],") == loose("tensor([[0., 0., 0.],")
    assert loose("tensor([1.0658])") == loose("tensor([-0.5337])")
    assert loose("tensor([1.0658])") != loose("tensor([1.0658], dtype=torch.float64)")
    assert loose("tensor([1., 2.])") != loose("tensor([1., 2., 3.])")
    assert compare_with_torch("a\nx 0x7f12\n", "a\nx 0xdead\n", []) == []
    assert compare_with_torch("tensor([0.5])\n", "tensor([0.7])\n", []) != []
    assert compare_with_torch("tensor([0.5])\n", "tensor([0.7])\n", [0]) == []
