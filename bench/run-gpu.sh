#!/usr/bin/env bash
# The GPU picture in one command, in at most nine minutes of measuring (the first build is not counted):
#   bench/run-gpu.sh [--cpu] [OUT_DIR]
# For each GPU provider, CUDA and then TensorRT (fp16 and its engine cache on, as tensorrt.fp16.enabled and
# tensorrt.engine.cache.enabled default): the bare session at batch 1 to 64, the runtime with 1 to 64 callers, and the
# pipeline on 16 partitions with 4, 8 and 16 stream threads, batches of up to 64. Writes OUT_DIR/machine.txt (GPU,
# driver, CPUs, load), OUT_DIR/bench-<provider>.txt (the tables), OUT_DIR/bench-<provider>.json and
# OUT_DIR/gpu-bench.json (all of it in one document). OUT_DIR defaults to
# ${TMPDIR:-/tmp}/emostream-bench-gpu-<UTC time>.
#
# Needs an NVIDIA driver, the CUDA 12 runtime with cuBLAS and cuDNN 9 (and TensorRT 10 for tensorrt) on the library
# path, as the onnxruntime_gpu jar loads them, JDK 17 and Maven for the first build (bin/emostream builds on first
# use). A provider that cannot load is reported in gpu-bench.json and the run goes on with the next one.
#
# --cpu, or no nvidia-smi on the machine: a dry run of the same flow on the CPU provider with tiny settings (about a
# minute), which checks the script and the commands, not the GPU. BENCH_LIMIT_S (540) caps the measuring time.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
CPU_ONLY=false
if [[ "${1:-}" == --cpu ]]; then
  CPU_ONLY=true
  shift
fi
OUT="${1:-${TMPDIR:-/tmp}/emostream-bench-gpu-$(date -u +%Y%m%dT%H%M%SZ)}"
LIMIT_S="${BENCH_LIMIT_S:-540}"

if [[ "$CPU_ONLY" == false ]] && ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "run-gpu: no NVIDIA GPU here (nvidia-smi not found): dry run on the CPU provider instead" >&2
  CPU_ONLY=true
fi

if [[ "$CPU_ONLY" == true ]]; then
  PROVIDERS=(cpu)
  LIMITS=("$LIMIT_S")
  ARGS=(--frames 4 --warmup 2 --repeats 1 --max-batch 2 --batch-sizes 1,2 --threads 2 --partitions 2
        --stream-threads 2 --settle 0)
else
  PROVIDERS=(cuda tensorrt)
  # TensorRT gets more of the time: it builds its engines (once per model, then cached) during the warm-up
  LIMITS=("$((LIMIT_S * 4 / 9))" "$((LIMIT_S * 5 / 9))")
  ARGS=(--frames 256 --warmup 64 --repeats 1 --max-batch 64 --batch-sizes 1,2,4,8,16,32,64
        --threads 1,4,16,64 --partitions 16 --stream-threads 4,8,16 --settle 20)
  if ! ldconfig -p 2>/dev/null | grep -q 'libcublasLt.so.12' && [[ ":${LD_LIBRARY_PATH:-}:" != *cuda* ]]; then
    echo "run-gpu: warning: libcublasLt.so.12 is not in the linker cache; ONNX Runtime's CUDA provider needs the" \
         "CUDA 12 and cuDNN 9 libraries on LD_LIBRARY_PATH" >&2
  fi
fi

mkdir -p "$OUT"
{
  echo "date: $(date -u +%FT%TZ)"
  echo "commit: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "mode: $([[ "$CPU_ONLY" == true ]] && echo "CPU dry run" || echo GPU)"
  echo "cpus: $(nproc)"
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
  fi
} | tee "$OUT/machine.txt"

# Build first, so that the limits cover the measurements only.
"$ROOT/bin/emostream" --version >/dev/null

# One JSON document: the machine, then each provider's report (or why it has none).
json_string() { sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' | awk '{printf "%s\\n", $0}'; }
RESULTS=""
for i in "${!PROVIDERS[@]}"; do
  provider="${PROVIDERS[$i]}"
  echo "run-gpu: $provider (at most ${LIMITS[$i]} s)" >&2
  status=0
  timeout "${LIMITS[$i]}" "$ROOT/bin/emostream" bench all --provider "$provider" "${ARGS[@]}" \
      --json "$OUT/bench-$provider.json" >"$OUT/bench-$provider.txt" 2>"$OUT/bench-$provider.log" || status=$?
  if [[ $status -eq 0 && -s "$OUT/bench-$provider.json" ]]; then
    grep -E '_vs_session=' "$OUT/bench-$provider.txt" >&2 || true
    entry="$(cat "$OUT/bench-$provider.json")"
  else
    why="exit code $status$([[ $status -eq 124 ]] && echo " (over its ${LIMITS[$i]} s)")"
    echo "run-gpu: $provider failed, $why; last lines of $OUT/bench-$provider.log:" >&2
    tail -n 5 "$OUT/bench-$provider.log" >&2
    entry="{\"failed\": \"$why\", \"log\": \"$(tail -n 20 "$OUT/bench-$provider.log" | json_string)\"}"
  fi
  RESULTS="$RESULTS${RESULTS:+,}
  \"$provider\": $entry"
done
printf '{"machine": "%s",%s\n}\n' "$(json_string <"$OUT/machine.txt")" "$RESULTS" >"$OUT/gpu-bench.json"
echo "run-gpu: results in $OUT (gpu-bench.json has them all)" >&2
