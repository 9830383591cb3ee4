"""sys and argparse against CPython 3.11 (values, printing, errors, and what goes to
standard error), and what each interpreter's own argv gives them."""

import contextlib
import io

import pytest

from standin_compare import cpython, run_tsh, tsh

from tshell.lang import Interpreter

SYS = [
    "import sys\nprint(sys.version_info, sys.version_info >= (3, 8), sys.version_info.major, "
    "sys.version_info[:2], sys.version == sys.version, sys.maxsize, sys.byteorder)",
    "import sys\nprint(sys.float_info, sys.float_info.epsilon, sys.float_info.max, "
    "sys.platform, sys.maxunicode, sys.hexversion > 0)",
    "import sys\nn = sys.stdout.write('hello\\n')\nprint(n)\nsys.stdout.flush()\n"
    "sys.stdout.writelines(['a', 'b\\n'])",
    "import sys\ntry:\n    sys.exit(3)\nexcept SystemExit as e:\n"
    "    print('exit', e.code, e, e.args)\n"
    "try:\n    sys.exit()\nexcept SystemExit as e:\n    print(e.code)\n"
    "try:\n    sys.exit('message')\nexcept SystemExit as e:\n    print(e.code)\nprint(sys.exit)",
    "import sys\nprint('to out', file=sys.stdout)\nclass W:\n    def __init__(self):\n"
    "        self.parts = []\n    def write(self, s):\n        self.parts.append(s)\n"
    "w = W()\nprint('a', 'b', sep='-', end='.', file=w)\nprint(w.parts)",
    "print('x', file=3)",
]

PARSER = (
    "import argparse\nparser = argparse.ArgumentParser(prog='train', description='Train')\n"
    "parser.add_argument('--lr', type=float, default=0.01, help='rate (default: %(default)s)')\n"
    "parser.add_argument('--epochs', type=int, default=3)\n"
    "parser.add_argument('--batch-size', type=int, default=64)\n"
    "parser.add_argument('--no-cuda', action='store_true', default=False)\n"
    "parser.add_argument('--mode', choices=['train', 'eval'], default='train')\n"
    "parser.add_argument('--layers', nargs='+', type=int, default=[1])\n"
    "parser.add_argument('--verbose', '-v', action='count', default=0)\n"
    "parser.add_argument('--amp', action=argparse.BooleanOptionalAction, default=True)\n"
    "a = parser.add_argument('name', nargs='?', default='run')\n")
TOOL = ("import argparse\ndef positive(s):\n    v = int(s)\n    if v <= 0:\n"
        "        raise argparse.ArgumentTypeError(f'{s} is not positive')\n    return v\n"
        "p = argparse.ArgumentParser(prog='tool')\np.add_argument('--n', type=positive)\n"
        "p.add_argument('--k', type=int)\ng = p.add_mutually_exclusive_group()\n"
        "g.add_argument('--fast', action='store_true')\ng.add_argument('--slow', "
        "action='store_true')\n")
