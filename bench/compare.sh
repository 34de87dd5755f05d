#!/usr/bin/env bash
# Side by side: this relay and the reference WebTorrent tracker (npm bittorrent-tracker), both on
# loopback, loaded by the same generator (bittorrent-relay bench) with the same settings, in
# alternating runs. Prints every run and writes the table into docs/benchmarks.md.
#
#   bench/compare.sh [--runs 3] [--connections 1000] [--torrents 50] [--offers 10]
#                    [--duration 30s] [--warmup 5s] [--answer-share 1.0] [--no-latency] [--no-write]
#                    [--pin | --no-pin]
#
# Pinned (the default on a machine with 2 cores or more): each tracker runs on core 0 alone
# (taskset), the generator on core 1, so the comparison is per core and the generator never
# takes the tracker's CPU. Offers forwarded per announce are shown for both trackers next to
# every ratio: a tracker that forwards fewer offers does less work per announce.
#
# Needs: target/bittorrent-relay.jar (mvn -B -q package -DskipTests), Java 17+, Node.js 18+ and
# the reference server's npm packages (installed here from the lockfile if missing).
# Environment: JAR (the relay jar), OURS_PORT, REF_PORT, RELAY_JAVA_OPTS, BENCH_JAVA_OPTS.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAR="${JAR:-$ROOT/target/bittorrent-relay.jar}"
OURS_PORT="${OURS_PORT:-18301}"
REF_PORT="${REF_PORT:-18302}"
RUNS=3
CONNECTIONS=1000
TORRENTS=50
OFFERS=10
DURATION=30s
WARMUP=5s
ANSWER_SHARE=1.0
LATENCY=1
WRITE=1
PIN=auto

while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --torrents) TORRENTS="$2"; shift 2 ;;
    --offers) OFFERS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --answer-share) ANSWER_SHARE="$2"; shift 2 ;;
    --no-latency) LATENCY=0; shift ;;
    --no-write) WRITE=0; shift ;;
    --pin) PIN=1; shift ;;
    --no-pin) PIN=0; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "compare.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

[ -f "$JAR" ] || { echo "compare.sh: $JAR is missing; build it with: mvn -B -q package -DskipTests" >&2; exit 2; }
command -v node >/dev/null || { echo "compare.sh: node is needed for the reference tracker" >&2; exit 2; }
if [ ! -d "$ROOT/src/test/node/node_modules/bittorrent-tracker" ]; then
  (cd "$ROOT/src/test/node" && npm ci --ignore-scripts --no-audit --no-fund)
fi

if [ "$PIN" = auto ]; then
  if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then PIN=1; else PIN=0; fi
fi
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null || { echo "compare.sh: --pin needs taskset (util-linux)" >&2; exit 2; }
  SERVER_CPU=(taskset -c 0); GEN_CPU=(taskset -c 1)
else
  SERVER_CPU=(); GEN_CPU=()
fi

# Every connection is a file descriptor in both processes.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

await_line() { # file pattern
  for _ in $(seq 150); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  echo "compare.sh: no '$2' in $1:" >&2; cat "$1" "$1.err" >&2 2>/dev/null || true; return 1
}

# The relay calls itself full (and refuses new peers) when the machine's CPU is high, which is
# exactly what a load test does: thresholds of 1 switch that off for the measurement.
mkdir -p "$WORK/relay-data"
if { unzip -l "$JAR" 2>/dev/null || jar tf "$JAR" 2>/dev/null; } | grep -q 'org/btrelay/health/CapacityThresholds.class'; then
  echo '{"capacity":{"busyCpu":1,"fullCpu":1,"busyConnections":1,"fullConnections":1}}' >"$WORK/relay-data/settings.json"
fi
RELAY_ARGS=(--headless --host 127.0.0.1 --port "$OURS_PORT" --data-dir "$WORK/relay-data"
  --limit maxConnectionsPerIp=100000 --limit messagesPerSecond=1000000 --limit messageBurst=1000000)
# Loopback benchmarks need no DHT (and the DHT refuses loopback addresses).
if java -jar "$JAR" --help 2>/dev/null | grep -q -- '--no-dht'; then RELAY_ARGS+=(--no-dht); fi
# shellcheck disable=SC2086
"${SERVER_CPU[@]}" java ${RELAY_JAVA_OPTS:-} -jar "$JAR" "${RELAY_ARGS[@]}" >"$WORK/ours.out" 2>"$WORK/ours.out.err" &
PIDS+=($!); OURS_PID=$!
"${SERVER_CPU[@]}" node "$ROOT/src/test/node/reference-server.mjs" "$REF_PORT" >"$WORK/ref.out" 2>"$WORK/ref.out.err" &
PIDS+=($!); REF_PID=$!
await_line "$WORK/ours.out" '^listening'
await_line "$WORK/ref.out" '^listening'

