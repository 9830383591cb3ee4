"""The nested containers torch.func walks (PyTorch's pytrees, for the containers a program
builds): tuples, lists, dicts (and OrderedDicts) and namedtuples hold children; anything
else is a leaf. A spec records the containers so that leaves can be put back in place."""
from __future__ import annotations

from collections import OrderedDict


class TreeSpec:
    """The shape of a tree: its container type, its keys (dicts) and its children's specs;
    a leaf's spec has no type."""

    __slots__ = ("type", "context", "children")

    def __init__(self, type_=None, context=None, children=()):
        self.type, self.context, self.children = type_, context, tuple(children)

    @property
    def num_leaves(self) -> int:
        return 1 if self.type is None else sum(c.num_leaves for c in self.children)

    def __eq__(self, other):
        return (isinstance(other, TreeSpec) and self.type is other.type
                and self.context == other.context and self.children == other.children)

    def __hash__(self):
        return hash((self.type, self.children))

    def pretty(self) -> str:
        """The tree written as Python (PyTorch's treespec_pprint): (*, [*, {'a': *}])."""
        if self.type is None:
            return "*"
        kids = [c.pretty() for c in self.children]
        if self.type in (dict, OrderedDict):
            return "{" + ", ".join(f"{k!r}: {v}" for k, v in zip(self.context, kids)) + "}"
        if self.type is list:
            return "[" + ", ".join(kids) + "]"
        if self.type is tuple:
            return "(" + ", ".join(kids) + ("," if len(kids) == 1 else "") + ")"
        return f"{self.type.__name__}(" + ", ".join(kids) + ")"

    def __repr__(self):
        if self.type is None:
            return "*"
        kids = ",\n  ".join(map(repr, self.children))       # PyTorch's layout
        return f"TreeSpec({self.type.__name__}, {self.context}, [{kids}])"


LEAF = TreeSpec()


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _children(tree):
    """(container type, context, children) of a container, or None for a leaf."""
    if isinstance(tree, (tuple, list)):
        kind = tuple if type(tree) is tuple else list if type(tree) is list else type(tree)
        return kind, None, list(tree)
    if isinstance(tree, dict):
        kind = OrderedDict if isinstance(tree, OrderedDict) else dict
        return kind, list(tree), list(tree.values())
    return None


def tree_flatten(tree):
    """(the leaves in order, the spec to rebuild the tree from them)."""
    parts = _children(tree)
    if parts is None:
        return [tree], LEAF
    kind, context, children = parts
    leaves, specs = [], []
    for child in children:
        child_leaves, spec = tree_flatten(child)
        leaves += child_leaves
        specs.append(spec)
    return leaves, TreeSpec(kind, context, specs)


def tree_unflatten(leaves, spec):
    """The tree of spec with the given leaves in its leaves' places."""
    leaves = iter(leaves)

    def build(s):
        if s.type is None:
            return next(leaves)
        children = [build(c) for c in s.children]
        if s.type in (dict, OrderedDict):
            return s.type(zip(s.context, children))
        if s.type in (tuple, list):
            return s.type(children)
        return s.type(*children)            # a namedtuple
    return build(spec)


def tree_map(fn, tree):
    leaves, spec = tree_flatten(tree)
    return tree_unflatten([fn(leaf) for leaf in leaves], spec)


def broadcast_prefix(prefix, tree_spec, is_leaf_value):
    """The flat list of prefix's values, one per leaf of tree_spec, where prefix is a tree
    whose leaves (is_leaf_value) stand for whole sub-trees (vmap's in_dims, out_dims);
    None when prefix's structure does not match."""
    if is_leaf_value(prefix):
        return [prefix] * tree_spec.num_leaves
    parts = _children(prefix)
    if parts is None or tree_spec.type is None:
        return None
    kind, context, children = parts
    if kind is not tree_spec.type or len(children) != len(tree_spec.children):
        return None
    if context is not None and sorted(context, key=repr) != sorted(tree_spec.context, key=repr):
        return None
    if context is not None:
        children = [prefix[k] for k in tree_spec.context]
    out = []
    for child, spec in zip(children, tree_spec.children):
        part = broadcast_prefix(child, spec, is_leaf_value)
        if part is None:
            return None
        out += part
    return out
