"""The `tshell` kernelspec: what Jupyter needs to start the kernel, installed where asked."""

from __future__ import annotations

import json
import os
import sys
import tempfile

KERNEL_NAME = "tshell"
DISPLAY_NAME = "tshell (PyTorch-style tensors)"


def kernel_spec() -> dict:
    return {"argv": [sys.executable, "-m", "tshell.kernel", "-f", "{connection_file}"],
            "display_name": DISPLAY_NAME, "language": "tsh", "interrupt_mode": "signal",
            "metadata": {"debugger": False}}


def install(user: bool = False, prefix: str | None = None) -> str:
    """Install the kernelspec (for this user, under prefix, or system-wide); returns the
    folder it was written to."""
    from jupyter_client.kernelspec import KernelSpecManager   # the [jupyter] extra
    with tempfile.TemporaryDirectory() as folder:
        os.chmod(folder, 0o755)          # the spec's folder is copied with its mode
        with open(os.path.join(folder, "kernel.json"), "w", encoding="utf-8") as f:
            json.dump(kernel_spec(), f, indent=1)
        return KernelSpecManager().install_kernel_spec(folder, KERNEL_NAME, user=user,
                                                        prefix=prefix)
