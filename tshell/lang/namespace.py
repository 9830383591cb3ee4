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
