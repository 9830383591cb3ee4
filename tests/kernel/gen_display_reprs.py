"""Record what PyTorch 2.13 shows as the value of each notebook cell below (IPython's Out:
repr of the last expression) into display_reprs.json, for test_kernel_sessions.py.

    /work/torchenv/bin/python tests/kernel/gen_display_reprs.py
"""

import json
import os

import torch
import torch.nn as nn

CELLS = [
    "torch.manual_seed(0)\nw = torch.randn(2, 3, requires_grad=True)\nw",
    "(w * 2).sum()",
    "nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 1))",
    "torch.manual_seed(1)\nnn.Linear(3, 1).weight",
    "torch.optim.Adam([w], lr=1e-3)",
    "{'loss': torch.tensor(0.25), 'step': 3}",
    "w.shape, w.dtype",
    "torch.arange(2000.)",
    "torch.manual_seed(2)\ntorch.randn(2, 2).double().softmax(dim=1)",
]


def last_value(cell: str, namespace: dict):
    *head, last = cell.split("\n")
    exec("\n".join(head), namespace)
    return eval(last, namespace)


def main():
    namespace = {"torch": torch, "nn": nn}
    shown = [[cell, repr(last_value(cell, namespace))] for cell in CELLS]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "display_reprs.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"torch": torch.__version__, "cells": shown}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
