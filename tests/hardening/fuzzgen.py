"""Random tsh inputs for the fuzz tests: grammar-aware programs, token soups, random bytes.

Everything is driven by a random.Random, so a failing input is reproduced from its seed. The
program generator follows grammar/tshell.lark's constructs (statements, compound blocks,
expressions of every precedence level) and calls real torch functions and tensor methods with
random arguments, mostly small and sometimes absurd (10**12, -1, 2**63, wrong types).
"""

from __future__ import annotations

import random

# Functions of the torch namespace that change process-wide state are left out: one fuzz
# input must not change what the next one (or another test) sees.
STATEFUL = {"set_default_dtype", "set_printoptions", "set_default_device", "set_grad_enabled",
            "manual_seed", "seed", "set_max_memory", "save", "load", "graph", "plot", "hist",
            "progress", "show"}
FALLBACK_FUNCTIONS = ("tensor ones zeros rand randn arange linspace eye full cat stack "
                      "where matmul mm bmm sum mean max min exp log sqrt abs relu sigmoid "
                      "softmax reshape transpose zeros_like ones_like clamp argmax").split()
FALLBACK_METHODS = ("sum mean max min view reshape transpose t permute unsqueeze squeeze "
                    "expand repeat clone detach numpy tolist item backward exp log abs "
                    "add add_ mul mul_ sub div pow matmul mm size dim float int long to "
                    "requires_grad_ zero_ fill_ index_select gather masked_fill sort topk "
                    "split chunk cumsum argmax softmax").split()
DTYPES = ["torch.float32", "torch.float64", "torch.int64", "torch.int32", "torch.bool",
          "torch.float16", "torch.uint8", "torch.complex64", "torch.int8"]
KEYWORDS = ["dim", "keepdim", "dtype", "requires_grad", "out", "alpha", "device", "min",
            "max", "descending", "k", "p", "bogus"]
BINOPS = ["+", "-", "*", "/", "//", "%", "**", "@", "&", "|", "^", "<<", ">>"]
COMPARES = ["<", ">", "==", "!=", "<=", ">=", "in", "not in", "is", "is not"]
WEIRD_INTS = ["10**12", "-10**12", "2**63", "-1", "0", "10**100", "2**31", "-2**63",
              "10**10**10", "1 << 10**10"]
WEIRD_EXPRS = ["'a' * 10**10", "[0] * 10**10", "list(range(10**12))", "float('nan')",
               "float('inf')", "f'{1:{10**10}}'", "'{:>10000000000}'.format(1)", "1/0",
               "x.__class__", "().__class__", "__import__('os')", "open('f')", "None()",
               "torch.ones(10**6, 10**6)", "torch.ones(1000, 1).expand(1000, 10**7).clone()",
               "torch.ones(10**5, 1) + torch.ones(1, 10**5)", "'%10000000000d' % 1",
               "torch.zeros(-1)", "torch.tensor([[1, 2], [3]])", "torch.tensor('a')"]
SOUP = (["x", "y", "z", "f", "torch", "np", "ones", "tensor", "print", "def", "return",
         "if", "else", "elif", "while", "for", "in", "with", "as", "import", "from", "del",
         "assert", "pass", "break", "continue", "lambda", "class", "try", "not", "and", "or",
         "None", "True", "False", "0", "1", "2.5", "1e309", "0x", "'s'", '"', "'''", "f'{",
         "}", "(", ")", "[", "]", "{", "}", ":", ",", ".", ";", "=", "+=", "**", "@", "->",
         "\\", "#", "\n", "\n    ", "\t", " ", "（", "）", "：", "，", "\u00b7", "\x00",
         "__class__", "_", "...", "*", "/", "%", "~", "<", ">=", "!", "?", "$", "`"]
        + BINOPS)


