"""The op table: every tensor operation, declared once with its derivative and grad_fn name
(tshell/core/registry.py; docs/adding-an-op.md).

Modules by kind: pointwise (elementwise maths and comparisons), reduction, scan, sorting,
sets, binning, shape (views and joins), indexing, scatter, setitem, linalg (matmul family),
fft, special, conversion, creation, random.
"""

# Importing a module declares its ops; the namespaces are built from the declarations.
from . import binning, fft, reduction, scan, sets, sorting, special  # noqa: F401
from . import (activation, convolution, distance, embedding, linear, normalization,  # noqa: F401
               pixel, pooling, rnn)
