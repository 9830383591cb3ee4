"""enum and abc against CPython 3.11 (values, printing, errors): tsh classes deriving from
Enum and its variants, members as instances with their own __init__ and methods; ABC
subclasses refusing instantiation until every abstract method is overridden, also mixed
with nn.Module."""

import pytest

from standin_compare import cpython, run_tsh, tsh

COLOR = ("from enum import Enum, IntEnum, auto\nclass Color(Enum):\n    RED = 1\n    GREEN = 2\n"
         "    BLUE = 3\n    def describe(self):\n        return f'{self.name} is {self.value}'\n"
         "    @classmethod\n    def default(cls):\n        return cls.RED\n")
ENUM = [
    COLOR + "print(Color.RED, repr(Color.GREEN), Color.RED.name, Color.RED.value, "
    "Color.BLUE.describe())",
    COLOR + "print(Color(2), Color['BLUE'], list(Color), len(Color), Color.RED in Color, "
    "Color.default())",
    COLOR + "print(Color, isinstance(Color.RED, Color), isinstance(Color.RED, Enum), "
    "type(Color.RED) is Color, Enum, IntEnum)",
    COLOR + "print(Color.RED == Color.RED, Color.RED is Color(1), Color.RED == 1, "
    "{Color.RED: 'r'}[Color.RED], f'{Color.GREEN}', [c.name for c in Color])",
    "from enum import Enum, auto\nclass Mode(Enum):\n    TRAIN = auto()\n    EVAL = auto()\n"
    "    TEST = 'test'\nprint(list(Mode), Mode.EVAL.value, Mode('test'))",
    "from enum import IntEnum\nclass Level(IntEnum):\n    LOW = 1\n    HIGH = 10\n"
    "print(Level.LOW < Level.HIGH, Level.HIGH + 1, Level.LOW, repr(Level.LOW), str(Level.HIGH),"
    " sorted([Level.HIGH, Level.LOW]), Level(10), isinstance(Level.LOW, int))",
    "from enum import Enum\nclass Planet(Enum):\n    MERCURY = (3.303e+23, 2.4397e6)\n"
    "    EARTH = (5.976e+24, 6.37814e6)\n    def __init__(self, mass, radius):\n"
    "        self.mass = mass\n        self.radius = radius\n    @property\n"
    "    def gravity(self):\n        return 6.673e-11 * self.mass / (self.radius * self.radius)\n"
    "print(Planet.EARTH.value, Planet.EARTH.mass, round(Planet.EARTH.gravity, 3))",
    "from enum import Enum, auto\nclass Name(Enum):\n"
    "    def _generate_next_value_(name, start, count, last_values):\n"
    "        return name.lower()\n    ALPHA = auto()\n    BETA = auto()\nprint(list(Name))",
    "from enum import Flag, IntFlag, auto\nclass Perm(Flag):\n    R = auto()\n    W = auto()\n"
    "    X = auto()\nclass Num(IntFlag):\n    A = 1\n    B = 2\n"
    "print(Perm.R | Perm.W, (Perm.R | Perm.W) & Perm.W, Perm.R in (Perm.R | Perm.X), "
    "Perm(3), Num.A | Num.B, int(Num.A | 4))",
    "from enum import StrEnum, auto\nclass S(StrEnum):\n    X = auto()\n    Y = 'why'\n"
    "print(S.X, S.Y.upper(), S.X == 'x', repr(S.Y))",
    "from enum import Enum\nclass WithMissing(Enum):\n    A = 1\n    @classmethod\n"
    "    def _missing_(cls, value):\n        return cls.A\nprint(WithMissing(99))",
    "from enum import Enum\nclass Shape(Enum):\n    SQUARE = 2\n    ALIAS = 2\n"
    "print(Shape.ALIAS, list(Shape), Shape(2))",
    "from enum import Enum, IntEnum\nColor = Enum('Color', 'RED GREEN')\n"
    "Lvl = IntEnum('Lvl', [('A', 5), ('B', 7)])\nprint(Color, list(Color), Color(2), Lvl.B + 1)",
    "import enum\nclass E(enum.Enum):\n    A = 1\n    def __str__(self):\n"
    "        return 'custom ' + self.name\nprint(E.A, repr(E.A))",
    # errors
    COLOR + "Color(7)", COLOR + "Color['PINK']", COLOR + "Color.RED = 5",
    COLOR + "class Sub(Color):\n    pass",
    "from enum import Enum, unique\n@unique\nclass U(Enum):\n    A = 1\n    B = 1",
    "from enum import IntEnum\nclass L(IntEnum):\n    A = 'x'",
]

