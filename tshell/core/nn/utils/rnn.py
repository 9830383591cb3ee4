"""torch.nn.utils.rnn: pad_sequence. Packed sequences are not provided: their functions say
so (pad the sequences and pass the padded tensor to the RNN instead)."""
from __future__ import annotations

from collections.abc import Iterable

from ...ops.common import broadcast_error
from ...ops.creation import full

__all__ = ["pad_sequence", "PackedSequence", "pack_padded_sequence", "pad_packed_sequence",
           "pack_sequence", "unpack_sequence", "unpad_sequence"]


def pad_sequence(sequences, batch_first=False, padding_value=0.0, padding_side="right"):
    """Stack tensors of different lengths (dim 0) into one (L, B, *) tensor (B, L, * when
    batch_first), padding the short ones with padding_value on padding_side."""
    if not isinstance(sequences, Iterable):
        raise RuntimeError("pad_sequence: Expected iterable for input sequences, but got arg "
                           f"of type: {type(sequences)}")
    sequences = tuple(sequences)
    if not sequences:
        raise RuntimeError("received an empty list of sequences")
    if padding_side not in ("left", "right"):
        raise RuntimeError(f"Expected padding_side to be one of left or right, but got "
                           f"{padding_side}.")
    first = sequences[0]
    if first.ndim == 0:
        raise RuntimeError("ArrayRef: invalid slice, N = 1; size = 0")
    longest = max(s.shape[0] for s in sequences)
    trailing = tuple(first.shape[1:])
    shape = (len(sequences), longest) if batch_first else (longest, len(sequences))
    out = full(shape + trailing, padding_value, dtype=first.dtype, device=first.device)
    for i, seq in enumerate(sequences):
        n = seq.shape[0]
        if tuple(seq.shape[1:]) != trailing:
            raise broadcast_error((n,) + trailing, tuple(seq.shape))
        rows = slice(0, n) if padding_side == "right" else slice(longest - n, longest)
        if batch_first:
            out[i, rows] = seq
        else:
            out[rows, i] = seq
    return out


def _not_provided(name):
    def missing(*args, **kwargs):
        raise NotImplementedError(f"{name}: packed sequences are not provided in tshell; pad "
                                  "the sequences (pad_sequence) and pass the padded tensor to "
                                  "the RNN")
    missing.__name__ = missing.__qualname__ = name
    missing.__doc__ = "Not provided in tshell (packed sequences)."
    return missing


PackedSequence = _not_provided("PackedSequence")
pack_padded_sequence = _not_provided("pack_padded_sequence")
pad_packed_sequence = _not_provided("pad_packed_sequence")
pack_sequence = _not_provided("pack_sequence")
unpack_sequence = _not_provided("unpack_sequence")
unpad_sequence = _not_provided("unpad_sequence")
