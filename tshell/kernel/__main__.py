"""`python -m tshell.kernel install [--user | --sys-prefix | --prefix PATH]`, or
`python -m tshell.kernel -f CONNECTION_FILE` (how Jupyter starts the kernel)."""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tshell.kernel",
                                     description="tshell's Jupyter kernel")
    parser.add_argument("-f", dest="connection_file", help="run the kernel (Jupyter does)")
    commands = parser.add_subparsers(dest="command")
    setup = commands.add_parser("install", help="install the 'tshell' kernelspec")
    where = setup.add_mutually_exclusive_group()
    where.add_argument("--user", action="store_true", help="for this user only")
    where.add_argument("--sys-prefix", action="store_true",
                       help="in this Python environment (sys.prefix)")
    where.add_argument("--prefix", help="under PATH (PATH/share/jupyter/kernels)")
    args = parser.parse_args(argv)
    # each mode imports what it needs only: the kernel's zmq and interpreter are not
    # needed to install its spec
    if args.command == "install":
        from .install import DISPLAY_NAME, install
        prefix = sys.prefix if args.sys_prefix else args.prefix
        folder = install(user=args.user, prefix=prefix)
        print(f"installed the kernel {DISPLAY_NAME!r} in {folder}")
        return 0
    if args.connection_file:
        from .server import serve
        serve(args.connection_file)
        return 0
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
