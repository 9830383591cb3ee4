"""torch.Generator and the random ops: PyTorch's CPU generator (MT19937, mt19937.py) and
its distribution kernels (random_kernels.py), so that a seed draws PyTorch's numbers.
"""
from __future__ import annotations

import os

import numpy as np

from . import limits
from . import random_kernels as kernels
from .autograd import derivative
from .backend import backend_for, backend_of
from .dtypes import (COMPLEX, DEFAULTS, FLOATING, float_limits, int64, require_available,
                     to_dtype, uint8)
from .forward_ad import zero_jvp
from .grad_mode import GradMode
from .meta import no_kernel
from .mt19937 import STATE_BYTES, Engine
from .ops import gamma_functions
from .ops.common import broadcast_error, check_sizes_nonnegative, dense, parse_size
from .ops.creation import _finish, empty, meta_result, on_meta
from .ops.inplace import check_no_overlap
from .ops.elementwise import not_implemented_node
from .registry import export
from .tensor import Tensor, record_if, saved_output, wrap

# PyTorch seeds a fresh process's default generator from /dev/urandom; tshell's starts from
# PyTorch's historical default seed instead, so that a fresh run repeats itself.
DEFAULT_SEED = 67280421310721
_MASK64 = (1 << 64) - 1


@export("torch")
class Generator:
    """A seeded source of random numbers (torch.Generator): PyTorch's CPU generator."""

    def __init__(self, device="cpu"):
        self.manual_seed(DEFAULT_SEED)

    def __repr__(self):
        return f"<torch._C.Generator object at {id(self):#x}>"

    def manual_seed(self, seed):
        self._seed = int(seed) & _MASK64
        self._engine = None     # seeded on first use: init_genrand is a 624-step loop
        return self

    def _current(self):
        if self._engine is None:
            self._engine = Engine(self._seed)
        return self._engine

    @property
    def rng(self):
        """The engine that draws (mt19937.Engine)."""
        return self._current()

    def initial_seed(self):
        return self._seed

    def _exchange(self, state):
        """Puts in a state taken out before ((seed, Engine or None)) and returns the one it
        replaces: a DataLoader worker's generator, swapped in while the worker runs."""
        replaced = self._seed, self._engine
        self._seed, self._engine = state
        return replaced

    def seed(self):
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def get_state(self):
        """The generator's state as PyTorch's 5056-byte ByteTensor (CPUGeneratorImplState)."""
        raw = self._current().to_bytes(self._seed)
        return wrap(np.frombuffer(raw, np.uint8).copy())

    def set_state(self, new_state):
        if not isinstance(new_state, Tensor) or new_state.dtype is not uint8 \
                or new_state.device.type != "cpu":
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = new_state.detach().numpy().reshape(-1).tobytes()
        if len(raw) != STATE_BYTES:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_BYTES} but "
                               f"found the input RNG state size to be {len(raw)}")
        parsed = Engine.from_bytes(raw)
        if parsed is None:
            raise RuntimeError("Invalid mt19937 state")
        self._seed, self._engine = parsed
        return self


default_generator = export("torch.default_generator")(Generator())


@export("torch")
def get_rng_state():
    """The default generator's state (a ByteTensor of tshell's own layout)."""
    return default_generator.get_state()


@export("torch")
def set_rng_state(new_state):
    if not isinstance(new_state, Tensor):
        raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
    default_generator.set_state(new_state)


class fork_rng:
    """with torch.random.fork_rng(): draws inside the block leave the default generator's
    state as it was (one generator serves every device here, so `devices` names none)."""

    def __init__(self, devices=None, enabled=True, _caller="fork_rng", _devices_kw="devices",
                 device_type=None):
        self.enabled = enabled

    def __enter__(self):
        if self.enabled:
            self._state = get_rng_state()

    def __exit__(self, *exc):
        if self.enabled:
            set_rng_state(self._state)
        return False

    def __repr__(self):
        return f"<contextlib._GeneratorContextManager object at {hex(id(self))}>"


@export("torch")
def thread_safe_generator():
    """A DataLoader thread worker's generator; tshell's workers are not threads, so None:
    functions then draw from the default generator, as PyTorch's do in the main process."""
    return None


# torch.random, the module's public names as PyTorch's (rand & co. are torch.NAME).
__all__ = ["Generator", "default_generator", "fork_rng", "get_rng_state", "initial_seed",
           "manual_seed", "seed", "set_rng_state", "thread_safe_generator"]