OURS_URL="ws://127.0.0.1:$OURS_PORT/announce"
REF_URL="ws://127.0.0.1:$REF_PORT/"
COMMON=(--connections "$CONNECTIONS" --torrents "$TORRENTS" --offers "$OFFERS" --duration "$DURATION"
  --warmup "$WARMUP" --answer-share "$ANSWER_SHARE")

cpu_seconds() { awk '{printf "%.2f", ($14 + $15) / 100}' "/proc/$1/stat"; }

bench() { # name url pid extra-args... ; appends the JSON line (plus the server's CPU seconds) to $WORK/name.jsonl
  local name="$1" url="$2" pid="$3"; shift 3
  local before after
  before="$(cpu_seconds "$pid")"
  # shellcheck disable=SC2086
  "${GEN_CPU[@]}" java ${BENCH_JAVA_OPTS:-} -jar "$JAR" bench --url "$url" "${COMMON[@]}" "$@" >"$WORK/run.out" 2>"$WORK/run.err" || {
    echo "compare.sh: the generator failed against $name:" >&2; cat "$WORK/run.out" "$WORK/run.err" >&2; exit 1; }
  after="$(cpu_seconds "$pid")"
  tail -n 1 "$WORK/run.out" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => {
      const r = JSON.parse(s); r.serverCpuSeconds = Number(process.argv[1]); console.log(JSON.stringify(r)) })' \
    "$(awk -v a="$after" -v b="$before" 'BEGIN { print a - b }')" >>"$WORK/$name.jsonl"
  tail -n 1 "$WORK/$name.jsonl" | node -e '
    let s = ""; process.stdin.on("data", d => s += d).on("end", () => { const r = JSON.parse(s);
      console.log(`${process.argv[1].padEnd(10)} responses/s ${Math.round(r.responsesPerSecond).toString().padStart(8)}` +
        `  announces/s ${Math.round(r.announcesPerSecond).toString().padStart(6)}` +
        `  offers/announce ${(r.offersPerSecond / r.announcesPerSecond).toFixed(2)}` +
        `  p50 ${r.latencyP50Ms.toFixed(2)} ms  p99 ${r.latencyP99Ms.toFixed(2)} ms  errors ${r.errors}` +
        `  server CPU ${r.serverCpuSeconds.toFixed(1)} s` +
        (r.errors ? `  (${JSON.stringify(Object.assign({}, r.failureReasons, r.closeCodes))})` : "")) })' "$name"
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "== throughput: $RUNS alternating runs each, ${COMMON[*]}"
for i in $(seq "$RUNS"); do
  bench ours "$OURS_URL" "$OURS_PID"
  bench reference "$REF_URL" "$REF_PID"
done

median() { # file field
  node -e '
    const fs = require("fs"); const v = fs.readFileSync(process.argv[1], "utf8").trim().split("\n")
      .map(l => JSON.parse(l)[process.argv[2]]).sort((a, b) => a - b);
    const m = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    console.log(m)' "$1" "$2"
}

if [ "$LATENCY" = 1 ]; then
  for name in ours reference; do
    half="$(node -e 'console.log(Math.max(1, Math.round(Number(process.argv[1]) / 2)))' "$(median "$WORK/$name.jsonl" announcesPerSecond)")"
    echo "== latency at half the maximum throughput: $name at $half announces/s"
    if [ "$name" = ours ]; then url="$OURS_URL"; pid="$OURS_PID"; else url="$REF_URL"; pid="$REF_PID"; fi
    bench "$name-half" "$url" "$pid" --rate "$half"
  done
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

TABLE="$WORK/table.md"
node - "$WORK" "$RUNS" "$LATENCY" >"$TABLE" <<'EOF'
const fs = require('fs');
const [dir, runs, latency] = process.argv.slice(2);
const read = n => fs.existsSync(`${dir}/${n}.jsonl`)
  ? fs.readFileSync(`${dir}/${n}.jsonl`, 'utf8').trim().split('\n').map(l => JSON.parse(l)) : [];
