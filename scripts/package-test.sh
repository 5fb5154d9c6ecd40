#!/usr/bin/env bash
# shellcheck disable=SC2016 # dpkg-query formats and the inner script are single-quoted on purpose
# Tests the Debian package as a user installs it, in a fresh minimal Debian 12
# chroot (debootstrap --variant=minbase bookworm, from the mirror this machine's
# apt uses). Builds the package first (scripts/package.sh, revision 1 and 2).
#   1. `apt-get install ./newshound_*.deb` pulls runtime libraries only: no
#      compiler, no -dev package; the unit is enabled, the user and the state
#      directory exist.
#   2. `newshound check --config /etc/newshound/newshound.toml` passes.
#   3. The daemon, started from the installed unit's ExecStart= line as the
#      `newshound` user (no systemd in a chroot; its own network namespace, so
#      the shipped config's ports cannot clash with the host's), raises an
#      alert for an article sent to its TCP input by newshound-replay.
#   4. An upgrade to revision 2 keeps an edited config.
#   5. Purge stops the daemon and removes the state, the config and the user.
# Skips (exit 0, says why) when not root or the mirror is unreachable. The
# bootstrapped root is cached as a tarball in $NEWSHOUND_CACHE_DIR (default
# ~/.cache/newshound), and downloaded .debs are kept there: reruns are fast.
# KEEP_CHROOT=1 leaves the chroot for inspection.
set -euo pipefail
cd "$(dirname "$0")/.."
t0=$SECONDS
skip() { echo "package-test: SKIPPED: $*"; exit 0; }
fail() { echo "package-test: FAIL: $*" >&2; exit 1; }
step() { echo "package-test: [$((SECONDS - t0))s] $*"; }

[[ $(id -u) -eq 0 ]] || skip "needs root (debootstrap, chroot, mounts)"
scripts/deps.sh debootstrap >&2

