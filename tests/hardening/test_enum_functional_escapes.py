"""The enum stand-in's functional API (docs/security.md, "Module stand-ins", *classes*):
Python's `Enum('E', names)` put a mapping's or a pair list's names into the class's dict as
they are, so a program defined what no tsh class body may: `{'__class__': torch.Tensor}`
made `isinstance(E.A, torch.Tensor)` true, `{'__del__': f}` ran the program's code at
collection (after its run, on the host's stderr), `{'__getattr__': f}`, `{'__set_name__':
f}`, `{'_missing_': f}` hooked Python's machinery; `module='torch'` would name the class
after the library's modules. Found by red-teaming: each ran before the fix."""

import pytest

from tshell.lang import Interpreter

from tests.hardening.test_memory import cap  # noqa: F401  (the 64 MiB cap fixture)

from .escapes import refused


@pytest.mark.parametrize("names", [
    "{'__class__': torch.Tensor, 'A': 1}", "{'__getattr__': print, 'A': 1}",
    "{'_missing_': print, 'A': 1}", "{'__del__': print, 'A': 1}",
    "[('__init_subclass__', 1), ('A', 2)]", "'A __reduce_ex__'", "'A, _B'",
    "{'__set_name__': print, 'A': 1}", "iter([('__format__', print)])",
    "{'_generate_next_value_': print, 'A': 1}",
])
def test_names_a_class_body_may_not_bind_are_refused(names):
    error, printed = refused(f"import enum, torch\nE = enum.Enum('E', {names})\n"
                             "print(isinstance(E.A, torch.Tensor))")
    assert "may not start with '_'" in str(error)
    assert printed == ""


@pytest.mark.parametrize("keywords", ["module='torch'", "qualname='torch.Tensor'",
                                      "type=torch.nn.Linear", "type=list"])
def test_module_qualname_and_mixins_are_the_programs(keywords):
    error, printed = refused(f"import enum, torch\nE = enum.Enum('E', 'A B', {keywords})\n"
                             "print(E)")
    assert "not supported in tsh" in str(error) or "must be int, str or float" in str(error)
    assert printed == ""


def test_members_are_counted_against_the_cap(cap):
    error, _ = refused("import enum\nE = enum.Enum('E', ['A%d' % i for i in range(100000)])")
    assert "Enum() members" in str(error)


def test_the_functional_api_still_works():
    interp = Interpreter()
    interp.run_source("""import enum
E = enum.Enum('E', 'A B, C')
F = enum.IntEnum('F', [('X', 5), ('Y', 6)])
G = enum.Enum('G', {'P': 1, 'Q': 2})
H = enum.Enum('H', iter(['M', 'N']), start=10)
I = enum.Enum('I', 'A B', type=int)
got = [[m.name for m in E], F.X + 1, G.Q.value, H.N.value, I.B + 1, E.C.value]
""", "<t>")
    assert interp.namespace["got"] == [["A", "B", "C"], 6, 2, 11, 3, 3]


def test_make_dataclass_fields_are_counted_against_the_cap(cap):
    """The same for dataclasses.make_dataclass's fields (10**5 fields took 82 MB under a
    64 MB cap)."""
    error, _ = refused("import dataclasses\n"
                       "D = dataclasses.make_dataclass('D', ['f%d' % i for i in range(10**5)])")
    assert "make_dataclass() fields" in str(error)
