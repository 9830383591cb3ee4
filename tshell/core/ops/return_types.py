"""torch.return_types: the named pairs that max, min, sort, topk, median, cummax, aminmax...
return. Below every op module that returns one (reductions, scans, sorting, linalg)."""
from __future__ import annotations

from .. import printing
from ..dtypes import TorchClass
from ..registry import export


@export("torch")
class return_types:
    """torch.return_types: named pairs of (values, indices) that unpack like tuples."""

    class _Pair(tuple, metaclass=TorchClass):
        __slots__ = ()
        kind = ""
        fields = ("values", "indices")

        def __new__(cls, values, indices):
            return tuple.__new__(cls, (values, indices))

        @property
        def values(self):
            return self[0]

        @property
        def indices(self):
            return self[1]

        def __repr__(self):
            return printing.return_types_repr(
                self.kind, [(self.fields[0], repr(self[0])), (self.fields[1], repr(self[1]))])

        __str__ = __repr__

    class max(_Pair):
        __slots__ = ()
        kind = "max"

    class min(_Pair):
        __slots__ = ()
        kind = "min"

    class sort(_Pair):
        __slots__ = ()
        kind = "sort"

    class topk(_Pair):
        __slots__ = ()
        kind = "topk"

    class mode(_Pair):
        __slots__ = ()
        kind = "mode"

    class median(_Pair):
        __slots__ = ()
        kind = "median"

    class nanmedian(_Pair):
        __slots__ = ()
        kind = "nanmedian"

    class kthvalue(_Pair):
        __slots__ = ()
        kind = "kthvalue"

    class cummax(_Pair):
        __slots__ = ()
        kind = "cummax"

    class cummin(_Pair):
        __slots__ = ()
        kind = "cummin"

    class aminmax(_Pair):
        __slots__ = ()
        kind = "aminmax"
        fields = ("min", "max")
        min = property(lambda self: self[0])
        max = property(lambda self: self[1])

    class histogram(_Pair):
        __slots__ = ()
        kind = "histogram"
        fields = ("hist", "bin_edges")
        hist = property(lambda self: self[0])
        bin_edges = property(lambda self: self[1])

    class histogramdd(histogram):
        __slots__ = ()
        kind = "histogramdd"

class NamedResult(tuple, metaclass=TorchClass):
    """A torch.return_types structseq of any number of fields (linalg's factorisations);
    subclasses come from named_result."""

    __slots__ = ()
    kind = ""
    fields = ()

    def __new__(cls, *items):
        return tuple.__new__(cls, items)

    def __repr__(self):
        return printing.return_types_repr(
            self.kind, [(name, repr(item)) for name, item in zip(self.fields, self)])

    __str__ = __repr__


def _field(i):
    return property(lambda self: self[i])


def named_result(kind, *fields):
    """torch.return_types.KIND with the given fields, made reachable there."""
    cls = TorchClass(kind, (NamedResult,), {
        "__slots__": (), "kind": kind, "fields": fields,
        "__qualname__": f"return_types.{kind}",
        **{name: _field(i) for i, name in enumerate(fields)}})
    setattr(return_types, kind, cls)
    return cls
