#!/usr/bin/env bash
# Training speed, TorchSharp vs PyTorch: one command from a fresh clone.
#   bench/train/run.sh [--data DIR] [other bench/train options, see Program.cs]
# Installs Debian's python3-torch (PyTorch 1.13.1) if /usr/bin/python3 cannot import torch (needs root or sudo),
# builds bench/train in Release and runs both sides; writes bench/results/train.md atomically.
# Data folder: --data DIR, else bench/Shared/data.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

# Debian's python3-torch uses the system libblas.so.3 (reference BLAS unless OpenBLAS is installed): also install
# OpenBLAS (OpenMP build) so that the PyTorch side is not held back by an unoptimised BLAS.
if ! /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1 || ! ls /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 >/dev/null 2>&1; then
    echo "bench/train: installing python3-torch and libopenblas0-openmp (Debian) ..."
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo -n"; fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo_cmd apt-get install -y -q python3-torch python3-numpy libopenblas0-openmp >/dev/null \
        || { $sudo_cmd apt-get update -q >/dev/null && $sudo_cmd apt-get install -y -q python3-torch python3-numpy libopenblas0-openmp >/dev/null; }
    /usr/bin/python3 -c 'import torch; print("bench/train: PyTorch", torch.__version__)'
fi

extra=()
has_data=0
for a in "$@"; do [ "$a" = "--data" ] && has_data=1; done
if [ "$has_data" -eq 0 ]; then . "$repo/bench/Shared/data.sh"; extra=(--data "$(bench_data train)"); fi

dotnet build -c Release "$here/Bench.Train.csproj" -nologo -v q
dotnet "$here/bin/Release/net10.0/Bench.Train.dll" "${extra[@]}" "$@"
