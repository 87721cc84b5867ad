#!/usr/bin/env bash
# Training throughput on this machine: training + validation windows per second of wall time, many folds of one
# dataset (USC-HAD folds 0 and 1), for TinierHAR, TinyHAR and DeepConvLSTM at the paper preset (batch 256) and the
# reference preset (batch 32). Side by side in the same run:
#   plain:  TINIERHAR_KERNELS=off tinierhar train --folds 0,1 --threads 2      (one process, plain TorchSharp)
#   best:   tinierhar study run --workers 2 --threads 1                        (two worker processes, fast path)
#   PyTorch: Debian's PyTorch 1.13.1 with the library's heap settings, 2 threads, train steps only (no validation) on
#            synthetic windows of USC-HAD's shape (bench/train/pytorch_bench.py): a strong peer's step rate.
# Usage: bench/throughput/run.sh [--data DIR] [--epochs N] [--models tinierhar,tinyhar,deepconvlstm] [--presets paper,reference]
# Data folder: bench/Shared/data.sh. Writes bench/results/throughput.md atomically. Run it on an otherwise idle machine (it prints the load average).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
data=""; epochs=2; models="tinierhar,tinyhar,deepconvlstm"; presets="paper,reference"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data="$2"; shift 2;;
    --epochs) epochs="$2"; shift 2;;
    --models) models="$2"; shift 2;;
    --presets) presets="$2"; shift 2;;
    *) echo "bench/throughput: unknown option $1 (expected --data, --epochs, --models, --presets)" >&2; exit 2;;
  esac
done
. "$repo/bench/Shared/data.sh"; data="$(bench_data throughput "$data")"
. "$repo/bench/Shared/pytorch.sh"; bench_pytorch throughput

work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
dotnet publish "$repo/cli" -c Release -o "$work/bin" -nologo -v q >/dev/null
th="$work/bin/tinierhar"
cache="$repo/data/cache"
"$th" datasets --data "$data" --cache "$cache" --json > "$work/datasets.json"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

rows="$work/rows.tsv"; : > "$rows"
for preset in ${presets//,/ }; do
  for model in ${models//,/ }; do
    t0=$(date +%s.%N)
    TINIERHAR_KERNELS=off "$th" train --model "$model" --dataset uschad --folds 0,1 --preset "$preset" --epochs "$epochs" --threads 2 \
      --data "$data" --cache "$cache" --out "$work/plain-$model-$preset" > "$work/plain-$model-$preset.log"
    t1=$(date +%s.%N)
    "$th" study plan --out "$work/best-$model-$preset" --datasets uschad --models "$model" --folds 0,1 --preset "$preset" --epochs "$epochs" >/dev/null
    "$th" study run --out "$work/best-$model-$preset" --workers 2 --threads 1 --data "$data" --cache "$cache" > "$work/best-$model-$preset.log"
    t2=$(date +%s.%N)
    printf '%s\t%s\t%s\t%s\n' "$preset" "$model" "$(echo "$t1 - $t0" | bc)" "$(echo "$t2 - $t1" | bc)" >> "$rows"
    echo "bench/throughput: $preset $model plain $(echo "$t1 - $t0" | bc) s, workers $(echo "$t2 - $t1" | bc) s"
  done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# PyTorch peer: synthetic windows of USC-HAD's shape, 2 threads, the library's heap settings.
peer="$work/peer.tsv"; : > "$peer"
/usr/bin/python3 - "$work/npy" <<'PY'
import sys, numpy as np, os
d = sys.argv[1]; os.makedirs(d, exist_ok=True); rng = np.random.default_rng(1)
np.save(os.path.join(d, "x.npy"), rng.standard_normal((2048, 1, 400, 6), dtype=np.float32))
np.save(os.path.join(d, "y.npy"), rng.integers(0, 12, 2048).astype(np.int64))
np.save(os.path.join(d, "order.npy"), rng.permutation(2048).astype(np.int64))
PY
for preset in ${presets//,/ }; do
  batch=$([ "$preset" = paper ] && echo 256 || echo 32); steps=$([ "$preset" = paper ] && echo 4 || echo 20)
  for model in ${models//,/ }; do
    MALLOC_MMAP_THRESHOLD_=1073741824 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_ARENA_MAX=1 /usr/bin/python3 "$repo/bench/train/pytorch_bench.py" \
      --dir "$work/npy" --classes 12 --model "$model" --threads 2 --batch "$batch" --steps "$steps" --warmup 1 > "$work/peer.json"
    printf '%s\t%s\t%s\n' "$preset" "$model" "$(/usr/bin/python3 -c 'import json,sys,statistics as s; r=json.load(open(sys.argv[1])); t=r["step_s"]; print(int(sys.argv[2])/s.median(t))' "$work/peer.json" "$batch")" >> "$peer"
  done
done

blas="$(basename "$(dirname "$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3)")")" # the BLAS Debian's PyTorch calls
/usr/bin/python3 - "$work" "$rows" "$peer" "$epochs" "$load_before" "$load_after" "$repo/bench/results/throughput.md" "$blas" <<'PY'
import json, sys, os, platform, subprocess, datetime
work, rows, peer, epochs, lb, la, out, blas = sys.argv[1:9]
d = json.load(open(os.path.join(work, "datasets.json")))
d = d if isinstance(d, list) else d["datasets"]
u = [e for e in d if e["key"] == "uschad"][0]
windows = sum(f["train"] + f["validation"] for f in u["folds"][:2]) * int(epochs)
peers = {}
for line in open(peer):
    p, m, w = line.split("\t"); peers[(p, m)] = float(w)
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
commit = subprocess.run(["git", "-C", os.path.dirname(out), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
lines = [
    "# Training throughput (bench/throughput/run.sh)", "",
    f"{datetime.datetime.utcnow():%Y-%m-%d %H:%M} UTC, commit {commit}, {cpu}, {os.cpu_count()} cores, {platform.platform()}.",
    f"Load average before {lb}, after {la}. USC-HAD folds 0 and 1, {epochs} epochs each, training + validation windows "
    f"({windows:,} in all) per second of wall time, dataset loading and process start included.", "",
    f"| preset | model | plain, 1 process × 2 threads (win/s) | workers 2 × 1 thread, fast path (win/s) | ratio | PyTorch 1.13.1 ({blas}), same heap, 2 threads, train steps only (win/s) |",
    "|---|---|---:|---:|---:|---:|",
]
for line in open(rows):
    p, m, a, b = line.rstrip("\n").split("\t")
    wa, wb = windows / float(a), windows / float(b)
    lines.append(f"| {p} | {m} | {wa:.0f} | {wb:.0f} | {wb / wa:.2f}× | {peers[(p, m)]:.0f} |")
tmp = out + ".tmp"
open(tmp, "w").write("\n".join(lines) + "\n")
os.replace(tmp, out)
print("\n".join(lines))
PY
