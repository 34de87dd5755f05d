// trystero (npm @trystero-p2p/torrent, its torrent strategy: WebRTC rooms signalled through
// WebTorrent trackers) in two headless Chromium processes through one tracker.
//
//   node browser/trystero.mjs ws://127.0.0.1:PORT/ [ROUNDS]
//
// Trystero resolves glare itself: while both peers have offers out, the one with the smaller id
// does not answer the other's offer, so the larger one must receive the smaller one's offers. A
// tracker that withholds an offer from a peer whose own offer is pending breaks exactly that,
// so every join order is tried, ROUNDS times each (default 3), each round in a fresh room of a
// fresh appId (trystero shares peer connections between rooms of one appId):
//   smaller-first  the page with the smaller selfId joins, its offers reach the tracker (its
//                  announce is answered), then the other page joins;
//   larger-first   the same with the larger selfId first;
//   both-at-once   both pages join at the same moment.
// In each round both pages must see the other join (onPeerJoin) and get one chat message from
// it (makeAction). The join time of a round is from the second join to the later onPeerJoin.
//
// Run it inside a loopback-only network namespace (run-in-netns.sh trystero [JAR|reference]).
// The LAST line on stdout is one JSON object {"ok","steps","timings","joins",...}; exit code 0
// when every step is ok, 1 otherwise, 2 on bad usage. Diagnostics go to stderr.

import { randomBytes } from 'node:crypto'
import { Steps, deadline, launchPage, log, loopbackUrl, ownFile, packageModules, packageVersion, positiveInt, report, servePages, withTimeout } from './harness.mjs'

const STEP_TIMEOUT_MS = positiveInt(process.env.BROWSER_STEP_TIMEOUT_MS, 30_000)
// From the second join to both onPeerJoin: trystero announces every few seconds, so a join that
// needed a re-announce still fits; one that never happens fails after this.
const JOIN_TIMEOUT_MS = positiveInt(process.env.TRYSTERO_JOIN_TIMEOUT_MS, 20_000)
const RUN_DEADLINE_MS = positiveInt(process.env.BROWSER_RUN_DEADLINE_MS, 150_000)

export const ORDERS = ['smaller-first', 'larger-first', 'both-at-once']
export const STEP_NAMES = ['page-server', 'browsers-start', ...ORDERS, 'teardown']

let tracker
let rounds
try {
  if (process.argv.length < 3 || process.argv.length > 4) throw new Error('usage: node browser/trystero.mjs ws://127.0.0.1:PORT/ [ROUNDS]')
  tracker = loopbackUrl(process.argv[2], ['ws:', 'wss:']).href
  rounds = positiveInt(process.argv[3], 0) || (process.argv[3] === undefined ? 3 : 0)
  if (rounds < 1 || rounds > 20) throw new Error(`ROUNDS must be 1..20, got ${process.argv[3]}`)
} catch (err) {
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}

const steps = new Steps(STEP_NAMES)
const result = { tracker, rounds, trystero: packageVersion('@trystero-p2p/torrent'), joins: {} }
deadline(RUN_DEADLINE_MS, steps, () => result)

let server = null
let pages = []
let smaller = null
let larger = null

const call = (b, fn, arg) => b.page.evaluate(fn, arg)

