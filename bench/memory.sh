#!/usr/bin/env bash
# Memory per peer: starts this relay on loopback, opens CONNECTIONS idle WebSocket connections
# that announce K torrents each (CONNECTIONS x K peers, no offers, re-announcing about every
# 120 s as browsers do), and measures the relay's resident memory (RSS) and live heap before and
# after, each after a full GC. Then checks that the relay still answers announces (a short
# `bench` run beside the idle peers) and writes the result into docs/benchmarks.md.
#
#   bench/memory.sh [--connections 19000] [--torrents-per-connection 1] [--torrents 1000]
#                   [--source-addresses 127.0.0.2-127.0.0.9] [--hold 60s] [--launcher PATH] [--no-write]
#
# By default one peer per connection, at the most connections the open-file limit of this
# machine lets one process hold. --launcher runs the relay with an installer's launcher (e.g.
# target/installer/bittorrent-relay/bin/bittorrent-relay from mvn -Pinstaller package) instead
# of `java -jar`, with the JVM options that launcher carries.
#
# The generator's connections come from 127.0.0.2-127.0.0.9 unless --source-addresses says
# otherwise (one source address has about 28,000 ephemeral ports). Every
# connection is a file descriptor in the relay and in the generator: the script raises the soft
# open-file limit to the hard one, which caps the connections per process.
# Environment: JAR (the relay jar), PORT, RELAY_JAVA_OPTS, BENCH_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${JAR:-$ROOT/target/bittorrent-relay.jar}"
PORT="${PORT:-18311}"
CONNECTIONS=19000
PER_CONNECTION=1
TORRENTS=1000
SOURCES="127.0.0.2-127.0.0.9"
LAUNCHER=""
HOLD=60s
WRITE=1

while [ $# -gt 0 ]; do
  case "$1" in
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --torrents-per-connection) PER_CONNECTION="$2"; shift 2 ;;
    --torrents) TORRENTS="$2"; shift 2 ;;
    --source-addresses) SOURCES="$2"; shift 2 ;;
    --hold) HOLD="$2"; shift 2 ;;
    --launcher) LAUNCHER="$2"; shift 2 ;;
    --no-write) WRITE=0; shift ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "memory.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[ -f "$JAR" ] || { echo "memory.sh: $JAR is missing; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
LIMIT="$(ulimit -n)"
if [ "$CONNECTIONS" -gt $((LIMIT - 200)) ]; then
  echo "memory.sh: $CONNECTIONS connections need more than the open-file limit of $LIMIT allows" \
       "(at most $((LIMIT - 200)) here); use fewer connections and more --torrents-per-connection" >&2
  exit 2
fi
PEERS=$((CONNECTIONS * PER_CONNECTION))

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The relay calls itself full (and refuses new peers) when the machine's CPU is high, which is
# exactly what a load test does: thresholds of 1 switch that off for the measurement.
mkdir -p "$WORK/relay-data"
if { unzip -l "$JAR" 2>/dev/null || jar tf "$JAR" 2>/dev/null; } | grep -q 'org/btrelay/health/CapacityThresholds.class'; then
  echo '{"capacity":{"busyCpu":1,"fullCpu":1,"busyConnections":1,"fullConnections":1}}' >"$WORK/relay-data/settings.json"
fi
RELAY_ARGS=(--headless --host 127.0.0.1 --port "$PORT" --data-dir "$WORK/relay-data"
  --limit maxConnectionsPerIp=1000000 --limit maxConnections=1000000 --limit messagesPerSecond=1000000
  --limit messageBurst=1000000 --limit maxSwarmsPerConnection=1000)
if java -jar "$JAR" --help 2>/dev/null | grep -q -- '--no-dht'; then RELAY_ARGS+=(--no-dht); fi
if [ -n "$LAUNCHER" ]; then
  [ -x "$LAUNCHER" ] || { echo "memory.sh: $LAUNCHER is not an executable launcher" >&2; exit 2; }
  "$LAUNCHER" "${RELAY_ARGS[@]}" >"$WORK/relay.out" 2>"$WORK/relay.err" &
