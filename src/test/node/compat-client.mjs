// Compatibility check of a tracker against the npm `bittorrent-tracker` client.
//
//   node compat-client.mjs ws://127.0.0.1:PORT/
//   node compat-client.mjs http://127.0.0.1:PORT/announce
//
// Drives real `bittorrent-tracker` Client objects (WebSocket or HTTP transport, no WebRTC:
// `wrtc: {}` and numwant 0, so no offer is ever generated) through a seeder/leecher life cycle and
// checks the counts the tracker reports. Each client runs in its own process (see
// compat-agent.mjs), so each has its own WebSocket connection, like separate browser tabs.
//
// Over WebSocket, two more steps speak the protocol with a plain WebSocket (the `ws` package):
// a tracker message in a binary frame gets the same reply as in a text frame, and an announce
// with placeholder offers (objects without `offer` or `offer_id`, as bittorrent-tracker's own
// client tests send) is answered, while its one well-formed offer still reaches the other peer.
//
// Over HTTP, the `leecher-disconnect` step does not apply (there is no connection), and the
// info_hash has only bytes below 0x80: the client decodes the scrape reply's `files` keys as
// UTF-8 text, so a raw 20-byte key (BEP 48) with a higher byte comes out as the wrong infoHash;
// the reference server writes the key UTF-8-encoded instead. `scrape-raw-key` checks that the
// tracker's reply holds the raw 20 bytes for a hash with high bytes, reading it without the client.
//
// The LAST line on stdout is one JSON object:
//   {"ok":true|false,"steps":[{"name":"...","ok":true|false,"detail":"..."}, ...],"tracker":"...","infoHash":"<hex>"}
// Exit code 0 when every step is ok, 1 otherwise, 2 on bad usage. Diagnostics go to stderr.
//
// Expected values are the CORRECT ones, not whatever the npm reference server answers:
//   complete   = peers in the swarm whose last announce had left == 0 (seeders);
//   incomplete = every other peer, including `"left": null` (a magnet download without metadata);
//   downloaded = number of `completed` events from peers that were known leechers
//                (a peer that starts with left == 0 is a seeder, not a download).
// The reference server (node reference-server.mjs) differs on purpose-built steps:
//   - scrape-after-start / scrape-after-complete: it reports downloaded = complete (a lower bound,
//     see its server.js "TODO: this only provides a lower-bound"), so it counts the initial
//     seeder as a download;
//   - magnet-leecher-start: it turns `left: null` into Number(null) = 0 and counts the peer as a seeder.
//
// A scrape reply must carry an entry for every requested info_hash, even an unknown or emptied
// one (zeros): the client treats `"files": {}` as "invalid scrape response".
//
// Every step has a timeout (a broken tracker otherwise looks like a hang) and the whole run has a
// deadline. A step whose values are wrong fails and the run goes on (the swarm state is still
// known); a step that times out or errors ends the run, and the remaining steps are reported as
// not run.

import { fork } from 'node:child_process'
import { randomBytes, randomInt } from 'node:crypto'
import { fileURLToPath } from 'node:url'

const STEP_TIMEOUT_MS = positiveInt(process.env.COMPAT_STEP_TIMEOUT_MS, 10_000)
const RUN_DEADLINE_MS = positiveInt(process.env.COMPAT_RUN_DEADLINE_MS, 50_000)
const AGENT = fileURLToPath(new URL('./compat-agent.mjs', import.meta.url))
const LEECHER_LEFT = 1_048_576 // bytes the leecher still needs

const COMMON_STEPS = [
  'seeder-start',
  'leecher-start',
  'scrape-after-start',
  'leecher-complete',
  'scrape-after-complete',
  'leecher-stop',
  'seeder-stop',
  'scrape-after-stop',
  'magnet-leecher-start',
  'magnet-leecher-stop',
  'leecher-disconnect',
  'clients-destroy'
]

/** The steps of a run over `ws:`/`wss:` or `http:`/`https:`, in order. */
export function stepNames (protocol) {
  if (protocol === 'ws:' || protocol === 'wss:') return [...COMMON_STEPS, 'binary-frame-announce', 'placeholder-offers-announce']
  return [...COMMON_STEPS.filter(n => n !== 'leecher-disconnect'), 'scrape-raw-key']
}

