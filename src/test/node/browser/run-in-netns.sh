#!/bin/sh
# Runs a browser test inside a fresh network namespace that holds only the loopback interface,
# so that no WebRTC ICE candidate, and no packet at all, can leave 127.0.0.0/8.
#
#   sh src/test/node/browser/run-in-netns.sh transfer [JAR]        (default target/bittorrent-relay.jar)
#   sh src/test/node/browser/run-in-netns.sh failover CLASSPATH    (test classpath with org.btrelay.lab.LabDriver)
#   sh src/test/node/browser/run-in-netns.sh check                 (can a namespace be made here? exit 0 if so)
#
# transfer: starts the relay jar (--headless --no-dht on 127.0.0.1, a free port), waits for its
#           `listening <ws-url> <http-url>` line, runs browser/transfer.mjs against the ws URL.
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

mode=${1:-}
case "$mode" in
  check)
    # The namespace works: lo is up and is the only interface.
    ip -o addr show dev lo | grep -q 'inet 127\.0\.0\.1/8' || { echo "run-in-netns.sh: lo has no 127.0.0.1/8" >&2; exit 2; }
    exit 0
    ;;
  transfer)
    JAR=${2:-target/bittorrent-relay.jar}
    [ -f "$JAR" ] || { echo "run-in-netns.sh: $JAR not found (mvn package)" >&2; exit 2; }
    : > "$WORK/relay.out"
    # The relay shares the machine's CPU with the browsers and the build: a busy machine must not
    # make it call itself full and refuse the browsers. Judge capacity by connections only.
    mkdir -p "$WORK/relay"
    echo '{ "capacity": { "busyCpu": 1, "fullCpu": 1, "busyConnections": 0.8, "fullConnections": 0.95 } }' \
      > "$WORK/relay/settings.json"
    "$JAVA" -Djdk.net.hosts.file="$WORK/hosts" -jar "$JAR" \
      --headless --no-dht --host 127.0.0.1 --port 0 --data-dir "$WORK/relay" \
      >"$WORK/relay.out" 2>"$WORK/relay.err" &
    relay=$!
    ws=
    i=0
    while [ $i -lt 200 ]; do  # 20 s
      ws=$(awk '$1 == "listening" { print $2; exit }' "$WORK/relay.out" || true)
      [ -n "$ws" ] && break
      kill -0 "$relay" 2>/dev/null || break
      sleep 0.1
      i=$((i + 1))
    done
    if [ -z "$ws" ]; then
      echo "run-in-netns.sh: the relay did not print its listening line" >&2
      cat "$WORK/relay.out" "$WORK/relay.err" >&2
      exit 2
    fi
    echo "run-in-netns.sh: relay listening at $ws" >&2
    status=0
    "$NODE" "$HERE/transfer.mjs" "$ws" || status=$?
    kill -s TERM "$relay" 2>/dev/null || true
    wait "$relay" 2>/dev/null || true
    if [ $status -ne 0 ]; then
      echo "--- relay stderr (tail) ---" >&2
      tail -n 40 "$WORK/relay.err" >&2
    fi
    exit $status
    ;;
  failover)
    [ $# -eq 2 ] || { echo "usage: run-in-netns.sh failover CLASSPATH" >&2; exit 2; }
    status=0
    LAB_JAVA=$JAVA LAB_CLASSPATH=$2 LAB_HOSTS_FILE="$WORK/hosts" "$NODE" "$HERE/failover.mjs" || status=$?
    exit $status
    ;;
  *)
    echo "usage: run-in-netns.sh transfer [JAR] | failover CLASSPATH | check" >&2
    exit 2
    ;;
esac
