#!/usr/bin/env bash
# Compile the lab's native kernels (lib/core/native/c) into build/native/libharnesslab_kernels.so,
# linked against Debian's OpenBLAS (libopenblas0-pthread). Called by scripts/setup.sh; idempotent:
# rebuilds only when the sources or flags changed (a checksum beside the library records them).
# Without gcc or OpenBLAS it says so and exits 0: the lab then runs tfjs-wasm's own kernels.
#
# Flags: -ffp-contract=off (no fused multiply-add the source does not name) and no -ffast-math, so
# results are the IEEE ops written, in order, on every x86-64 machine; -fno-trapping-math and
# -fno-math-errno only let gcc vectorise (they change no value); -mavx2 where the CPU has it.
set -euo pipefail
cd "$(dirname "$0")/.."

SRC=lib/core/native/c
OUT=build/native/libharnesslab_kernels.so
BLAS_DIR=/usr/lib/x86_64-linux-gnu/openblas-pthread
BLAS_LIB="$BLAS_DIR/libopenblas.so.0"

if ! command -v gcc >/dev/null 2>&1; then
  echo "build_native: gcc not found; native kernels not built (tfjs-wasm's own kernels will run)"
  exit 0
fi
if [ ! -e "$BLAS_LIB" ]; then
  echo "build_native: $BLAS_LIB not found (apt-get install libopenblas0-pthread); native kernels not built"
  exit 0
fi

FLAGS=(-std=c11 -O3 -fPIC -shared -ffp-contract=off -fno-math-errno -fno-trapping-math -Wall -Wextra -Wno-unused-parameter)
grep -qw avx2 /proc/cpuinfo 2>/dev/null && FLAGS+=(-mavx2)

stamp="$( (cat "$SRC"/*.c "$SRC"/*.h; echo "${FLAGS[*]}"; gcc --version | head -1) | sha256sum | cut -d' ' -f1)"
if [ -f "$OUT" ] && [ "$(cat "$OUT.sha256" 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
mkdir -p "$(dirname "$OUT")"
echo "build_native: compiling $OUT"
gcc "${FLAGS[@]}" -o "$OUT.tmp" "$SRC"/*.c -L"$BLAS_DIR" -l:libopenblas.so.0 -Wl,-rpath,"$BLAS_DIR" -lm
mv "$OUT.tmp" "$OUT"
echo "$stamp" > "$OUT.sha256"
