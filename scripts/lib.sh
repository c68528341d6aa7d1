# Shared by the scripts in this folder: find uv (installing it into the user's Python when it is
# missing) and run everything from the repository root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export UV_NO_PROGRESS=1

uv() {
  if ! python3 -m uv --version >/dev/null 2>&1; then
    echo "Installing uv (the Python package manager) ..." >&2
    python3 -m pip install --quiet --disable-pip-version-check uv >&2
  fi
  python3 -m uv "$@"
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Install Debian packages that are not there yet; apt's lists are refreshed only when needed.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing ${missing[*]} ..." >&2
    as_root apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}
