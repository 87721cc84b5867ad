#!/usr/bin/env bash
# Training speed, TorchSharp vs PyTorch: one command from a fresh clone.
#   bench/train/run.sh [--data DIR] [other bench/train options, see Program.cs]
# Installs Debian's python3-torch (PyTorch 1.13.1) and OpenBLAS when missing (bench/Shared/pytorch.sh), builds bench/train in Release and runs both sides; writes bench/results/train.md atomically.
# Data folder: --data DIR, else bench/Shared/data.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cd "$repo"

. "$repo/bench/Shared/pytorch.sh"; bench_pytorch train

extra=()
has_data=0
for a in "$@"; do [ "$a" = "--data" ] && has_data=1; done
if [ "$has_data" -eq 0 ]; then . "$repo/bench/Shared/data.sh"; extra=(--data "$(bench_data train)"); fi

dotnet build -c Release "$here/Bench.Train.csproj" -nologo -v q
dotnet "$here/bin/Release/net10.0/Bench.Train.dll" "${extra[@]}" "$@"
