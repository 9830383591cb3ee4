"""The float32/float16/bfloat16 reductions whose error test_sum_accuracy.py compares with
PyTorch's. Run with PyTorch to print PyTorch 2.13's errors, committed in that test:

    /work/torchenv/bin/python -m tests.core.sum_accuracy_cases

Each case maps `torch` (real torch, or tshell.core) to (result, float64 reference); the error
is the largest absolute difference. The data are formulas, so both see the same values."""


def _data(torch, n, dtype):
    return ((torch.arange(n) % 97 - 48) / 7).to(dtype)


def _case(reduce, n, dtype_name, shape=None):
    def run(torch):
        x = _data(torch, n, getattr(torch, dtype_name))
        if shape is not None:
            x = x.view(*shape)
        return reduce(x), reduce(x.double())
    return run


CASES = {
    "sum_f32_contiguous": _case(lambda x: x.sum(), 100_000, "float32"),
    "sum_f32_strided_axis": _case(lambda x: x.sum(0), 100_000, "float32", (10_000, 10)),
    "sum_f32_middle_axis": _case(lambda x: x.sum(1), 200_000, "float32", (10, 4000, 5)),
    "mean_f32": _case(lambda x: x.mean(), 1_000_003, "float32"),
    "var_f32_axis": _case(lambda x: x.var(0), 100_000, "float32", (20_000, 5)),
    "std_f32": _case(lambda x: x.std(), 100_000, "float32"),
    "norm_f32": _case(lambda x: x.norm(), 100_000, "float32"),
    "sum_f16_contiguous": _case(lambda x: x.sum(), 20_000, "float16"),
    "sum_f16_strided_axis": _case(lambda x: x.sum(0), 20_000, "float16", (5000, 4)),
    "mean_f16_strided_axis": _case(lambda x: x.mean(0), 20_000, "float16", (5000, 4)),
    "sum_bf16_strided_axis": _case(lambda x: x.sum(0), 20_000, "bfloat16", (5000, 4)),
}


def error(torch, case):
    result, reference = CASES[case](torch)
    return float((result.double() - reference).abs().max())


if __name__ == "__main__":
    import torch
    print("TORCH_ERRORS = {")
    for name in CASES:
        print(f"    {name!r}: {error(torch, name)!r},")
    print("}")
