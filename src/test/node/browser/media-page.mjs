// The p2p-media-loader test page: runs inside headless Chromium, driven by media.mjs through
// Playwright's page.evaluate(). It plays an HLS stream with hls.js and p2p-media-loader (npm
// packages, served unmodified), which finds the other viewers through the tracker it is given
// and fetches segments from them over WebRTC (no STUN/TURN server).
//
// window.pm: start({manifest, tracker}), stats(), stop(); window.pm.log is the page's log, with
// every tracker message the page sent and received (page-log.mjs). The byte counts come from the
// library's own events (onChunkDownloaded by `http` or `p2p`, onChunkUploaded).

import { log, note, watchTrackerSockets } from '/page-log.mjs' // first: it wraps RTCPeerConnection and WebSocket
import Hls from '/npm/hls.mjs'
import { HlsJsP2PEngine } from '/npm/p2p-media-loader-hlsjs.es.js'

watchTrackerSockets()

const video = document.getElementById('video')
const counts = {
  downloaded: { http: 0, p2p: 0 },
  uploaded: 0,
  segments: { http: 0, p2p: 0 },
  segmentUrls: new Set(),
  peersConnected: new Set(),
  peerErrors: [],
  trackerErrors: [],
  trackerWarnings: [],
  hlsErrors: []
}
let hls = null
let startedAt = 0

function start ({ manifest, tracker }) {
  if (hls) throw new Error('already playing')
  if (!Hls.isSupported()) throw new Error('hls.js: MediaSource Extensions are not supported here')
  const HlsWithP2P = HlsJsP2PEngine.injectMixin(Hls)
  hls = new HlsWithP2P({
    p2p: {
      // Only the test's tracker and no STUN server: the merge is shallow, so these replace the defaults.
      core: { announceTrackers: [tracker], rtcConfig: { iceServers: [] } },
      onHlsJsCreated: (h) => {
        const engine = h.p2pEngine
        engine.addEventListener('onChunkDownloaded', (bytes, source) => { counts.downloaded[source] += bytes })
        engine.addEventListener('onChunkUploaded', (bytes) => { counts.uploaded += bytes })
        engine.addEventListener('onSegmentLoaded', (d) => {
          counts.segments[d.downloadSource] += 1
          counts.segmentUrls.add(d.segmentUrl)
          note(`segment ${d.segmentUrl.split('/').pop()} ${d.bytesLength} bytes by ${d.downloadSource}${d.peerId ? ` from ${d.peerId}` : ''}`)
        })
        engine.addEventListener('onPeerConnect', (d) => { counts.peersConnected.add(d.peerId); note(`peer ${d.peerId} connected (${d.streamType})`) })
        engine.addEventListener('onPeerClose', (d) => note(`peer ${d.peerId} closed`))
        engine.addEventListener('onPeerError', (d) => { counts.peerErrors.push(String(d.error)); note(`peer ${d.peerId} error ${d.error}`) })
        engine.addEventListener('onTrackerError', (d) => { counts.trackerErrors.push(String(d.error)); note(`tracker error ${d.error}`) })
        engine.addEventListener('onTrackerWarning', (d) => { counts.trackerWarnings.push(String(d.warning)); note(`tracker warning ${d.warning}`) })
      }
    }
  })
  hls.on(Hls.Events.ERROR, (event, data) => {
    counts.hlsErrors.push(`${data.type} ${data.details}${data.fatal ? ' (fatal)' : ''}`)
    note(`hls.js error ${data.type} ${data.details}${data.fatal ? ' fatal' : ''}`)
  })
  hls.attachMedia(video)
  hls.loadSource(manifest)
  startedAt = Date.now()
  video.play().catch((err) => note(`play(): ${err && err.message}`))
  note(`playing ${manifest} via ${tracker}, hls.js ${Hls.version}`)
  return { at: startedAt, hls: Hls.version }
}

function stats () {
  const { downloaded } = counts
  const total = downloaded.http + downloaded.p2p
  return {
    currentTime: video.currentTime,
    duration: video.duration,
    ended: video.ended,
    playingMs: startedAt ? Date.now() - startedAt : 0,
    downloaded: { ...downloaded },
    p2pShare: total > 0 ? downloaded.p2p / total : 0,
    uploaded: counts.uploaded,
    segments: { ...counts.segments },
    segmentsLoaded: counts.segmentUrls.size,
    peersConnected: counts.peersConnected.size,
    peerErrors: counts.peerErrors.slice(-10),
    trackerErrors: counts.trackerErrors.slice(-10),
    trackerWarnings: counts.trackerWarnings.slice(-10),
    hlsErrors: counts.hlsErrors.slice(-10),
    videoError: video.error ? `${video.error.code} ${video.error.message}` : null
  }
}

function stop () {
  if (hls) hls.destroy()
  hls = null
  note('stopped')
}

window.pm = { start, stats, stop, log, mse: Hls.isSupported() }
note(`hls.js ${Hls.version} loaded, MSE ${Hls.isSupported()}`)
