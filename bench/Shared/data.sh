# Sourced by the bench scripts: which data folder a benchmark reads (each benchmark trains on USC-HAD).
#   data="$(bench_data NAME "$data")"
# The folder given (--data DIR) wins; else $TINIERHAR_DATA; else ./data; else ../shared/datasets beside the repository
# when neither of the last two has USC-HAD. Prints the folder; when it has no USC-HAD folder, says so on stderr,
# naming the benchmark and the folder, and returns 2.
bench_data() {
    local name="$1" data="${2:-}" repo
    repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
    if [ -z "$data" ]; then
        data="${TINIERHAR_DATA:-$repo/data}"
        if [ -z "${TINIERHAR_DATA:-}" ] && [ ! -d "$data/USC-HAD" ] && [ -d "$repo/../shared/datasets/USC-HAD" ]; then
            data="$(cd "$repo/../shared/datasets" && pwd)"
        fi
    fi
    if [ ! -d "$data/USC-HAD" ]; then
        echo "bench/$name: no USC-HAD folder in '$data' (run download-datasets.ps1, or give --data DIR)" >&2
        return 2
    fi
    echo "$data"
}