mirror=$(grep -hsE '^[[:space:]]*(URIs:|deb )' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
  /etc/apt/sources.list.d/*.sources | grep -v -e security -e '^#' | grep -oE 'https?://[^ ]+' | head -1 || true)
mirror=${mirror:-http://deb.debian.org/debian}
host=${mirror#*://}
host=${host%%/*}
port=80
[[ $mirror == https://* ]] && port=443
timeout 15 bash -c "exec 3<>/dev/tcp/$host/$port" 2>/dev/null ||
  skip "cannot reach the Debian mirror $mirror"

step "building the packages (revisions 1 and 2)"
deb1=$(DEB_REVISION=1 scripts/package.sh | tail -1)
deb2=$(DEB_REVISION=2 scripts/package.sh | tail -1)
[[ -f $deb1 && -f $deb2 ]] || fail "scripts/package.sh did not produce both packages"

cache=${NEWSHOUND_CACHE_DIR:-$HOME/.cache/newshound}
mkdir -p "$cache/apt-archives/partial"
tarball=$cache/bookworm-minbase-root.tar.gz
chroot_dir=$(mktemp -d /var/tmp/newshound-package-test.XXXXXX)
daemon_pid=
cleanup() {
  if [[ -n $daemon_pid ]] && kill -0 "$daemon_pid" 2>/dev/null; then kill -KILL "$daemon_pid" || true; fi
  for m in var/cache/apt/archives proc; do
    if mountpoint -q "$chroot_dir/$m"; then umount "$chroot_dir/$m" || umount -l "$chroot_dir/$m" || true; fi
  done
  if [[ -n ${KEEP_CHROOT:-} ]]; then
    echo "package-test: chroot kept in $chroot_dir"
  elif ! mountpoint -q "$chroot_dir/proc" && ! mountpoint -q "$chroot_dir/var/cache/apt/archives"; then
    rm -rf --one-file-system "$chroot_dir"
  fi
}
trap cleanup EXIT

if [[ ! -f $tarball ]]; then
  step "debootstrap --variant=minbase bookworm from $mirror (once; cached in $tarball)"
  debootstrap --variant=minbase bookworm "$chroot_dir" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
    { tail -20 "$cache/debootstrap.log" >&2; fail "debootstrap failed (log: $cache/debootstrap.log)"; }
  rm -rf "$chroot_dir"/var/cache/apt/archives/*.deb "$chroot_dir"/var/lib/apt/lists/*_Packages
  tar -C "$chroot_dir" -czf "$tarball.tmp" . && mv "$tarball.tmp" "$tarball"
else
  step "unpacking the cached root $tarball"
  tar -C "$chroot_dir" -xzf "$tarball"
fi
chmod 0755 "$chroot_dir" # mktemp's 0700 (also in the tarball's "."): the daemon's user must enter /
cp /etc/resolv.conf "$chroot_dir/etc/resolv.conf"
mount -t proc proc "$chroot_dir/proc"
mount --bind "$cache/apt-archives" "$chroot_dir/var/cache/apt/archives"
in_root() { chroot "$chroot_dir" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive "$@"; }

step "apt-get install ./$(basename "$deb1")"
cp "$deb1" "$deb2" "$chroot_dir/tmp/"
in_root apt-get update -qq >/dev/null
in_root dpkg-query -W -f '${Package}\n' | sort >"$chroot_dir/tmp/before.txt"
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb1")" </dev/null \
  >"$chroot_dir/tmp/install.log" 2>&1 || { cat "$chroot_dir/tmp/install.log" >&2; fail "install failed"; }
in_root dpkg-query -W -f '${Package}\n' | sort >"$chroot_dir/tmp/after.txt"
added=$(comm -13 "$chroot_dir/tmp/before.txt" "$chroot_dir/tmp/after.txt" | tr '\n' ' ')
echo "package-test: installed with it: $added"
for p in $added; do
  case $p in
    gcc* | g++* | cpp* | clang* | binutils* | libc6-dev | libstdc++*-dev | *-dev | cmake | make)
      fail "installing the package pulled the build tool or header package $p" ;;
  esac
done
[[ -x $chroot_dir/usr/bin/newshound ]] || fail "/usr/bin/newshound missing"
in_root getent passwd newshound >/dev/null || fail "no newshound user after install"
state=$(in_root stat -c '%a %U %G' /var/lib/newshound) # names as the chroot sees them
[[ $state == "750 newshound newshound" ]] || fail "/var/lib/newshound is $state"
[[ -L $chroot_dir/etc/systemd/system/multi-user.target.wants/newshound.service ]] ||
  fail "the unit is not enabled"
in_root man -w newshound >/dev/null 2>&1 || [[ -f $chroot_dir/usr/share/man/man1/newshound.1.gz ]] ||
  fail "no newshound(1)"

step "newshound check --config /etc/newshound/newshound.toml"
in_root newshound check --config /etc/newshound/newshound.toml || fail "check failed"

step "the daemon from the unit's ExecStart= as newshound, an article in, an alert out"
exec_start=$(sed -n 's/^ExecStart=//p' "$chroot_dir/usr/lib/systemd/system/newshound.service")
[[ $exec_start == "/usr/bin/newshound run --config /etc/newshound/newshound.toml" ]] ||
  fail "unexpected ExecStart=$exec_start"
head -1 tools/demo/feed.ndjson >"$chroot_dir/tmp/article.ndjson"
out=/var/lib/newshound/stdout.ndjson
# Own network namespace (loopback only): the daemon keeps it alive after the
# shell exits. chroot execs sh, which execs the daemon: $! is the daemon's pid.
# The host's chroot resolves user names on the host: pass the chroot's numbers.
pidfile=$chroot_dir/tmp/daemon.pid
user=$(in_root id -u newshound):$(in_root id -g newshound)
unshare --net bash -c '
  ip link set lo up
  chroot --userspec="$5" --groups="${5#*:}" "$1" /bin/sh -c "cd /var/lib/newshound && exec $2 >$3 2>/tmp/daemon.log" &
  echo $! >"$4"
  sleep 0.5
  chroot "$1" newshound-replay /tmp/article.ndjson --port 7301 --wait 30' _ \
  "$chroot_dir" "$exec_start" "$out" "$pidfile" "$user" >"$chroot_dir/tmp/replay.log" 2>&1 ||
  { cat "$chroot_dir/tmp/replay.log" "$chroot_dir/tmp/daemon.log" >&2; fail "newshound-replay could not send the article"; }
daemon_pid=$(<"$pidfile")
for _ in $(seq 100); do
  grep -q '"matches"' "$chroot_dir$out" 2>/dev/null && break
  sleep 0.2
done
grep -q '"matches"' "$chroot_dir$out" ||
  { cat "$chroot_dir/tmp/daemon.log" >&2; fail "no alert from the daemon"; }
uid=$(awk '/^Uid:/ {print $2}' "/proc/$daemon_pid/status")
[[ $uid == "${user%:*}" ]] || fail "the daemon runs as uid $uid, not newshound"
[[ $(readlink "/proc/$daemon_pid/exe") == "$chroot_dir/usr/bin/newshound" ]] ||
  fail "pid $daemon_pid is not the installed daemon"
echo "package-test: alert: $(head -c 160 "$chroot_dir$out")..."

step "upgrade to $(basename "$deb2") keeps an edited config"
echo '# edited by package-test' >>"$chroot_dir/etc/newshound/newshound.toml"
sed -i '1i Edited Entity|Edited Alias' "$chroot_dir/etc/newshound/watchlists/people.names"
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb2")" </dev/null \
  >"$chroot_dir/tmp/upgrade.log" 2>&1 || { cat "$chroot_dir/tmp/upgrade.log" >&2; fail "upgrade failed"; }
[[ $(in_root dpkg-query -W -f '${Version}' newshound) == *-2 ]] || fail "not upgraded to revision 2"
tail -1 "$chroot_dir/etc/newshound/newshound.toml" | grep -qx '# edited by package-test' ||
  fail "the upgrade replaced the edited newshound.toml"
head -1 "$chroot_dir/etc/newshound/watchlists/people.names" | grep -qx 'Edited Entity|Edited Alias' ||
  fail "the upgrade replaced the edited people.names"
in_root newshound check --config /etc/newshound/newshound.toml >/dev/null || fail "check after upgrade"

step "purge: no process left, state, config and user gone"
in_root apt-get purge -y -q newshound </dev/null >"$chroot_dir/tmp/purge.log" 2>&1 ||
  { cat "$chroot_dir/tmp/purge.log" >&2; fail "purge failed"; }
for _ in $(seq 50); do
  kill -0 "$daemon_pid" 2>/dev/null || break
  sleep 0.2
done
kill -0 "$daemon_pid" 2>/dev/null && fail "the daemon (pid $daemon_pid) survived the purge"
daemon_pid=
for gone in /var/lib/newshound /etc/newshound /usr/bin/newshound /etc/logrotate.d/newshound \
  /etc/systemd/system/multi-user.target.wants/newshound.service; do
  [[ -e $chroot_dir$gone || -L $chroot_dir$gone ]] && fail "$gone is still there after purge"
done
in_root getent passwd newshound >/dev/null && fail "the newshound user is still there after purge"
in_root getent group newshound >/dev/null && fail "the newshound group is still there after purge"
step "all passed in $((SECONDS - t0))s"
