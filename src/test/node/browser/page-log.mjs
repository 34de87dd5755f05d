// The test page's log, and a wrapper of RTCPeerConnection that writes every peer connection's
// ICE candidates and state changes to it: a WebRTC failure shows up only as a hang, and this is
// what tells a missing candidate from a failed connectivity check. Imported before webtorrent,
// which keeps the RTCPeerConnection it finds when it loads.

export const log = []
const t0 = performance.now()

export function note (text) {
  log.push(`${Math.round(performance.now() - t0)}ms ${text}`)
  if (log.length > 500) log.splice(0, log.length - 500)
}

const MAX_LOGGED = 40
let count = 0
const NativePeerConnection = window.RTCPeerConnection
window.RTCPeerConnection = class extends NativePeerConnection {
  constructor (...args) {
    super(...args)
    const id = ++count
    if (id > MAX_LOGGED) return
    this.addEventListener('icecandidate', (e) => note(`pc${id} candidate ${e.candidate ? e.candidate.candidate : '(end)'}`))
    this.addEventListener('iceconnectionstatechange', () => note(`pc${id} ice ${this.iceConnectionState}`))
  }
}

/**
 * Every tracker message of every WebSocket the page opens, as the app sends and receives them
 * (before any library reads them): `trackerTraffic` lists {at, dir: 'out'|'in', action, infoHash,
 * peerId, offers, offer, answer, interval, failure, warning} and the log gets one line each.
 * Ids are shown in hex, whatever characters the app uses. Call it before the app opens its socket.
 */
export const trackerTraffic = []
const MAX_TRAFFIC = 2000

export function watchTrackerSockets () {
  const NativeWebSocket = window.WebSocket
  if (NativeWebSocket.watched) return
  const record = (dir, url, data) => {
    let m
    try {
      m = JSON.parse(typeof data === 'string' ? data : new TextDecoder().decode(data))
    } catch {
      note(`tracker ${dir} ${url}: not JSON (${String(data).length} chars)`)
      return
    }
    const entry = {
      at: Date.now(),
      dir,
      action: m.action,
      infoHash: hex(m.info_hash),
      peerId: hex(m.peer_id),
      toPeerId: hex(m.to_peer_id),
      offers: Array.isArray(m.offers) ? m.offers.length : undefined,
      offer: m.offer !== undefined,
      answer: m.answer !== undefined,
      interval: m.interval,
      failure: m['failure reason'],
      warning: m['warning message']
    }
    trackerTraffic.push(entry)
    if (trackerTraffic.length > MAX_TRAFFIC) trackerTraffic.splice(0, trackerTraffic.length - MAX_TRAFFIC)
    const parts = [`tracker ${dir === 'out' ? '->' : '<-'} ${m.action || '?'}`, `ih ${short(entry.infoHash)}`, `peer ${short(entry.peerId)}`]
    if (entry.toPeerId) parts.push(`to ${short(entry.toPeerId)}`)
    if (entry.offers !== undefined) parts.push(`offers ${entry.offers}`)
    if (entry.offer) parts.push('offer')
    if (entry.answer) parts.push('answer')
    if (m.event) parts.push(`event ${m.event}`)
    if (entry.interval !== undefined) parts.push(`interval ${entry.interval} complete ${m.complete} incomplete ${m.incomplete}`)
    if (entry.failure) parts.push(`FAILURE ${entry.failure}`)
    if (entry.warning) parts.push(`WARNING ${entry.warning}`)
    note(parts.join(' '))
  }
  window.WebSocket = class extends NativeWebSocket {
    constructor (url, ...rest) {
      super(url, ...rest)
      note(`websocket ${url}`)
      this.addEventListener('message', (e) => record('in', url, e.data))
      this.addEventListener('close', (e) => note(`websocket ${url} closed ${e.code} ${e.reason}`))
    }

    send (data) {
      record('out', this.url, data)
      super.send(data)
    }
  }
  window.WebSocket.watched = true
}

function hex (id) {
  if (typeof id !== 'string') return undefined
  return Array.from(id, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
}

function short (h) {
  return h ? h.slice(0, 8) : '-'
}