@export("torch")
def manual_seed(seed):
    """Seed the default generator; returns it."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"manual_seed(): argument 'seed' must be int, not {type(seed).__name__}")
    return default_generator.manual_seed(seed)


@export("torch")
def seed():
    return default_generator.seed()


@export("torch")
def initial_seed():
    return default_generator.initial_seed()


def _rng(generator):
    return (generator or default_generator).rng


def _numpy_draws(generator):
    """NumPy's samplers on the generator's twister, for the distributions whose PyTorch
    samplers (gamma, poisson, binomial) tshell does not reproduce: the stream advances,
    the values are NumPy's."""
    engine = _rng(generator)
    engine.fresh = False
    return np.random.Generator(engine.bits)


def _float_dtype(dtype, fn):
    dt = require_available(to_dtype(dtype, fn=fn) or DEFAULTS.float_dtype)
    if dt.category not in (FLOATING, COMPLEX):
        raise RuntimeError(f"\"check_uniform_bounds\" not implemented for '{dt.short}'")
    return dt


def _draw(dt, shape, fill):
    """fill(n, NumPy dtype) (n values, flat) as an array of dt and shape: a complex dtype
    fills its real and imaginary parts side by side, as PyTorch fills a complex tensor's
    float view."""
    n = int(np.prod(shape, dtype=np.int64))
    if dt.category != COMPLEX:
        return fill(n, dt.np).reshape(shape)
    part = np.float64 if dt.itemsize == 16 else np.float32
    return fill(2 * n, np.dtype(part)).view(dt.np).reshape(shape)


def _out_dtype(out, dtype, fn):
    """The dtype a factory draws in when given out=: out's (a different dtype= is PyTorch's
    error); an out that requires grad is refused before anything is drawn."""
    if out is None:
        return dtype
    if not isinstance(out, Tensor):
        raise TypeError(f"{fn}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if out._rg and GradMode.enabled:
        raise RuntimeError(f"aten::{fn}(): functions with out=... arguments don't support "
                           "automatic differentiation, but one of the arguments requires grad.")
    if dtype is not None and to_dtype(dtype, fn=fn) is not out.dtype:
        raise RuntimeError(f"dtype {to_dtype(dtype, fn=fn).short} does not match dtype of out "
                           f"parameter ({out.dtype.short})")
    return out.dtype


def _into_out(result, out, requires_grad):
    """result written into out (a factory resizes a differently-shaped out quietly, unlike
    an op's out=); out itself is returned, its views seeing the values, and its
    requires_grad set to the factory's (False unless given), as PyTorch's factories do."""
    if out is None:
        return result
    if out._data.shape == result._data.shape:
        out._data[...] = result._data
    else:
        out._data = result._data.astype(out._data.dtype)
    out._bump()
    if out.requires_grad != requires_grad:
        out.requires_grad_(requires_grad)
    return out


def _shape(size, fn):
    shape = parse_size(size, fn)
    check_sizes_nonnegative(shape)
    return shape


@export("torch")
def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None,
         requires_grad=False, pin_memory=False):
    """Uniform samples in [0, 1)."""
    shape = _shape(size, "rand")
    dt = _float_dtype(_out_dtype(out, dtype, "rand"), "rand")
    if on_meta(device):
        return meta_result(shape, dt, requires_grad)
    limits.check_result(shape, dt.itemsize)
    data = _draw(dt, shape, lambda n, np_dtype: kernels.uniform(_rng(generator), n, np_dtype))
    return _into_out(_finish(data, device, requires_grad), out, requires_grad)


@export("torch")
def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None,
          requires_grad=False, pin_memory=False):
    """Standard normal samples."""
    shape = _shape(size, "randn")
    dt = _float_dtype(_out_dtype(out, dtype, "randn"), "randn")
    if on_meta(device):
        return meta_result(shape, dt, requires_grad)
    limits.check_result(shape, dt.itemsize)
    data = _normal_data(dt, shape, 0.0, 1.0, generator)
    return _into_out(_finish(data, device, requires_grad), out, requires_grad)


