// One tracker client in its own process, driven by compat-client.mjs over the IPC channel.
//
// Why a process per client: the bittorrent-tracker client keeps a module-wide pool of WebSocket
// connections keyed by tracker URL, so two Client objects in one process share one socket, and
// each of them then also receives the announce replies meant for the other. Real WebTorrent peers
// (browser tabs) each have their own connection; one process per client reproduces that.
//
// Messages from the parent:
//   {id, op: 'create', announce, infoHash (hex), peerId (hex), left (number | null)}
//   {id, op: 'start' | 'stop' | 'complete' | 'update' | 'scrape', left?}
//   {id, op: 'destroy'}
// Messages to the parent:
//   {type: 'done', id, error?}                     after each op was handed to the client
//   {type: 'event', event: 'update' | 'scrape' | 'warning' | 'error', data, at}
//
// Nothing is printed on stdout; diagnostics go to stderr.

import Client from 'bittorrent-tracker/client'

let client = null
let left = null
let destroyed = false

function send (msg) {
  if (process.connected) process.send(msg)
}

function log (text) {
  process.stderr.write(`[agent ${process.pid}] ${text}\n`)
}

// Keep only plain, JSON-safe fields of a tracker reply; binary ids become hex.
function summarize (data) {
  const out = {}
  for (const [key, value] of Object.entries(data)) {
    // Added by the client itself, not sent by the tracker: infoHash is how the client read the reply.
    if (key === 'announce') continue
    if (key === 'infoHash') {
      out.clientInfoHash = value
      continue
    }
    if (key === 'info_hash' || key === 'peer_id' || key === 'offer_id' || key === 'to_peer_id') {
      if (typeof value === 'string') out[key] = Buffer.from(value, 'latin1').toString('hex')
    } else if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) {
      out[key] = value
    } else {
      out[key] = JSON.parse(JSON.stringify(value))
    }
  }
  return out
}

function handle (msg) {
  const { id, op } = msg
  if (Object.prototype.hasOwnProperty.call(msg, 'left')) left = msg.left

  switch (op) {
    case 'create': {
      left = msg.left
      client = new Client({
        announce: [msg.announce],
        infoHash: msg.infoHash,
        peerId: msg.peerId,
        port: 6881, // required by the Node client, unused by the WebSocket transport
        // A truthy `wrtc` enables ws:// trackers; with numwant 0 no WebRTC offer is ever made.
        wrtc: {},
        // `left` is sent as given: a number, or null like a magnet download without metadata.
        getAnnounceOpts: () => ({ numwant: 0, left })
      })
      client.on('update', data => send({ type: 'event', event: 'update', data: summarize(data), at: Date.now() }))
      client.on('scrape', data => send({ type: 'event', event: 'scrape', data: summarize(data), at: Date.now() }))
      client.on('warning', err => {
        log(`warning: ${err && err.message}`)
        send({ type: 'event', event: 'warning', data: { message: String(err && err.message) }, at: Date.now() })
      })
      client.on('error', err => {
        log(`error: ${err && err.message}`)
        send({ type: 'event', event: 'error', data: { message: String(err && err.message) }, at: Date.now() })
      })
      client.on('peer', peer => {
        // Never expected with numwant 0; drop it so no WebRTC connection is attempted.
        log('unexpected peer (WebRTC offer) received; destroying it')
        send({ type: 'event', event: 'warning', data: { message: 'unexpected WebRTC offer/peer from tracker' }, at: Date.now() })
        try { peer.destroy() } catch (e) {}
      })
      break
    }
    case 'start':
      client.start()
      break
    case 'stop':
      client.stop()
      break
    case 'complete':
      client.complete()
      break
    case 'update':
      client.update()
      break
    case 'scrape':
      client.scrape()
      break
    case 'destroy':
      if (!destroyed && client) {
        destroyed = true
        client.destroy(() => {
          send({ type: 'done', id })
          setTimeout(() => process.exit(0), 50)
        })
        return
      }
      break
    default:
      throw new Error(`unknown op ${op}`)
  }
  send({ type: 'done', id })
}

process.on('message', msg => {
  try {
    handle(msg)
  } catch (err) {
    log(`op ${msg && msg.op} failed: ${err.stack || err}`)
    send({ type: 'done', id: msg && msg.id, error: String(err && err.message) })
  }
})

// The parent went away (crash, timeout): do not linger.
process.on('disconnect', () => process.exit(0))

process.on('uncaughtException', err => {
  log(`uncaught: ${err.stack || err}`)
  send({ type: 'event', event: 'error', data: { message: `uncaught: ${err.message}` }, at: Date.now() })
})
