"""LinearCrossEntropyOptions: how F.linear_cross_entropy would split the batch into chunks
(PyTorch's chunked op). tshell computes the loss in one piece, so the options are checked and
resolved as PyTorch resolves them, and decide only which op (and grad_fn) the loss comes
from."""
from __future__ import annotations

import dataclasses
from typing import NamedTuple

from ...dtypes import bfloat16, float16, float32, float64
from ..parameter import TorchPathClass

__all__ = ["LinearCrossEntropyOptions"]


class _AutoDefault(NamedTuple):
    acc_policy: str
    chunking_method: str


# PyTorch's picks for the "auto" sentinels, by (device type, input dtype).
_AUTO_DEFAULTS = {
    ("cuda", bfloat16): _AutoDefault("compact", "aspect_ratio:2"),
    ("cuda", float16): _AutoDefault("compact", "aspect_ratio:2"),
    ("cpu", bfloat16): _AutoDefault("accurate", "aspect_ratio"),
    ("cpu", float16): _AutoDefault("accurate", "aspect_ratio"),
}
_AUTO_FALLBACK = _AutoDefault("compact", "aspect_ratio:2")
_ACC_POLICIES = ("auto", "accurate", "balanced", "compact")
_ACC_DTYPES = (float16, bfloat16, float32, float64)


@dataclasses.dataclass(slots=True, frozen=True)
class LinearCrossEntropyOptions(metaclass=TorchPathClass):
    """Chunking options of linear_cross_entropy: allow_retain_graph, batch_chunk_size,
    chunking_method ('auto', 'aspect_ratio', 'aspect_ratio:N' or None), acc_policy and
    acc_dtype."""

    allow_retain_graph: bool = False
    batch_chunk_size: int | None = None
    chunking_method: str | None = "auto"
    acc_policy: str = "auto"
    acc_dtype: object = None

    def __post_init__(self):
        if self.acc_policy not in _ACC_POLICIES:
            raise ValueError(f"invalid acc_policy: {self.acc_policy!r}")
        if self.chunking_method is not None and self.chunking_method != "auto":
            name, sep, factor = self.chunking_method.partition(":")
            factor = factor if sep else "1"
            if not (name == "aspect_ratio" and factor.isdigit() and int(factor) > 0):
                raise ValueError(f"invalid chunking_method: {self.chunking_method!r}")
        if not (self.batch_chunk_size is None or (isinstance(self.batch_chunk_size, int)
                                                  and self.batch_chunk_size > 0)):
            raise ValueError("batch_chunk_size must be positive int or None, got "
                             f"{self.batch_chunk_size!r}")
        if self.acc_dtype is not None and self.acc_dtype not in _ACC_DTYPES:
            raise ValueError(
                "acc_dtype must be one of {None, torch.float16, torch.bfloat16, "
                f"torch.float32, torch.float64}}, got {self.acc_dtype!r}. Pass acc_dtype=None "
                "to let the op pick automatically.")

    @staticmethod
    def _ceil_div(a, b):
        return -(-a // b)

    @staticmethod
    def _resolve_auto_acc_dtype(dtype, device):
        """float32 for half-precision input (CPU, and the GPUs tshell runs on), else None."""
        if device is None or dtype not in (float16, bfloat16):
            return None
        return float32 if device.type in ("cpu", "cuda") else None

    def _compute_batch_chunk_size(self, num_batches, in_features, num_classes, method=None):
        """Rows per chunk so that a chunk's logits take about the input's memory (divided by
        N for 'aspect_ratio:N')."""
        method = str(method if method is not None else self.chunking_method)
        factor = int(method.split(":", 1)[1]) if ":" in method else 1
        target = self._ceil_div(num_batches, self._ceil_div(num_classes, in_features))
        chunk_size = 1 << (target - 1).bit_length()
        return min(chunk_size // factor, num_batches)

    def _adjust(self, num_batches, in_features, num_classes, dtype, device=None):
        """These options with the 'auto' sentinels and None defaults resolved for one call."""
        acc_policy, chunking_method = self.acc_policy, self.chunking_method
        if chunking_method == "auto" and self.batch_chunk_size is not None:
            chunking_method = None
        if acc_policy == "auto" or chunking_method == "auto":
            picks = (_AUTO_DEFAULTS.get((device.type, dtype), _AUTO_FALLBACK)
                     if device is not None else _AUTO_FALLBACK)
            acc_policy = picks.acc_policy if acc_policy == "auto" else acc_policy
            if chunking_method == "auto":
                chunking_method = picks.chunking_method
        batch_chunk_size = (num_batches if self.batch_chunk_size is None
                            else min(self.batch_chunk_size, num_batches))
        if chunking_method is not None:
            batch_chunk_size = self._compute_batch_chunk_size(num_batches, in_features,
                                                              num_classes, chunking_method)
            if self.batch_chunk_size is not None and self.batch_chunk_size != batch_chunk_size:
                raise ValueError(
                    f"batch_chunk_size (={self.batch_chunk_size}) and chunking_method "
                    f"('{chunking_method}') give different chunk sizes "
                    f"({self.batch_chunk_size} vs {batch_chunk_size}); pass only one.")
        acc_dtype = self.acc_dtype
        if acc_dtype is None:
            auto = (self._resolve_auto_acc_dtype(dtype, device) if self.acc_policy == "auto"
                    else None)
            acc_dtype = auto if auto is not None else dtype
        return dataclasses.replace(self, acc_policy=acc_policy,
                                   chunking_method=chunking_method,
                                   batch_chunk_size=max(1, batch_chunk_size),
                                   acc_dtype=acc_dtype)
