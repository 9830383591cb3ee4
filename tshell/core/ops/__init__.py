"""The op table: every tensor operation, declared once with its derivative and grad_fn name.

Modules by kind: pointwise (elementwise maths and comparisons), reduction, shape (views and
joins), indexing, linalg (matmul family), conversion, creation, random.
"""

from . import fft, special  # noqa: E402,F401 (the modules that only declare: binding their names)
