"""torch's information objects and global state where goldens do not fit: RNG state round
trips (tshell's generator is its own, so its bytes differ from PyTorch's), once-a-process
warnings, switch state kept and restored, storages writing through to tensors, memory
formats that keep values, and float8 conversions sweeping PyTorch's rules."""

import warnings

import numpy as np
import pytest

import tshell.core as torch
from tshell.core import legacy_types, storage, switches


# ---- RNG state ---------------------------------------------------------------------------------

def test_rng_state_round_trip_repeats_every_kind_of_draw():
    torch.manual_seed(11)
    torch.rand(5)                      # a generator part-way through its stream
    state = torch.get_rng_state()
    first = (torch.rand(3), torch.randn(4), torch.randint(0, 100, (5,)), torch.randperm(6))
    torch.set_rng_state(state)
    again = (torch.rand(3), torch.randn(4), torch.randint(0, 100, (5,)), torch.randperm(6))
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    assert state.dtype is torch.uint8 and state.ndim == 1


def test_rng_state_keeps_the_seed_and_is_a_copy():
    torch.manual_seed(1234)
    state = torch.get_rng_state()
    torch.manual_seed(99)
    torch.set_rng_state(state)
    assert torch.initial_seed() == 1234
    state.zero_()                      # changing the returned tensor changes nothing
    a = torch.rand(2)
    torch.manual_seed(1234)
    assert torch.equal(a, torch.rand(2))


def test_generator_objects_have_their_own_state():
    g = torch.Generator().manual_seed(3)
    saved = g.get_state()
    a = torch.rand(4, generator=g)
    torch.rand(10)                     # the default generator moves; g's state does not
    g.set_state(saved)
    assert torch.equal(a, torch.rand(4, generator=g))


def test_fork_rng_restores_the_default_generator():
    torch.manual_seed(5)
    with torch.random.fork_rng():
        torch.rand(100)
    a = torch.rand(3)
    torch.manual_seed(5)
    assert torch.equal(a, torch.rand(3))
    with torch.random.fork_rng(enabled=False):
        torch.rand(3)
    assert not torch.equal(a, torch.rand(3))


def test_rng_state_of_the_wrong_size_is_refused():
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056 but "
                                           "found the input RNG state size to be 3"):
        torch.set_rng_state(torch.zeros(3, dtype=torch.uint8))


# ---- warnings PyTorch gives once a process -----------------------------------------------------

