#!/usr/bin/env bash
# Builds the Debian package: a Release build in ./build-package (BUILD_DIR=...;
# BUILD_TYPE=... packages another build type, as scripts/test.sh does with its
# plain phase's optimized build to save a second compile),
# then CPack's DEB generator (packaging/cpack.cmake) writes
# dist/newshound_<version>-<revision>_<arch>.deb (OUT_DIR=...), and lintian
# checks it (fails on any error or warning not overridden in
# packaging/lintian-overrides). DEB_REVISION=2 packages the same build as
# revision 2 (scripts/package-test.sh upgrades to it). Prints the .deb's path last.
# Uses ccache when present (CCACHE_BASEDIR=/work keeps hits across checkouts).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
scripts/deps.sh dpkg-dev fakeroot file gzip lintian >&2
dir=${BUILD_DIR:-build-package}
out=${OUT_DIR:-$root/dist}
revision=${DEB_REVISION:-1}
launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(dirname "$root")}
fi

cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-Release}" -DNEWSHOUND_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX=/usr -DNEWSHOUND_DEB_REVISION="$revision" "${launcher[@]}" \
  -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >/dev/null  # no micro-benchmarks in the package build
cmake --build "$dir" -j "${JOBS:-$(nproc)}" >&2

mkdir -p "$out"
(cd "$dir" && cpack -G DEB -B "$out/cpack" >&2)
arch=$(dpkg --print-architecture)
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$dir/CMakeCache.txt")
deb=newshound_${version}-${revision}_${arch}.deb
mv "$out/cpack/$deb" "$out/$deb"
rm -rf "$out/cpack"

# Lintian: overrides ship in the package, each one explained in
# packaging/lintian-overrides.
lintian --fail-on error,warning --display-info "$out/$deb" >&2
echo "$out/$deb"
