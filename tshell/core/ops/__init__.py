"""The op table: every tensor operation, declared once with its derivative and grad_fn name
(tshell/core/registry.py; docs/adding-an-op.md).

Modules by kind: pointwise (elementwise maths and comparisons), complex_numbers, predicates,
reduction, statistics, integration, scan, sorting, sets, binning, shape (views, joins and splits),
strided, view_copies, index_sets, indexing, scatter, setitem, linalg (matmul family),
products, decomposition / solve / spectral / householder / ldl / norms / matrix_functions
(torch.linalg), fft, special, signal_windows, conversion, creation, random.
"""

# Importing a module declares its ops: each is imported at the first use of one of its names
# (tshell/core/op_index.py, methods.py), none by the package itself.
