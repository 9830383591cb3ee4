"""PyTorch's CPU random engine: MT19937 seeded by init_genrand, with the cached Box-Muller
samples of its CPUGeneratorImpl, and its state as get_rng_state's 5056 bytes.

NumPy's MT19937 is the same Mersenne Twister: its key and position are set directly and
random_raw draws the 32-bit outputs in C. PyTorch's random() is one output, random64() two
(the first the high half).
"""
from __future__ import annotations

import functools
import struct

import numpy as np

_N = 624
# CPUGeneratorImplState: the legacy pod (initial seed, left, seeded, next, 624 uint64 state
# words, normal_x, normal_y, normal_rho, normal_is_valid), then the cached float sample and
# its flag; C's padding after normal_is_valid and the flag.
_LEGACY = struct.Struct(f"<qiiQ{_N}Qdddi4x")
_STATE = struct.Struct(f"<{_LEGACY.size}sf?3x")
# Below this many words a draw goes through random_raw (cheaper to call), above through
# uint32 integers (half the memory written)
_SMALL_DRAW = 4096
LEGACY_STATE_BYTES = _LEGACY.size        # 5048: PyTorch's set_state takes this layout too
STATE_BYTES = _STATE.size                # 5056


@functools.lru_cache(maxsize=64)
def seeded_key(seed):
    """init_genrand's state for the low 32 bits of seed (PyTorch keeps the whole seed as
    initial_seed but seeds the twister with these). Cached: the loop costs about 200 us, and
    programs reseed with the same few seeds; the array is read-only (NumPy copies it in)."""
    key = [0] * _N
    x = key[0] = seed & 0xFFFFFFFF
    for j in range(1, _N):
        x = key[j] = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
    words = np.array(key, dtype=np.uint32)
    words.flags.writeable = False
    return words


class Engine:
    """One generator's stream: the twister and the Box-Muller samples cached for the next
    scalar normal draw (PyTorch keeps one double and one float)."""

    __slots__ = ("bits", "_words", "next_double", "next_float", "fresh")

    def __init__(self, seed):
        self._twister(seeded_key(seed & 0xFFFFFFFF), _N)
        self.next_double = self.next_float = None
        self.fresh = True        # nothing drawn since seeding: PyTorch's next_ is 0, not 624

    def _twister(self, key, pos):
        self.bits = np.random.MT19937()
        self.bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": pos}}
        # NumPy's full-range uint32 integers are the twister's outputs one for one, written
        # as uint32 (random_raw writes uint64: twice the memory traffic)
        self._words = np.random.Generator(self.bits)

    def random(self, n):
        """n of PyTorch's random(): the twister's uint32 outputs."""
        self.fresh = False
        if n < _SMALL_DRAW:             # random_raw's call costs a tenth of integers'
            return self.bits.random_raw(n).astype(np.uint32)
        return self._words.integers(0, 1 << 32, n, dtype=np.uint32)

    def random64(self, n):
        """n of PyTorch's random64(): two outputs each, the first the high word."""
        pairs = self.random(2 * n).astype(np.uint64).reshape(n, 2)
        return (pairs[:, 0] << np.uint64(32)) | pairs[:, 1]

    def to_bytes(self, initial_seed):
        state = self.bits.state["state"]
        pos = int(state["pos"])
        nxt = 0 if self.fresh else pos
        normal_y = self.next_double if self.next_double is not None else 0.0
        legacy = _LEGACY.pack(initial_seed, _N + 1 - pos, 1, nxt,
                              *state["key"].astype(np.uint64).tolist(),
                              0.0, normal_y, 0.0, self.next_double is not None)
        next_float = self.next_float if self.next_float is not None else 0.0
        return _STATE.pack(legacy, next_float, self.next_float is not None)

    @classmethod
    def from_bytes(cls, raw):
        """(initial seed, Engine) from a state of either of PyTorch's two layouts; None for
        a state PyTorch's is_valid refuses."""
        legacy = raw[:LEGACY_STATE_BYTES]
        fields = _LEGACY.unpack(legacy)
        seed, left, seeded, nxt = fields[:4]
        key = np.array(fields[4:4 + _N], dtype=np.uint64).astype(np.uint32)
        normal_y, normal_is_valid = fields[4 + _N + 1], fields[4 + _N + 3]
        if not (seeded and 0 < left <= _N and nxt <= _N):
            return None
        engine = cls.__new__(cls)
        engine._twister(key, _N + 1 - left)
        engine.fresh = left == 1 and nxt == 0
        engine.next_double = normal_y if normal_is_valid else None
        engine.next_float = None
        if len(raw) == STATE_BYTES:
            _, next_float, valid = _STATE.unpack(raw)
            engine.next_float = next_float if valid else None
        return seed, engine
