"""tshell's own CUDA elementwise kernels and the fused expressions built on them.

One small intermediate representation (ir.py: a plan of elementwise nodes, each with the
dtype the core's promotion gives it) feeds three things: the CUDA C generator (codegen.py),
the NumPy reference executor that tests the plans on any machine (reference.py), and the
launchers that run them (launch.py: CuPy's RawModule on a GPU, the reference executor on
the test suite's stand-in device). fusion.py is what the language compiler calls for a
whole expression. Nothing here is imported at start-up: the compiler loads it the first
time a launcher is registered (backend.FUSION_LAUNCHERS), i.e. once CUDA is in use.
"""
