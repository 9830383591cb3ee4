"""Tab completion: names, torch./np. members, attributes of values, keyword args, file paths.

Completion reads names and types only, never tensor values, so a keystroke costs the same
for a 2x2 tensor and a 4096x4096 one.
"""

from __future__ import annotations

import inspect
import re

from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from tshell.lang import sandbox
from tshell.lang.grammar import keywords

from .magics import CELL_MAGICS, LINE_MAGICS

DOTTED = re.compile(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.(\w*)$")
WORD = re.compile(r"[A-Za-z_]\w*$")
# Reading these properties computes a new tensor: never evaluate them while completing.
COMPUTED = frozenset({"T", "mT", "H", "mH", "real", "imag"})
# `d[`, `d["al`, `state["model.fc`: a subscript being typed, and what is typed of its key
KEY_OPEN = re.compile(r"""([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\[\s*((["']?)[^"'\[\]]*)$""")
MAX_KEYS = 1000           # a dict's keys offered at most (a huge dict must not stall Tab)
PATH_CALL = re.compile(r"""\b(?:load|save|graph|%load)\b[^"'\n]*?(["'])([^"'\n]*)$""")


def kind_of(value) -> str:
    """A short type label for the completion menu (type only, no value is read)."""
    if isinstance(value, sandbox.Namespace):
        return "module"
    name = type(value).__name__
    if name == "Tensor":
        return "tensor"
    if "function" in name or "method" in name or name == "TshFunction":
        return "function"
    return name


class TshCompleter(Completer):
    """Completions from an interpreter's namespace and built-ins."""

    def __init__(self, interp):
        self.interp = interp
        self.paths = PathCompleter(expanduser=True)

    # ------------------------------------------------------------------ lookup
    def lookup(self, name: str):
        """The value a name holds (user names shadow built-ins), or raise KeyError."""
        if name in self.interp.namespace:
            return self.interp.namespace[name]
        return self.interp.builtins[name]

    def resolve(self, dotted: str):
        """Follow a.b.c through namespaces and attributes; None when it can't be done safely."""
        parts = dotted.split(".")
        try:
            obj = self.lookup(parts[0])
        except KeyError:
            return None
        for part in parts[1:]:
            if part in COMPUTED or part.startswith("_"):
                return None
            if isinstance(obj, sandbox.Namespace):
                obj = obj._members.get(part)
            elif runs_program_code(obj, part):
                return None                 # Tab must not run a property written in tsh
            else:
                try:
                    obj = sandbox.get_attribute(obj, part)
                except Exception:   # completion must never raise
                    return None
            if obj is None:
                return None
        return obj

    def names(self):
        """Every bare name a program can use here."""
        return {**self.interp.builtins, **self.interp.user_names()}

    # ------------------------------------------------------------------ completion
    def get_completions(self, document: Document, complete_event):
        text = document.text_before_cursor
        try:
            yield from self._complete(text, document, complete_event)
        except Exception:   # a completion bug must not end the session
            return

    def _complete(self, text, document, complete_event):
        line = text.rsplit("\n", 1)[-1]
        path = PATH_CALL.search(line)
        if path and line.count(path.group(1)) % 2 == 1:
            sub = Document(path.group(2), len(path.group(2)))
            yield from self.paths.get_completions(sub, complete_event)
            return
        if line.lstrip().startswith("%") and " " not in line.strip():
            cell = line.strip().startswith("%%")
            word = line.strip()[2 if cell else 1:]
            for m in sorted(CELL_MAGICS if cell else LINE_MAGICS):
                if m.startswith(word):
                    yield Completion(m, -len(word), display_meta="cell magic" if cell
                                     else "magic")
            return
        key = KEY_OPEN.search(line)
        if key and isinstance(self.resolve(key.group(1)), dict):
            yield from self._keys(self.resolve(key.group(1)), key.group(2), key.group(3),
                                  document.text_after_cursor)
            return
        if in_string(line):
            return                          # text being typed in a string: no names there
        dotted = DOTTED.search(line)
        if dotted:
            yield from self._attributes(dotted.group(1), dotted.group(2))
            return
        word_match = WORD.search(line)
        word = word_match.group(0) if word_match else ""
        if not word and not complete_event.completion_requested:
            return
        yield from self._keywords(line, word)
        names = self.names()
        for name in sorted(names):
            if name.startswith(word) and not name.startswith(("_", "\0")) or name == "_" == word:
                yield Completion(name, -len(word), display_meta=kind_of(names[name]))
        for kw in sorted(keywords()):       # the grammar's: what the language accepts now
            if word and kw.startswith(word) and kw not in names:
                yield Completion(kw, -len(word), display_meta="keyword")

    @staticmethod
    def _keys(mapping: dict, typed: str, quote: str, after: str):
        """A dict's keys that start with what is typed (str keys quoted as typed, ints when
        no quote is), each closed with its quote and ']' unless they follow the cursor."""
        prefix = typed[len(quote):]
        quote_follows = bool(quote) and after.startswith(quote)
        close = "" if after[quote_follows:].startswith("]") else "]"
        for key in list(mapping)[:MAX_KEYS]:
            if type(key) is str and key.startswith(prefix) and (quote or not prefix):
                mark = quote or '"'
                yield Completion(mark + key + ("" if quote_follows else mark) + close,
                                 -len(typed), display=repr(key), display_meta="key")
            elif type(key) is int and not quote and str(key).startswith(prefix):
                yield Completion(str(key) + close, -len(typed), display_meta="key")

    def _attributes(self, base: str, prefix: str):
        obj = self.resolve(base)
        if obj is None:
            return
        for name in attribute_names(obj):
            if name.startswith(prefix):
                yield Completion(name, -len(prefix), display_meta=self._attr_kind(obj, name))

    @staticmethod
    def _attr_kind(obj, name: str) -> str:
        """'method' or 'attribute' from the class, without evaluating properties."""
        if isinstance(obj, sandbox.Namespace):
            return kind_of(obj._members.get(name))
        static = inspect.getattr_static(type(obj), name, None)
        return "method" if callable(static) and not isinstance(static, property) else "attribute"

    def _keywords(self, line: str, word: str):
        """Keyword arguments of the innermost call the cursor is inside."""
        func = self._open_call(line)
        if func is None or (line[:len(line) - len(word)].rstrip()[-1:] not in "(,"):
            return
        for param in parameters(func):
            if param.startswith(word):
                yield Completion(param + "=", -len(word), display_meta="argument")

    def _open_call(self, line: str):
        """The callable whose '(' is still open at the end of line, if it can be resolved."""
        depth = 0
        for i in range(len(line) - 1, -1, -1):
            c = line[i]
            if c in ")]}":
                depth += 1
            elif c in "([{":
                if depth == 0:
                    if c != "(":
                        return None
                    m = re.search(r"([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$", line[:i])
                    return self.resolve(m.group(1)) if m else None
                depth -= 1
        return None


def runs_program_code(obj, name: str) -> bool:
    """Whether reading obj.name would run code of the program: a property (or another
    descriptor) of a class defined in tsh."""
    for klass in type(obj).__mro__:
        if name in vars(klass):
            value = vars(klass)[name]
            return (klass.__module__ == "__main__" and hasattr(type(value), "__get__")
                    and not inspect.isfunction(value))
    return False


def attribute_names(obj) -> list:
    """The attributes tsh code may read on obj; on a class (a user's class, nn.Linear),
    its public members that the sandbox lets a program read."""
    if not isinstance(obj, type):
        return sandbox.allowed_attributes(obj)
    names = []
    for name in dir(obj):
        if name.startswith("_"):
            continue
        try:
            sandbox.get_attribute(obj, name)
        except Exception:   # refused, or a class property that fails: not offered
            continue
        names.append(name)
    return names


def in_string(line: str) -> bool:
    """Whether the end of line is inside a string literal opened on that line."""
    quote, i = None, 0
    while i < len(line):
        c = line[i]
        if quote is None:
            if c == "#":
                return False
            if c in "\"'":
                quote = c
        elif c == "\\":
            i += 1
        elif c == quote:
            quote = None
        i += 1
    return quote is not None


def parameters(func) -> list:
    """Names a function accepts as keywords (tsh functions and Python callables)."""
    names = getattr(func, "names", None)
    if isinstance(names, (list, tuple)) and type(func).__name__ == "TshFunction":
        return list(names)
    try:
        sig = inspect.signature(func)
    except (TypeError, ValueError):
        return []
    return [p.name for p in sig.parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY) and not p.name.startswith("_")
            and p.name != "self"]