function positiveInt (text, fallback) {
  const n = Number(text)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

function log (text) {
  process.stderr.write(`[compat] ${text}\n`)
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms))

// What the running step waits for, for timeout messages.
let waitingFor = null

/** A wrong value: the step fails, the run continues. */
class Mismatch extends Error {}

// ---------------------------------------------------------------------------------------------
// Arguments: only a loopback WebSocket tracker is accepted.

function parseTrackerUrl (text) {
  let url
  try {
    url = new URL(text)
  } catch (err) {
    return { error: `not a URL: ${JSON.stringify(text)}` }
  }
  if (!['ws:', 'wss:', 'http:', 'https:'].includes(url.protocol)) {
    return { error: `not a ws://, wss://, http:// or https:// URL: ${text}` }
  }
  if (url.protocol.startsWith('http') && !/\/announce$/.test(url.pathname)) {
    return { error: `an HTTP tracker URL must end in /announce (the client derives /scrape from it): ${text}` }
  }
  const m = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(url.hostname)
  if (!m || m.slice(1).some(part => Number(part) > 255)) {
    return { error: `tracker must be on 127.0.0.0/8 (an IPv4 literal), got host ${url.hostname}` }
  }
  return { url: text, protocol: url.protocol }
}

// ---------------------------------------------------------------------------------------------
// Ids: 20 random bytes, with bytes that stress the one-character-per-byte JSON encoding
// (a control character, a quote or backslash, a byte above 0x7F) at random positions.

function id20 (highByte = true) {
  const bytes = randomBytes(20)
  const positions = [...Array(20).keys()].sort(() => Math.random() - 0.5).slice(0, 3)
  bytes[positions[0]] = randomInt(0, 0x20)
  bytes[positions[1]] = randomInt(0, 2) === 0 ? 0x22 : 0x5c
  bytes[positions[2]] = 0x80 | randomInt(0, 0x80)
  if (!highByte) for (let i = 0; i < 20; i++) bytes[i] &= 0x7f
  return bytes.toString('hex')
}

/** A hex id as the one-character-per-byte string the WebSocket protocol puts in JSON. */
const wire = hex => Buffer.from(hex, 'hex').toString('latin1')
const unwire = text => Buffer.from(text, 'latin1').toString('hex')

// ---------------------------------------------------------------------------------------------
// One client process.

const agents = new Set()

class Agent {
  constructor (name, announce, infoHash, left) {
    this.name = name
    this.infoHash = infoHash
    this.peerId = id20()
    this.events = []
    this.listeners = []
    this.pending = new Map()
    this.nextId = 1
    this.exit = null
    this.exitWaiters = []

    this.child = fork(AGENT, [], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'json' })
    agents.add(this)
    const prefix = `[${name}] `
    const relay = stream => {
      let buffered = ''
      stream.setEncoding('utf8')
      stream.on('data', chunk => {
        buffered += chunk
        let nl
        while ((nl = buffered.indexOf('\n')) >= 0) {
          process.stderr.write(prefix + buffered.slice(0, nl + 1))
          buffered = buffered.slice(nl + 1)
        }
      })
      stream.on('end', () => { if (buffered) process.stderr.write(prefix + buffered + '\n') })
    }
    relay(this.child.stdout)
    relay(this.child.stderr)

    this.child.on('message', msg => this._onMessage(msg))
    this.child.on('exit', (code, signal) => {
      this.exit = { code, signal }
      agents.delete(this)
      for (const { reject } of this.pending.values()) reject(new Error(`${name}: client process exited (${code ?? signal})`))
      this.pending.clear()
      this._dispatch({ event: 'exit', data: this.exit })
      for (const resolve of this.exitWaiters) resolve(this.exit)
    })
    this.child.on('error', err => log(`${name}: process error: ${err.message}`))

