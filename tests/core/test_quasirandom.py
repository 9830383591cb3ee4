"""SobolEngine with scramble=True: PyTorch's algorithm (a random digital shift and a random
lower-triangular linear scramble of the direction numbers) over tshell's random numbers, so
the values differ from PyTorch's; what a scrambled Sobol sequence promises is checked here.
(Unscrambled draws are held to PyTorch's values by the quasirandom golden family.)"""
from __future__ import annotations

import numpy as np
import pytest

import tshell.core as torch
from tshell.core.quasirandom import MAXBIT, _scrambled, initial_state

Q = torch.quasirandom.SobolEngine


@pytest.mark.parametrize("dim", [1, 3, 17, 300])
@pytest.mark.parametrize("m", [4, 9])
def test_every_coordinate_of_2_to_the_m_points_is_stratified(dim, m):
    # float64: a float32 point can round up into the next cell (as PyTorch's does)
    x = Q(dim, scramble=True, seed=dim).draw_base2(m, dtype=torch.float64).numpy()
    assert x.shape == (2 ** m, dim) and ((0 <= x) & (x < 1)).all()
    cells = np.sort(np.floor(x * 2 ** m), axis=0)
    assert (cells == np.arange(2 ** m)[:, None]).all()


def test_pairs_of_coordinates_form_a_net():
    # a (t, m, 2)-net in base 2 with small t: every 2**-a x 2**-(m-a) box of 2**m points
    # holds the same number of points (t <= 2 for the first dimensions' pairs)
    x = Q(2, scramble=True, seed=5).draw_base2(10, dtype=torch.float64).numpy()
    for a in range(1, 9):
        boxes = np.floor(x[:, 0] * 2 ** a) * 2 ** (8 - a) + np.floor(x[:, 1] * 2 ** (8 - a))
        assert (np.bincount(boxes.astype(int), minlength=256) == 4).all()


def test_seed_repeats_and_other_seeds_differ():
    a = Q(5, scramble=True, seed=7).draw(8)
    assert torch.equal(a, Q(5, scramble=True, seed=7).draw(8))
    assert not torch.equal(a, Q(5, scramble=True, seed=8).draw(8))
    assert not torch.equal(a, Q(5).draw(8))
    first = Q(5, scramble=True, seed=7).draw(1)
    assert (first != 0).any()                      # the random shift moves the first point


def test_scrambled_draws_match_the_state_they_come_from():
    e = Q(4, scramble=True, seed=1)
    x = e.draw(6, dtype=torch.float64).numpy()
    # point k is the shift XOR the direction numbers of the Gray code of k (the first
    # point, the shift, is made at construction in the default dtype, as in PyTorch)
    state, shift = e.sobolstate.numpy(), e.shift.numpy()
    assert np.array_equal(x[0], (shift / 2.0 ** MAXBIT).astype(np.float32))
    for k in range(1, 6):
        gray = k ^ (k >> 1)
        q = shift.copy()
        for bit in range(MAXBIT):
            if gray >> bit & 1:
                q ^= state[:, bit]
        assert np.array_equal(x[k], q / 2.0 ** MAXBIT)


def test_fast_forward_and_reset_agree_with_drawing():
    e = Q(3, scramble=True, seed=2)
    whole = e.draw(20)
    e.reset()
    e.draw(7)
    e.fast_forward(6)
    assert torch.equal(e.draw(7), whole[13:])


def test_the_scramble_is_linear_over_gf2_and_the_identity_keeps_the_state():
    # (checked equal to ATen's _sobol_engine_scramble_ when it was written)
    rng = np.random.default_rng(0)
    state = initial_state(6)
    assert np.array_equal(_scrambled(state, np.zeros((6, MAXBIT, MAXBIT), np.int64)), state)
    ltm = np.tril(rng.integers(0, 2, (6, MAXBIT, MAXBIT)))
    other = np.roll(state, 3, axis=1)
    assert np.array_equal(_scrambled(state ^ other, ltm),
                          _scrambled(state, ltm) ^ _scrambled(other, ltm))
    assert len({tuple(r) for r in _scrambled(state, ltm).T}) == MAXBIT


def test_the_scramble_draws_from_the_default_generator_without_a_seed():
    torch.manual_seed(11)
    a = Q(3, scramble=True).draw(4)
    torch.manual_seed(11)
    assert torch.equal(a, Q(3, scramble=True).draw(4))
