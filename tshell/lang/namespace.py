"""Namespace: what a program sees as a module (torch, np, torch.nn, math...)."""

from __future__ import annotations


class Namespace:
    """A module-like bag of names (torch, np, torch.cuda...): its members and nothing else."""

    __slots__ = ("_name", "_members")

    def __init__(self, name: str, members: dict):
        self._name, self._members = name, members

    def __repr__(self):
        return f"<module '{self._name}'>"

    def __dir__(self):
        return sorted(self._members)


class LazyMembers(dict):
    """The members of a namespace whose module is imported when a program first uses it;
    every way tshell reads a namespace's members fills them first."""

    __slots__ = ("_load",)

    def __init__(self, load):
        super().__init__()
        self._load = load

    @property
    def loaded(self) -> bool:
        return self._load is None

    def _filled(self):
        load = self._load
        if load is not None:
            self._load = None
            dict.update(self, load())
        return self

    def __getitem__(self, key):
        return dict.__getitem__(self._filled(), key)

    def get(self, key, default=None):
        return dict.get(self._filled(), key, default)

    def __contains__(self, key):
        return dict.__contains__(self._filled(), key)

    def __iter__(self):
        return dict.__iter__(self._filled())

    def __len__(self):
        return dict.__len__(self._filled())

    def keys(self):
        return dict.keys(self._filled())

    def values(self):
        return dict.values(self._filled())

    def items(self):
        return dict.items(self._filled())


class LazyNames(dict):
    """Members of which some (`pending`) are made one at a time at their first use, by
    resolve(name) (torch's: the core imports an op module at the first use of one of its
    names). Listing the names makes none; values() and items() give the members made so
    far (the classes a program can name are those: typeview.classes_in); a copy makes
    them all. A KeyError from resolve means the name is no member after all."""

    __slots__ = ("_pending", "_resolve")

    def __init__(self, members: dict, pending, resolve):
        super().__init__(members)
        self._pending = set(pending).difference(members)
        self._resolve = resolve

    def __missing__(self, key):
        if key not in self._pending:
            raise KeyError(key)
        self._pending.discard(key)
        value = self._resolve(key)
        dict.__setitem__(self, key, value)
        return value

    def __setitem__(self, key, value):
        self._pending.discard(key)
        dict.__setitem__(self, key, value)

    def update(self, *others, **names):
        for key, value in dict(*others, **names).items():
            self[key] = value

    def __contains__(self, key):
        return dict.__contains__(self, key) or key in self._pending

    def get(self, key, default=None):
        if dict.__contains__(self, key) or key in self._pending:
            try:
                return self[key]
            except KeyError:
                pass
        return default

    def __iter__(self):               # (a snapshot: reading a name may make it)
        return iter(self.keys())

    def keys(self):
        return [*dict.keys(self), *sorted(self._pending)]

    def __len__(self):
        return dict.__len__(self) + len(self._pending)

    def copy(self):
        return {key: self[key] for key in self.keys() if key in self}

    def pending(self) -> frozenset:
        """The names not made yet."""
        return frozenset(self._pending)


class LazyBuiltins(LazyNames):
    """A program's built-ins, torch's bare names among them made at their first use. `in`
    answers for the names made so far, at dict speed: every compiled read of a global name
    asks it first (compiler._global_loader), and the compiler makes the name, by get(),
    when it compiles the read."""

    __slots__ = ()
    __contains__ = dict.__contains__