    log(`${name}: peer_id ${this.peerId}`)
    this.ready = this.call('create', { announce, infoHash, peerId: this.peerId, left })
  }

  _onMessage (msg) {
    if (msg.type === 'done') {
      const waiter = this.pending.get(msg.id)
      if (!waiter) return
      this.pending.delete(msg.id)
      if (msg.error) waiter.reject(new Error(`${this.name}: ${msg.error}`))
      else waiter.resolve()
    } else if (msg.type === 'event') {
      log(`${this.name} <- ${msg.event} ${JSON.stringify(msg.data)}`)
      this._dispatch(msg)
    }
  }

  _dispatch (msg) {
    const index = this.listeners.findIndex(l => l.accepts(msg))
    if (index >= 0) {
      const [listener] = this.listeners.splice(index, 1)
      listener.resolve(msg)
    } else {
      this.events.push(msg)
    }
  }

  /** Hands an operation to the client; resolves once it was passed on (not when answered). */
  call (op, extra = {}) {
    if (this.exit) return Promise.reject(new Error(`${this.name}: client process already exited`))
    const id = this.nextId++
    waitingFor = `the ${this.name} client to accept ${op}`
    log(`${this.name} -> ${op}${'left' in extra ? ` (left ${extra.left})` : ''}`)
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.child.send({ id, op, ...extra })
    })
  }

  /**
   * Next event of one of the given kinds. A `warning` or `error` from the client (a tracker
   * failure reason, a bad reply, a lost socket) or the process exiting fails the wait.
   */
  next (kinds) {
    const accepts = msg => kinds.includes(msg.event) || ['warning', 'error', 'exit'].includes(msg.event)
    const unwrap = msg => {
      if (kinds.includes(msg.event)) return msg
      if (msg.event === 'exit') throw new Error(`${this.name}: client process exited (${msg.data.code ?? msg.data.signal})`)
      throw new Error(`${this.name}: client ${msg.event}: ${msg.data.message}`)
    }
    waitingFor = `${kinds.map(k => k === 'update' ? 'an announce reply' : `a ${k} reply`).join(' or ')} to ${this.name}`
    const index = this.events.findIndex(accepts)
    if (index >= 0) {
      const [msg] = this.events.splice(index, 1)
      return Promise.resolve(msg).then(unwrap)
    }
    if (this.exit) return Promise.reject(new Error(`${this.name}: client process already exited`))
    return new Promise(resolve => this.listeners.push({ accepts, resolve })).then(unwrap)
  }

  /** Events of these kinds received but not consumed, removed from the queue. */
  takeQueued (kinds) {
    const taken = this.events.filter(msg => kinds.includes(msg.event))
    this.events = this.events.filter(msg => !kinds.includes(msg.event))
    return taken
  }

  waitExit () {
    if (this.exit) return Promise.resolve(this.exit)
    waitingFor = `the ${this.name} client process to exit`
    return new Promise(resolve => this.exitWaiters.push(resolve))
  }

  kill (signal = 'SIGKILL') {
    if (!this.exit) this.child.kill(signal)
  }
}

// ---------------------------------------------------------------------------------------------
// Value checks: collect every mismatch of a step, then fail once with all of them.

class Checks {
  constructor () {
    this.problems = []
    this.notes = []
  }

  counts (what, reply, expected) {
    const got = Object.keys(expected).map(key => `${key}=${reply[key]}`).join(' ')
    const want = Object.keys(expected).map(key => `${key}=${Array.isArray(expected[key]) ? expected[key].join('|') : expected[key]}`).join(' ')
    const bad = Object.keys(expected).filter(key => {
      const allowed = Array.isArray(expected[key]) ? expected[key] : [expected[key]]
      return !allowed.includes(reply[key])
    })
    if (bad.length > 0) {
      this.problems.push(`${what}: expected ${want}, got ${got} (reply ${JSON.stringify(reply)})`)
    } else {
      this.notes.push(`${what}: ${got}`)
    }
  }

  note (text) {
    this.notes.push(text)
  }

  fail (text) {
    this.problems.push(text)
  }

  result () {
    if (this.problems.length > 0) throw new Mismatch(this.problems.join('; '))
    return this.notes.join('; ')
  }
}