def _normal_data(dt, shape, mean, std, generator, contiguous=True):
    """normal_'s values for a tensor of dt and shape (contiguous or not: a non-contiguous one
    takes PyTorch's element-by-element path); a complex dtype draws its parts with std
    scaled by 1 / sqrt(2), as PyTorch: variance std**2 in all."""
    if dt.category == COMPLEX:
        std = std / 2 ** 0.5
    if contiguous:
        return _draw(dt, shape, lambda n, np_dtype: kernels.normal(
            _rng(generator), n, np_dtype, mean, std))
    return _draw(dt, shape, lambda n, np_dtype: kernels.normal_serial(
        _rng(generator), n, mean, std).astype(np_dtype))


_RANDINT_KEYWORDS = ("Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, "
                     "torch.device device = None, bool pin_memory = False, "
                     "bool requires_grad = False")
_RANDINT_SIGNATURES = "".join(
    f" * ({head}, *, {generator}{_RANDINT_KEYWORDS})\n"
    for head in ("int high, tuple of ints size", "int low, int high, tuple of ints size")
    for generator in ("torch.Generator generator, ", ""))


@export("torch")
def randint(low=None, high=None, size=None, *, generator=None, out=None, dtype=None,
            layout=None, device=None, requires_grad=False):
    """Integers uniform in [low, high); randint(high, size) draws from [0, high)."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    elif size is None and high is not None:          # randint(1, 2): (high, size) is meant
        raise TypeError(f"randint(): argument 'size' (position 2) must be tuple of ints, not "
                        f"{type(high).__name__}")
    elif size is not None and high is None and low is not None:    # randint(10, size=(3,))
        low, high = 0, low
    elif low is None and high is not None:           # randint(high=10, size=(3,))
        low = 0
    if high is None or size is None:
        got = f"size={type(size).__name__}, " if size is not None else \
            ", ".join(type(v).__name__ for v in (low, high) if v is not None)
        raise TypeError(f"randint() received an invalid combination of arguments - got ({got}), "
                        f"but expected one of:\n{_RANDINT_SIGNATURES}")
    shape = _shape((size,) if not isinstance(size, (tuple, list)) else (size,), "randint")
    if high <= low:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    dt = to_dtype(_out_dtype(out, dtype, "randint"), fn="randint") or int64
    if on_meta(device):
        return meta_result(shape, dt, requires_grad)
    limits.check_result(shape, int64.itemsize)          # drawn as int64, then cast
    data = kernels.random_from_to(_rng(generator), int(np.prod(shape, dtype=np.int64)),
                                  int(high) - int(low), int(low), dt.name)
    return _into_out(_finish(data.astype(dt.np).reshape(shape), device, requires_grad), out,
                     requires_grad)


@export("torch")
def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None,
             requires_grad=False):
    """A random permutation of 0..n-1."""
    if n < 0:
        raise RuntimeError(f"n must be non-negative, got{n}")
    dt = to_dtype(_out_dtype(out, dtype, "randperm"), fn="randperm") or int64
    if on_meta(device):
        return meta_result((n,), dt, requires_grad)
    limits.check_result((n,), int64.itemsize)           # permuted in int64, then cast
    return _into_out(_finish(kernels.randperm(_rng(generator), n).astype(dt.np), device,
                              requires_grad), out, requires_grad)


@export("torch")
def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
              memory_format=None):
    return rand(input.shape, dtype=dtype or input.dtype,
                device=device if device is not None else input.device,
                requires_grad=requires_grad)


@export("torch")
def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False,
               memory_format=None):
    return randn(input.shape, dtype=dtype or input.dtype,
                 device=device if device is not None else input.device,
                 requires_grad=requires_grad)


@export("torch")
def randint_like(input, low=0, high=None, *, dtype=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, dtype=dtype or input.dtype,
                   device=device if device is not None else input.device)


@export("torch")
def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False):
    """Normal samples; mean and std may be tensors (broadcast) or numbers with a size."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        ref = mean if isinstance(mean, Tensor) else std
        shape = np.broadcast_shapes(np.shape(mean._data if isinstance(mean, Tensor) else mean),
                                    np.shape(std._data if isinstance(std, Tensor) else std))
        if isinstance(std, Tensor):          # ATen: normal_(0, 1), then * std + mean
            z = randn(shape, dtype=ref.dtype, generator=generator, device=ref.device)
            return (z * std + mean).detach()
        z = empty(shape, dtype=ref.dtype, device=ref.device).normal_(0.0, std,
                                                                      generator=generator)
        return (z + mean).detach()
    shape = _shape(size, "normal")
    dt = _float_dtype(dtype, "normal")
    if on_meta(device):
        return meta_result(shape, dt, requires_grad)
    limits.check_result(shape, dt.itemsize)
    return _finish(_normal_data(dt, shape, float(mean), float(std), generator), device,
                   requires_grad)


