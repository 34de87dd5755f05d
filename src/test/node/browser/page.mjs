// The test page's module: runs inside headless Chromium, driven by transfer.mjs / failover.mjs
// through Playwright's page.evaluate(). It uses the real webtorrent browser bundle (served by the
// page server from node_modules/webtorrent/dist) and, for failover, the relay's /relay-client.js.
//
// window.bt.seed(...) / window.bt.download(...) resolve with plain JSON results; window.bt.log
// collects what happened (tracker warnings, peers, progress) for the failure report of a step
// that timed out.

import { log, note } from '/page-log.mjs' // first: it wraps RTCPeerConnection before webtorrent loads
import WebTorrent from '/webtorrent.min.js'

// No STUN or TURN server: host candidates only (loopback inside the test's network namespace).
const RTC_CONFIG = { iceServers: [] }
const SEED_ANNOUNCE_WAIT_MS = 10_000

let client = null
let relayClient = null

function newClient () {
  const c = new WebTorrent({
    dht: false,
    lsd: false,
    utPex: false,
    webSeeds: false,
    tracker: { rtcConfig: RTC_CONFIG }
  })
  c.on('error', (err) => note(`client error: ${err && err.message}`))
  return c
}

function watchTorrent (torrent, who) {
  torrent.on('warning', (err) => note(`${who} warning: ${err && err.message}`))
  torrent.on('error', (err) => note(`${who} error: ${err && err.message}`))
  torrent.on('wire', (wire, addr) => note(`${who} wire ${addr || ''} (${torrent.numPeers} peers)`))
  torrent.on('trackerAnnounce', () => note(`${who} tracker announce (${torrent.numPeers} peers)`))
  torrent.on('metadata', () => note(`${who} metadata`))
  torrent.on('done', () => note(`${who} done`))
}

async function sha1Hex (bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', bytes))
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')
}

async function useRelays (relays, count) {
  if (!relayClient) {
    // Every relay serves the same module: load it from the first one that answers, or a relay
    // that is down would take the helper down with it.
    let lastError = null
    for (const base of relays) {
      const url = new URL('relay-client.js', base).href
      try {
        const { RelayClient } = await import(url)
        relayClient = new RelayClient({ relays, swarm: 'bittorrent-relay', count })
        note(`relay client from ${url}, relays ${relays.join(' ')}`)
        break
      } catch (err) {
        lastError = err
        note(`${url}: ${err && err.message}`)
      }
    }
    if (!relayClient) throw lastError || new Error('no relay to load relay-client.js from')
  }
  return relayClient
}

/**
 * Resolves when `torrent` has had `count` tracker responses, or after `ms` (with the number seen).
 *
 * A seeder sends each tracker `completed` (no offers) and then, once its WebRTC offers are
 * gathered, `started` with 5 offers. A leecher that joins while the offers of `started` are still
 * on their way gets offers from the seeder while its own go to the seeder: both sides answer, and
 * webtorrent 2.x keeps the connection it answered and drops the one it offered as a duplicate
 * peer, on both sides, so neither connection survives ("Connection failed" 15 s later) and the
 * transfer hangs until the next announce. A seeder announcing and a leecher joining at the same
 * moment is rare for people; in a test it is the normal case, so the test waits for both answers.
 */
function announcesAnswered (torrent, count, ms) {
  return new Promise((resolve) => {
    let seen = 0
    const timer = setTimeout(() => {
      torrent.removeListener('trackerAnnounce', onAnnounce)
      note(`only ${seen} of ${count} tracker announces answered after ${ms} ms`)
      resolve(seen)
    }, ms)
    function onAnnounce () {
      if (++seen >= count) {
        clearTimeout(timer)
        torrent.removeListener('trackerAnnounce', onAnnounce)
        resolve(seen)
      }
    }
    torrent.on('trackerAnnounce', onAnnounce)
  })
}

