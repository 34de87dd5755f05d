// Reference WebTorrent tracker: the npm `bittorrent-tracker` server, WebSocket only, on loopback.
//
//   node reference-server.mjs [PORT]      (PORT 0 or absent = any free port)
//
// Prints `listening <port>` on stdout once it accepts connections; the tracker URL is then
// ws://127.0.0.1:<port>/ . Stops on SIGINT/SIGTERM with exit code 0. Diagnostics go to stderr.
//
// `bittorrent-tracker/server` is imported instead of the package root: the root also loads the
// client, which pulls in a native WebRTC module that the server does not need.

import Server from 'bittorrent-tracker/server'

const arg = process.argv[2] ?? '0'
const port = Number(arg)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`usage: node reference-server.mjs [PORT]  (got ${JSON.stringify(arg)})`)
  process.exit(2)
}
const host = '127.0.0.1'

const server = new Server({
  http: false, // the ws transport still gets its own HTTP server for the upgrade
  udp: false,
  ws: true,
  stats: false,
  trustProxy: false
})

server.on('error', err => {
  console.error(`reference-server: error: ${err.message}`)
  process.exit(1)
})
server.on('warning', err => {
  console.error(`reference-server: warning: ${err.message}`)
})

server.listen(port, host, () => {
  const actual = server.ws.address().port
  console.log(`listening ${actual}`)
})

let closing = false
function shutdown (signal) {
  if (closing) return
  closing = true
  console.error(`reference-server: ${signal}, closing`)
  const force = setTimeout(() => process.exit(0), 2000)
  force.unref()
  server.close(() => process.exit(0))
}
process.on('SIGINT', () => shutdown('SIGINT'))
process.on('SIGTERM', () => shutdown('SIGTERM'))
