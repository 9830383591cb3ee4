"""`python -m tshell` runs the same command line as `tshell`."""
import sys

from tshell.cli import main

sys.exit(main())
