"""argparse as tsh programs see it: ArgumentParser parsing the interpreter's `argv` (the
script's arguments) into a Namespace, with Python's parsing, help text and messages.

Python's parser does the work, in a private slot of tshell's ArgumentParser, with its output
and exit redirected: help and version go where the program's print goes, usage errors to
standard error, then SystemExit(2) as Python raises it (tshell exits with that status).
What a program gives it is checked first:
- `action=` names one of Python's actions, or is argparse.BooleanOptionalAction (an Action
  class of the program's would run with the parser's internals);
- argument names (dests) and defaults are public names: the parser sets them on the
  Namespace with setattr (`dest='__class__'` would change its class);
- help, usage and version texts are printf templates: their widths are checked as `%` checks
  them (`%(default)10000000000s`); `choices` within the memory cap (the usage line lists
  them), a numeric `nargs` too (Python builds a pattern of that length);
- `fromfile_prefix_chars` (arguments read from a host file) and sub-commands
  (`add_subparsers`) are not provided; `add_argument` returns a read-only view of the
  action (its public fields), never Python's Action.
"""

from __future__ import annotations

import argparse as py_argparse
import posixpath
import sys

from .. import guards, sandbox
from ..sandbox import Namespace as ModuleNamespace
from ._classes import ShownClass

HOST_CALLABLES = ()
SUPPRESS, OPTIONAL, ZERO_OR_MORE = py_argparse.SUPPRESS, py_argparse.OPTIONAL, \
    py_argparse.ZERO_OR_MORE
ONE_OR_MORE, REMAINDER = py_argparse.ONE_OR_MORE, py_argparse.REMAINDER
ACTION_NAMES = ("store", "store_const", "store_true", "store_false", "append",
                "append_const", "count", "help", "version", "extend")
TEMPLATES = ("help", "version")


class ArgumentTypeError(py_argparse.ArgumentTypeError, metaclass=ShownClass):
    """An error from a type= function: the parser reports its message."""


class ArgumentError(py_argparse.ArgumentError, metaclass=ShownClass):
    """An error from creating or using an argument (optional or positional)."""

    @classmethod
    def twin(cls, error: py_argparse.ArgumentError) -> ArgumentError:
        made = cls.__new__(cls)
        made.argument_name, made.message = error.argument_name, error.message
        made.args = error.args
        made._tsh_raised = True         # the program's error (errors.is_user_error)
        return made


class BooleanOptionalAction(py_argparse.BooleanOptionalAction, metaclass=ShownClass):
    """action=argparse.BooleanOptionalAction: --flag and --no-flag."""


# The formatter classes a program may name (tshell's subclasses of Python's).
class HelpFormatter(py_argparse.HelpFormatter, metaclass=ShownClass):
    """Formatter for generating usage messages and argument help strings."""


class RawDescriptionHelpFormatter(py_argparse.RawDescriptionHelpFormatter, HelpFormatter):
    """Help message formatter which retains any formatting in descriptions."""


class RawTextHelpFormatter(py_argparse.RawTextHelpFormatter, HelpFormatter):
    """Help message formatter which retains formatting of all help text."""


class ArgumentDefaultsHelpFormatter(py_argparse.ArgumentDefaultsHelpFormatter, HelpFormatter):
    """Help message formatter which adds default values to argument help."""


FORMATTERS = (HelpFormatter, RawDescriptionHelpFormatter, RawTextHelpFormatter,
              ArgumentDefaultsHelpFormatter)


def _public_name(name, what: str = "argument dest") -> None:
    if isinstance(name, str) and name.startswith("_"):
        raise ValueError(f"{what} names starting with '_' are not supported in tsh: {name!r}")


class Namespace(metaclass=ShownClass):
    """Simple object for storing attributes (what parse_args returns)."""

    def __init__(self, **kwargs):
        for name, value in kwargs.items():
            _public_name(name, "Namespace attribute")
            setattr(self, name, value)

    def __repr__(self):
        parts, star = [], {}
        for name, value in self.__dict__.items():
            if name.isidentifier():
                guards.check_text(value)
                parts.append(f"{name}={value!r}")
            else:
                star[name] = value
        if star:
            parts.append(f"**{star!r}")
        return f"Namespace({', '.join(parts)})"

    def __eq__(self, other):
        if not isinstance(other, Namespace):
            return NotImplemented
        return vars(self) == vars(other)

    def __contains__(self, key):
        return key in self.__dict__


class Action(metaclass=ShownClass):
    """What add_argument returns: the argument's settings, read-only."""

    FIELDS = ("option_strings", "dest", "nargs", "const", "default", "type", "choices",
              "required", "help", "metavar")
    __slots__ = FIELDS

    def __init__(self, action):
        for name in self.FIELDS:
            object.__setattr__(self, name, getattr(action, name))

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot set attribute '{name}' of an argparse action in tsh")

    def __repr__(self):
        parts = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"Action({parts})"


