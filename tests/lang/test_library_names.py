"""tshell/lang/library_names.py lists every underscore attribute name tshell's code uses
(tools/gen_library_names.py): stale, a program's subclass could take a name the library
uses for its own state."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_library_names_are_up_to_date():
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "gen_library_names.py"),
                           "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
