"""Recurrent cells and layers (torch.rnn_tanh_cell, lstm_cell, gru_cell; torch.rnn_tanh,
rnn_relu, lstm, gru), composed of tensor ops as ATen composes them on the CPU: the input
projection of a whole padded layer is computed at once, each step adds the hidden
projection. Packed sequences (torch.nn.utils.rnn) run as ATen's PackedLayer runs them: step
by step over the batch's sequences still running, each step projecting its own input."""
from __future__ import annotations

from .. import autograd
from ..autograd import GradMode, derivative
from ..backend import xp_of
from ..registry import export
from ..forward_ad import propagate_outputs
from ..tensor import Duals, record_if, wrap
from .dropout import dropout
from .linear import linear
from .pointwise import sigmoid_kernel
from .scatter import index_copy
from .shape import cat, stack


def _check_cell(input, hx, w_ih, w_hh):
    if input.shape[-1] != w_ih.shape[1]:
        raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected "
                           f"{w_ih.shape[1]}")
    for i, h in enumerate(hx):
        if input.shape[0] != h.shape[0]:
            raise RuntimeError(f"Input batch size {input.shape[0]} doesn't match hidden{i} "
                               f"batch size {h.shape[0]}")
        if h.shape[-1] != w_hh.shape[1]:
            raise RuntimeError(f"hidden{i} has inconsistent hidden_size: got {h.shape[-1]}, "
                               f"expected {w_hh.shape[1]}")


# ---- one step: x_proj is the input already projected (x W_ih^T + b_ih) -------------------

def _simple_step(nonlinearity):
    def step(x_proj, h, w_hh, b_hh):
        return nonlinearity(linear(h, w_hh, b_hh) + x_proj)
    return step


def _lstm_step(x_proj, hc, w_hh, b_hh, w_hr=None):
    h, c = hc
    gates = linear(h, w_hh, b_hh) + x_proj
    i, f, g, o = gates.chunk(4, 1)
    cy = f.sigmoid() * c + i.sigmoid() * g.tanh()
    hy = o.sigmoid() * cy.tanh()
    return (hy if w_hr is None else hy.matmul(w_hr.t())), cy


def _gru_step(x_proj, h, w_hh, b_hh):
    ir, iz, in_ = x_proj.chunk(3, 1)
    hr, hz, hn = linear(h, w_hh, b_hh).chunk(3, 1)
    reset = (hr + ir).sigmoid()
    update = (hz + iz).sigmoid()
    new = (in_ + hn * reset).tanh()
    return (h - new) * update + new


_STEPS = {"RNN_TANH": _simple_step(lambda t: t.tanh()),
          "RNN_RELU": _simple_step(lambda t: t.relu()), "LSTM": _lstm_step, "GRU": _gru_step}


def _cell(mode, input, hx, w_ih, w_hh, b_ih, b_hh):
    _check_cell(input, hx if mode == "LSTM" else (hx,), w_ih, w_hh)
    return _STEPS[mode](linear(input, w_ih, b_ih), hx, w_hh, b_hh)


@export("torch")
def rnn_tanh_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """tanh(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return _cell("RNN_TANH", input, hx, w_ih, w_hh, b_ih, b_hh)


@export("torch")
def rnn_relu_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """relu(x W_ih^T + b_ih + h W_hh^T + b_hh)."""
    return _cell("RNN_RELU", input, hx, w_ih, w_hh, b_ih, b_hh)


@export("torch")
def lstm_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One LSTM step: (h', c') from input and hx = (h, c)."""
    return _cell("LSTM", input, tuple(hx), w_ih, w_hh, b_ih, b_hh)


@export("torch")
def gru_cell(input, hx, w_ih, w_hh, b_ih=None, b_hh=None):
    """One GRU step: h' from input and h."""
    return _cell("GRU", input, hx, w_ih, w_hh, b_ih, b_hh)


# ---- whole sequences ---------------------------------------------------------------------

def _direction(mode, x_proj, hidden, w_hh, b_hh, w_hr, reverse):
    """Run one direction of one layer over the projected inputs (T, B, G): the stacked
    outputs (T, B, H) and the last hidden state."""
    steps = x_proj.unbind(0)
    order = range(len(steps) - 1, -1, -1) if reverse else range(len(steps))
    step = _STEPS[mode]
    outputs = [None] * len(steps)
    for t in order:
        hidden = step(steps[t], hidden, w_hh, b_hh, w_hr) if mode == "LSTM" else \
            step(steps[t], hidden, w_hh, b_hh)
        outputs[t] = hidden[0] if mode == "LSTM" else hidden
    return stack(outputs, 0), hidden