def _checked_argument(host, args: tuple, kwargs: dict) -> dict:
    """add_argument's keywords, checked before Python's parser sees them."""
    action = kwargs.get("action")
    if action is not None and action not in ACTION_NAMES and action is not \
            BooleanOptionalAction:
        raise ValueError(f"unknown action {action!r}: tsh takes the names "
                         f"{', '.join(ACTION_NAMES)} or argparse.BooleanOptionalAction")
    for name in TEMPLATES:
        if isinstance(kwargs.get(name), str):
            guards.check_printf(kwargs[name])
    if "choices" in kwargs and kwargs["choices"] is not None:
        kwargs["choices"] = guards.materialize(kwargs["choices"])
    nargs = kwargs.get("nargs")
    if isinstance(nargs, int):
        guards.check_width(nargs * 16, "nargs")
    if args and isinstance(args[0], str) and args[0][:1] in host.prefix_chars:
        dest = host._get_optional_kwargs(*args, **kwargs)["dest"]
    elif "dest" not in kwargs and args:
        dest = args[0]
    else:
        dest = kwargs.get("dest")
    _public_name(dest)
    return kwargs


def _host_errors(fn, *args, **kwargs):
    """fn(...) with Python's ArgumentError coming out as tshell's twin."""
    try:
        return fn(*args, **kwargs)
    except py_argparse.ArgumentError as e:
        raise ArgumentError.twin(e) from None


class _Container(metaclass=ShownClass):
    """What adds arguments: a parser, an argument group, a mutually exclusive group."""

    __slots__ = ("_host", "_parser")

    def add_argument(self, *args, **kwargs):
        """add_argument(dest, ..., name=value, ...) or add_argument(option_string,
        option_string, ..., name=value, ...)"""
        kwargs = _checked_argument(self._parser._host, args, kwargs)
        return Action(_host_errors(self._host.add_argument, *args, **kwargs))

    def add_argument_group(self, *args, **kwargs):
        """A group of arguments shown under its own title in the help."""
        return _Group(self._host.add_argument_group(*args, **kwargs), self._parser)

    def add_mutually_exclusive_group(self, required=False):
        """A group of arguments of which at most one (exactly one if required) is given."""
        return _Group(self._host.add_mutually_exclusive_group(required=required),
                      self._parser)


class _Group(_Container):
    """An argument group or mutually exclusive group."""

    __slots__ = ()

    def __init__(self, host, parser):
        self._host, self._parser = host, parser


class _HostParser(py_argparse.ArgumentParser):
    """Python's parser writing where the interpreter writes and raising SystemExit."""

    def __init__(self, interp, **kwargs):
        self._interp = interp
        super().__init__(**kwargs)

    def _print_message(self, message, file=None):
        if not message:
            return
        if file is None or file is sys.stdout:
            stdout = getattr(self._interp, "stdout", None)
            file = stdout if stdout is not None else sys.stdout
        else:
            file = sys.stderr
        file.write(message)

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, sys.stderr)
        raise SystemExit(status)

    def format_usage(self):
        self._check_texts()
        return super().format_usage()

    def format_help(self):
        self._check_texts()
        return super().format_help()

    def _check_texts(self):
        """The texts the usage and help lay out, within the memory cap before Python's
        formatter wraps them (a copy or two, a chunk per word, and its regular expressions
        over the usage line: eight 10**7-character metavars took minutes and gigabytes)."""
        texts = [self.prog, self.usage, self.description, self.epilog]
        for group in self._action_groups:
            texts += [group.title, group.description]
        for action in self._actions:
            metavar = action.metavar if isinstance(action.metavar, tuple) else \
                (action.metavar,)
            texts += [*action.option_strings, *action.option_strings, action.dest,
                      action.help, *metavar, *metavar]
            if action.choices is not None:
                texts += [repr(c) for c in action.choices]
            if action.help and "%(default)" in action.help or \
                    self.formatter_class is ArgumentDefaultsHelpFormatter:
                guards.check_text(action.default)
                texts.append(str(action.default))
        guards.check_layout("argparse's help text", texts)


