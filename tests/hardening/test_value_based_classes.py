"""A program's classes built on a Python value type (docs/security.md, "per exact type"):
the enum stand-in's IntEnum, IntFlag and StrEnum give a program's class int's or str's C
methods. Its instances took every public attribute (a program's class), so a StrEnum member
carried str's own `format`: `'{0.__class__.__init__.__globals__[sys]}'` printed the host's
`sys` module, the np.str_ breach again; `IntEnum.to_bytes(10**10)` and `%` with a StrEnum
template allocated unchecked. Such a class now has the value type's methods as that type's
rule allows them (guarded where the type's are), and its own names as before."""

import pytest

from tshell.lang import Interpreter

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)

from .escapes import refused

ENUMS = """import enum
class S(enum.StrEnum):
    A = '{0.__class__.__init__.__globals__[sys]}'
    B = 'b c'
    P = '%*d'
class I(enum.IntEnum):
    A = 1
class F(enum.IntFlag):
    A = 1
    B = 2
"""

ESCAPES = [
    "print(S.A.format(S.A))", "print(S.A.format(1))", "print(S.A.format_map({}))",
    "print(S.A.encode('utf-8'))",
    "print(S.A.maketrans('a', 'b'))", "print(S.A.expandtabs(10**9))",
    "print(I.A.to_bytes(4, 'big'))", "print(I.A.from_bytes(b'\\x01', 'big'))",
    "print((F.A | F.B).to_bytes(2, 'big'))", "print(F.A.numerator)",
    "print(getattr(S.A, 'format_map'))", "print(getattr(I.A, 'to_bytes'))",
]


@pytest.mark.parametrize("src", ESCAPES)
def test_the_value_types_raw_methods_are_refused(src):
    error, printed = refused(ENUMS + src)
    assert "has no attribute" in str(error) or "not supported in tsh" in str(error)
    assert printed == ""


@pytest.mark.parametrize("src", [
    "x = S.B.center(10**10)", "x = S.B.ljust(10**10)", "x = S.B.replace('b', 'b' * 10**8)",
    "x = S.P % (10**10, 1)", "x = S.B * 10**10", "x = format(S.B, '>10000000000')",
])
def test_the_value_types_guarded_methods_are_guarded(src, cap):
    error, _ = refused(ENUMS + src)
    assert "bytes" in str(error)


def test_members_keep_their_own_names_and_the_safe_methods():
    interp = Interpreter()
    interp.run_source(ENUMS + """
class T(enum.StrEnum):
    X = 'x y'
    def split(self):
        return 'own'
got = [S.B.upper(), S.B.split(), T.X.split(), S.B.name, S.B.value, S.B.format(),
       '{}-{}'.format(S.B, I.A), I.A.bit_length(), (F.A | F.B).bit_count(), I.A.real,
       F.B.name, I.A + 1, S.B + '!', sorted(dir(I.A))]
""", "<t>")
    assert interp.namespace["got"] == [
        "B C", ["b", "c"], "own", "B", "b c", "b c", "b c-1", 1, 2, 1, "B", 2, "b c!",
        ["A", "as_integer_ratio", "bit_count", "bit_length", "conjugate", "imag", "name",
         "real", "value"]]
