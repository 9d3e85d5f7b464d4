#!/usr/bin/env bash
# The benchmark set on a GPU machine with the CUDA provider, in one command and in under ten minutes:
#   bench/run-gpu.sh [OUT_DIR]
# Writes OUT_DIR/bench-all.txt (the tables), OUT_DIR/bench-all.json and OUT_DIR/machine.txt (GPU, driver, CPUs,
# load). OUT_DIR defaults to ${TMPDIR:-/tmp}/emostream-bench-gpu-<UTC time>.
#
# Needs an NVIDIA driver, the CUDA 12 runtime with cuBLAS and cuDNN 9 on the library path (what the
# onnxruntime_gpu jar loads), JDK 17 and Maven with its dependencies reachable for the first build (bin/emostream
# builds on first use). Overrides, for a smoke test elsewhere:
#   BENCH_PROVIDER=cpu  BENCH_FRAMES=8  BENCH_ARGS="--partitions 1 --stream-threads 1"
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
OUT="${1:-${TMPDIR:-/tmp}/emostream-bench-gpu-$(date -u +%Y%m%dT%H%M%SZ)}"
PROVIDER="${BENCH_PROVIDER:-cuda}"
FRAMES="${BENCH_FRAMES:-512}"
# A GPU wants wide batches: more caller threads and stream threads than cores would, and a larger batcher limit.
# shellcheck disable=SC2206 # BENCH_ARGS is a list of options
EXTRA=(${BENCH_ARGS:---batch-sizes 1,2,4,8,16,32 --threads 1,4,16,32 --partitions 1,8 --stream-threads 1,4,8})
# Under ten minutes in all: the build is not counted against the run's own limit.
LIMIT_S="${BENCH_LIMIT_S:-540}"

mkdir -p "$OUT"
if [[ "$PROVIDER" == cuda || "$PROVIDER" == tensorrt ]]; then
  if ! command -v nvidia-smi >/dev/null 2>&1; then
    echo "run-gpu: nvidia-smi not found: no NVIDIA driver on this machine (BENCH_PROVIDER=cpu runs on the CPU)" >&2
    exit 1
  fi
  if ! ldconfig -p 2>/dev/null | grep -q 'libcublasLt.so.12' && [[ ":${LD_LIBRARY_PATH:-}:" != *cuda* ]]; then
    echo "run-gpu: warning: libcublasLt.so.12 is not in the linker cache; ONNX Runtime's CUDA provider needs the" \
         "CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH" >&2
  fi
fi

{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "cpus: $(nproc)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  fi
} | tee "$OUT/machine.txt"

# Build first (outside the time limit), so the limit covers the measurements only.
"$ROOT/bin/emostream" --version >/dev/null

timeout "$LIMIT_S" "$ROOT/bin/emostream" bench all --provider "$PROVIDER" --frames "$FRAMES" \
    --warmup "$((FRAMES / 4))" --repeats 3 --max-batch 32 "${EXTRA[@]}" --json "$OUT/bench-all.json" \
  | tee "$OUT/bench-all.txt"
echo "run-gpu: results in $OUT" >&2
