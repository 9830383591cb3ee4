"""PyTorch's CPU generator in tshell (mt19937.py, random_kernels.py): the state's layout and
round trips, what its checks refuse, generators kept apart, and the pieces reproduced
without a loop checked against the loop they replace. The values themselves are goldens
(tests/golden/families/random_streams.py)."""
from __future__ import annotations

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import random_kernels
from tshell.core.avx_mathfun import fma
from tshell.core.mt19937 import STATE_BYTES, Engine


def test_state_is_pytorchs_5056_bytes_and_records_the_seed():
    torch.manual_seed(0xDEADBEEF12)
    s = torch.get_rng_state()
    assert s.dtype is torch.uint8 and s.shape == (STATE_BYTES,) == (5056,)
    raw = s.numpy().tobytes()
    assert int.from_bytes(raw[:8], "little") == 0xDEADBEEF12
    assert int.from_bytes(raw[8:12], "little") == 1          # left: a fresh seed twists first
    assert int.from_bytes(raw[24:32], "little") == 0xADBEEF12    # the twister: the low 32 bits


def test_round_trip_repeats_every_kind_of_draw_including_the_cached_normals():
    torch.manual_seed(3)
    torch.randn(3)                       # leaves a cached double normal sample
    state = torch.get_rng_state()
    first = [torch.randn(5), torch.rand(17), torch.randperm(9), torch.randint(0, 5, (4,)),
             torch.randn(2, dtype=torch.float64)]
    torch.set_rng_state(state)
    again = [torch.randn(5), torch.rand(17), torch.randperm(9), torch.randint(0, 5, (4,)),
             torch.randn(2, dtype=torch.float64)]
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    assert torch.equal(torch.get_rng_state(), torch.get_rng_state())


def test_state_moves_between_generators():
    g = torch.Generator().manual_seed(11)
    torch.rand(5, generator=g)
    h = torch.Generator()
    h.set_state(g.get_state())
    assert h.initial_seed() == 11
    assert torch.equal(torch.randn(20, generator=g), torch.randn(20, generator=h))


def test_generators_do_not_share_a_stream():
    torch.manual_seed(5)
    expected = torch.rand(4)
    torch.manual_seed(5)
    torch.rand(100, generator=torch.Generator().manual_seed(5))
    assert torch.equal(torch.rand(4), expected)


def test_set_state_refusals():
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 "
                                           "but found the input RNG state size to be 5048"):
        torch.set_rng_state(torch.zeros(5048, dtype=torch.uint8))
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        torch.set_rng_state(torch.zeros(5056, dtype=torch.uint8))   # never seeded
    with pytest.raises(TypeError):
        torch.set_rng_state(torch.zeros(5056))


def test_fork_rng_restores_the_state():
    torch.manual_seed(8)
    before = torch.get_rng_state()
    with torch.random.fork_rng():
        torch.randn(33)
    assert torch.equal(torch.get_rng_state(), before)


def test_seed_is_entropy_and_reseeds():
    s = torch.seed()
    assert torch.initial_seed() == s and 0 <= s < 2 ** 64


def test_engine_matches_the_mersenne_twister_reference_outputs():
    # init_genrand(5489)'s first outputs, from the MT19937 reference implementation
    assert Engine(5489).random(3).tolist() == [3499211612, 581869302, 3890346734]


def test_random64_puts_the_first_output_high():
    words = Engine(1).random(4)
    pairs = Engine(1).random64(2)
    assert pairs.tolist() == [int(words[0]) << 32 | int(words[1]),
                              int(words[2]) << 32 | int(words[3])]


def _swap_loop(offsets):
    perm = list(range(offsets.size + 1))
    for i, z in enumerate(offsets.tolist()):
        perm[i], perm[i + z] = perm[i + z], perm[i]
    return perm


@pytest.mark.parametrize("n", [2, 3, 5, 16, 257, 4000])
def test_forward_shuffle_equals_the_swap_loop(n):
    rng = np.random.default_rng(n)
    for _ in range(5):
        offsets = rng.integers(0, np.arange(n, 1, -1))
        assert random_kernels.forward_shuffle(offsets).tolist() == _swap_loop(offsets)


def test_float_fma_rounds_once():
    a = np.array([1 + 2 ** -23], np.float32)
    c = np.array([-1], np.float32)
    # a * a - 1 = 2**-22 + 2**-46 exactly: one rounding keeps the 2**-46, two would not
    assert fma(a, a, c)[0] == np.float32(2 ** -22 + 2 ** -46)
    assert random_kernels.fma_double(np.array([1 + 2 ** -52]), 1 + 2 ** -52, -1.0)[0] == \
        2 ** -51 + 2 ** -104


def test_dataloader_workers_seed_from_the_main_generator():
    data = torch.utils.data

    class Seeds(data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return data.get_worker_info().seed

    torch.manual_seed(0)
    base = int(torch.empty((), dtype=torch.int64).random_())
    torch.manual_seed(0)
    seeds = [int(b) for b in data.DataLoader(Seeds(), num_workers=2)]
    assert sorted(seeds) == [base, base + 1]