# ---- PyTorch's CPU LSTM layer (MKL-DNN): one op per layer and direction -------------------

@derivative(slots=("n_outputs",))
def MkldnnRnnLayerBackward0(node, grads):
    """The gradients of a fused LSTM layer: its composite (the steps in tensor ops) is run
    again on the saved inputs and differentiated, so create_graph=True works as well."""
    inputs = node.saved            # x, w_ih, w_hh, b_ih, b_hh, h0, c0
    reverse, = node.params
    x, w_ih, w_hh, b_ih, b_hh, h0, c0 = inputs
    wanted = [i for i, t in enumerate(inputs) if t is not None and t._rg]
    create = GradMode.enabled
    with autograd.enable_grad():
        outs = _direction("LSTM", linear(x, w_ih, b_ih), (h0, c0), w_hh, b_hh, None, reverse)
        outs = (outs[0], outs[1][0], outs[1][1])
    pairs = [(o, g) for o, g in zip(outs, grads) if g is not None]
    found = autograd.grad([o for o, _ in pairs], [inputs[i] for i in wanted],
                          [g for _, g in pairs], retain_graph=create, create_graph=create,
                          allow_unused=True)
    result = [None] * len(inputs)
    for i, g in zip(wanted, found):
        result[i] = g
    return tuple(result)


def _lstm_layer(x, hc, w_ih, w_hh, b_ih, b_hh, reverse):
    """One direction of one float32 LSTM layer as a single op (PyTorch's MKL-DNN layer, whose
    grad_fn is MkldnnRnnLayerBackward0): (output (T, B, H), last h, last c)."""
    xd = x._data
    xp = xp_of(xd)
    proj = xp.matmul(xd, w_ih._data.T)
    if b_ih is not None:
        proj = proj + b_ih._data
    h, c = hc[0]._data, hc[1]._data
    n = w_hh.shape[1]
    outs = xp.empty(proj.shape[:2] + (n,), dtype=xd.dtype)
    for t in (range(proj.shape[0] - 1, -1, -1) if reverse else range(proj.shape[0])):
        gates = xp.matmul(h, w_hh._data.T)
        if b_hh is not None:
            gates = gates + b_hh._data
        gates = gates + proj[t]
        i, f, o = (sigmoid_kernel(xp, gates[:, k * n:(k + 1) * n]) for k in (0, 1, 3))
        c = f * c + i * xp.tanh(gates[:, 2 * n:3 * n])
        h = o * xp.tanh(c)
        outs[t] = h
    results = (wrap(outs), wrap(xp.asarray(h)), wrap(xp.asarray(c)))
    inputs = (x, w_ih, w_hh, b_ih, b_hh, hc[0], hc[1])
    node = record_if(MkldnnRnnLayerBackward0, results[0], inputs, (reverse,), save=inputs)._fn
    if node is not None:
        node.n_outputs = 3
        for k, r in enumerate(results):
            r._fn, r._nr, r._rg = node, k, True
    if Duals:
        propagate_outputs(MkldnnRnnLayerBackward0, results, inputs, (reverse,), inputs)
    return results[0], (results[1], results[2])


def _layer_weights(params, has_biases, proj, index):
    """(w_ih, w_hh, b_ih, b_hh, w_hr) of one layer and direction from the flat list."""
    per = 2 + 2 * has_biases + proj
    w = list(params[index * per:(index + 1) * per])
    w_ih, w_hh = w[0], w[1]
    b_ih, b_hh = (w[2], w[3]) if has_biases else (None, None)
    return w_ih, w_hh, b_ih, b_hh, (w[-1] if proj else None)