/** The info_hash that seeding `file` will have, computed by a client without trackers. */
async function infoHashOf (file, name) {
  const c = new WebTorrent({ dht: false, lsd: false, utPex: false, webSeeds: false, tracker: false })
  try {
    return await new Promise((resolve, reject) => {
      c.on('error', reject)
      c.seed(file, { announce: [], name }, (t) => resolve(t.infoHash))
    })
  } finally {
    await new Promise((resolve) => c.destroy(() => resolve()))
  }
}

/**
 * Seeds the bytes at `dataUrl` under `name`. Trackers: `announce` as given, or, with `relays`,
 * the helper's announce list for the torrent (`count` trackers), and the helper watches it.
 */
async function seed ({ dataUrl, name, announce, relays, count }) {
  const bytes = new Uint8Array(await (await fetch(dataUrl, { cache: 'no-store' })).arrayBuffer())
  const file = new File([bytes], name, { type: 'application/octet-stream' })
  let list = announce
  let rc = null
  if (relays) {
    const infoHash = await infoHashOf(file, name)
    rc = await useRelays(relays, count)
    list = await rc.announceList(infoHash)
    note(`seed announce list ${JSON.stringify(list)}`)
  }
  if (!Array.isArray(list) || list.length === 0) throw new Error('no tracker to announce to')
  client = client || newClient()
  const started = performance.now()
  let announced = null
  const torrent = await new Promise((resolve, reject) => {
    client.once('error', reject)
    const t = client.seed(file, { announce: list, name }, resolve)
    watchTorrent(t, 'seed')
    announced = announcesAnswered(t, 2 * list.length, SEED_ANNOUNCE_WAIT_MS)
  })
  if (rc) rc.watch(torrent)
  const answered = await announced
  note(`seeding ${torrent.infoHash}, ${answered} tracker announces answered`)
  return {
    infoHash: torrent.infoHash,
    magnetURI: torrent.magnetURI,
    announce: list,
    length: bytes.length,
    sha1: await sha1Hex(bytes),
    announcesAnswered: answered,
    seedMs: Math.round(performance.now() - started)
  }
}

/** The helper's announce list for an info_hash (what a browser joining that torrent would use). */
async function announceList ({ relays, count, infoHash }) {
  const rc = await useRelays(relays, count)
  return rc.announceList(infoHash)
}

/**
 * Downloads a torrent by magnet link (info_hash only: the metadata comes from the peer) and
 * hashes what arrived. Trackers: `announce`, or the helper's list for `relays`.
 */
async function download ({ infoHash, announce, relays, count }) {
  const started = performance.now()
  let list = announce
  let rc = null
  if (relays) {
    rc = await useRelays(relays, count)
    list = await rc.announceList(infoHash)
  }
  if (!Array.isArray(list) || list.length === 0) throw new Error('no tracker to announce to')
  const listedMs = performance.now() - started
  client = client || newClient()
  note(`download ${infoHash} via ${list.join(' ')}`)
  const torrent = client.add(`magnet:?xt=urn:btih:${infoHash}`, { announce: list })
  watchTorrent(torrent, 'download')
  if (rc) rc.watch(torrent)
  await new Promise((resolve, reject) => {
    if (torrent.done) return resolve()
    torrent.once('done', resolve)
    torrent.once('error', reject)
  })
  const doneMs = performance.now() - started
  const bytes = new Uint8Array(await torrent.files[0].arrayBuffer())
  return {
    infoHash: torrent.infoHash,
    announce: list,
    name: torrent.files[0].name,
    length: bytes.length,
    sha1: await sha1Hex(bytes),
    listMs: Math.round(listedMs),
    transferMs: Math.round(doneMs - listedMs),
    totalMs: Math.round(doneMs),
    peers: torrent.numPeers
  }
}

/** Leaves every torrent, as a browser tab that closes. */
async function leave () {
  if (relayClient) relayClient.close()
  if (client) await new Promise((resolve) => client.destroy(() => resolve()))
  client = null
  note('left')
}

window.bt = {
  seed,
  download,
  announceList,
  leave,
  log,
  webrtc: WebTorrent.WEBRTC_SUPPORT,
  version: WebTorrent.VERSION
}
note(`webtorrent ${WebTorrent.VERSION} loaded, WebRTC ${WebTorrent.WEBRTC_SUPPORT}`)
