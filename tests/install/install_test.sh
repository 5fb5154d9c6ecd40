#!/usr/bin/env bash
# Test: `cmake --install` of a build configured with whatever prefix puts every
# file under the prefix given at INSTALL time (sysconfdir /etc for /usr,
# <prefix>/etc otherwise), with a unit whose ExecStart= and Documentation= point
# at those paths; and the generated man pages and bash completion list every
# subcommand and option `newshound --help` shows. Installs into a DESTDIR only.
# Usage: install_test.sh <build dir>   (registered in tests/CMakeLists.txt)
set -euo pipefail
build=$(cd "$1" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install_test: FAIL: $*" >&2; exit 1; }

[[ -x $build/newshound && -f $build/generated-docs/newshound.1.gz ]] ||
  fail "build $build first (all targets: the install needs the binaries and generated docs)"

# install <name> <expected prefix> <expected sysconfdir> [--prefix P]
install_and_check() {
  local name=$1 prefix=$2 etc=$3
  shift 3
  local dest=$tmp/$name
  DESTDIR=$dest cmake --install "$build" "$@" >"$tmp/$name.log" ||
    { cat "$tmp/$name.log" >&2; fail "$name: cmake --install $* failed"; }
  local files=(
    "$prefix/bin/newshound" "$prefix/bin/newshound-replay" "$prefix/bin/newshound-receive"
    "$etc/newshound/newshound.toml" "$etc/logrotate.d/newshound"
    "$prefix/lib/systemd/system/newshound.service"
    "$prefix/share/doc/newshound/README.md" "$prefix/share/doc/newshound/operations.md"
    "$prefix/share/doc/newshound/configuration.md"
    "$prefix/share/man/man1/newshound.1.gz" "$prefix/share/man/man5/newshound.toml.5.gz"
    "$prefix/share/man/man1/newshound-replay.1.gz" "$prefix/share/man/man1/newshound-receive.1.gz"
    "$prefix/share/bash-completion/completions/newshound"
  )
  for w in "$(dirname "$0")"/../../config/watchlists/*; do
    files+=("$etc/newshound/watchlists/$(basename "$w")")
  done
  for f in "${files[@]}"; do
    [[ -f $dest$f ]] || fail "$name: $f not installed (install $*)"
  done
  for f in "$prefix/bin/newshound" "$prefix/bin/newshound-replay" "$prefix/bin/newshound-receive"; do
    [[ -x $dest$f ]] || fail "$name: $f is not executable"
  done
  # Nothing outside the prefix and the sysconfdir.
  local stray
  stray=$(cd "$dest" && find . -type f | sed 's|^\.||' | grep -v -e "^$prefix/" -e "^$etc/" || true)
  [[ -z $stray ]] || fail "$name: files outside $prefix and $etc: $stray"
  local unit=$dest$prefix/lib/systemd/system/newshound.service
  grep -qxF "ExecStart=$prefix/bin/newshound run --config $etc/newshound/newshound.toml" "$unit" ||
    fail "$name: wrong ExecStart in the unit: $(grep ExecStart= "$unit")"
  grep -qxF "Documentation=file://$prefix/share/doc/newshound/operations.md" "$unit" ||
    fail "$name: wrong Documentation in the unit: $(grep Documentation= "$unit")"
  grep -qE '@[A-Z_]+@' "$unit" && fail "$name: an unreplaced @PLACEHOLDER@ in the unit: $(grep -E '@[A-Z_]+@' "$unit")"
  echo "install_test: $name ($*): ok"
}

configured=$(sed -n 's/^CMAKE_INSTALL_PREFIX:PATH=//p' "$build/CMakeCache.txt")
default_etc=$configured/etc
[[ $configured == /usr ]] && default_etc=/etc
install_and_check usr /usr /etc --prefix /usr
install_and_check usr-slash /usr /etc --prefix /usr/
install_and_check opt /opt/nh /opt/nh/etc --prefix /opt/nh
install_and_check default "$configured" "$default_etc"

# The generated pages and completion against --help.
nh=$build/newshound
man1=$(gzip -dc "$build/generated-docs/newshound.1.gz")
man5=$(gzip -dc "$build/generated-docs/newshound.toml.5.gz")
completion=$build/generated-docs/newshound
[[ $man1 == .TH\ NEWSHOUND\ 1* ]] || fail "newshound.1 has no .TH header"
[[ $man5 == .TH\ NEWSHOUND.TOML\ 5* ]] || fail "newshound.toml.5 has no .TH header"
bash -n "$completion" || fail "the completion is not valid bash"
subcommands=$("$nh" --help | sed -n '/^Subcommands:/,$p' | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p')
[[ -n $subcommands ]] || fail "no subcommands in newshound --help"
# shellcheck disable=SC1090
source "$completion"
complete_words() { # complete_words <word>...: COMPREPLY for the last word
  COMP_WORDS=("$@")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
  COMPREPLY=()
  _newshound
  echo "${COMPREPLY[*]}"
}
for sub in $subcommands; do
  grep -qF ".SS \"newshound $sub\"" <<<"$man1" || fail "newshound.1 lacks the command $sub"
  [[ " $(complete_words newshound "") " == *" $sub "* ]] || fail "completion lacks the command $sub"
  for opt in $("$nh" "$sub" --help | grep -oE '^ +(-[a-z], )?--[a-z][a-z-]*' | grep -oE -- '--[a-z-]+'); do
    man_opt=${opt//-/\\-}
    grep -qF -- "$man_opt" <<<"$man1" || fail "newshound.1 lacks $sub $opt"
    [[ " $(complete_words newshound "$sub" --) " == *" $opt "* ]] ||
      fail "completion of 'newshound $sub --' lacks $opt"
  done
done
[[ $(complete_words newshound ch) == check ]] || fail "'newshound ch<TAB>' does not complete to check"
[[ $(complete_words newshound reference) == "" ]] || fail "the hidden reference command is offered"
# newshound.toml(5): the unit test checks every option; here, that it was built from the table.
grep -qF '.SS "[[output]]"' <<<"$man5" || fail "newshound.toml.5 lacks the [[output]] section"
echo "install_test: man pages and completion: ok"