def _rnn(mode, input, hx, params, has_biases, num_layers, dropout_p, train, bidirectional,
         batch_first):
    """The output (T, B, D*H) of the last layer and the last hidden state of every layer and
    direction (L*D, B, H) (for LSTM, the pair (h, c))."""
    params = list(params)
    directions = 2 if bidirectional else 1
    per = 2 + 2 * has_biases
    proj = int(mode == "LSTM" and len(params) == num_layers * directions * (per + 1))
    x = input.transpose(0, 1) if batch_first else input
    if mode == "LSTM":
        h0, c0 = hx
        initial = [(h0[i], c0[i]) for i in range(num_layers * directions)]
    else:
        initial = list(hx.unbind(0)) if hx.ndim else []
    # PyTorch runs float32 LSTMs without projections through MKL-DNN, one op per layer
    fused = mode == "LSTM" and not proj and input.dtype.name == "float32"
    finals = []
    for layer in range(num_layers):
        outs = []
        for d in range(directions):
            i = layer * directions + d
            w_ih, w_hh, b_ih, b_hh, w_hr = _layer_weights(params, has_biases, proj, i)
            if fused:
                out, last = _lstm_layer(x, initial[i], w_ih, w_hh, b_ih, b_hh, d == 1)
            else:
                out, last = _direction(mode, linear(x, w_ih, b_ih), initial[i], w_hh, b_hh,
                                       w_hr, reverse=d == 1)
            outs.append(out)
            finals.append(last)
        x = outs[0] if directions == 1 else cat(outs, outs[0].ndim - 1)
        if dropout_p and train and layer < num_layers - 1:
            x = dropout(x, dropout_p, True)
    # (ATen's RNN and GRU transpose their own result in place: TransposeBackward1)
    output = x if not batch_first else x.transpose(0, 1) if mode == "LSTM" else \
        x.transpose_(0, 1)
    if mode == "LSTM":
        return output, stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0)
    return output, stack(finals, 0)


def _sequence(mode):
    def run(input, hx, params, has_biases, num_layers, dropout, train, bidirectional,
            batch_first):
        return _rnn(mode, input, hx, params, has_biases, num_layers, dropout, train,
                    bidirectional, batch_first)
    run.__name__ = run.__qualname__ = mode.lower()
    run.__doc__ = (f"torch.{mode.lower()}(input, hx, params, has_biases, num_layers, dropout, "
                   "train, bidirectional, batch_first): a whole multi-layer recurrent net over "
                   "a padded (not packed) sequence.")
    return run


rnn_tanh, rnn_relu, lstm, gru = (export("torch")(_sequence(m))
                                 for m in ("RNN_TANH", "RNN_RELU", "LSTM", "GRU"))


# ---- packed sequences: the batch's sequences sorted by length, stored time step by time step

@derivative
def PackPaddedSequenceBackward0(node, grad):
    """The packed rows' gradients put back where they came from in the padded input (shape:
    its time-major shape)."""
    shape, rows, batch_first = node.params
    steps, batch = shape[:2]
    padded = grad.new_zeros((steps * batch,) + tuple(shape[2:]))
    padded = index_copy(padded, 0, rows, grad).view((steps, batch) + tuple(shape[2:]))
    return padded.transpose(0, 1) if batch_first else padded


def batch_sizes_of(lengths) -> list:
    """How many of the sequences (lengths in decreasing order) run at each time step."""
    return [sum(1 for n in lengths if n > t) for t in range(lengths[0])]


def pack_padded(input, lengths, batch_first):
    """ATen's _pack_padded_sequence: the rows of the padded input (T, B, *) (B, T, * when
    batch_first) that hold data, time step by time step; lengths in decreasing order. Returns
    (data, batch sizes)."""
    x = input.transpose(0, 1) if batch_first else input
    if x.numel() == 0:
        raise RuntimeError("Cannot pack empty tensors.")
    batch = x.shape[1]
    if len(lengths) != batch:
        raise RuntimeError(f"Expected `len(lengths)` to be equal to batch_size, but got "
                           f"{len(lengths)} (batch_size={batch})")
    if lengths[-1] <= 0:
        raise RuntimeError("Length of all samples has to be greater than 0, but found an "
                           "element in 'lengths' that is <= 0")
    if any(a < b for a, b in zip(lengths, lengths[1:])):
        raise RuntimeError("`lengths` array must be sorted in decreasing order when "
                           "`enforce_sorted` is True. You can pass `enforce_sorted=False` to "
                           "pack_padded_sequence and/or pack_sequence to sidestep this "
                           "requirement if you do not need ONNX exportability.")
    sizes = batch_sizes_of(lengths)
    rows = [t * batch + b for t, size in enumerate(sizes) for b in range(size)]
    xd = x._data
    xp = xp_of(xd)
    index = xp.asarray(rows, dtype=xp.int64)
    data = wrap(xd.reshape((-1,) + xd.shape[2:])[index])
    return record_if(PackPaddedSequenceBackward0, data, (input,),
                     (tuple(x.shape), wrap(index), batch_first)), sizes


