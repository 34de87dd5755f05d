// The trystero test page: runs inside headless Chromium, driven by trystero.mjs through
// Playwright's page.evaluate(). It uses trystero's torrent strategy (npm @trystero-p2p/torrent,
// served unmodified) with the tracker it is given and no STUN/TURN server.
//
// window.tt: selfId, join({appId, room, tracker}), announced(sinceMs), peer(), send(text),
// message(), leave(); every call resolves with plain JSON. window.tt.log is the page's log,
// with every tracker message the page sent and received (page-log.mjs).

import { log, note, trackerTraffic, watchTrackerSockets } from '/page-log.mjs' // first: it wraps RTCPeerConnection and WebSocket
import { joinRoom, selfId } from '/npm/@trystero-p2p/torrent/index.mjs'

watchTrackerSockets()

let room = null
let chat = null
let joinedAt = 0
let peerJoin = null
let inbox = null

/** A promise with its resolve function, for events that may come before anyone waits. */
function later () {
  let resolve
  const promise = new Promise((r) => { resolve = r })
  return { promise, resolve }
}

/** Joins `room` of `appId` through `tracker` only; resolves at once with the time of the call. */
function join ({ appId, room: roomId, tracker }) {
  if (room) throw new Error('already in a room')
  peerJoin = later()
  inbox = later()
  joinedAt = Date.now()
  room = joinRoom({ appId, relayConfig: { urls: [tracker] }, rtcConfig: { iceServers: [] } }, roomId, {
    onJoinError: (e) => note(`join error: ${e && e.error}`)
  })
  room.onPeerJoin = (peerId) => {
    note(`peer ${peerId} joined`)
    peerJoin.resolve({ peerId, at: Date.now() })
  }
  room.onPeerLeave = (peerId) => note(`peer ${peerId} left`)
  chat = room.makeAction('chat')
  chat.onMessage = (text, { peerId }) => {
    note(`message from ${peerId}: ${text}`)
    inbox.resolve({ text, peerId, at: Date.now() })
  }
  note(`joining ${appId}/${roomId} via ${tracker} as ${selfId}`)
  return { at: joinedAt }
}

/**
 * Resolves once an announce of this page that carries offers, sent at or after `since`, has been
 * answered by the tracker (a reply with `interval` for the same info_hash): the tracker knows the
 * page and holds its offers.
 */
async function announced (since) {
  for (;;) {
    const sent = trackerTraffic.filter((m) => m.dir === 'out' && m.at >= since && m.action === 'announce' && m.offers > 0)
    const answered = sent.find((s) => trackerTraffic.some((m) => m.dir === 'in' && m.at >= s.at && m.infoHash === s.infoHash && m.interval !== undefined))
    if (answered) return { at: Date.now(), infoHash: answered.infoHash, offers: answered.offers }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** The first peer that joined the room: {peerId, at} (at: Date.now() in this page). */
function peer () {
  return peerJoin.promise
}

async function send (text) {
  await chat.send(text)
  return { at: Date.now() }
}

/** The first chat message received in this room: {text, peerId, at}. */
function message () {
  return inbox.promise
}

async function leave () {
  if (room) await room.leave()
  room = null
  chat = null
  note('left')
  return { at: Date.now() }
}

/** What the tracker saw from this page since `since`: announces sent (with offers) and offers/answers received. */
function traffic (since) {
  const mine = trackerTraffic.filter((m) => m.at >= since)
  return {
    announcesSent: mine.filter((m) => m.dir === 'out' && m.action === 'announce' && !m.answer).length,
    offersSent: mine.filter((m) => m.dir === 'out').reduce((n, m) => n + (m.offers || 0), 0),
    answersSent: mine.filter((m) => m.dir === 'out' && m.answer).length,
    offersReceived: mine.filter((m) => m.dir === 'in' && m.offer).length,
    answersReceived: mine.filter((m) => m.dir === 'in' && m.answer).length,
    failures: mine.filter((m) => m.failure).map((m) => m.failure),
    warnings: mine.filter((m) => m.warning).map((m) => m.warning)
  }
}

window.tt = { selfId, join, announced, peer, send, message, leave, traffic, log }
note(`trystero loaded, selfId ${selfId}`)
