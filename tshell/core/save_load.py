"""torch.save and torch.load. serialization is imported on first use: its formats (zip,
pickle, json) are start-up cost that programs which never touch a file should not pay."""
from __future__ import annotations

from .registry import export


@export("torch")
def save(obj, f, **options):
    """Save obj to f: .npy/.npz/.csv/.txt/.safetensors by suffix, else PyTorch's format."""
    from .serialization import save as _save        # start-up cost: see the module's doc
    return _save(obj, f, **options)


@export("torch")
def load(f, map_location=None, pickle_module=None, *, weights_only=None, mmap=None,
         **pickle_load_args):
    """Load what save (or PyTorch's torch.save, or safetensors) wrote; never runs code."""
    from .serialization import load as _load        # start-up cost: see the module's doc
    return _load(f, map_location, pickle_module, weights_only=weights_only, mmap=mmap,
                 **pickle_load_args)
