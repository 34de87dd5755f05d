#!/usr/bin/env bash
# Proves that the .deb works on this machine (run as root; CI runs it from .ci/run):
#   1. installs the package with apt (which also installs its dependencies),
#   2. checks what the package put into the system: the command, the menu entry, the icons,
#      the AppStream metadata, the systemd unit (installed, not enabled) and its system user,
#   3. starts the installed program the way the unit does, as the service user, with
#      `--headless --port 0` (and --no-dht --host 127.0.0.1: nothing leaves loopback), measures
#      the time from start to listening, fetches /stats.json from it, stops it with SIGTERM,
#   4. purges the package and checks that nothing is left behind.
# Prints the .deb's size and the start-to-listening time, and fails on the first problem.
#
#   packaging/linux/smoke-test.sh target/installer/bittorrent-relay_*.deb
set -euo pipefail

deb="${1:?usage: smoke-test.sh PACKAGE.deb}"
[ "$(id -u)" = 0 ] || { echo "smoke-test.sh: run as root (it installs and removes a package)" >&2; exit 2; }
[ -f "$deb" ] || { echo "smoke-test.sh: $deb does not exist" >&2; exit 2; }
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"

# shellcheck source=packaging/relay-probe.sh
. "$(dirname "$0")/../relay-probe.sh"

fail() { echo "smoke-test.sh: FAILED: $*" >&2; exit 1; }
check() { local what="$1"; shift; "$@" || fail "$what"; echo "  ok  $what"; }

unit=/usr/lib/systemd/system/bittorrent-relay.service
id=org.btrelay.BittorrentRelay
work="$(mktemp -d)"
relay_pid=""
cleanup() {
  if [ -n "$relay_pid" ]; then kill "$relay_pid" 2>/dev/null || true; wait "$relay_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

size_bytes=$(stat -c %s "$deb")
echo "package: $(basename "$deb"), $((size_bytes / 1024 / 1024)) MiB ($size_bytes bytes)"

echo "installing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get update"; }
apt-get install -y -q "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get install"; }

check "/usr/bin/bittorrent-relay runs the installed launcher" \
  test "$(readlink /usr/bin/bittorrent-relay)" = /opt/bittorrent-relay/bin/bittorrent-relay
check "menu entry installed" test -f "/usr/share/applications/$id.desktop"
check "AppStream metadata installed" test -f "/usr/share/metainfo/$id.metainfo.xml"
check "icons installed (16 to 512 px)" test -f /usr/share/icons/hicolor/16x16/apps/bittorrent-relay.png \
  -a -f /usr/share/icons/hicolor/512x512/apps/bittorrent-relay.png
check "systemd unit installed" test -f "$unit"
check "systemd unit not enabled" test ! -e /etc/systemd/system/multi-user.target.wants/bittorrent-relay.service
check "system user bittorrent-relay exists" bash -c "getent passwd bittorrent-relay >/dev/null"
check "--version answers" bash -c "/usr/bin/bittorrent-relay --version | grep -q ."

# The unit's own command line, run as its user in its data folder (systemd would create the
# folder from StateDirectory=; done by hand here, where systemd may not be running).
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
[ -n "$exec_start" ] || fail "no ExecStart in $unit"
install -d -o bittorrent-relay -g bittorrent-relay -m 700 /var/lib/bittorrent-relay
echo "starting: $exec_start --port 0 --no-dht --host 127.0.0.1 (as bittorrent-relay)"
start_ms=$(now_ms)
# shellcheck disable=SC2086 # the unit's command line is split into words as systemd does
setpriv --reuid=bittorrent-relay --regid=bittorrent-relay --init-groups --reset-env \
  $exec_start --port 0 --no-dht --host 127.0.0.1 >"$work/out" 2>"$work/err" &
relay_pid=$!
http_url=$(await_listening "$work/out" "$relay_pid" 30) || { cat "$work/err"; fail "not listening (exited, or 30 s passed)"; }
listening_ms=$(( $(now_ms) - start_ms ))
goal="goal: within 3 s"; [ "$listening_ms" -le 3000 ] || goal="slower than the 3 s goal"
echo "  ok  listening at $http_url after $listening_ms ms ($goal)"

response=$(http_get "${http_url}stats.json")
check "GET /stats.json answers 200" grep -q "^HTTP/1.1 200" <<<"$response"
check "/stats.json holds the tracker's figures" grep -q '"torrents"' <<<"$response"
check "settings written by and for the service user" \
  test "$(stat -c %U /var/lib/bittorrent-relay/settings.json)" = bittorrent-relay

kill -TERM "$relay_pid"
status=0
wait "$relay_pid" || status=$?
relay_pid=""
check "SIGTERM stops it with exit code 0" test "$status" = 0

echo "purging"
apt-get purge -y -q bittorrent-relay >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "apt-get purge"; }
check "/opt/bittorrent-relay removed" test ! -e /opt/bittorrent-relay
check "/usr/bin/bittorrent-relay removed" test ! -e /usr/bin/bittorrent-relay
check "unit, menu entry and icons removed" test ! -e "$unit" -a ! -e "/usr/share/applications/$id.desktop" \
  -a ! -e /usr/share/icons/hicolor/16x16/apps/bittorrent-relay.png
check "service data removed on purge" test ! -e /var/lib/bittorrent-relay

echo "smoke test passed: .deb $((size_bytes / 1024 / 1024)) MiB, listening after $listening_ms ms"
