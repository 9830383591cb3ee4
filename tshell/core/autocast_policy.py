"""The ops autocast casts, and how: PyTorch 2.13's lists (aten/src/ATen/autocast_mode.cpp and
autocast_mode.h), under the names tshell declares them by. Data only: registry.py reads it
when it binds a declaration (an op on no list is bound as it is and never checks autocast).

Policies, per device type:
    lower                the floating tensor arguments cast to the autocast dtype
    fp32                 cast to float32
    fp32_set_opt_dtype   float32 unless the call gives dtype= (sum, softmax, cumsum...)
    promote              cast to the widest floating dtype among them
    banned               refused (binary_cross_entropy under CUDA autocast)

A few ops tshell computes as one op are composites in PyTorch whose inner matmul or cat is on
a list (einsum, tensordot, inner, multi_dot on the CPU; hstack...): they are listed with the
policy their result shows in PyTorch 2.13.
"""
from __future__ import annotations

CPU = {
    "lower": """conv1d conv2d conv3d bmm mm linalg_vecdot baddbmm addmm addbmm linear matmul
        conv_tbc conv_transpose1d conv_transpose2d conv_transpose3d prelu
        scaled_dot_product_attention einsum tensordot inner linalg_multi_dot chain_matmul""",
    "fp32": """avg_pool3d binary_cross_entropy grid_sample polar prod quantile nanquantile stft
        cdist trace view_as_complex cholesky cholesky_inverse cholesky_solve inverse lu_solve
        orgqr ormqr pinverse max_pool3d max_unpool2d max_unpool3d adaptive_avg_pool3d mse_loss
        cosine_embedding_loss nll_loss hinge_embedding_loss poisson_nll_loss smooth_l1_loss
        cross_entropy l1_loss huber_loss margin_ranking_loss soft_margin_loss
        triplet_margin_loss multi_margin_loss ctc_loss kl_div multilabel_margin_loss
        binary_cross_entropy_with_logits fft_fft fft_ifft fft_fft2 fft_ifft2 fft_fftn
        fft_ifftn fft_rfft fft_irfft fft_rfft2 fft_irfft2 fft_rfftn fft_irfftn fft_hfft
        fft_ihfft linalg_cond linalg_matrix_rank matrix_rank linalg_solve linalg_cholesky
        linalg_svdvals linalg_eigvals linalg_eigvalsh linalg_inv linalg_householder_product
        linalg_tensorinv linalg_tensorsolve geqrf qr svd triangular_solve
        fractional_max_pool2d fractional_max_pool3d adaptive_max_pool3d linalg_qr
        linalg_cholesky_ex linalg_svd linalg_eig linalg_eigh linalg_lstsq linalg_inv_ex""",
    "promote": """stack cat concat concatenate hstack vstack dstack row_stack column_stack
        index_copy""",
}

CUDA = {
    "lower": """conv1d conv2d conv3d conv_tbc conv_transpose1d conv_transpose2d
        conv_transpose3d prelu addmm addmv addr matmul einsum mm mv linalg_vecdot linear
        addbmm baddbmm bmm chain_matmul linalg_multi_dot lstm_cell gru_cell rnn_tanh_cell
        rnn_relu_cell scaled_dot_product_attention""",
    "fp32": """acos asin cosh erfinv exp expm1 log log10 log2 log1p reciprocal rsqrt sinh tan
        pow softplus layer_norm group_norm frobenius_norm nuclear_norm cosine_similarity
        poisson_nll_loss cosine_embedding_loss nll_loss cross_entropy hinge_embedding_loss
        kl_div l1_loss smooth_l1_loss huber_loss mse_loss margin_ranking_loss
        multilabel_margin_loss soft_margin_loss triplet_margin_loss multi_margin_loss
        binary_cross_entropy_with_logits dist pdist cdist renorm logsumexp norm""",
    "fp32_set_opt_dtype": """prod softmax log_softmax cumprod cumsum linalg_vector_norm
        linalg_matrix_norm linalg_norm sum""",
    "promote": "addcdiv addcmul atan2 bilinear cross dot grid_sample index_put tensordot "
               "scatter_add",
    "banned": "binary_cross_entropy",
}


def _table(lists):
    return {name: policy for policy, names in lists.items() for name in names.split()}


_BY_DEVICE = {"cpu": _table(CPU), "cuda": _table(CUDA)}
# Names a place binds under another key: operators, and the aliases PyTorch dispatches to
# the listed op (torch.linalg.matmul is matmul, torch.special.logsumexp is logsumexp).
_ALIASES = {"__matmul__": "matmul", "__rmatmul__": "matmul", "__pow__": "pow",
            "__rpow__": "pow", "linalg_matmul": "matmul"}
_PREFIXED = ("linalg", "fft")        # PyTorch's names: linalg_solve, fft_rfft
_WRAPPED_PLACES = ("torch", "Tensor", "F", "linalg", "fft", "special")


def key(place, name):
    """The op's name in the lists for place.name, or None where the place is not wrapped
    (the in-place twins Tensor_ and torch_ are no autocast ops in PyTorch either)."""
    if place not in _WRAPPED_PLACES:
        return None
    full = f"{place}_{name}" if place in _PREFIXED else name
    return _ALIASES.get(full, full)


def listed(place, name) -> bool:
    op = key(place, name)
    return op is not None and any(op in table for table in _BY_DEVICE.values())


def policy_of(op_key):
    """{device type: policy} for an op's key (the devices whose lists name it)."""
    return {device: table[op_key] for device, table in _BY_DEVICE.items() if op_key in table}
