"""The op table: every tensor operation, declared once with its derivative and grad_fn name.

Modules by kind: pointwise (elementwise maths and comparisons), reduction, scan, sorting,
sets, binning, shape (views and joins), indexing, linalg (matmul family), conversion,
creation, random.
"""

from . import binning, reduction, scan, sets, sorting  # noqa: F401 (importing declares their ops)
