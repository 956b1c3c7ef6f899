#!/usr/bin/env bash
# One-time set-up on a fresh Debian-like machine with Node 20+ and root (for apt).
# Idempotent: a second run only checks. Installs:
#   - Deno 2.9.6 from npm into .tools/ (not a project dependency; see ../shared/TOOLCHAIN.md)
#   - Debian packages: librsvg2-bin (SVG -> PNG), python3-torch (independent
#     reference for the model's logits; PyTorch peer in benchmarks), libopenblas0-pthread
#     (without it numpy and torch fall back to reference BLAS, 25x slower), Jupyter
#     (jupyter-nbconvert, python3-nbclient, jupyter-client, jupyter-notebook), chromium (headless: the test
#     that opens the HTML export in a real browser)
#   - gcc and libc6-dev, to compile the lab's native kernels (lib/core/native/c, on OpenBLAS) into
#     build/native/ (scripts/build_native.sh); without them the lab runs tfjs-wasm's own kernels
#   - the npm dependencies pinned in deno.json (deno install)
#   - the Deno Jupyter kernel: a project kernelspec in .tools/jupyter (used by
#     `deno task notebooks`, whatever else is registered) and, for opening the
#     notebooks interactively, the user's kernelspec `deno` (deno jupyter --install)
set -euo pipefail
cd "$(dirname "$0")/.."

DENO_VERSION=2.9.6
APT_PACKAGES=(librsvg2-bin python3-torch libopenblas0-pthread gcc libc6-dev jupyter-nbconvert python3-nbclient jupyter-client jupyter-notebook chromium)

if [ ! -x .tools/node_modules/.bin/deno ] || ! .tools/node_modules/.bin/deno --version | grep -q "deno $DENO_VERSION"; then
  echo "setup: installing deno $DENO_VERSION into .tools/"
  mkdir -p .tools
  npm install --prefix .tools --no-audit --no-fund --loglevel=error "deno@$DENO_VERSION" >/dev/null
fi

# The slurm engine's test cluster (scripts/slurm_cluster.sh, tests/slurm/): Debian's Slurm and munge.
APT_PACKAGES+=(slurm-wlm munge)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

bash scripts/build_native.sh

echo "setup: deno install (dependencies pinned in deno.json)"
.tools/node_modules/.bin/deno install --quiet
DENO_BIN="$(pwd)/.tools/node_modules/deno/deno"
mkdir -p .tools/jupyter/kernels/deno
printf '{\n  "argv": ["%s", "jupyter", "--kernel", "--conn", "{connection_file}"],\n  "display_name": "Deno (harnesslab)",\n  "language": "typescript"\n}\n' \
  "$DENO_BIN" > .tools/jupyter/kernels/deno/kernel.json
user_spec="$HOME/.local/share/jupyter/kernels/deno/kernel.json"
if ! grep -qF "\"$DENO_BIN\"" "$user_spec" 2>/dev/null; then
  echo "setup: registering the Deno Jupyter kernel for this user (deno jupyter --install)"
  .tools/node_modules/.bin/deno jupyter --install --force >/dev/null 2>&1
fi

echo "setup: done ($(.tools/node_modules/.bin/deno --version | head -1))"
