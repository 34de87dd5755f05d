// BitTorrent Relay failover helper: gives a WebTorrent app the swarm's healthy trackers for a
// torrent and keeps them healthy. An ES module with no dependencies, served by every relay at
// /relay-client.js.
//
//   import { RelayClient } from 'https://relay.example.org/relay-client.js'
//   const relays = new RelayClient({ relays: ['https://relay.example.org/'], swarm: 'bittorrent-relay', count: 3 })
//   const announce = await relays.announceList(infoHashHex)   // ['wss://…/announce', …], best first
//   const torrent = client.add(magnet, { announce })
//   relays.watch(torrent)                                       // replaces trackers that fail or are full
//
// Every browser of one torrent computes the same order (rendezvous hashing: weight =
// SHA-1(info_hash bytes ‖ relay id), highest first), so peers of a torrent meet on the same relays.

// A tracker closed cleanly gives WebTorrent no warning: the refresh is what notices it.
const DEFAULTS = { swarm: 'bittorrent-relay', count: 3, refreshMs: 20000, fetchTimeoutMs: 5000 }

export class RelayClient {
  constructor (opts = {}) {
    const o = { ...DEFAULTS, ...opts }
    if (!Array.isArray(o.relays) || o.relays.length === 0) throw new Error('RelayClient needs relays: [url, …]')
    this.swarm = o.swarm
    this.count = o.count
    this.refreshMs = o.refreshMs
    this.fetchTimeoutMs = o.fetchTimeoutMs
    this._bases = [...new Set(o.relays.map(normalize))]
    this._failed = new Map() // tracker URL -> time it failed
    this._watched = new Set()
    this._timer = null
    this._known = [] // last relay list
  }

  /** The swarm's relays as the first relay that answers lists them (healthy ones only). */
  async relays () {
    let lastError = null
    for (const base of this._bases) {
      try {
        const res = await fetchWithTimeout(`${base}api/relays?swarm=${encodeURIComponent(this.swarm)}`, this.fetchTimeoutMs)
        if (!res.ok) throw new Error(`${base}: HTTP ${res.status}`)
        const body = await res.json()
        const list = (body.relays || []).filter(isHealthy)
        // Learn other relays, so that losing every relay we were told of is survivable.
        for (const r of list) if (r.httpUrl) this._remember(r.httpUrl)
        this._known = list
        return list
      } catch (err) {
        lastError = err
      }
    }
    throw lastError || new Error('no relay answered')
  }

  /** Up to `count` tracker URLs for a torrent (40 hex digits), best first, skipping ones that just failed. */
  async announceList (infoHashHex) {
    const list = await this.relays()
    const ordered = await rendezvous(list, infoHashHex)
    const now = Date.now()
    const urls = []
    for (const r of ordered) {
      const url = (r.trackers || [])[0]
      if (!url) continue
      const failedAt = this._failed.get(url)
      if (failedAt && now - failedAt < this.refreshMs) continue
      urls.push(url)
      if (urls.length >= this.count) break
    }
    return urls
  }

  /**
   * Keeps a running WebTorrent torrent on healthy trackers: when a tracker fails or says it is
   * full, or on each refresh, trackers that left the list are dropped and new ones added.
   */
  watch (torrent) {
    this._watched.add(torrent)
    const onWarning = (err) => {
      const url = trackerOf(err, torrent)
      if (url) {
        this._failed.set(url, Date.now())
        this._refresh(torrent)
      }
    }
    torrent.on('warning', onWarning)
    torrent.once('close', () => this._watched.delete(torrent))
    if (!this._timer) {
      this._timer = setInterval(() => { for (const t of this._watched) this._refresh(t) }, this.refreshMs)
    }
    return torrent
  }

  close () {
    clearInterval(this._timer)
    this._timer = null
    this._watched.clear()
  }

  async _refresh (torrent) {
    if (torrent.destroyed || !torrent.infoHash) return
    let wanted
    try {
      wanted = await this.announceList(torrent.infoHash)
    } catch {
      return // no relay answered: keep what we have
    }
    replaceTrackers(torrent, wanted)
  }

  _remember (url) {
    const base = normalize(url)
    if (!this._bases.includes(base) && this._bases.length < 64) this._bases.push(base)
  }
}

function normalize (url) {
  const u = new URL(url)
  if (u.protocol === 'ws:') u.protocol = 'http:'
  if (u.protocol === 'wss:') u.protocol = 'https:'
  return `${u.protocol}//${u.host}/`
}

function isHealthy (r) {
  return (r.self || r.state === 'linked') && !(r.health && r.health.capacity === 'full')
}

async function fetchWithTimeout (url, ms) {
  const ctl = new AbortController()
  const timer = setTimeout(() => ctl.abort(), ms)
  try {
    return await fetch(url, { signal: ctl.signal, cache: 'no-store' })
  } finally {
    clearTimeout(timer)
  }
}

/** Relays sorted by SHA-1(info_hash bytes ‖ relay id), highest first — the relay's own order. */
export async function rendezvous (relays, infoHashHex) {
  const hash = hexToBytes(infoHashHex)
  const weighted = await Promise.all(relays.map(async (r) => {
    const id = new TextEncoder().encode(r.id)
    const data = new Uint8Array(hash.length + id.length)
    data.set(hash)
    data.set(id, hash.length)
    return { r, w: new Uint8Array(await crypto.subtle.digest('SHA-1', data)) }
  }))
  weighted.sort((a, b) => compareBytes(b.w, a.w))
  return weighted.map((x) => x.r)
}

function compareBytes (a, b) {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}

function hexToBytes (hex) {
  if (!/^[0-9a-fA-F]{40}$/.test(hex)) throw new Error('info_hash must be 40 hex digits')
  const out = new Uint8Array(20)
  for (let i = 0; i < 20; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16)
  return out
}

function trackerOf (err, torrent) {
  const msg = String((err && err.message) || err || '')
  for (const url of torrent.announce || []) if (msg.includes(url)) return url
  const m = msg.match(/wss?:\/\/[^\s)'"]+/)
  return m ? m[0] : null
}

/**
 * Swaps the trackers of a running torrent. WebTorrent has no public API for this; it goes through
 * the torrent's bittorrent-tracker client (torrent.discovery.tracker), checked before use.
 */
function replaceTrackers (torrent, wanted) {
  const client = torrent.discovery && torrent.discovery.tracker
  if (!client || !Array.isArray(client._trackers)) return false
  const have = client._trackers.map((t) => t.announceUrl)
  const template = client._trackers.find((t) => /^wss?:/.test(t.announceUrl))
  for (const t of [...client._trackers]) {
    if (/^wss?:/.test(t.announceUrl) && !wanted.includes(t.announceUrl)) {
      t.destroy()
      client._trackers.splice(client._trackers.indexOf(t), 1)
    }
  }
  if (template) {
    const Tracker = template.constructor
    for (const url of wanted) {
      if (have.includes(url)) continue
      const t = new Tracker(client, url)
      client._trackers.push(t)
      t.announce(client._defaultAnnounceOpts({ event: 'started' }))
    }
  }
  torrent.announce = client._trackers.map((t) => t.announceUrl)
  return true
}