ARGPARSE = [
    PARSER + "print(a.dest, a.default, a.option_strings, a.nargs)\nargs = parser.parse_args([])\n"
    "print(args)\nprint(args.lr, args.batch_size, args.no_cuda, vars(args)['epochs'])",
    PARSER + "args = parser.parse_args(['--lr', '0.5', '-vv', '--layers', '2', '3', '--no-amp', "
    "'x'])\nprint(args, args.verbose)\nprint(parser.parse_known_args(['--epochs', '9', "
    "'--other']))",
    PARSER + "print(parser.format_help())\nparser.print_usage()",
    TOOL + "print(p.format_usage(), end='')\nprint(p.parse_args(['--fast', '--n', '4']))\n"
    "p.set_defaults(extra=5)\nprint(p.parse_args([]), p.get_default('extra'))",
    TOOL + "for bad in (['--n', '-3'], ['--k', 'x'], ['--zzz'], ['--fast', '--slow'], "
    "['-h']):\n    try:\n        p.parse_args(bad)\n    except SystemExit as e:\n"
    "        print('exit', e.code)",
    TOOL + "try:\n    p.error('custom problem')\nexcept SystemExit as e:\n    print(e.code)",
    "import argparse\nns = argparse.Namespace(a=1, b='x')\nns.c = [1]\n"
    "print(ns, ns.a, argparse.Namespace(a=1) == argparse.Namespace(a=1), 'a' in ns)",
    "import argparse\np = argparse.ArgumentParser(prog='g', formatter_class="
    "argparse.ArgumentDefaultsHelpFormatter)\ngroup = p.add_argument_group('model')\n"
    "group.add_argument('--hidden', type=int, default=128, help='hidden size')\n"
    "print(p.format_help())",
    "import argparse\np = argparse.ArgumentParser(prog='v')\n"
    "p.add_argument('--version', action='version', version='%(prog)s 1.0')\ntry:\n"
    "    p.parse_args(['--version'])\nexcept SystemExit as e:\n    print('exit', e.code)",
    # errors
    "import argparse\np = argparse.ArgumentParser(prog='x')\np.add_argument('--a')\n"
    "p.add_argument('--a')",
    "import argparse\np = argparse.ArgumentParser(prog='x')\np.add_argument('--a', type=5)",
    "import argparse\np = argparse.ArgumentParser(prog='x')\np.add_argument('--a', nargs=0)",
]


def _both_streams(run, src):
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        result = run(src)
    return result, err.getvalue()


@pytest.mark.parametrize("src", SYS + ARGPARSE)
def test_same_output_and_errors_as_cpython(src):
    assert _both_streams(tsh, src) == _both_streams(cpython, src)


def test_stdout_refuses_what_is_not_text_as_pythons_does():
    import sys
    with pytest.raises(TypeError) as python:
        sys.__stdout__.write(5)
    assert tsh("import sys\nsys.stdout.write(5)")[1] == f"TypeError: {python.value}"


def _run(argv, src, argv0="train.py"):
    out = io.StringIO()
    interp = Interpreter(argv=argv, stdout=out)
    interp.argv0 = argv0
    interp.run_source(src, "t.tsh")
    return out.getvalue()


def test_argv_is_the_interpreters_own():
    src = "import sys\nprint(sys.argv)"
    assert _run(["--lr", "0.5"], src) == "['train.py', '--lr', '0.5']\n"
    assert _run([], src, "") == "['']\n"


def test_parse_args_reads_the_script_arguments_and_names_the_script():
    src = ("import argparse\np = argparse.ArgumentParser()\np.add_argument('--lr', type=float)\n"
           "print(p.parse_args(), p.prog)")
    assert _run(["--lr", "0.5"], src, "dir/train.py") == "Namespace(lr=0.5) train.py\n"


def test_refused_arguments():
    for src, words in [
            ("p.add_argument('--x', action=print)", "unknown action"),
            ("p.add_argument('--x', dest='__class__')", "starting with '_'"),
            ("p.add_argument('--_x')", "starting with '_'"),
            ("p.set_defaults(__dict__=1)", "starting with '_'"),
            ("argparse.Namespace(**{'__class__': int})", "starting with '_'"),
            ("argparse.ArgumentParser(fromfile_prefix_chars='@')", "fromfile_prefix_chars"),
            ("p.parse_args([], namespace=5)", "argparse.Namespace"),
            ("p.add_argument('--x', help='%(default)10000000000000s')", "width"),
            ("p.add_argument('--x', choices=range(10**15))", "items"),
            ("p.add_argument('x', nargs=10**15)", "nargs")]:
        out, error = tsh("import argparse\np = argparse.ArgumentParser()\n" + src)
        assert error is not None and words in error, (src, error)


def test_every_name_a_script_reads_is_there():
    out = run_tsh("import sys, argparse\nprint(sorted(n for n in dir(sys)), "
                  "len(dir(argparse)) > 10)")
    assert "modules" not in out and "_getframe" not in out and "argv" in out
