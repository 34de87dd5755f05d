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
