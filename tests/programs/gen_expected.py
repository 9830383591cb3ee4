"""Record what Python + PyTorch 2.13 prints for each program here (NAME.tsh -> NAME.out).

    /work/torchenv/bin/python tests/programs/gen_expected.py [NAME ...]

Each program is valid Python that imports torch itself: it runs as a script, unchanged, in
a temporary working directory (where its torch.save files go).
tests/programs/test_programs.py runs the same files with tshell and compares.
"""
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(names):
    for path in sorted(HERE.glob("*.tsh")):
        if names and path.stem not in names:
            continue
        with tempfile.TemporaryDirectory() as cwd:
            out = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                                 check=True, cwd=cwd).stdout
        path.with_suffix(".out").write_text(out)
        print(f"wrote {path.with_suffix('.out').name}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
