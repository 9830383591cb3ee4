"""What every docstring session starts from and how long an example may run, in torch (the
generator, tools/torch_surface/gen_doc_examples.py) and in tshell (the test) alike."""
from __future__ import annotations

import contextlib
import signal

from tests.golden.core_cases import reset_state

# PyTorch runs its doctests with this global exec (xdoctest --global-exec)
PREAMBLE = "from torch import nn\nimport torch.nn.functional as F\nimport torch\n"
PART_SECONDS = 20           # no example needs more: one that does is stuck


def reset_session(torch) -> None:
    """The goldens' reset (print options, default dtype, grad mode), the default device (the
    set_default_device example sets 'cuda') and the seed."""
    reset_state(torch)
    torch.set_default_device(None)
    torch.manual_seed(0)


class PartTimeout(KeyboardInterrupt):
    """An example ran past PART_SECONDS. A KeyboardInterrupt, so that neither an example's
    `except Exception` nor tshell's error handling (which lets those through) stops it."""


@contextlib.contextmanager
def part_timeout():
    def expire(signum, frame):
        raise PartTimeout(f"over {PART_SECONDS} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(PART_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
