"""Lazy modules: layers whose input size (in_features, in_channels, num_features) is taken
from their first input. Until then their parameters and buffers are UninitializedParameter /
UninitializedBuffer; the first call gives them shapes, initialises them, and the module
becomes its cls_to_become (LazyConv1d -> Conv1d). Also the lazy convolutions (type() prints
them under torch.nn.modules.conv, as PyTorch defines them there)."""
from __future__ import annotations

from ...dtypes import int64
from ...grad_mode import no_grad
from ...ops.creation import tensor
from ..parameter import UninitializedBuffer, UninitializedParameter, is_lazy
from . import conv

__all__ = ["LazyModuleMixin", "LazyConv1d", "LazyConv2d", "LazyConvTranspose1d",
           "LazyConvTranspose2d"]


class LazyModuleMixin:
    """Hooks that infer the shapes on the first call and load lazy state dicts; a class
    mixing it in writes initialize_parameters(input) and names its cls_to_become."""

    cls_to_become = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._load_hook = self.register_load_state_dict_pre_hook(
            LazyModuleMixin._lazy_load_hook)
        self._initialize_hook = self.register_forward_pre_hook(
            LazyModuleMixin._infer_parameters)

    def has_uninitialized_params(self):
        return any(is_lazy(p) for p in (*self._parameters.values(), *self._buffers.values()))

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(
            f"initialize_parameters is not implemented for {self.__class__.__name__}")

    def _infer_parameters(self, args):
        self.initialize_parameters(*args)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        self._initialize_hook.remove()
        self._load_hook.remove()
        del self._initialize_hook, self._load_hook
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become

    def _lazy_load_hook(self, state_dict, prefix, *args):
        """Materialise the lazy tensors a state dict gives values for, so it loads."""
        for name, value in (*self._parameters.items(), *self._buffers.items()):
            loaded = state_dict.get(prefix + name)
            if value is not None and loaded is not None and is_lazy(value) \
                    and not is_lazy(loaded):
                with no_grad():
                    value.materialize(loaded.shape)

    def _save_to_state_dict(self, destination, prefix, keep_vars):
        for name, param in self._parameters.items():
            if param is not None:
                destination[prefix + name] = param if is_lazy(param) or keep_vars \
                    else param.detach()
        for name, buf in self._buffers.items():
            if buf is not None and name not in self._non_persistent_buffers_set:
                destination[prefix + name] = buf if is_lazy(buf) or keep_vars \
                    else buf.detach()


class LazyNormMixin(LazyModuleMixin):
    """The lazy batch and instance norms: num_features from the input's channel dim."""

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True,
                 device=None, dtype=None, *, bias=True):
        # affine and track_running_stats False: nothing made that is replaced at once
        super().__init__(0, eps, momentum, False, False, device, dtype, bias=False)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(device=device, dtype=dtype)
            if bias:
                self.bias = UninitializedParameter(device=device, dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(device=device, dtype=dtype)
            self.running_var = UninitializedBuffer(device=device, dtype=dtype)
            self.num_batches_tracked = tensor(0, dtype=int64, device=device)

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            with no_grad():
                for name in ("weight", "bias", "running_mean", "running_var"):
                    value = getattr(self, name)
                    if value is not None:
                        value.materialize((self.num_features,))
                self.reset_parameters()


class _LazyConvMixin(LazyModuleMixin):
    """The lazy convolutions: in_channels from the input's channel dim."""

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def _lazy_parameters(self, bias, device, dtype):
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)

    def initialize_parameters(self, input, *args, **kwargs):
        if self.has_uninitialized_params():
            self.in_channels = self._get_in_channels(input)
            if self.in_channels % self.groups != 0:
                raise ValueError("in_channels must be divisible by groups")
            with no_grad():
                if self.transposed:
                    shape = (self.in_channels, self.out_channels // self.groups)
                else:
                    shape = (self.out_channels, self.in_channels // self.groups)
                self.weight.materialize((*shape, *self.kernel_size))
                if self.bias is not None:
                    self.bias.materialize((self.out_channels,))
                self.reset_parameters()

    def _get_in_channels(self, input):
        no_batch = len(self.kernel_size) + 1
        if input.dim() not in (no_batch, no_batch + 1):
            raise RuntimeError(f"Expected {no_batch}D (unbatched) or {no_batch + 1}D (batched) "
                               f"input to {self.__class__.__name__}, but got input of size: "
                               f"{input.shape}")
        return input.shape[1] if input.dim() == no_batch + 1 else input.shape[0]


def _lazy_conv(base):
    """LazyConvNd for base ConvNd: out_channels, kernel_size... as base takes them."""

    class LazyConv(_LazyConvMixin, base):
        cls_to_become = base

        def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1,
                     groups=1, bias=True, padding_mode="zeros", device=None, dtype=None):
            super().__init__(0, 0, kernel_size, stride, padding, dilation, groups, False,
                             padding_mode, device, dtype)
            self.out_channels = out_channels
            self._lazy_parameters(bias, device, dtype)

    return _named(LazyConv, base)


def _lazy_conv_transpose(base):
    """LazyConvTransposeNd for base ConvTransposeNd."""

    class LazyConvTranspose(_LazyConvMixin, base):
        cls_to_become = base

        def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0,
                     groups=1, bias=True, dilation=1, padding_mode="zeros", device=None,
                     dtype=None):
            super().__init__(0, 0, kernel_size, stride, padding, output_padding, groups, False,
                             dilation, padding_mode, device, dtype)
            self.out_channels = out_channels
            self._lazy_parameters(bias, device, dtype)

    return _named(LazyConvTranspose, base)


def _named(cls, base):
    cls.__name__ = cls.__qualname__ = "Lazy" + base.__name__
    cls.__module__ = conv.__name__
    cls.__doc__ = f"A {base.__name__} whose in_channels is taken from its first input."
    return cls


LazyConv1d = _lazy_conv(conv.Conv1d)
LazyConv2d = _lazy_conv(conv.Conv2d)
LazyConvTranspose1d = _lazy_conv_transpose(conv.ConvTranspose1d)
LazyConvTranspose2d = _lazy_conv_transpose(conv.ConvTranspose2d)
# Conv3d and ConvTranspose3d come with another change; their lazy forms follow them.
if hasattr(conv, "Conv3d"):
    LazyConv3d = _lazy_conv(conv.Conv3d)
    __all__.append("LazyConv3d")
if hasattr(conv, "ConvTranspose3d"):
    LazyConvTranspose3d = _lazy_conv_transpose(conv.ConvTranspose3d)
    __all__.append("LazyConvTranspose3d")
