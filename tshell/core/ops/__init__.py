"""The op table: every tensor operation, declared once with its derivative and grad_fn name
(tshell/core/registry.py; docs/adding-an-op.md).

Modules by kind: pointwise (elementwise maths and comparisons), complex_numbers (real, imag,
conjugates, angle, view_as_real/view_as_complex), reduction, scan, sorting,
sets, binning, shape (views and joins), indexing, scatter, setitem, linalg (matmul family),
decomposition / solve / spectral / householder / norms / matrix_functions (torch.linalg),
fft, special, conversion, creation, random.
"""

# Importing a module declares its ops; the namespaces are built from the declarations.
from . import (activation, attention, attributes, binning, complex_numbers, contraction,
               conversion, convolution, creation, ctc, decomposition, direct_inplace, distance,
               dropout, elementwise, embedding, embedding_bag, equality, fft, householder,
               indexing, inplace, interpolation, ldl, linalg, linear, loss, matrix_functions,
               normalization, norms, operators, padding, pixel, pointwise, pooling, reduction,
               rnn, scan, scatter, setitem, sets, shape, solve, sorting, special, spectral,
               windows)