const median = (rs, f) => { const v = rs.map(r => r[f]).sort((a, b) => a - b);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const ours = read('ours'), ref = read('reference');
const fmt = n => Math.round(n).toLocaleString('en-US');
const ms = n => n.toFixed(2);
// Server CPU per response: the server's CPU time over the run (warm-up and measured part) divided by
// the responses of that time, estimated at the measured rate. Steadier than responses/s when
// other processes take CPU away from the server.
const cpuPerResponse = r => 1e6 * r.serverCpuSeconds / (r.responsesPerSecond * (r.durationSeconds + r.warmupSeconds));
const perAnnounce = rs => median(rs.map(r => ({ v: r.offersPerSecond / r.announcesPerSecond })), 'v');
const row = (name, rs) => `| ${name} | ${fmt(median(rs, 'responsesPerSecond'))} | ${fmt(median(rs, 'announcesPerSecond'))} | `
  + `${perAnnounce(rs).toFixed(2)} | `
  + `${ms(median(rs, 'latencyP50Ms'))} | ${ms(median(rs, 'latencyP99Ms'))} | ${rs.reduce((s, r) => s + r.errors, 0)} | `
  + `${(median(rs, 'serverCpuSeconds') / (rs[0].durationSeconds + rs[0].warmupSeconds)).toFixed(2)} | `
  + `${median(rs.map(r => ({ v: cpuPerResponse(r) })), 'v').toFixed(1)} | `
  + rs.map(r => fmt(r.responsesPerSecond)).join(', ') + ' |';
const out = [];
out.push(`| tracker | responses/s (median) | announces/s | offers forwarded per announce | p50 ms | p99 ms | errors (all runs) | server cores busy | server CPU µs per response | each run's responses/s |`);
out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
out.push(row('this relay', ours));
out.push(row('reference (bittorrent-tracker)', ref));
const ratio = median(ours, 'responsesPerSecond') / median(ref, 'responsesPerSecond');
out.push('');
const effRatio = median(ref.map(r => ({ v: cpuPerResponse(r) })), 'v') / median(ours.map(r => ({ v: cpuPerResponse(r) })), 'v');
const annRatio = median(ours, 'announcesPerSecond') / median(ref, 'announcesPerSecond');
out.push(`**Ratio (medians of ${runs} alternating runs each): ${ratio.toFixed(2)}x the responses/s, ${annRatio.toFixed(2)}x the announces/s**, `
  + `with ${perAnnounce(ours).toFixed(2)} offers forwarded per announce by this relay and ${perAnnounce(ref).toFixed(2)} by the reference; `
  + `server CPU per response: the reference spends ${effRatio.toFixed(2)}x what this relay spends.`);
if (latency === '1') {
  out.push('');
  out.push('Announce latency at half the maximum throughput (paced with `--rate`, one run each):');
  out.push('');
  out.push('| tracker | rate (announces/s) | responses/s | offers forwarded per announce | p50 ms | p90 ms | p99 ms | p99.9 ms | errors | server CPU µs per response |');
  out.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, file] of [['this relay', 'ours-half'], ['reference (bittorrent-tracker)', 'reference-half']]) {
    for (const r of read(file)) {
      out.push(`| ${name} | ${fmt(r.rate)} | ${fmt(r.responsesPerSecond)} | ${(r.offersPerSecond / r.announcesPerSecond).toFixed(2)} | ${ms(r.latencyP50Ms)} | ${ms(r.latencyP90Ms)} | `
        + `${ms(r.latencyP99Ms)} | ${ms(r.latencyP999Ms)} | ${r.errors} | ${cpuPerResponse(r).toFixed(1)} |`);
    }
  }
}
console.log(out.join('\n'));
EOF

JAVA_VERSION="$(java -version 2>&1 | head -n 1)"
MACHINE="$(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB memory, $(uname -sr)"
{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on a shared machine: $MACHINE;"
  if [ "$PIN" = 1 ]; then echo "pinned: each tracker alone on core 0, the generator on core 1 (taskset);"; else echo "not pinned: trackers and generator share every core;"; fi
  echo "$JAVA_VERSION; Node.js $(node --version); load average before $LOAD_BEFORE, after $LOAD_AFTER."
  echo
  echo "Command: \`bench/compare.sh --runs $RUNS --connections $CONNECTIONS --torrents $TORRENTS --offers $OFFERS --duration $DURATION --warmup $WARMUP --answer-share $ANSWER_SHARE$([ "$PIN" = 1 ] && echo ' --pin' || echo ' --no-pin')\`"
  echo
  cat "$TABLE"
} >"$WORK/section.md"

echo
cat "$WORK/section.md"

if [ "$WRITE" = 1 ]; then
  DOC="$ROOT/docs/benchmarks.md"
  node - "$DOC" "$WORK/section.md" <<'EOF'
const fs = require('fs');
const [doc, sectionFile] = process.argv.slice(2);
const begin = '<!-- compare.sh:begin -->', end = '<!-- compare.sh:end -->';
const section = fs.readFileSync(sectionFile, 'utf8').trim();
let text = fs.existsSync(doc) ? fs.readFileSync(doc, 'utf8') : '# Benchmarks\n';
const block = `${begin}\n${section}\n${end}`;
if (text.includes(begin) && text.includes(end)) {
  text = text.slice(0, text.indexOf(begin)) + block + text.slice(text.indexOf(end) + end.length);
} else {
  text = text.trimEnd() + '\n\n' + block + '\n';
}
fs.writeFileSync(doc, text);
EOF
  echo "compare.sh: wrote the table into $DOC"
fi
