"""The op table: every tensor operation, declared once with its derivative and grad_fn name
(tshell/core/registry.py; docs/adding-an-op.md).

Modules by kind: pointwise (elementwise maths and comparisons), predicates, reduction,
statistics, integration, scan, sorting, sets, binning, shape (views, joins and splits),
index_sets, indexing, scatter, setitem, linalg (matmul family), products, fft, special,
conversion, creation, random.
"""

# Importing a module declares its ops; the namespaces are built from the declarations.
from . import (activation, attributes, binning, contraction, conversion,  # noqa: F401
               convolution, creation, decomposition, distance, embedding, equality, fft,
               index_sets, indexing, inplace, integration, linalg, linear, normalization,
               pixel, pooling, predicates, products, reduction, rnn, scan, scatter, sets,
               setitem, shape, signal_windows, sorting, special, statistics, strided,
               view_copies)
