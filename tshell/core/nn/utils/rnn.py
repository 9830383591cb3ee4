"""torch.nn.utils.rnn: padded sequences (pad_sequence, unpad_sequence) and packed ones
(PackedSequence: a batch's sequences sorted by length and stored time step by time step, which
the recurrent layers run without computing the padding)."""
from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterable

from ... import dtypes
from ...dtypes import TorchModuleClass, int64
from ...ops import rnn as _rnn
from ...ops.common import broadcast_error
from ...ops.creation import arange, as_tensor, empty_like, full
from ...ops.sorting import sort
from ...tensor import Tensor

__all__ = ["invert_permutation", "pad_sequence", "PackedSequence", "pack_padded_sequence",
           "pad_packed_sequence", "pack_sequence", "unpack_sequence", "unpad_sequence"]


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




def invert_permutation(permutation):
    """The permutation undoing `permutation` (None stays None)."""
    if permutation is None:
        return None
    output = empty_like(permutation)
    output.scatter_(0, permutation, arange(0, permutation.numel(), device=permutation.device))
    return output


def _init_args(data, batch_sizes, sorted_indices, unsorted_indices):
    if unsorted_indices is None:
        unsorted_indices = invert_permutation(sorted_indices)
    if batch_sizes is not None:
        if batch_sizes.device.type != "cpu":
            raise ValueError("batch_sizes should always be on CPU. Instances of "
                             "PackedSequence should never be created manually. They should be "
                             "instantiated by functions like pack_sequence and "
                             "pack_padded_sequences in nn.utils.rnn. "
                             "https://pytorch.org/docs/stable/nn.html#torch.nn.utils.rnn."
                             "pack_sequence")
        return data, batch_sizes, sorted_indices, unsorted_indices
    if not (isinstance(data, (list, tuple)) and len(data) == 2):
        raise AssertionError
    return data[0], data[1], sorted_indices, unsorted_indices


PackedSequence_ = namedtuple("PackedSequence_",
                             ["data", "batch_sizes", "sorted_indices", "unsorted_indices"])


class PackedSequence(PackedSequence_, metaclass=TorchModuleClass):
    """Holds the data and list of batch_sizes of a packed sequence: what pack_padded_sequence
    and pack_sequence make and the recurrent layers take and give."""

    __slots__ = ()

    def __new__(cls, data, batch_sizes=None, sorted_indices=None, unsorted_indices=None):
        return super().__new__(cls, *_init_args(data, batch_sizes, sorted_indices,
                                                unsorted_indices))

    def to(self, *args, **kwargs):
        """The same sequence with its data converted as Tensor.to converts (its indices
        moved along)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        kwargs = {k: v for k, v in kwargs.items() if k not in ("device", "dtype")}
        moved = [None if t is None else t.to(data.device, **kwargs)
                 for t in (self.sorted_indices, self.unsorted_indices)]
        return type(self)(data, self.batch_sizes, *moved)

    def cuda(self, *args, **kwargs):
        ex = as_tensor((), dtype=self.data.dtype, device=self.data.device).to(*args, **kwargs)
        return self if ex.is_cuda else self.to(*args, **{**kwargs, "device": "cuda"})

    def cpu(self, *args, **kwargs):
        ex = as_tensor((), dtype=self.data.dtype, device=self.data.device).to(*args, **kwargs)
        return self if ex.device.type == "cpu" else self.to(*args, **{**kwargs,
                                                                       "device": "cpu"})

    def pin_memory(self):
        return self

    @property
    def is_cuda(self):
        return self.data.is_cuda

    def is_pinned(self):
        return self.data.is_pinned()


def _dtype_method(name, dtype_name):
    def convert(self):
        return self.to(dtype=getattr(dtypes, dtype_name))
    convert.__name__ = convert.__qualname__ = name
    return convert


for _name, _dtype in (("double", "float64"), ("float", "float32"), ("half", "float16"),
                      ("long", "int64"), ("int", "int32"), ("short", "int16"),
                      ("char", "int8"), ("byte", "uint8")):
    setattr(PackedSequence, _name, _dtype_method(_name, _dtype))


def pack_padded_sequence(input, lengths, batch_first=False, enforce_sorted=True):
    """Pack a padded batch of sequences of the given lengths (T, B, *), or (B, T, *) with
    batch_first; unless enforce_sorted, the sequences need not be sorted by decreasing
    length (they are sorted here, and the order is restored on unpacking)."""
    lengths = lengths.to(dtype=int64) if isinstance(lengths, Tensor) else \
        as_tensor(lengths, dtype=int64, device="cpu")
    sorted_indices = None
    if not enforce_sorted:
        lengths, sorted_indices = sort(lengths, descending=True)
        sorted_indices = sorted_indices.to(input.device)
        input = input.index_select(0 if batch_first else 1, sorted_indices)
    data, sizes = _rnn.pack_padded(input, [int(n) for n in lengths.tolist()], batch_first)
    return PackedSequence(data, as_tensor(sizes, dtype=int64, device="cpu"), sorted_indices,
                          None)


def pad_packed_sequence(sequence, batch_first=False, padding_value=0.0, total_length=None):
    """The padded batch (T, B, *) (B, T, * with batch_first) of a packed sequence, and each
    sequence's length; total_length pads to that many steps."""
    sizes = [int(n) for n in sequence.batch_sizes.tolist()]
    steps = len(sizes)
    if total_length is not None:
        if total_length < steps:
            raise ValueError("Expected total_length to be at least the length of the longest "
                             f"sequence in input, but got total_length={total_length} and max "
                             f"sequence length being {steps}")
        steps = total_length
    padded, lengths = _rnn.pad_packed(sequence.data, sizes, batch_first, padding_value, steps)
    lengths = as_tensor(lengths, dtype=int64, device="cpu")
    unsorted = sequence.unsorted_indices
    if unsorted is not None:
        return padded.index_select(0 if batch_first else 1, unsorted), lengths[unsorted.cpu()]
    return padded, lengths


def pack_sequence(sequences, enforce_sorted=True):
    """Pack a list of sequences of different lengths (each (L, *))."""
    lengths = as_tensor([v.size(0) for v in sequences])
    return pack_padded_sequence(pad_sequence(sequences), lengths,
                                enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences):
    """The list of sequences a packed sequence holds."""
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return [x[:n] for x, n in zip(padded, lengths)]


def unpad_sequence(padded_sequences, lengths, batch_first=False):
    """The list of sequences of the given lengths in a padded batch."""
    if not batch_first:
        padded_sequences = padded_sequences.transpose(0, 1)
    steps = arange(padded_sequences.shape[1], device=lengths.device)
    return [seq[steps < n] for seq, n in zip(padded_sequences, lengths)]
