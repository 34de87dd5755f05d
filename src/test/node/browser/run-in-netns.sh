#!/bin/sh
# Runs a browser test inside a fresh network namespace that holds only the loopback interface,
# so that no WebRTC ICE candidate, and no packet at all, can leave 127.0.0.0/8.
#
#   sh src/test/node/browser/run-in-netns.sh transfer [JAR] [2|3]  (default target/bittorrent-relay.jar, webtorrent 2)
#   sh src/test/node/browser/run-in-netns.sh trystero [JAR|reference] [ROUNDS]
#   sh src/test/node/browser/run-in-netns.sh media [JAR]
#   sh src/test/node/browser/run-in-netns.sh failover CLASSPATH    (test classpath with org.btrelay.lab.LabDriver)
#   sh src/test/node/browser/run-in-netns.sh check                 (can a namespace be made here? exit 0 if so)
#
# transfer: starts the relay jar (--headless --no-dht on 127.0.0.1, a free port), waits for its
#           `listening <ws-url> <http-url>` line, runs browser/transfer.mjs against the ws URL
#           with the webtorrent 2 or 3 browser bundle.
# trystero: the same relay (or, with `reference`, the npm bittorrent-tracker server), then
#           browser/trystero.mjs: two trystero pages join rooms in every order.
# media:    the same relay, then browser/media.mjs: an HLS stream made with ffmpeg, two viewers
#           with p2p-media-loader and hls.js.
# failover: runs browser/failover.mjs, which starts three lab relays (private DHT on
#           127.0.0.2-4) with LabDriver and stops one of them mid-test.
#
# Needs root (otherwise unprivileged user namespaces: `unshare --map-root-user`), util-linux `unshare`, iproute2 `ip`, Node.js,
# Java and /usr/bin/chromium (CHROMIUM=... to use another). JAVA and NODE may name the executables.
# Relative paths are taken from the current directory. The test's JSON result line is the last
# line on stdout; the exit code is the test's (0 ok, 1 failed, 2 bad usage or setup).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
JAVA=${JAVA:-java}
NODE=${NODE:-node}

# Debian keeps `ip` in /usr/sbin, which a normal user's PATH lacks.
PATH=$PATH:/usr/sbin:/sbin
export PATH

if [ "${BTR_INSIDE_NETNS:-}" != 1 ]; then
  command -v unshare >/dev/null || { echo "run-in-netns.sh: unshare (util-linux) not found" >&2; exit 2; }
  command -v ip >/dev/null || { echo "run-in-netns.sh: ip (iproute2) not found" >&2; exit 2; }
  export BTR_INSIDE_NETNS=1
  if [ "$(id -u)" = 0 ]; then
    exec unshare --net sh "$HERE/run-in-netns.sh" "$@"
  fi
  # Not root: a user namespace in which we are root owns the new network namespace.
  exec unshare --map-root-user --net sh "$HERE/run-in-netns.sh" "$@"
fi

# --- inside the namespace -----------------------------------------------------------------
ip link set lo up
# Refuse to run with any interface but lo: that would let candidates out.
others=$(ip -o link show | awk -F': ' '{print $2}' | grep -v '^lo$' || true)
if [ -n "$others" ]; then
  echo "run-in-netns.sh: the namespace has interfaces besides lo: $others" >&2
  exit 2
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/btr-browser.XXXXXX")
# An empty hosts file: Java resolves no name through the host's files or DNS (there is none here).
: > "$WORK/hosts"
MYNS=$(readlink /proc/$$/ns/net)