def pad_packed(data, sizes, batch_first, padding_value, total_length):
    """ATen's _pad_packed_sequence: the packed rows back in a padded (T, B, *) tensor (B, T,
    * when batch_first) of padding_value, T = total_length; and each sequence's length."""
    batch = sizes[0]
    output = data.new_full((total_length, batch) + tuple(data.shape[1:]), padding_value)
    offset = 0
    for t, size in enumerate(sizes):
        output[t, :size] = data[offset:offset + size]
        offset += size
    lengths = [sum(1 for size in sizes if size > b) for b in range(batch)]
    return (output.transpose(0, 1) if batch_first else output), lengths


def _narrow_state(hidden, start, stop):
    if isinstance(hidden, tuple):
        return tuple(h[start:stop] for h in hidden)
    return hidden[start:stop]


def _cat_states(states):
    if isinstance(states[0], tuple):
        return tuple(cat([s[k] for s in states], 0) for k in range(len(states[0])))
    return cat(states, 0)


def _packed_step(mode, x, hidden, weights):
    w_ih, w_hh, b_ih, b_hh, w_hr = weights
    step = _STEPS[mode]
    projected = linear(x, w_ih, b_ih)
    return step(projected, hidden, w_hh, b_hh, w_hr) if mode == "LSTM" else \
        step(projected, hidden, w_hh, b_hh)


def _packed_forward(mode, data, sizes, initial, weights):
    """One direction of one layer, forwards: sequences leave the batch as they end (the
    longest first in the batch), their last states collected in batch order."""
    outputs, ended = [], []
    hidden, offset, running = initial, 0, sizes[0]
    for size in sizes:
        if size < running:
            ended.append(_narrow_state(hidden, size, running))
            hidden = _narrow_state(hidden, 0, size)
        running = size
        hidden = _packed_step(mode, data[offset:offset + size], hidden, weights)
        offset += size
        outputs.append(hidden[0] if mode == "LSTM" else hidden)
    ended.append(hidden)
    return cat(outputs, 0), _cat_states(ended[::-1])


def _packed_reverse(mode, data, sizes, initial, weights):
    """One direction of one layer, backwards from the last step: sequences join the batch
    at their own last step, starting from their initial states."""
    outputs = []
    offset, running = data.shape[0], sizes[-1]
    hidden = _narrow_state(initial, 0, running)
    for size in reversed(sizes):
        if size > running:
            hidden = _cat_states([hidden, _narrow_state(initial, running, size)])
        running = size
        hidden = _packed_step(mode, data[offset - size:offset], hidden, weights)
        offset -= size
        outputs.append(hidden[0] if mode == "LSTM" else hidden)
    return cat(outputs[::-1], 0), hidden


def rnn_packed(mode, data, sizes, hx, params, has_biases, num_layers, dropout_p, train,
               bidirectional):
    """A multi-layer recurrent net over a packed sequence (data (N, input), the batch sizes
    per step): the packed output (N, D*H) and the last states (L*D, B, H) (for LSTM, the
    pair (h, c)), as ATen's packed overloads of torch.rnn_tanh / lstm / gru compute them."""
    params = list(params)
    directions = 2 if bidirectional else 1
    per = 2 + 2 * has_biases
    proj = int(mode == "LSTM" and len(params) == num_layers * directions * (per + 1))
    count = num_layers * directions
    initial = [(hx[0][i], hx[1][i]) for i in range(count)] if mode == "LSTM" else \
        [hx[i] for i in range(count)]
    x, finals = data, []
    for layer in range(num_layers):
        outs = []
        for d in range(directions):
            i = layer * directions + d
            weights = _layer_weights(params, has_biases, proj, i)
            run = _packed_reverse if d == 1 else _packed_forward
            out, last = run(mode, x, sizes, initial[i], weights)
            outs.append(out)
            finals.append(last)
        x = outs[0] if directions == 1 else cat(outs, 1)
        if dropout_p and train and layer < num_layers - 1:
            x = dropout(x, dropout_p, True)
    if mode == "LSTM":
        return x, stack([h for h, _ in finals], 0), stack([c for _, c in finals], 0)
    return x, stack(finals, 0)