/** One round: both pages in a fresh room in the given order; resolves with its figures. */
async function round (order, n) {
  const appId = `btr-interop-${randomBytes(6).toString('hex')}`
  const room = `${order}-${n}`
  const joinArgs = { appId, room, tracker }
  const join = (b) => call(b, (a) => window.tt.join(a), joinArgs)
  const out = { round: n, appId }
  const roundStart = Date.now()
  try {
    let secondJoinAt
    if (order === 'both-at-once') {
      const [js, jl] = await Promise.all([join(smaller), join(larger)])
      secondJoinAt = Math.max(js.at, jl.at)
      out.joinSkewMs = Math.abs(js.at - jl.at)
    } else {
      const [first, second] = order === 'smaller-first' ? [smaller, larger] : [larger, smaller]
      const j1 = await join(first)
      const a1 = await withTimeout(call(first, (since) => window.tt.announced(since), j1.at), JOIN_TIMEOUT_MS,
        `${first.label}'s first announce with offers answered`)
      out.firstAnnouncedMs = a1.at - j1.at
      const j2 = await join(second)
      secondJoinAt = j2.at
    }
    const [ps, pl] = await withTimeout(Promise.all([call(smaller, () => window.tt.peer()), call(larger, () => window.tt.peer())]),
      JOIN_TIMEOUT_MS, 'onPeerJoin on both pages')
    if (ps.peerId !== larger.selfId) throw new Error(`the smaller page met ${ps.peerId}, not ${larger.selfId}`)
    if (pl.peerId !== smaller.selfId) throw new Error(`the larger page met ${pl.peerId}, not ${smaller.selfId}`)
    out.smallerJoinMs = ps.at - secondJoinAt
    out.largerJoinMs = pl.at - secondJoinAt
    out.joinMs = Math.max(ps.at, pl.at) - secondJoinAt

    const textOf = (b) => `hello from ${b.selfId} in ${room}`
    const sentAt = Date.now()
    await Promise.all([call(smaller, (t) => window.tt.send(t), textOf(smaller)), call(larger, (t) => window.tt.send(t), textOf(larger))])
    const [ms, ml] = await withTimeout(Promise.all([call(smaller, () => window.tt.message()), call(larger, () => window.tt.message())]),
      STEP_TIMEOUT_MS, 'a chat message on both pages')
    if (ms.text !== textOf(larger) || ms.peerId !== larger.selfId) throw new Error(`the smaller page got ${JSON.stringify(ms)}`)
    if (ml.text !== textOf(smaller) || ml.peerId !== smaller.selfId) throw new Error(`the larger page got ${JSON.stringify(ml)}`)
    out.messageMs = Math.max(ms.at, ml.at) - sentAt
    return out
  } finally {
    out.traffic = {}
    for (const b of [smaller, larger]) {
      out.traffic[b === smaller ? 'smaller' : 'larger'] = await call(b, (since) => window.tt.traffic(since), roundStart).catch(() => null)
    }
    await Promise.all([smaller, larger].map((b) => withTimeout(call(b, () => window.tt.leave()), 10_000, `${b.label} leaves`).catch((err) => log(`${b.label}: ${err.message}`))))
  }
}

const runStarted = performance.now()
await steps.run('page-server', STEP_TIMEOUT_MS, async () => {
  server = await servePages({
    '/': await ownFile('trystero.html'),
    '/trystero-page.mjs': await ownFile('trystero-page.mjs'),
    '/page-log.mjs': await ownFile('page-log.mjs'),
    ...await packageModules('@trystero-p2p/core', 'dist', '/npm/@trystero-p2p/core'),
    ...await packageModules('@trystero-p2p/torrent', 'dist', '/npm/@trystero-p2p/torrent')
  })
  return { detail: server.url }
})
await steps.run('browsers-start', STEP_TIMEOUT_MS, async () => {
  pages = await Promise.all(['A', 'B'].map((label) => launchPage(label, server.url, STEP_TIMEOUT_MS, () => window.tt !== undefined, 'tt')))
  for (const b of pages) b.selfId = await call(b, () => window.tt.selfId)
  ;[smaller, larger] = [...pages].sort((x, y) => (x.selfId < y.selfId ? -1 : 1))
  if (smaller.selfId === larger.selfId) throw new Error(`both pages have selfId ${smaller.selfId}`)
  result.chromium = pages[0].chromium
  result.ids = { smaller: `${smaller.label} ${smaller.selfId}`, larger: `${larger.label} ${larger.selfId}` }
  return { detail: `Chromium ${result.chromium}, trystero ${result.trystero}; smaller id ${result.ids.smaller}, larger ${result.ids.larger}` }
})

// Every order runs even when an earlier one failed: which orders fail is the finding.
const browsersOk = !steps.failed
for (const order of ORDERS) {
  if (!browsersOk) break
  steps.failed = false
  result.joins[order] = []
  await steps.run(order, rounds * (2 * JOIN_TIMEOUT_MS + STEP_TIMEOUT_MS), async () => {
    for (let n = 1; n <= rounds; n++) {
      const r = await round(order, n)
      result.joins[order].push(r)
      log(`${order} round ${n}: joined in ${r.joinMs} ms (smaller ${r.smallerJoinMs}, larger ${r.largerJoinMs}), messages in ${r.messageMs} ms`)
    }
    return { detail: `join ms ${result.joins[order].map((r) => r.joinMs).join(', ')}` }
  }, async () => ({ smaller: await smaller.pageLog(), larger: await larger.pageLog() }))
}

steps.failed = false
const failedBefore = steps.steps.some((s) => !s.ok) || !browsersOk
await steps.run('teardown', STEP_TIMEOUT_MS, async () => {
  await Promise.all(pages.map((b) => b.close()))
  if (server) await server.close()
})
steps.failed = failedBefore || steps.failed
steps.timings.runMs = Math.round(performance.now() - runStarted)
log(`run took ${steps.timings.runMs} ms`)
report(steps, result)
