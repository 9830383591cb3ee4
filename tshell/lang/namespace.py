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