else
  # shellcheck disable=SC2086
  java ${RELAY_JAVA_OPTS:-} -jar "$JAR" "${RELAY_ARGS[@]}" >"$WORK/relay.out" 2>"$WORK/relay.err" &
fi
RELAY_PID=$!; PIDS+=("$RELAY_PID")
for _ in $(seq 150); do grep -q '^listening' "$WORK/relay.out" 2>/dev/null && break; sleep 0.2; done
grep -q '^listening' "$WORK/relay.out" || { echo "memory.sh: the relay did not start:" >&2; cat "$WORK/relay.err" >&2; exit 1; }
URL="ws://127.0.0.1:$PORT/announce"

rss_kib() { awk '/^VmRSS:/ {print $2}' "/proc/$RELAY_PID/status"; }
heap_kib() { jcmd "$RELAY_PID" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++) if ($i == "used") { v = $(i + 1); sub(/K,?/, "", v); print v; exit } }'; }
full_gc() { jcmd "$RELAY_PID" GC.run >/dev/null 2>&1 || true; sleep 2; }
stat_field() { curl -s "http://127.0.0.1:$PORT/stats.json" | node -e '
  let s = ""; process.stdin.on("data", d => s += d).on("end", () => console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }
# shellcheck disable=SC2086
bench() { java ${BENCH_JAVA_OPTS:-} -jar "$JAR" bench --url "$URL" "$@"; }

echo "== warming the relay up (classes, JIT, buffer pools)"
bench --connections 200 --torrents 20 --offers 5 --duration 3s --warmup 2s >"$WORK/warm.out" 2>&1
sleep 3
full_gc
RSS0="$(rss_kib)"; HEAP0="$(heap_kib)"
echo "baseline: RSS $RSS0 KiB, live heap $HEAP0 KiB"

echo "== $CONNECTIONS connections x $PER_CONNECTION torrents = $PEERS idle peers"
HOLD_ARGS=(--connections "$CONNECTIONS" --torrents "$TORRENTS" --torrents-per-connection "$PER_CONNECTION"
  --offers 0 --scrape-share 0 --rate "$(( (PEERS + 119) / 120 ))" --warmup 0 --duration "$HOLD" --connect-timeout 300s)
[ -n "$SOURCES" ] && HOLD_ARGS+=(--source-addresses "$SOURCES")
START=$(date +%s)
# Started directly (not through the bench function) so that $! is the generator's own PID.
# shellcheck disable=SC2086
java ${BENCH_JAVA_OPTS:-} -jar "$JAR" bench --url "$URL" "${HOLD_ARGS[@]}" >"$WORK/hold.out" 2>"$WORK/hold.err" &
HOLD_PID=$!; PIDS+=("$HOLD_PID")
peers=0
for _ in $(seq 600); do
  peers="$(stat_field peers 2>/dev/null || echo 0)"
  [ "$peers" -ge "$PEERS" ] && break
  kill -0 "$HOLD_PID" 2>/dev/null || break
  sleep 1
done
CONNECTED="$(stat_field connections)"
echo "announced: $peers peers on $CONNECTED connections after $(( $(date +%s) - START )) s"
full_gc
RSS1="$(rss_kib)"; HEAP1="$(heap_kib)"
echo "with the peers: RSS $RSS1 KiB, live heap $HEAP1 KiB"
FLAGS="$(jcmd "$RELAY_PID" VM.command_line 2>/dev/null | sed -n 's/^jvm_args: //p' | tr -d '\n')"
jcmd_flags() { printf '%s' "${FLAGS:-none}"; }
if [[ "${RELAY_JAVA_OPTS:-}" == *NativeMemoryTracking* ]]; then
  echo "native memory (committed) by area:"
  jcmd "$RELAY_PID" VM.native_memory summary | grep -E '^(Total|-)' | sed -E 's/\(reserved=[0-9]+KB, //; s/\)$//' | head -25
fi

echo "== does the relay still answer announces?"
bench --connections 50 --torrents 10 --offers 5 --answer-share 1.0 --rate 500 --duration 3s --warmup 1s >"$WORK/probe.out" 2>&1 || true
PROBE="$(tail -n 1 "$WORK/probe.out")"
sed -n '/^responses/p;/^announce ms/p;/^errors/p' "$WORK/probe.out"
PEERS_AFTER="$(stat_field peers)"
kill "$HOLD_PID" 2>/dev/null || true
wait "$HOLD_PID" 2>/dev/null || true

SECTION="$WORK/section.md"
node - "$peers" "$CONNECTED" "$RSS0" "$RSS1" "$HEAP0" "$HEAP1" "$PROBE" "$PEERS" "$PEERS_AFTER" >"$SECTION" <<'EOF'
const [peers, conns, rss0, rss1, heap0, heap1, probeLine, wanted, peersAfter] = process.argv.slice(2);
const probe = JSON.parse(probeLine);
const n = Number(peers), c = Number(conns);
const kib = v => Number(v).toLocaleString('en-US');
const per = (a, b, d) => ((Number(b) - Number(a)) * 1024 / d).toFixed(0);
const out = [];
out.push('| peers (announced) | connections | RSS before → after (KiB) | RSS growth per peer | per connection | live heap before → after (KiB) | heap per peer | announces/s while held | p99 ms | probe errors |');
out.push('|---:|---:|---|---:|---:|---|---:|---:|---:|---:|');
out.push(`| ${kib(n)} of ${kib(wanted)} | ${kib(c)} | ${kib(rss0)} → ${kib(rss1)} | ${per(rss0, rss1, n)} B | ${per(rss0, rss1, c)} B | `
  + `${kib(heap0)} → ${kib(heap1)} | ${per(heap0, heap1, n)} B | ${Math.round(probe.announcesPerSecond)} | ${probe.latencyP99Ms.toFixed(2)} | ${probe.errors} |`);
out.push('');
out.push(`Peers still tracked after the probe: ${kib(peersAfter)}.`);
console.log(out.join('\n'));
EOF

JAVA_VERSION="$(java -version 2>&1 | head -n 1)"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on a shared machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB memory; $JAVA_VERSION; relay started with: ${LAUNCHER:-java ${RELAY_JAVA_OPTS:-}-jar} (its JVM options: $(jcmd_flags)); open-file limit $LIMIT."
  echo
  echo "Command: \`${RELAY_JAVA_OPTS:+RELAY_JAVA_OPTS=\"$RELAY_JAVA_OPTS\" }bench/memory.sh --connections $CONNECTIONS --torrents-per-connection $PER_CONNECTION --torrents $TORRENTS${SOURCES:+ --source-addresses $SOURCES}${LAUNCHER:+ --launcher $LAUNCHER}\`"
  echo
  cat "$SECTION"
} >"$WORK/block.md"
echo
cat "$WORK/block.md"

if [ "$WRITE" = 1 ]; then
  DOC="$ROOT/docs/benchmarks.md"
  TAG="memory.sh:${CONNECTIONS}x${PER_CONNECTION}:$(printf '%s' "${LAUNCHER:+launcher}${RELAY_JAVA_OPTS:-}" | tr -c 'A-Za-z0-9=' '_')"
  [ "$TAG" = "memory.sh:${CONNECTIONS}x${PER_CONNECTION}:" ] && TAG="${TAG}default"
  node - "$DOC" "$WORK/block.md" "$TAG" <<'EOF'
const fs = require('fs');
const [doc, blockFile, tag] = process.argv.slice(2);
const begin = `<!-- ${tag}:begin -->`, end = `<!-- ${tag}:end -->`;
const block = `${begin}\n${fs.readFileSync(blockFile, 'utf8').trim()}\n${end}`;
let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Benchmarks\n';
if (text.includes(begin) && text.includes(end)) {
  text = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
} else {
  text = text.trimEnd() + '\n\n' + block + '\n';
}
fs.writeFileSync(doc, text);
EOF
  echo "memory.sh: wrote the result into $DOC"
fi