@export("torch")
def bernoulli(input, p=None, *, generator=None):
    """1 with probability input (or p), else 0, of input's dtype and device."""
    if input.is_meta:
        return _meta_sample(input)
    dense(input, 8)                                     # a float64 draw per element
    if p is None:
        draws = kernels.bernoulli_tensor(_rng(generator), _host(input, input.dtype.np))
    else:
        draws = kernels.bernoulli_scalar(_rng(generator), input.numel(), p) \
            .reshape(input.shape)
    return _like(draws.astype(input.dtype.np), input)


@export("Tensor")
def uniform_(self, a=0.0, b=1.0, *, generator=None):
    """Fill in place with uniform samples in [a, b)."""
    check_no_overlap(self)                              # before drawing for every element
    if self.is_meta:                                    # no data, nothing drawn
        return self
    return fill_in_order(self, lambda shape: _draw(
        self.dtype, shape, lambda n, np_dtype: kernels.uniform(_rng(generator), n, np_dtype,
                                                               a, b)))


@export("Tensor")
def normal_(self, mean=0.0, std=1.0, *, generator=None):
    """Fill in place with normal samples."""
    check_no_overlap(self)                              # before drawing for every element
    if self.is_meta:                                    # no data, nothing drawn
        return self
    return fill_in_order(self, lambda shape: _normal_data(
        self.dtype, shape, float(mean), float(std), generator, self.is_contiguous()))


def memory_order(t):
    """t's axes in the order PyTorch's TensorIterator walks its elements (the largest stride
    outermost), for a serial kernel's draws."""
    strides = t.stride()
    return sorted(range(t.ndim), key=lambda axis: -strides[axis])


def fill_in_order(t, draw):
    """t.copy_ of draw(shape): values for t's elements in memory order, drawn as an array of
    that order's shape."""
    axes = memory_order(t)
    vals = draw(tuple(t.shape[a] for a in axes))
    return t.copy_(_host_tensor(np.transpose(vals, np.argsort(axes))))


def _meta_sample(input, shape=None, dtype=None):
    """A sampler's result for a meta input: PyTorch's meta kernels give the shape and dtype
    and draw nothing (the generator stays where it was)."""
    return meta_result(input.shape if shape is None else shape, dtype or input.dtype, False)


def _host_tensor(vals):
    return wrap(np.asarray(vals))


# ---- sampling from distributions (torch.distributions draws through these) -----------------
# Each draws on the host from the generator and puts the result on the input's device.

def _host(t, np_dtype=None):
    """t's elements on the host, as float64 work arrays (or np_dtype's): a dense read (the
    memory cap)."""
    data = np.asarray(backend_of(t._data).to_host(dense(t, 8)))
    return data if np_dtype is None else data.astype(np_dtype, copy=False)


def _like(data, t):
    """Host data as a tensor on t's device."""
    dev = t.device
    return wrap(data if dev.type == "cpu" else backend_for(dev).from_host(data, dev))


def _require_float(t, kernel):
    if not isinstance(t, Tensor):
        raise TypeError(f"{kernel}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(t).__name__}")
    if t.dtype.category != FLOATING:
        raise NotImplementedError(f'"{kernel}_cpu" not implemented for \'{t.dtype.short}\'')


@derivative
def StandardGammaBackward0(node, grad):
    """d sample / d alpha by PyTorch's approximation of the implicit derivative."""
    alpha, = node.saved
    return grad * _standard_gamma_grad(alpha, saved_output(node))


@export("torch")
def _standard_gamma(input, generator=None):
    """Gamma(alpha, 1) samples, alpha the input; at least the dtype's tiny value (as PyTorch:
    also where alpha <= 0)."""
    _require_float(input, "gamma")
    if input.is_meta:
        return record_if(StandardGammaBackward0, _meta_sample(input), (input,), save=(input,),
                         save_out=True)
    alpha = _host(input).astype(np.float64)
    valid = alpha > 0
    draw = _numpy_draws(generator).standard_gamma(np.where(valid, alpha, 1.0))
    tiny = float_limits(input.dtype)[1]
    data = np.maximum(np.where(valid, draw, tiny), tiny).astype(input.dtype.np)
    return record_if(StandardGammaBackward0, _like(data, input), (input,), save=(input,),
                     save_out=True)