# Ends every process left in this namespace (relay, browsers): all of them were started here.
cleanup() {
  status=$?
  trap - EXIT INT TERM
  for sig in TERM KILL; do
    for p in /proc/[0-9]*; do
      pid=${p#/proc/}
      [ "$pid" = $$ ] && continue
      [ "$(readlink "$p/ns/net" 2>/dev/null)" = "$MYNS" ] || continue
      kill -s "$sig" "$pid" 2>/dev/null || true
    done
    [ "$sig" = TERM ] && sleep 0.3
  done
  rm -rf "$WORK"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Starts the relay jar (--headless --no-dht on 127.0.0.1, a free port) and sets RELAY_PID, WS_URL
# and HTTP_URL from its `listening <ws-url> <http-url>` line.
start_relay() {
  jar=$1
  [ -f "$jar" ] || { echo "run-in-netns.sh: $jar not found (mvn package)" >&2; exit 2; }
  : > "$WORK/relay.out"
  # The relay shares the machine's CPU with the browsers and the build: a busy machine must not
  # make it call itself full and refuse the browsers. Judge capacity by connections only.
  mkdir -p "$WORK/relay"
  echo '{ "capacity": { "busyCpu": 1, "fullCpu": 1, "busyConnections": 0.8, "fullConnections": 0.95 } }' \
    > "$WORK/relay/settings.json"
  "$JAVA" -Djdk.net.hosts.file="$WORK/hosts" -jar "$jar" \
    --headless --no-dht --host 127.0.0.1 --port 0 --data-dir "$WORK/relay" \
    >"$WORK/relay.out" 2>"$WORK/relay.err" &
  RELAY_PID=$!
  RELAY_ERR=$WORK/relay.err
  wait_for_line "$WORK/relay.out" '$1 == "listening" { print $2 " " $3; exit }' "the relay"
  WS_URL=${LINE% *}
  HTTP_URL=${LINE#* }
  echo "run-in-netns.sh: relay listening at $WS_URL $HTTP_URL" >&2
}

# Starts the reference tracker (the npm bittorrent-tracker server, reference-server.mjs) on
# 127.0.0.1, a free port, and sets RELAY_PID and WS_URL (it serves no HTTP tracker here).
start_reference() {
  : > "$WORK/reference.out"
  "$NODE" "$HERE/../reference-server.mjs" 0 >"$WORK/reference.out" 2>"$WORK/reference.err" &
  RELAY_PID=$!
  RELAY_ERR=$WORK/reference.err
  wait_for_line "$WORK/reference.out" '$1 == "listening" { print $2; exit }' "the reference tracker"
  WS_URL="ws://127.0.0.1:$LINE/"
  HTTP_URL=
  echo "run-in-netns.sh: reference tracker listening at $WS_URL" >&2
}

# Waits up to 20 s for the awk program to print something from the file; sets LINE.
wait_for_line() {
  LINE=
  i=0
  while [ $i -lt 200 ]; do  # 20 s
    LINE=$(awk "$2" "$1" || true)
    [ -n "$LINE" ] && break
    kill -0 "$RELAY_PID" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
  done
  if [ -z "$LINE" ]; then
    echo "run-in-netns.sh: $3 did not print its listening line" >&2
    cat "$1" "$RELAY_ERR" >&2
    exit 2
  fi
}

# Runs a test script with the tracker's URL(s), stops the tracker, exits with the script's status.
run_against_tracker() {
  status=0
  "$NODE" "$@" || status=$?
  kill -s TERM "$RELAY_PID" 2>/dev/null || true
  wait "$RELAY_PID" 2>/dev/null || true
  if [ $status -ne 0 ]; then
    echo "--- tracker stderr (tail) ---" >&2
    tail -n 40 "$RELAY_ERR" >&2
  fi
  exit $status
}

# JAR, or `reference` for the npm reference tracker.
start_tracker() {
  if [ "$1" = reference ]; then start_reference; else start_relay "$1"; fi
}

mode=${1:-}
case "$mode" in
  check)
    # The namespace works: lo is up and is the only interface.
    ip -o addr show dev lo | grep -q 'inet 127\.0\.0\.1/8' || { echo "run-in-netns.sh: lo has no 127.0.0.1/8" >&2; exit 2; }
    exit 0
    ;;
  transfer)
    start_relay "${2:-target/bittorrent-relay.jar}"
    run_against_tracker "$HERE/transfer.mjs" "$WS_URL" "${3:-2}"
    ;;
  trystero)
    start_tracker "${2:-target/bittorrent-relay.jar}"
    run_against_tracker "$HERE/trystero.mjs" "$WS_URL" ${3:+"$3"}
    ;;
  media)
    command -v ffmpeg >/dev/null || { echo "run-in-netns.sh: ffmpeg not found" >&2; exit 2; }
    start_relay "${2:-target/bittorrent-relay.jar}"
    run_against_tracker "$HERE/media.mjs" "$WS_URL"
    ;;
  failover)
    [ $# -eq 2 ] || { echo "usage: run-in-netns.sh failover CLASSPATH" >&2; exit 2; }
    status=0
    LAB_JAVA=$JAVA LAB_CLASSPATH=$2 LAB_HOSTS_FILE="$WORK/hosts" "$NODE" "$HERE/failover.mjs" || status=$?
    exit $status
    ;;
  *)
    echo "usage: run-in-netns.sh transfer [JAR] [2|3] | trystero [JAR|reference] [ROUNDS] | media [JAR] | failover CLASSPATH | check" >&2
    exit 2
    ;;
esac
