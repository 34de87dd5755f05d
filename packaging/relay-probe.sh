# Functions shared by the scripts that start a packaged relay and check it (sourced, not run):
# packaging/linux/smoke-test.sh and packaging/app-image-check.sh. Plain bash (3.2 on macOS,
# Git Bash on Windows), no curl needed.

# Milliseconds since the epoch (BSD date has no %N: python3 there, seconds as a last resort).
now_ms() {
  local ns
  ns=$(date +%s%N 2>/dev/null)
  case "$ns" in
    *N|"") if command -v python3 >/dev/null; then python3 -c 'import time; print(int(time.time() * 1000))'
           else echo $(( $(date +%s) * 1000 )); fi ;;
    *) echo $(( ns / 1000000 )) ;;
  esac
}

# await_listening OUT_FILE PID SECONDS: waits until the relay writing OUT_FILE prints its
# `listening <ws-url> <http-url>` line and prints the http URL; fails if the process ends first
# or the time runs out.
await_listening() {
  local out="$1" pid="$2" seconds="$3" url i
  for i in $(seq 1 $(( seconds * 20 ))); do
    url=$(sed -n 's/^listening [^ ]* \(http:[^ ]*\).*$/\1/p' "$out" | tr -d '\r')
    if [ -n "$url" ]; then echo "$url"; return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# http_get URL: the whole HTTP/1.1 response (status line, headers, body) to a GET of URL.
http_get() {
  local rest="${1#http://}" hostport path
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  [ "$rest" = "$hostport" ] && path=/
  exec 3<>"/dev/tcp/${hostport%:*}/${hostport##*:}" || return 1
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$path" "$hostport" >&3
  cat <&3
  exec 3<&-
}