async function announceAndCheck (agent, op, expected, what, extra = {}) {
  await agent.call(op, extra)
  const { data } = await agent.next(['update'])
  const checks = new Checks()
  checks.counts(what, data, expected)
  if (data.interval != null && !(typeof data.interval === 'number' && data.interval > 0)) {
    checks.fail(`${what}: interval is not a positive number: ${JSON.stringify(data.interval)}`)
  }
  return checks
}

async function scrapeOnce (agent) {
  await agent.call('scrape')
  const { data } = await agent.next(['scrape'])
  if (data.clientInfoHash !== agent.infoHash) {
    throw new Mismatch(`the client read the scrape reply as infoHash ${data.clientInfoHash}, expected ${agent.infoHash}`)
  }
  return data
}

/**
 * `stopped`, then a scrape on the same connection. Whether a tracker answers a `stopped`
 * announce is its choice (the reference does, with the new counts); an answer, if any, arrives
 * before the scrape reply and must carry the expected counts. The scrape must show them too.
 */
async function stopAndCheck (agent, expected) {
  await agent.call('stop')
  await agent.call('scrape')
  const checks = new Checks()
  for (;;) {
    const msg = await agent.next(['update', 'scrape'])
    if (msg.event === 'update') {
      checks.counts('reply to stopped', msg.data, expected)
      continue
    }
    checks.counts('scrape after stopped', msg.data, expected)
    break
  }
  return checks
}

// ---------------------------------------------------------------------------------------------