BASE = ("from abc import ABC, abstractmethod\nclass Base(ABC):\n    @abstractmethod\n"
        "    def forward(self, x):\n        pass\n    @property\n    @abstractmethod\n"
        "    def size(self):\n        pass\n    def run(self, x):\n"
        "        return self.forward(x) * 2\n")
HALF = "class Half(Base):\n    def forward(self, x):\n        return x + 1\n"
ABC = [
    BASE + HALF + "class Full(Half):\n    @property\n    def size(self):\n        return 3\n"
    "f = Full()\nprint(f.run(1), f.size, isinstance(f, Base), isinstance(f, ABC), Base, ABC)",
    "from abc import ABC\nclass Plain(ABC):\n    def __init__(self, v):\n        self.v = v\n"
    "print(Plain(2).v)",
    "from abc import ABC, abstractmethod\nclass Model(ABC):\n    @abstractmethod\n"
    "    def loss(self):\n        ...\n    @classmethod\n    def make(cls):\n        return cls()\n"
    "class Concrete(Model):\n    def loss(self):\n        return 0.5\n"
    "print(Concrete.make().loss(), Model.loss)",
    # errors
    BASE + "Base()", BASE + HALF + "Half()",
    "from abc import ABC, abstractmethod\nclass S(ABC):\n    @staticmethod\n"
    "    @abstractmethod\n    def make():\n        pass\nS()",
    "from abc import ABC, abstractmethod\nclass Two(ABC):\n    @abstractmethod\n"
    "    def a(self):\n        pass\n    @abstractmethod\n    def b(self):\n        pass\nTwo()",
    "from abc import abstractmethod\nabstractmethod(5)",
]


@pytest.mark.parametrize("src", ENUM + ABC)
def test_same_output_and_errors_as_cpython(src):
    assert tsh(src) == cpython(src)


def test_abc_mixes_with_a_library_base():
    src = ("from abc import ABC, abstractmethod\nclass Encoder(torch.nn.Module, ABC):\n"
           "    def __init__(self):\n        super().__init__()\n"
           "        self.lin = torch.nn.Linear(2, 2)\n    @abstractmethod\n"
           "    def forward(self, x):\n        pass\ntry:\n    Encoder()\n"
           "except TypeError as e:\n    print(e)\nclass E(Encoder):\n"
           "    def forward(self, x):\n        return self.lin(x).shape\n"
           "print(E()(torch.ones(1, 2)), isinstance(E(), torch.nn.Module))")
    first, second = run_tsh(src).splitlines()
    assert first.startswith("Can't instantiate abstract class Encoder with")
    assert "forward" in first
    assert second == "torch.Size([1, 2]) True"


def test_enum_internals_stay_private():
    for name in ("_member_map_", "_value_", "__members__", "_missing_", "__reduce_ex__"):
        out, error = tsh(COLOR + f"Color.RED.{name}")
        assert error is not None and error.startswith("AttributeError"), name
    out, error = tsh(COLOR + "Color._member_map_")
    assert error is not None and error.startswith("AttributeError")


def test_every_public_name_is_there():
    import enum
    from tshell.lang.standins import load
    assert set(load("enum")._members) == {"Enum", "IntEnum", "StrEnum", "Flag", "IntFlag",
                                          "auto", "unique"} & set(dir(enum))
    assert set(load("abc")._members) == {"ABC", "abstractmethod"}
