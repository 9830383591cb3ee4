#!/usr/bin/env bash
# Issue 20's GPU checks in one device call (about 6 minutes; give it timeout_s=600): install,
# the CUDA tests (the generated kernels and fused paths against the eager CUDA ops, the
# goldens and gradchecks with CUDA as the default device), then benchmarks/bench_gpu.py
# against PyTorch CUDA (or CuPy). Results land under $OUT: gpu.txt, tests.txt, bench.txt and
# the table bench_gpu.md.
#
# Before the call, here, from the project root (lark, prompt_toolkit, wcwidth as wheels):
#     bash ../shared/tools/gpu-wheels.sh .whl
# The device call (run tool): command "bash benchmarks/gpu_session.sh", carry [".whl"].
set -uo pipefail
OUT=${OUT:-/tmp/gpu_session}
mkdir -p "$OUT"
if compgen -G ".whl/*.whl" > /dev/null; then
    python3 -m pip install -q --no-index --no-deps --no-compile --target /tmp/site .whl/*.whl \
        || exit 1
    export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1

{ nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  python3 -c "import cupy, numpy; print('cupy', cupy.__version__, 'numpy', numpy.__version__)"
  python3 -c "import torch; print('torch', torch.__version__, torch.cuda.is_available())" \
      || echo "torch absent: CuPy is the reference"
} 2>&1 | tee "$OUT/gpu.txt"

# The CUDA tests: at most 5 minutes, so that the benchmark always runs.
timeout 300 python3 -m pytest -q -p no:cacheprovider -o addopts="" \
    tests/core/test_cuda_kernels_gpu.py tests/core/test_cuda_fusion.py \
    tests/core/test_cuda_codegen.py tests/core/test_cuda.py \
    tests/core/test_goldens_device.py tests/core/test_gradcheck_device.py 2>&1 \
    | tee "$OUT/tests.txt" | tail -25
echo "tests exit status: ${PIPESTATUS[0]}" | tee -a "$OUT/tests.txt"

timeout 240 python3 benchmarks/bench_gpu.py --out "$OUT/bench_gpu.md" 2>&1 | tee "$OUT/bench.txt"
echo "bench exit status: ${PIPESTATUS[0]}"