@derivative
def StandardGammaGradBackward0(node, grad):
    raise NotImplementedError("the derivative for '_standard_gamma_grad' is not implemented.")


DirichletGradBackward0 = not_implemented_node("_dirichlet_grad")
SampleDirichletBackward0 = not_implemented_node("_sample_dirichlet")
BinomialBackward0 = not_implemented_node("binomial")


def _gamma_kernel_op(kernel, node_cls, *tensors):
    """A gamma_functions kernel on tensors (same shape and device), in float64, rounded to
    the first tensor's dtype."""
    first = tensors[0]
    xp = backend_of(first._data).xp
    data = kernel(xp, *(t._data.astype(np.float64) for t in tensors))
    return record_if(node_cls, wrap(data.astype(first._data.dtype, copy=False)), tensors)


@export("torch")
def _standard_gamma_grad(self, output):
    """d output / d self for output ~ Gamma(self, 1)."""
    return _gamma_kernel_op(gamma_functions.standard_gamma_grad, StandardGammaGradBackward0,
                            self, output)


@export("torch")
def _dirichlet_grad(x, alpha, total):
    """d x / d alpha for Dirichlet samples x of concentrations alpha summing to total."""
    return _gamma_kernel_op(gamma_functions.dirichlet_grad, DirichletGradBackward0,
                            x, alpha, total)


@export("torch")
def _sample_dirichlet(input, generator=None):
    """Dirichlet samples along the last dim: gamma samples, normalised, and kept inside
    [tiny, the float below 1] of the dtype (as ATen's _s_dirichlet_cpu)."""
    _require_float(input, "dirichlet")
    if input.is_meta:
        raise no_kernel("_sample_dirichlet")
    alpha = _host(input).astype(np.float64)
    valid = alpha > 0
    tiny = float_limits(input.dtype)[1]
    gammas = np.maximum(np.where(valid, _numpy_draws(generator).standard_gamma(
        np.where(valid, alpha, 1.0)), tiny), tiny)
    data = (gammas / gammas.sum(-1, keepdims=True)).astype(input.dtype.np)
    below_one = np.nextafter(np.ones((), input.dtype.np), np.zeros((), input.dtype.np))
    data = np.clip(data, input.dtype.np.type(tiny), below_one)
    return record_if(SampleDirichletBackward0, _like(data, input), (input,))


@derivative(jvp=staticmethod(zero_jvp))
def PoissonBackward0(node, grad):
    """Samples carry no gradient to their rate (zeros, as PyTorch)."""
    return grad.new_zeros(grad.shape)


@export("torch")
def poisson(input, generator=None):
    """Poisson samples of the rates in input (a float tensor of non-negative rates)."""
    _require_float(input, "poisson")
    if input.is_meta:
        return record_if(PoissonBackward0, _meta_sample(input), (input,))
    rate = _host(input).astype(np.float64)
    if not (rate >= 0).all():
        raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
    data = np.asarray(_numpy_draws(generator).poisson(rate)).astype(input.dtype.np)
    return record_if(PoissonBackward0, _like(data, input), (input,))


@export("torch")
def binomial(count, prob, generator=None):
    """Binomial(count, prob) samples (float tensors, broadcast): 0 where count or prob is
    <= 0, count where prob >= 1; a count's fractional part is dropped."""
    for t, name in ((count, "count"), (prob, "prob")):
        if not isinstance(t, Tensor):
            raise TypeError(f"binomial(): argument '{name}' must be Tensor, not "
                            f"{type(t).__name__}")
        if t.dtype.category != FLOATING:
            raise ValueError(f"binomial only supports floating-point dtypes for {name}, got: "
                             f"{t.dtype.short}")
    if count.is_meta or prob.is_meta:
        raise no_kernel("binomial")
    n, p = _host(count).astype(np.float64), _host(prob).astype(np.float64)
    try:
        n, p = np.broadcast_arrays(n, p)
    except ValueError:
        raise broadcast_error(count.shape, prob.shape) from None
    trials = np.where(np.isfinite(n) & (n > 0), np.floor(n), 0).astype(np.int64)
    draw = _numpy_draws(generator).binomial(trials, np.clip(np.nan_to_num(p), 0.0, 1.0))
    data = np.where(np.isnan(p), np.nan, np.where(p >= 1, np.maximum(n, 0), draw))
    return record_if(BinomialBackward0, _like(data.astype(count.dtype.np), count), (count, prob))