def _warnings_of(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [str(w.message) for w in caught]


def test_typed_storage_warns_once(monkeypatch):
    monkeypatch.setattr(storage._Warned, "typed_storage", False)
    x = torch.arange(3.)
    assert _warnings_of(x.storage) == [storage.TYPED_STORAGE_DEPRECATED]
    assert _warnings_of(x.storage) == []
    assert _warnings_of(x.untyped_storage) == []


def test_set_default_tensor_type_warns_once(monkeypatch):
    monkeypatch.setattr(legacy_types._Warned, "default_tensor_type", False)
    try:
        first = _warnings_of(lambda: torch.set_default_tensor_type(torch.DoubleTensor))
        second = _warnings_of(lambda: torch.set_default_tensor_type(torch.FloatTensor))
    finally:
        torch.set_default_dtype(torch.float32)
    assert len(first) == 1 and "deprecated as of PyTorch 2.1" in first[0] and second == []


def test_volatile_warns_on_read_and_write():
    x = torch.ones(1)
    assert _warnings_of(lambda: x.volatile) == [
        "volatile was removed (Variable.volatile is always False)"]
    assert _warnings_of(lambda: setattr(x, "volatile", True)) == [legacy_types.VOLATILE_REMOVED]


def test_detect_anomaly_warns_and_restores():
    assert _warnings_of(lambda: torch.autograd.detect_anomaly()) == [switches.ANOMALY_WARNING]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.autograd.detect_anomaly(check_nan=False):
            assert torch.is_anomaly_enabled() and not torch.is_anomaly_check_nan_enabled()
    assert not torch.is_anomaly_enabled() and torch.is_anomaly_check_nan_enabled()


# ---- switches keep their state ---------------------------------------------------------------

@pytest.fixture
def restore_switches():
    yield
    torch.set_num_threads(1)
    torch.use_deterministic_algorithms(False)
    torch.set_float32_matmul_precision("highest")
    torch.set_warn_always(False)
    torch.set_anomaly_enabled(False)
    torch.autograd.set_multithreading_enabled(True)


def test_switches_answer_what_was_set(restore_switches):
    torch.set_num_threads(7)
    torch.set_num_interop_threads(5)
    torch.use_deterministic_algorithms(True)
    torch.set_float32_matmul_precision("medium")
    torch.set_warn_always(True)
    torch.autograd.set_multithreading_enabled(False)
    assert torch.get_num_threads() == 7 and torch.get_num_interop_threads() == 5
    assert torch.are_deterministic_algorithms_enabled()
    assert torch.get_deterministic_debug_mode() == 2
    assert torch.get_float32_matmul_precision() == "medium"
    assert torch.is_warn_always_enabled() and not torch.autograd.is_multithreading_enabled()


def test_switch_decorators_apply_inside_only(restore_switches):
    @torch.autograd.set_multithreading_enabled(False)
    def inside():
        return torch.autograd.is_multithreading_enabled()

    assert torch.autograd.is_multithreading_enabled() is False   # the call set it at once
    torch.autograd.set_multithreading_enabled(True)
    assert inside() is False and torch.autograd.is_multithreading_enabled() is True


def test_anomaly_check_names_the_first_node_giving_nan(restore_switches):
    x = torch.tensor([4., -1.], requires_grad=True)
    y = (x.sqrt() * 2).sum()                        # MulBackward0's gradient is finite
    torch.set_anomaly_enabled(True)
    with pytest.raises(RuntimeError, match=r"^Function 'SqrtBackward0' returned nan values in "
                                           r"its 0th output\.$"):
        y.backward()
    torch.set_anomaly_enabled(True, False)         # NaNs pass when check_nan is off
    (x.sqrt() * 2).sum().backward()
    assert np.isnan(x.grad.numpy()).tolist() == [False, True]


def test_inference_mode_is_reported_inside_only():
    assert not torch.is_inference_mode_enabled()

    @torch.inference_mode()
    def inside():
        return torch.is_inference_mode_enabled(), torch.is_grad_enabled()

    assert inside() == (True, False)
    assert not torch.is_inference_mode_enabled() and torch.is_grad_enabled()


# ---- storages and memory formats ----------------------------------------------------------------

def test_storage_writes_reach_the_tensor_and_its_views():
    x = torch.zeros(2, 3)
    view = x[1]
    u = view.untyped_storage()
    assert u.nbytes() == 24 and u.data_ptr() == x.data_ptr()
    u[12:16] = list(np.float32(2.5).tobytes())      # element 3: x[1, 0]
    assert x[1, 0].item() == 2.5 and view[0].item() == 2.5
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = x.storage()
    s[5] = -1.
    assert x[1, 2].item() == -1.
    assert s.tolist() == x.reshape(-1).tolist()


def test_untyped_storage_of_a_loaded_tensor_is_its_file_storage(tmp_path):
    x = torch.arange(6.)
    torch.save({"a": x[1:3], "b": x[4:]}, tmp_path / "v.pt")
    loaded = torch.load(tmp_path / "v.pt")
    assert loaded["a"].untyped_storage().nbytes() == 24
    assert loaded["a"].untyped_storage().data_ptr() == loaded["b"].untyped_storage().data_ptr()


def test_channels_last_keeps_values_through_ops():
    x = torch.randn(2, 3, 4, 5)
    y = x.contiguous(memory_format=torch.channels_last)
    assert torch.equal(x, y) and y.stride() == (60, 1, 15, 3)
    assert torch.allclose((y * 2 + 1).sum(1), (x * 2 + 1).sum(1))
    assert torch.equal(y.permute(0, 2, 3, 1).contiguous().view(-1),
                       x.permute(0, 2, 3, 1).reshape(-1))


def test_float8_conversion_follows_pytorch_rules():
    """e4m3fn saturates to +-448 (ml_dtypes would give nan), e8m0fnu keeps magnitudes and
    gives 2**-127 for 0; the others convert as ml_dtypes does."""
    x = torch.tensor([500., -1e6, float("inf"), float("-inf"), float("nan"), 0.])
    assert x.to(torch.float8_e4m3fn).float().tolist()[:4] == [448., -448., 448., -448.]
    e8 = torch.tensor([-2.7, 0., 0.3]).to(torch.float8_e8m0fnu).float().tolist()
    assert e8 == [2.0, 2.0 ** -127, 0.25]
    assert torch.tensor([1e6]).to(torch.float8_e5m2).float().item() == float("inf")


def test_new_dtypes_save_as_pytorch_does_and_load_back(tmp_path):
    """Untyped storages and _rebuild_tensor_v3 with the dtype, as PyTorch 2.13 writes them
    (PyTorch reads this file back: checked by hand with torch 2.13)."""
    values = {"u16": torch.tensor([1, 65535], dtype=torch.uint16),
              "view": torch.arange(6, dtype=torch.uint32)[2:4],
              "f8": torch.tensor([1.5, -2., 448.]).to(torch.float8_e4m3fn), "dt": torch.uint64}
    torch.save(values, tmp_path / "d.pt")
    loaded = torch.load(tmp_path / "d.pt")
    assert loaded["dt"] is torch.uint64
    for key in ("u16", "view", "f8"):
        assert loaded[key].dtype is values[key].dtype
        assert loaded[key].float().tolist() == values[key].float().tolist()


def test_uint64_beyond_int64_prints_and_round_trips():
    x = torch.tensor([2 ** 64 - 1, 2 ** 63], dtype=torch.uint64)
    assert x.tolist() == [2 ** 64 - 1, 2 ** 63] and x.dtype is torch.uint64
    assert torch.iinfo(torch.uint64).max == 2 ** 64 - 1
