#!/usr/bin/env bash
# Wall time of one full USC-HAD fold per model with the reference preset (80 epochs, batch 32, early stopping):
#   bench/fullfold/run.sh [--models tinierhar,tinyhar,deepconvlstm] [--threads 2] [--fold 0] [--data DIR] [--out DIR]
# Builds the CLI in Release and trains the models one after the other with `tinierhar train`; writes
# bench/results/fullfold.md atomically. Hours of machine time: run it when nothing else runs. Interrupted, it resumes
# (the run folders in --out keep each fold's last epoch); folds already finished in --out are reported, not retrained
# ("reused" column), with the trainer's own time (summed over resumed sessions).
# Data folder: bench/Shared/data.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

models="tinierhar,tinyhar,deepconvlstm"; threads=2; fold=0; data=""; out="$repo/out/bench-fullfold"
while [ $# -gt 0 ]; do
    case "$1" in
        --models) models="${2:?--models needs a value}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a value}"; shift 2 ;;
        --fold) fold="${2:?--fold needs a value}"; shift 2 ;;
        --data) data="${2:?--data needs a value}"; shift 2 ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        *) echo "bench/fullfold: unknown option '$1' (expected --models, --threads, --fold, --data, --out)" >&2; exit 2 ;;
    esac
done
case "$threads" in ''|*[!0-9]*) echo "bench/fullfold: --threads '$threads' is not a positive integer" >&2; exit 2 ;; esac
case "$fold" in ''|*[!0-9]*) echo "bench/fullfold: --fold '$fold' is not a fold number" >&2; exit 2 ;; esac
. "$repo/bench/Shared/data.sh"; data="$(bench_data fullfold "$data")"

dotnet build -c Release "$repo/cli" -nologo -v q >/dev/null
cli="$repo/cli/bin/Release/net10.0/tinierhar.dll"
mkdir -p "$out"
results="$out/results.csv"
row() { # the finished row of a model in results.csv, or nothing
    [ -f "$results" ] && awk -F, -v m="$1" -v f="$fold" '$1=="uschad" && $2==m && $3=="full" && $4=="reference" && $5=="1" && $6==f && $13=="done"' "$results" | tail -n 1 || true
}

started="$(date -u '+%Y-%m-%d %H:%M')"
load_before="$(cut -d' ' -f1 /proc/loadavg)"
table=""
IFS=',' read -r -a list <<< "$models"
for m in "${list[@]}"; do
    reused="yes"; wall="–"
    if [ -z "$(row "$m")" ]; then
        reused="no"
        t0=$(date +%s)
        dotnet "$cli" train --model "$m" --dataset uschad --folds "$fold" --seeds 1 --preset reference --threads "$threads" --data "$data" --out "$out"
        wall="$(awk -v s=$(( $(date +%s) - t0 )) 'BEGIN { printf "%.1f", s / 60 }')"
    fi
    r="$(row "$m")"
    [ -n "$r" ] || { echo "bench/fullfold: $m left no finished row in $results" >&2; exit 1; }
    cfg="$out/uschad/$m-full/reference-seed1/fold$fold/config.json"
    t="$(grep -o '"threads": *[0-9]*' "$cfg" | grep -o '[0-9]*$' || echo '?')"
    table+="$(echo "$r" | awk -F, -v t="$t" -v w="$wall" -v u="$reused" '{ printf "| %s | %s | %d | %d | %.1f | %s | %.4f | %.4f | %s |\n", $2, t, $10, $11, $12 / 60, w, $8, $7, u }')"$'\n'
done

machine="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(. /etc/os-release && echo "$PRETTY_NAME"), .NET $(dotnet --version), Release"
tmp="$repo/bench/results/.fullfold.md.$$"
mkdir -p "$repo/bench/results"
cat > "$tmp" <<EOF
# One full fold, reference preset

Measured from $started UTC on $machine. Load average (1 min) before / after: $load_before / $(cut -d' ' -f1 /proc/loadavg).
Command: \`bench/fullfold/run.sh --models $models --threads $threads --fold $fold\`.

USC-HAD fold $fold, seed 1, reference preset (80 epochs at most, batch 32, AdamW 1e-3, LR ×0.1 after 7 epochs without
validation improvement, early stopping after 15), validation every epoch and the test pass included. "trainer min" is
the time the trainer recorded for the fold (summed over resumed sessions); "wall min" the process's wall time when the
fold ran in this invocation. "reused": the fold was already finished in the run folder and is reported as found.

| model | threads | epochs | best epoch | trainer min | wall min | test macro F1 | test accuracy | reused |
|---|---:|---:|---:|---:|---:|---:|---:|---|
${table%$'\n'}
EOF
mv -f "$tmp" "$repo/bench/results/fullfold.md"
echo "wrote bench/results/fullfold.md"