async function main () {
  const parsed = parseTrackerUrl(process.argv[2] ?? '')
  if (parsed.error) {
    log(`usage: node compat-client.mjs ws://127.0.0.1:PORT/ — ${parsed.error}`)
    process.stdout.write(JSON.stringify({ ok: false, steps: [{ name: 'usage', ok: false, detail: parsed.error }] }) + '\n')
    process.exitCode = 2
    return
  }
  const tracker = parsed.url
  const STEP_NAMES = stepNames(parsed.protocol)
  const overWs = parsed.protocol.startsWith('ws')
  // Over HTTP, bytes below 0x80 only: see the scrape-key note at the top.
  const infoHash = id20(overWs)
  log(`tracker ${tracker}, info_hash ${infoHash}, step timeout ${STEP_TIMEOUT_MS} ms`)

  const results = []
  let current = null
  let stopReason = null
  let finished = false

  const finish = () => {
    if (finished) return
    finished = true
    for (const name of STEP_NAMES) {
      if (!results.some(r => r.name === name)) {
        const detail = name === current
          ? `interrupted${waitingFor ? ` while waiting for ${waitingFor}` : ''}: ${stopReason ?? 'run ended early'}`
          : `not run: ${stopReason ?? 'run ended early'}`
        results.push({ name, ok: false, detail })
      }
    }
    const ok = results.length > 0 && results.every(r => r.ok)
    for (const agent of agents) agent.kill()
    const line = JSON.stringify({ ok, steps: results, tracker, infoHash })
    process.stdout.write(line + '\n', () => process.exit(ok ? 0 : 1))
  }

  const deadline = setTimeout(() => {
    stopReason = `run deadline of ${RUN_DEADLINE_MS} ms passed`
    log(stopReason)
    finish()
  }, RUN_DEADLINE_MS)

  const step = async (name, fn) => {
    if (finished) return
    if (stopReason) {
      results.push({ name, ok: false, detail: `not run: ${stopReason}` })
      return
    }
    const started = Date.now()
    current = name
    waitingFor = null
    let timer
    try {
      const detail = await Promise.race([
        fn(),
        new Promise((resolve, reject) => {
          timer = setTimeout(() => reject(new Error(
            `timed out after ${STEP_TIMEOUT_MS} ms${waitingFor ? ` waiting for ${waitingFor}` : ''}`)), STEP_TIMEOUT_MS)
        })
      ])
      results.push({ name, ok: true, detail: detail || '' })
      log(`step ${name}: ok (${Date.now() - started} ms) ${detail || ''}`)
    } catch (err) {
      results.push({ name, ok: false, detail: err.message })
      log(`step ${name}: FAILED (${Date.now() - started} ms) ${err.message}`)
      if (!(err instanceof Mismatch)) stopReason = `step ${name} failed`
    } finally {
      clearTimeout(timer)
      current = null
    }
  }

  let seeder, leecher, observer, magnet, dropper

  // Seeder A joins an empty swarm.
  await step('seeder-start', async () => {
    seeder = new Agent('seeder', tracker, infoHash, 0)
    await seeder.ready
    const checks = await announceAndCheck(seeder, 'start', { complete: 1, incomplete: 0 }, 'reply to started')
    return checks.result()
  })

  // Leecher B joins: one seeder, one leecher.
  await step('leecher-start', async () => {
    leecher = new Agent('leecher', tracker, infoHash, LEECHER_LEFT)
    await leecher.ready
    const checks = await announceAndCheck(leecher, 'start', { complete: 1, incomplete: 1 }, 'reply to started')
    return checks.result()
  })

  // Nobody has completed a download yet: A started as a seeder.
  await step('scrape-after-start', async () => {
    const checks = new Checks()
    checks.counts('scrape', await scrapeOnce(leecher), { complete: 1, incomplete: 1, downloaded: 0 })
    return checks.result()
  })

  // B finishes: `completed` with left 0 turns the leecher into a seeder.
  await step('leecher-complete', async () => {
    const checks = await announceAndCheck(leecher, 'complete', { complete: 2, incomplete: 0 }, 'reply to completed', { left: 0 })
    return checks.result()
  })

  // One download completed.
  await step('scrape-after-complete', async () => {
    const checks = new Checks()
    checks.counts('scrape', await scrapeOnce(seeder), { complete: 2, incomplete: 0, downloaded: 1 })
    return checks.result()
  })

  await step('leecher-stop', async () => {
    return (await stopAndCheck(leecher, { complete: 1, incomplete: 0 })).result()
  })

  await step('seeder-stop', async () => {
    return (await stopAndCheck(seeder, { complete: 0, incomplete: 0 })).result()
  })

  // A third client that never announced. `downloaded` may stay 1 (history kept) or drop to 0
  // (a tracker may prune an empty swarm); it must never exceed the one completed download.
  await step('scrape-after-stop', async () => {
    observer = new Agent('observer', tracker, infoHash, LEECHER_LEFT)
    await observer.ready
    const checks = new Checks()
    checks.counts('scrape', await scrapeOnce(observer), { complete: 0, incomplete: 0, downloaded: [0, 1] })
    return checks.result()
  })

  // A magnet download without metadata sends `"left": null`: a leecher, not a seeder.
  await step('magnet-leecher-start', async () => {
    magnet = new Agent('magnet', tracker, infoHash, null)
    await magnet.ready
    const checks = await announceAndCheck(magnet, 'start', { complete: 0, incomplete: 1 }, 'reply to started with left null')
    return checks.result()
  })

  await step('magnet-leecher-stop', async () => {
    const checks = await stopAndCheck(magnet, { complete: 0, incomplete: 0 })
    await magnet.call('destroy')
    return checks.result()
  })

  // A leecher whose connection drops without `stopped` (a closed tab, a killed process) must
  // leave the swarm once the tracker sees the socket close.
  if (overWs) await step('leecher-disconnect', async () => {
    dropper = new Agent('dropper', tracker, infoHash, LEECHER_LEFT)
    await dropper.ready
    const checks = await announceAndCheck(dropper, 'start', { complete: 0, incomplete: 1 }, 'reply to started')
    dropper.kill('SIGKILL')
    await dropper.waitExit()
    const until = Date.now() + Math.max(1000, STEP_TIMEOUT_MS - 3000)
    let reply
    for (;;) {
      reply = await scrapeOnce(observer)
      if (reply.complete === 0 && reply.incomplete === 0) break
      if (Date.now() > until) break
      await sleep(100)
    }
    checks.counts('scrape after the connection closed', reply, { complete: 0, incomplete: 0 })
    return checks.result()
  })

  // Every remaining client shuts down cleanly: no warning or error was left unread, and the
  // processes exit.
  await step('clients-destroy', async () => {
    const checks = new Checks()
    const remaining = [seeder, leecher, observer, magnet].filter(a => a && !a.exit)
    for (const agent of remaining) {
      const stray = agent.takeQueued(['warning', 'error'])
      for (const msg of stray) checks.fail(`${agent.name}: client ${msg.event}: ${msg.data.message}`)
      await agent.call('destroy')
    }
    const exits = await Promise.all(remaining.map(a => a.waitExit()))
    exits.forEach((exit, i) => {
      if (exit.code !== 0) checks.fail(`${remaining[i].name}: client process exited with ${exit.code ?? exit.signal}`)
    })
    checks.note(`${remaining.length} clients destroyed`)
    return checks.result()
  })

  // --- the protocol without the client library -------------------------------------------

  // A tracker message in a binary frame is served like one in a text frame.
  if (overWs) await step('binary-frame-announce', async () => {
    const checks = new Checks()
    const socket = await RawSocket.open(tracker)
    try {
      const ih = id20()
      const announce = { action: 'announce', info_hash: wire(ih), peer_id: wire(id20()), numwant: 0, uploaded: 0, downloaded: 0, left: 0, event: 'started' }
      socket.send(announce, true)
      const reply = await socket.next(m => m.action === 'announce' || m['failure reason'] !== undefined, 'a reply to the binary announce')
      if (reply['failure reason'] !== undefined) checks.fail(`binary announce refused: ${reply['failure reason']}`)
      if (reply.info_hash === undefined || unwire(reply.info_hash) !== ih) checks.fail(`reply for info_hash ${reply.info_hash && unwire(reply.info_hash)}, expected ${ih}`)
      checks.counts('reply to the binary announce', reply, { complete: 1, incomplete: 0 })
      if (!(reply.interval > 0)) checks.fail(`interval ${reply.interval}`)
      socket.send({ action: 'scrape', info_hash: [wire(ih)] }, true)
      const scrape = await socket.next(m => m.action === 'scrape' || m['failure reason'] !== undefined, 'a reply to the binary scrape')
      const files = scrape.files || {}
      const entry = files[wire(ih)]
      if (!entry) checks.fail(`binary scrape reply without ${ih}: ${JSON.stringify(scrape)}`)
      else checks.counts('reply to the binary scrape', entry, { complete: 1, incomplete: 0 })
      checks.note(`text frames back: ${socket.textFrames}, binary: ${socket.binaryFrames}`)
    } finally {
      socket.close()
    }
    return checks.result()
  })

  // Placeholder offers are left out; the announce is answered and its well-formed offer forwarded.
  if (overWs) await step('placeholder-offers-announce', async () => {
    const checks = new Checks()
    const receiver = await RawSocket.open(tracker)
    const sender = await RawSocket.open(tracker)
    try {
      const ih = id20()
      const receiverId = id20()
      const senderId = id20()
      receiver.send({ action: 'announce', info_hash: wire(ih), peer_id: wire(receiverId), numwant: 0, uploaded: 0, downloaded: 0, left: 1000, event: 'started' })
      await receiver.next(m => m.action === 'announce' && m.interval !== undefined, 'the receiver\'s announce reply')
      const offerId = id20()
      const sdp = 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n'
      sender.send({
        action: 'announce', info_hash: wire(ih), peer_id: wire(senderId), numwant: 3, uploaded: 0, downloaded: 0, left: 0, event: 'started',
        offers: [{}, { foo: 'bar' }, { offer: { type: 'offer', sdp }, offer_id: wire(offerId) }]
      })
      const reply = await sender.next(m => m.action === 'announce' || m['failure reason'] !== undefined, 'the reply to the announce with placeholder offers')
      if (reply['failure reason'] !== undefined) checks.fail(`announce refused: ${reply['failure reason']}`)
      checks.counts('reply to the announce with placeholder offers', reply, { complete: 1, incomplete: 1 })
      if (typeof reply['warning message'] === 'string') checks.note(`warning message: ${reply['warning message']}`)
      else checks.fail(`no warning message about the offers left out: ${JSON.stringify(reply)}`)
      const offer = await receiver.next(m => m.offer !== undefined, 'the well-formed offer at the other peer')
      if (unwire(offer.offer_id) !== offerId || unwire(offer.peer_id) !== senderId || offer.offer.sdp !== sdp) {
        checks.fail(`the other peer got ${JSON.stringify(offer)}`)
      } else {
        checks.note('the well-formed offer reached the other peer unchanged')
      }
    } finally {
      receiver.close()
      sender.close()
    }
    return checks.result()
  })

  // BEP 48: the scrape reply's `files` keys are the raw 20 bytes, also above 0x7F.
  if (!overWs) await step('scrape-raw-key', async () => {
    const checks = new Checks()
    const ih = id20(true)
    const url = tracker.replace(/\/announce$/, '/scrape') + '?info_hash=' + percentEncode(Buffer.from(ih, 'hex'))
    waitingFor = `GET ${url}`
    const res = await fetch(url)
    const body = Buffer.from(await res.arrayBuffer())
    const rawKey = Buffer.concat([Buffer.from('20:'), Buffer.from(ih, 'hex')])
    if (res.status !== 200) checks.fail(`status ${res.status}`)
    if (!body.includes(rawKey)) checks.fail(`the reply has no raw 20-byte key for ${ih}: ${body.toString('latin1')}`)
    else checks.note(`files key is the raw 20 bytes of ${ih}`)
    return checks.result()
  })

  clearTimeout(deadline)
  finish()
}

