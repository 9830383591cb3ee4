"""torch.version: what a CPU build of PyTorch reports, with tshell's own version where PyTorch's
would name its build (tshell is not a PyTorch build: no git commit of PyTorch's, no CUDA it
was compiled against; CUDA tensors come from CuPy at run time)."""
from __future__ import annotations

from tshell import __version__ as tshell_version

__all__ = ["__version__", "cuda", "debug", "git_version", "hip", "rocm", "xpu"]

# The PyTorch whose behaviour tshell follows, and that it is tshell's ("+tshell"), as
# torch.__version__ reads.
__version__ = "2.13.0+tshell"
cuda = None
debug = False
git_version = f"tshell-{tshell_version}"
hip = None
rocm = None
xpu = None