@export("torch", "Tensor")
def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    """Indices drawn from the categories of each row of input (weights, not necessarily
    normalised), as PyTorch's CPU kernels draw them: with replacement (more than one sample)
    by inverse CDF, else by the exponential race (the n largest of weight / Exp(1))."""
    if input.is_meta:                   # PyTorch's meta kernel checks the rank alone
        if input.ndim not in (1, 2):
            raise RuntimeError("The probability distributions dimensions must be 1 or 2, but "
                               f"got {input.ndim}")
        r = _meta_sample(input, input.shape[:-1] + (num_samples,), int64)
        return r if out is None else out.copy_(r)
    probs = _multinomial_weights(input, num_samples, replacement)
    limits.check_result(probs.shape[:-1] + (num_samples,), 8)   # the draws, then the indices
    weights = _host(input, input.dtype.np).reshape(-1, probs.shape[-1])
    engine = _rng(generator)
    if replacement and num_samples > 1:
        picks = _sample_with_replacement(weights, num_samples, engine)
    else:
        race = kernels.exponential(engine, weights.size, 1.0).astype(weights.dtype)
        with np.errstate(divide="ignore", invalid="ignore"):
            keys = weights / race.reshape(weights.shape)
        picks = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
    data = picks.reshape(probs.shape[:-1] + (num_samples,)).astype(np.int64)
    r = _like(data, input)
    if out is not None:
        return out.copy_(r)
    return r


def _multinomial_weights(input, num_samples, replacement):
    """The weights as float64 host data, after PyTorch's checks."""
    if input.dtype.category != FLOATING:
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{input.dtype.short}")
    if input.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    k = input.shape[-1]
    if not replacement and num_samples > k:
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if k > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    probs = _host(input).astype(np.float64)
    if not (np.isfinite(probs) & (probs >= 0)).all():
        raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (probs.sum(-1) <= 0).any():
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return probs


def _sample_with_replacement(rows, n, engine):
    """multinomial_with_replacement: per row, the running sum in the weights' dtype (float
    for half and bfloat16) over its total, the last bucket set to 1, then for each of n
    double uniforms the first bucket not below it."""
    acc = np.float64 if rows.dtype == np.float64 else np.float32
    cdf = np.cumsum(rows.astype(acc), axis=-1, dtype=acc)
    cdf /= cdf[:, -1:]
    cdf[:, -1] = 1
    u = kernels.unit_doubles(engine, rows.shape[0] * n).reshape(rows.shape[0], n)
    picks = np.empty(u.shape, dtype=np.int64)
    for i in range(rows.shape[0]):
        picks[i] = np.searchsorted(cdf[i].astype(np.float64), u[i], side="left")
    return picks


@export("Tensor")
def exponential_(self, lambd=1.0, *, generator=None):
    """Fill in place with Exponential(lambd) samples."""
    if self.dtype.category != FLOATING:
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified {self.dtype.short}")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    check_no_overlap(self)                              # before drawing for every element
    if self.is_meta:                                    # no data, nothing drawn
        return self
    return fill_in_order(self, lambda shape: kernels.exponential(
        _rng(generator), self.numel(), lambd).reshape(shape).astype(self.dtype.np))


@export("Tensor")
def bernoulli_(self, p=0.5, *, generator=None):
    """Fill in place with 0/1 draws, 1 with probability p (a number or a tensor)."""
    if not isinstance(p, Tensor) and not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    check_no_overlap(self)                              # before drawing for every element
    if self.is_meta:                                    # no data, nothing drawn
        return self
    if isinstance(p, Tensor):
        probs = np.transpose(np.broadcast_to(_host(p, p.dtype.np), self.shape),
                             memory_order(self))
        return fill_in_order(self, lambda shape: kernels.bernoulli_tensor(
            _rng(generator), probs).astype(self.dtype.np))
    return fill_in_order(self, lambda shape: kernels.bernoulli_scalar(
        _rng(generator), self.numel(), p).reshape(shape).astype(self.dtype.np))
