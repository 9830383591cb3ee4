"""The op table: every tensor operation, declared once with its derivative and grad_fn name
(tshell/core/registry.py; docs/adding-an-op.md).

Modules by kind: pointwise (elementwise maths and comparisons), complex_numbers, predicates,
reduction, statistics, integration, scan, sorting, sets, binning, shape (views, joins and splits),
strided, view_copies, index_sets, indexing, scatter, setitem, linalg (matmul family),
products, decomposition / solve / spectral / householder / ldl / norms / matrix_functions
(torch.linalg), fft, special, signal_windows, conversion, creation, random.
"""

# Importing a module declares its ops; the namespaces are built from the declarations.
from . import (activation, attention, attributes, binning, complex_numbers, contraction,
               conversion, convolution, creation, ctc, decomposition, direct_inplace, distance,
               dropout, elementwise, embedding, embedding_bag, equality, fft, householder,
               index_sets, indexing, inplace, integration, interpolation, ldl, linalg, linear,
               loss, matrix_functions, normalization, norms, operators, padding, pixel, pointwise,
               pooling, predicates, products, reduction, rnn, scan, scatter, setitem, sets, shape,
               signal_windows, solve, sorting, special, spectral, statistics, strided,
               view_copies, windows)
from . import gumbel_softmax
from . import sampling  # after dropout, which imports random.py
from . import segment_reduction, short_time_fft
from . import grid_sampling
from . import grouped_products