class ProgramGenerator:
    """Random programs built from the grammar's constructs."""

    def __init__(self, rng: random.Random, functions=(), methods=()):
        self.r = rng
        self.functions = [f for f in functions if f not in STATEFUL] or FALLBACK_FUNCTIONS
        self.methods = list(methods) or FALLBACK_METHODS
        self.names = ["x", "y", "z"]
        self.depth = 0

    # ------------------------------------------------------------------ programs
    def program(self) -> str:
        self.names = ["x", "y", "z"]
        if self.r.random() < 0.3:
            return self.tame_program()
        lines = ["x = torch.ones(2, 3, requires_grad=True)",
                 "y = torch.arange(6).reshape(2, 3)",
                 "z = [1, 2.5, 'a']"]
        for _ in range(self.r.randint(1, 8)):
            lines.extend(self.statement(0))
        return "\n".join(lines) + "\n"

    def tame_program(self) -> str:
        """A program of mostly valid tensor code, so that runs get past the first line."""
        r = self.r
        n = r.randint(1, 4)
        lines = [f"x = torch.rand({n}, {n}, requires_grad=True)",
                 f"y = torch.randn({n}, {n})", "total = 0"]
        ops = ["x + y", "x * y", "x @ y", "(x * 2).exp()", "x.t()", "x.sum(dim=0)",
               "x.relu()", "x.sigmoid()", "torch.cat([x, y])", "torch.stack([x, y])",
               "x.view(-1)", "x.reshape(1, -1)", "x.max(dim=1)", "x.mean()", "x[0]",
               "x[:, 0]", "x.detach().numpy()", "x.tolist()", "torch.softmax(x, dim=1)",
               "x.clamp(0, 1)", "x.unsqueeze(0)", "x.T", "x.shape", "x.dtype", "len(x)",
               f"x[{r.randint(-n, n)}]", "x.pow(2).sum()", "torch.where(x > 0.5, x, y)"]
        for _ in range(r.randint(2, 8)):
            kind = r.randrange(6)
            op = r.choice(ops)
            if kind == 0:
                lines.append(f"a = {op}")
            elif kind == 1:
                lines.append(f"print({op})")
            elif kind == 2:
                lines += ["with torch.no_grad():", f"    b = {op}"]
            elif kind == 3:
                lines += [f"for i in range({r.randint(0, 3)}):", "    total += i",
                          f"    c = {op}"]
            elif kind == 4:
                lines += ["def f(t):", "    return (t * t).sum()", "out = f(x)",
                          "out.backward()", "print(x.grad)"]
            else:
                lines.append(op)
            if r.random() < 0.2:
                lines.append(self.statement(0)[0] if r.random() < 0.5 else
                             r.choice(WEIRD_EXPRS))
        return "\n".join(lines) + "\n"

    def statement(self, indent: int) -> list:
        pad = "    " * indent
        r = self.r
        kind = r.choices(
            ["assign", "aug", "expr", "print", "if", "for", "while", "def", "with", "del",
             "import", "assert", "unpack", "setitem", "setattr"],
            [8, 3, 6, 3, 2, 2, 1, 2, 1, 1, 1, 1, 1, 2, 1])[0]
        if indent >= 2 and kind in ("if", "for", "while", "def", "with"):
            kind = "assign"
        if kind == "assign":
            name = r.choice(self.names + ["a", "b", "w"])
            if name not in self.names:
                self.names.append(name)
            return [f"{pad}{name} = {self.expr()}"]
        if kind == "aug":
            return [f"{pad}{r.choice(self.names)} {r.choice(BINOPS)}= {self.expr()}"]
        if kind == "expr":
            return [f"{pad}{self.expr()}"]
        if kind == "print":
            return [f"{pad}print({self.expr()}, {self.expr()})"]
        if kind == "if":
            out = [f"{pad}if {self.expr()}:"] + self.block(indent + 1)
            if r.random() < 0.4:
                out += [f"{pad}elif {self.expr()}:"] + self.block(indent + 1)
            if r.random() < 0.4:
                out += [f"{pad}else:"] + self.block(indent + 1)
            return out
        if kind == "for":
            target = r.choice(["i", "i, j", "t"])
            # over snapshots: a loop over a list that its body extends would never end
            source = r.choice([f"range({r.randint(-1, 6)})", "enumerate(z[:])", "x", "z[:]",
                               "zip(z[:], z[:])", f"list({self.expr()})[:20]"])
            return [f"{pad}for {target} in {source}:"] + self.block(indent + 1, loop=True)
        if kind == "while":
            n = r.randint(0, 5)
            k = f"k{indent}"          # one counter per level: an inner loop never resets it
            return ([f"{pad}{k} = 0", f"{pad}while {k} < {n}:", f"{pad}    {k} += 1"]
                    + self.block(indent + 1, loop=True))
        if kind == "def":
            name = r.choice(["f", "g", "step"])
            params = r.choice(["", "a", "a, b=2", "a, b, c=None"])
            body = self.block(indent + 1)
            body.append(f"{pad}    return {self.expr()}")
            call = r.choice([f"{name}()", f"{name}(x)", f"{name}(1, 2)", f"{name}(x, b=y)",
                             f"{name}({name})", f"{name}(a=1)"])
            return [f"{pad}def {name}({params}):"] + body + [f"{pad}{call}"]
        if kind == "with":
            ctx = r.choice(["torch.no_grad()", "torch.enable_grad()", "no_grad()", "x", "1"])
            return [f"{pad}with {ctx}:"] + self.block(indent + 1)
        if kind == "del":
            return [f"{pad}del {r.choice(self.names + ['z[0]', 'q', 'x.grad'])}"]
        if kind == "import":
            return [pad + r.choice(["import torch", "import numpy as np", "import torch.nn",
                                    "from torch import ones, zeros", "import subprocess",
                                    "from torch import nothing", "import torch.nn.functional as F",
                                    "from __future__ import annotations"])]
        if kind == "assert":
            return [f"{pad}assert {self.expr()}, {self.expr()}"]
        if kind == "unpack":
            return [f"{pad}{r.choice(['a, b', 'a, (b, w)', 'a, z[0]'])} = {self.expr()}"]
        if kind == "setitem":
            return [f"{pad}{r.choice(self.names)}[{self.index()}] = {self.expr()}"]
        return [f"{pad}{r.choice(self.names)}.{r.choice(['requires_grad', 'grad', 'data', 'shape', 'foo'])} = {self.expr()}"]

    def block(self, indent: int, loop: bool = False) -> list:
        out = []
        for _ in range(self.r.randint(1, 3)):
            if loop and self.r.random() < 0.15:
                out.append("    " * indent + self.r.choice(["break", "continue", "pass"]))
            else:
                out.extend(self.statement(indent))
        return out

    # ------------------------------------------------------------------ expressions
    def expr(self) -> str:
        self.depth += 1
        try:
            if self.depth > 4:
                return self.atom()
            r = self.r
            kind = r.choices(["atom", "binop", "unary", "compare", "bool", "ifexp", "call",
                              "method", "index", "attr", "list", "tuple", "dict", "comp",
                              "fstring", "weird"],
                             [6, 4, 1, 2, 1, 1, 6, 6, 3, 1, 1, 1, 1, 1, 1, 1])[0]
            if kind == "atom":
                return self.atom()
            if kind == "binop":
                return f"{self.expr()} {r.choice(BINOPS)} {self.expr()}"
            if kind == "unary":
                return f"{r.choice(['-', '+', '~', 'not '])}{self.expr()}"
            if kind == "compare":
                return f"{self.expr()} {r.choice(COMPARES)} {self.expr()}"
            if kind == "bool":
                return f"{self.expr()} {r.choice(['and', 'or'])} {self.expr()}"
            if kind == "ifexp":
                return f"({self.expr()} if {self.expr()} else {self.expr()})"
            if kind == "call":
                return f"torch.{r.choice(self.functions)}({self.args()})"
            if kind == "method":
                return f"{r.choice(self.names)}.{r.choice(self.methods)}({self.args()})"
            if kind == "index":
                return f"{r.choice(self.names)}[{self.index()}]"
            if kind == "attr":
                return f"({self.atom()}).{r.choice(['shape', 'dtype', 'grad', 'T', 'ndim', 'real', 'foo', '_x', '__dict__'])}"
            if kind == "list":
                return "[" + ", ".join(self.expr() for _ in range(r.randint(0, 3))) + "]"
            if kind == "tuple":
                items = [self.expr() for _ in range(r.randint(0, 3))]
                return "(" + ", ".join(items) + ("," if items else "") + ")"
            if kind == "dict":
                return "{" + ", ".join(f"{self.atom()}: {self.expr()}"
                                       for _ in range(r.randint(0, 2))) + "}"
            if kind == "comp":
                return f"[{self.expr()} for i in range({r.randint(0, 4)}) if {self.expr()}]"
            if kind == "fstring":
                # names only inside: a nested string with the same quote is not valid
                return (f"f'{{{r.choice(self.names)}}} "
                        f"{{{r.choice(self.names)}!r:>{r.randint(0, 9)}}}'")
            return r.choice(WEIRD_EXPRS + WEIRD_INTS)
        finally:
            self.depth -= 1

    def atom(self) -> str:
        r = self.r
        return r.choice([
            lambda: r.choice(self.names),
            lambda: str(r.randint(-3, 6)),
            lambda: r.choice(["0.5", "-1.5", "1e-3", "3.14", "1e308", "-0.0"]),
            lambda: r.choice(WEIRD_INTS),
            lambda: r.choice(["'a'", "''", "'abc'", "None", "True", "False", "..."]),
            lambda: r.choice(DTYPES),
            lambda: f"torch.ones({self.shape()})",
            lambda: f"torch.rand({self.shape()})",
            lambda: f"torch.tensor({r.choice(['[1, 2, 3]', '[[1., 2.], [3., 4.]]', '5', '[True, False]', '[]'])})",
            lambda: r.choice(["np.ones(3)", "np.float32", "np.arange(4)"]),
            lambda: f"({self.expr()})",
        ])()

    def shape(self) -> str:
        dims = [str(self.r.randint(0, 4)) for _ in range(self.r.randint(0, 3))]
        if self.r.random() < 0.05:
            dims.append(self.r.choice(WEIRD_INTS))
        return ", ".join(dims)

    def args(self) -> str:
        r = self.r
        parts = [self.r.choice([self.expr(), self.atom(), str(r.randint(-2, 3)),
                                self.shape() or "1"])
                 for _ in range(r.randint(0, 3))]
        for key in r.sample(KEYWORDS, r.choices([0, 1, 2], [5, 3, 1])[0]):
            value = r.choice([self.atom(), r.choice(DTYPES), "True", "False", str(r.randint(-2, 2))])
            parts.append(f"{key}={value}")
        return ", ".join(parts)

    def index(self) -> str:
        r = self.r
        return r.choice([
            lambda: str(r.randint(-4, 4)),
            lambda: f"{r.randint(-3, 3)}:{r.randint(-3, 5)}",
            lambda: f"::{r.choice([-1, 0, 1, 2])}",
            lambda: "..., 0", lambda: "None", lambda: ":, 1",
            lambda: "x > 0", lambda: "[0, 1]", lambda: "torch.tensor([1, 0])",
            lambda: self.expr(), lambda: r.choice(WEIRD_INTS),
        ])()