class ArgumentParser(_Container):
    """Object for parsing command line strings into Python objects (the script's argv)."""

    __slots__ = ("_argv",)
    _interp = None               # the interpreter: each has its subclass (namespace_for)

    def __init__(self, prog=None, usage=None, description=None, epilog=None, parents=(),
                 formatter_class=HelpFormatter, prefix_chars="-", fromfile_prefix_chars=None,
                 argument_default=None, conflict_handler="error", add_help=True,
                 allow_abbrev=True, exit_on_error=True):
        if fromfile_prefix_chars is not None:
            raise ValueError("fromfile_prefix_chars (arguments read from files) is not "
                             "supported in tsh")
        if formatter_class not in FORMATTERS:
            raise ValueError("formatter_class must be one of argparse's formatters in tsh "
                             "(HelpFormatter, RawDescriptionHelpFormatter, "
                             "RawTextHelpFormatter, ArgumentDefaultsHelpFormatter)")
        for parent in parents:
            if not isinstance(parent, ArgumentParser):
                raise TypeError(f"parents must be ArgumentParsers, not "
                                f"{sandbox.type_name(parent)}")
        if isinstance(usage, str):
            guards.check_printf(usage)
        interp, self._parser = self._interp, self
        self._argv = list(getattr(interp, "builtins", {}).get("argv", ()))
        if prog is None:
            prog = posixpath.basename(getattr(interp, "argv0", ""))
        self._host = _HostParser(
            interp, prog=prog, usage=usage, description=description, epilog=epilog,
            parents=[p._host for p in parents], formatter_class=formatter_class,
            prefix_chars=prefix_chars, argument_default=argument_default,
            conflict_handler=conflict_handler, add_help=add_help, allow_abbrev=allow_abbrev,
            exit_on_error=exit_on_error)

    @property
    def prog(self):
        return self._host.prog

    @property
    def description(self):
        return self._host.description

    def _args(self, args):
        return self._argv if args is None else list(args)

    @staticmethod
    def _namespace(namespace):
        if namespace is None:
            return Namespace()
        if not isinstance(namespace, Namespace):
            raise TypeError("namespace= must be an argparse.Namespace in tsh")
        return namespace

    def parse_args(self, args=None, namespace=None):
        """The arguments (the script's argv by default) parsed into a Namespace."""
        return _host_errors(self._host.parse_args, self._args(args),
                            self._namespace(namespace))

    def parse_known_args(self, args=None, namespace=None):
        """(Namespace, the arguments it did not recognise)."""
        return _host_errors(self._host.parse_known_args, self._args(args),
                            self._namespace(namespace))

    def set_defaults(self, **kwargs):
        """Defaults for dests, whether or not an argument sets them."""
        for name in kwargs:
            _public_name(name)
        self._host.set_defaults(**kwargs)

    def get_default(self, dest):
        """The default value of dest."""
        return self._host.get_default(dest)

    def format_usage(self):
        return self._host.format_usage()

    def format_help(self):
        return self._host.format_help()

    def print_usage(self, file=None):
        """Write the usage line (to the program's output by default)."""
        self._print(self._host.format_usage(), file)

    def print_help(self, file=None):
        """Write the help text (to the program's output by default)."""
        self._print(self._host.format_help(), file)

    def _print(self, text, file):
        if file is None:
            self._host._print_message(text, None)
        else:
            sandbox.get_attribute(file, "write")(text)

    def error(self, message):
        """Write the usage and the message to standard error, then exit with status 2."""
        self._host.error(message)

    def exit(self, status=0, message=None):
        """Write message to standard error, then exit with status."""
        self._host.exit(status, message)

    def __repr__(self):
        return (f"ArgumentParser(prog={self._host.prog!r}, usage={self._host.usage!r}, "
                f"description={self._host.description!r}, formatter_class="
                f"{self._host.formatter_class!r}, conflict_handler="
                f"{self._host.conflict_handler!r}, add_help={self._host.add_help!r})")


sandbox.open_type(Namespace)
sandbox.register(Namespace, sandbox.PUBLIC)
sandbox.register(Action, Action.FIELDS)
sandbox.register(ArgumentError, ("args", "argument_name", "message"))
sandbox.register(_Group, ("add_argument", "add_argument_group",
                          "add_mutually_exclusive_group"))
PARSER_NAMES = ("add_argument add_argument_group add_mutually_exclusive_group parse_args "
                "parse_known_args set_defaults get_default format_usage format_help "
                "print_usage print_help error exit prog description").split()


def namespace_for(interp) -> ModuleNamespace:
    parser = ShownClass("ArgumentParser", (ArgumentParser,), {
        "__slots__": (), "_interp": interp, "__doc__": ArgumentParser.__doc__})
    sandbox.register(parser, PARSER_NAMES)
    return ModuleNamespace("argparse", {
        "ArgumentParser": parser, "Namespace": Namespace,
        "ArgumentTypeError": ArgumentTypeError, "ArgumentError": ArgumentError,
        "BooleanOptionalAction": BooleanOptionalAction, "HelpFormatter": HelpFormatter,
        "RawDescriptionHelpFormatter": RawDescriptionHelpFormatter,
        "RawTextHelpFormatter": RawTextHelpFormatter,
        "ArgumentDefaultsHelpFormatter": ArgumentDefaultsHelpFormatter,
        "SUPPRESS": SUPPRESS, "OPTIONAL": OPTIONAL, "ZERO_OR_MORE": ZERO_OR_MORE,
        "ONE_OR_MORE": ONE_OR_MORE, "REMAINDER": REMAINDER})
