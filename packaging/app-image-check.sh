#!/usr/bin/env bash
# Starts the app image that `mvn -Pinstaller package` built (target/installer/) with its own
# runtime, headless on a free loopback port without the DHT, waits until it listens, fetches
# /stats.json from it and stops it. Prints the time from start to listening. Works on Linux,
# macOS and Windows (Git Bash); the installers' workflow runs it where the package itself
# cannot be installed by a script.
#
#   packaging/app-image-check.sh [target/installer]
set -euo pipefail
# shellcheck source=packaging/relay-probe.sh
. "$(dirname "$0")/relay-probe.sh"

dir="${1:-target/installer}"
case "$(uname -s)" in
  Linux) launcher="$dir/bittorrent-relay/bin/bittorrent-relay" ;;
  Darwin) launcher="$dir/BitTorrent Relay.app/Contents/MacOS/BitTorrent Relay" ;;
  MINGW*|MSYS*|CYGWIN*) launcher="$dir/BitTorrent Relay/bittorrent-relay.exe" ;;
  *) echo "app-image-check.sh: unknown OS $(uname -s)" >&2; exit 2 ;;
esac
[ -x "$launcher" ] || { echo "app-image-check.sh: no launcher at $launcher; build it with: mvn -B -Pinstaller package -DskipTests" >&2; exit 2; }

work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

start_ms=$(now_ms)
"$launcher" --headless --port 0 --no-dht --host 127.0.0.1 --data-dir "$work/data" >"$work/out" 2>"$work/err" &
pid=$!
url=$(await_listening "$work/out" "$pid" 30) || {
  cat "$work/err"; echo "app-image-check.sh: not listening (the relay exited, or 30 s passed)" >&2; exit 1; }
echo "listening at $url after $(( $(now_ms) - start_ms )) ms"

stats=$(http_get "${url}stats.json")
grep -q '^HTTP/1.1 200' <<<"$stats" && grep -q '"torrents"' <<<"$stats" || {
  echo "app-image-check.sh: /stats.json did not answer with the tracker's figures: $stats" >&2; exit 1; }
echo "GET ${url}stats.json: ok"
kill "$pid"
wait "$pid" 2>/dev/null || true
pid=""
echo "app image check passed"