def token_soup(rng: random.Random) -> str:
    return "".join(rng.choice(SOUP) + rng.choice(["", " ", ""])
                   for _ in range(rng.randint(1, 40)))


def random_bytes(rng: random.Random) -> bytes:
    n = rng.randint(0, 200)
    if rng.random() < 0.5:
        return bytes(rng.randrange(256) for _ in range(n))
    return bytes(rng.choice(b"x=1+()[]{}:,.'\"\\\n\t #@*") for _ in range(n))


def mutate(rng: random.Random, text: str) -> str:
    """A program with a few characters deleted, duplicated or replaced."""
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        if not chars:
            break
        i = rng.randrange(len(chars))
        op = rng.randrange(3)
        if op == 0:
            del chars[i]
        elif op == 1:
            chars.insert(i, chars[i])
        else:
            chars[i] = rng.choice(SOUP)
    return "".join(chars)


def deep_nesting(rng: random.Random) -> str:
    n = rng.choice([100, 1000, 10000])
    opener, closer = rng.choice([("(", ")"), ("[", "]"), ("{", "}"), ("-", ""), ("not ", ""),
                                 ("f(", ")"), ("x[", "]")])
    return opener * n + "1" + closer * rng.choice([0, n])


def inputs(seed: int, count: int, functions=(), methods=()):
    """count (kind, text-or-bytes) fuzz inputs for this seed."""
    rng = random.Random(seed)
    gen = ProgramGenerator(rng, functions, methods)
    for _ in range(count):
        kind = rng.choices(["program", "soup", "bytes", "mutant", "nesting"],
                           [60, 15, 8, 15, 2])[0]
        if kind == "program":
            yield kind, gen.program()
        elif kind == "soup":
            yield kind, token_soup(rng)
        elif kind == "bytes":
            yield kind, random_bytes(rng)
        elif kind == "mutant":
            yield kind, mutate(rng, gen.program())
        else:
            yield kind, deep_nesting(rng)
