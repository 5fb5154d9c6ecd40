#!/usr/bin/env bash
# Installs the Debian 12 packages newshound needs to build, test and run, if any
# is missing, plus any package named as an argument (scripts/fuzz.sh and the
# benchmarks pass their own). Idempotent; needs root (or sudo) only when something
# is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libboost1.81-dev libboost-json1.81-dev
  libhyperscan-dev libsimdjson-dev libspdlog-dev catch2 libtomlplusplus-dev
  libutf8proc-dev libicu-dev libcli11-dev libsystemd-dev libxxhash-dev libpugixml-dev zlib1g-dev
  libsqlite3-dev libstemmer-dev
  libssl-dev openssl
  nats-server libnats-dev
  "$@"
)

installed() { [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true)" == "install ok installed" ]]; }

missing=()
for p in "${packages[@]}"; do
  installed "$p" && continue
  # libvectorscan-dev is a drop-in replacement for libhyperscan-dev: accept either.
  [[ $p == libhyperscan-dev ]] && installed libvectorscan-dev && continue
  missing+=("$p")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi
echo "deps: installing ${missing[*]}" >&2
sudo=()
[[ $(id -u) -eq 0 ]] || sudo=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