function percentEncode (bytes) {
  return Array.from(bytes, b => '%' + b.toString(16).padStart(2, '0')).join('')
}

/** A plain WebSocket to the tracker that parses every message it gets, text or binary frame. */
class RawSocket {
  static async open (url) {
    const { WebSocket } = await import('ws')
    const socket = new RawSocket(new WebSocket(url))
    waitingFor = `a WebSocket to ${url}`
    await new Promise((resolve, reject) => {
      socket.ws.once('open', resolve)
      socket.ws.once('error', reject)
    })
    return socket
  }

  constructor (ws) {
    this.ws = ws
    this.messages = []
    this.waiters = []
    this.textFrames = 0
    this.binaryFrames = 0
    ws.on('message', (data, isBinary) => {
      if (isBinary) this.binaryFrames++
      else this.textFrames++
      let msg
      try {
        msg = JSON.parse(data.toString('utf8'))
      } catch {
        msg = { unparsable: data.toString('utf8') }
      }
      log(`raw <- ${data.toString('utf8').slice(0, 300)}`)
      this.messages.push(msg)
      this._wake()
    })
    ws.on('close', (code) => {
      this.closed = code
      this._wake()
    })
  }

  send (msg, binary = false) {
    const text = JSON.stringify(msg)
    log(`raw -> (${binary ? 'binary' : 'text'}) ${text.slice(0, 300)}`)
    this.ws.send(binary ? Buffer.from(text, 'utf8') : text, { binary })
  }

  /** The first message (received or to come) that `accepts`; fails if the socket closes first. */
  next (accepts, what) {
    waitingFor = what
    return new Promise((resolve, reject) => {
      this.waiters.push({ accepts, resolve, reject })
      this._wake()
    })
  }

  _wake () {
    this.waiters = this.waiters.filter(w => {
      const i = this.messages.findIndex(w.accepts)
      if (i >= 0) {
        w.resolve(this.messages.splice(i, 1)[0])
        return false
      }
      if (this.closed !== undefined) {
        w.reject(new Error(`the WebSocket closed (${this.closed}) before ${waitingFor}`))
        return false
      }
      return true
    })
  }

  close () {
    this.ws.close()
  }
}

main().catch(err => {
  log(`internal error: ${err.stack || err}`)
  for (const agent of agents) agent.kill()
  process.stdout.write(JSON.stringify({ ok: false, steps: [{ name: 'internal', ok: false, detail: String(err && err.message) }] }) + '\n', () => process.exit(1))
})
