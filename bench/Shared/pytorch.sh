# Sourced by the bench scripts that run the PyTorch peer (bench/train, bench/throughput):
#   bench_pytorch NAME
# Makes sure /usr/bin/python3 imports torch (Debian's python3-torch, PyTorch 1.13.1) and that the system BLAS is
# OpenBLAS (OpenMP build): Debian's PyTorch calls the system libblas.so.3, and with the reference BLAS alone its
# convolutions and LSTM run 5-8x slower (DeepConvLSTM, measured here), which would make the peer look far weaker
# than it is. Installs what is missing with apt (needs root or sudo); returns 1 naming the benchmark when it cannot.
bench_pytorch() {
    local name="$1" sudo_cmd=""
    if /usr/bin/python3 -c 'import torch, numpy' >/dev/null 2>&1 && [ -e /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3 ]; then
        return 0
    fi
    echo "bench/$name: installing python3-torch and libopenblas0-openmp (Debian) ..." >&2
    if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo -n"; fi
    local pkgs=(python3-torch python3-numpy libopenblas0-openmp)
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get update -q >/dev/null 2>&1 \
             && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q "${pkgs[@]}" >/dev/null 2>&1; } \
        || { echo "bench/$name: could not install ${pkgs[*]} with apt-get (needs root or sudo); install them and run again" >&2; return 1; }
    /usr/bin/python3 -c 'import torch; print("PyTorch", torch.__version__)' >&2
}
