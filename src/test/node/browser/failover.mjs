// Failover, proven: three real relays (a lab network with a private DHT on 127.0.0.2-4), real
// webtorrent in three headless Chromium processes, and the failover helper every relay serves
// at /relay-client.js.
//
//   LAB_JAVA=java LAB_CLASSPATH=<test classpath> node browser/failover.mjs
//
// 1. The lab starts (org.btrelay.lab.LabDriver, driven over its stdin) and the relays find each
//    other through the DHT: every relay lists all three as healthy.
// 2. Browser A seeds a generated 1 MiB file, announcing to the helper's 2 trackers for it.
// 3. Browser B asks the helper (through the relays in another order) for the same torrent and
//    gets the same trackers, which are also the relays' own rendezvous order; B downloads the
//    file, then leaves.
// 4. The relay of the first tracker is stopped.
// 5. Browser C joins afterwards, with the stopped relay first in its relay list, and downloads
//    the file from A through a surviving relay. The time from the stop to C's finished download
//    is timings.failoverMs.
//
// Run it inside a loopback-only network namespace (run-in-netns.sh failover CLASSPATH).
// The LAST line on stdout is one JSON object {"ok","steps","timings",...}; exit code 0 when
// every step is ok, 1 otherwise, 2 on bad usage. Diagnostics go to stderr.

import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { FILE_NAME, Steps, deadline, log, loopbackUrl, makeTestFile, openBrowser, positiveInt, report, startPageServer, withTimeout } from './harness.mjs'

const STEP_TIMEOUT_MS = positiveInt(process.env.BROWSER_STEP_TIMEOUT_MS, 30_000)
// Three relays, their mesh and three browsers start first: on a loaded build machine that alone took 70 s.
const RUN_DEADLINE_MS = positiveInt(process.env.BROWSER_RUN_DEADLINE_MS, 140_000)
const RELAYS = 3
const TRACKERS = 2 // the helper's count: the seeder is on two relays, so losing one leaves one
const SWARM = 'bittorrent-relay'

export const STEP_NAMES = [
  'lab-start',
  'mesh-converged',
  'page-server',
  'browsers-start',
  'seed',
  'same-trackers',
  'download-before-stop',
  'first-leecher-leaves',
  'stop-relay',
  'download-after-stop',
  'verify-sha1',
  'teardown'
]

const java = process.env.LAB_JAVA || 'java'
const classpath = process.env.LAB_CLASSPATH
if (!classpath) {
  process.stderr.write('LAB_CLASSPATH must name the test classpath (with org.btrelay.lab.LabDriver)\n')
  process.exit(2)
}

const steps = new Steps(STEP_NAMES)
const file = makeTestFile()
const result = { relays: [], sha1: { expected: file.sha1 } }
deadline(RUN_DEADLINE_MS, steps, () => result)

// --- the lab, over stdin/stdout -------------------------------------------------------------

class Lab {
  constructor () {
    const args = [
      '-XX:+IgnoreUnrecognizedVMOptions', '-XX:+EnableDynamicAgentLoading',
      ...(process.env.LAB_HOSTS_FILE ? [`-Djdk.net.hosts.file=${process.env.LAB_HOSTS_FILE}`] : []),
      '-cp', classpath, 'org.btrelay.lab.LabDriver', String(RELAYS)
    ]
    this.proc = spawn(java, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })))
    this.proc.once('error', (err) => log(`lab: ${err.message}`))
    this.stderr = []
    createInterface({ input: this.proc.stderr }).on('line', (line) => {
      this.stderr.push(line)
      if (this.stderr.length > 200) this.stderr.shift()
    })
    this.waiters = []
    this.lines = []
    createInterface({ input: this.proc.stdout }).on('line', (line) => {
      log(`lab: ${line}`)
      this.lines.push(line)
      for (const w of [...this.waiters]) {
        const m = line.match(w.pattern)
        if (m) {
          this.waiters.splice(this.waiters.indexOf(w), 1)
          w.resolve(m)
        }
      }
    })
  }

  /** The first line (already printed or coming) that matches. */
  expect (pattern) {
    for (const line of this.lines) {
      const m = line.match(pattern)
      if (m) return Promise.resolve(m)
    }
    return new Promise((resolve, reject) => {
      this.waiters.push({ pattern, resolve })
      this.exited.then(({ code, signal }) => reject(new Error(`the lab exited (code ${code}, signal ${signal})`)))
    })
  }

  send (command) {
    this.proc.stdin.write(`${command}\n`)
  }

  async quit () {
    if (this.proc.exitCode !== null || this.proc.signalCode !== null) return
    this.proc.stdin.end('quit\n')
    try {
      await withTimeout(this.exited, 10_000, 'lab quit')
    } catch {
      this.proc.kill('SIGKILL')
    }
  }
}

/** The relays' own view: `/api/relays` of one relay, healthy entries only. */
async function healthyRelays (base, infoHash) {
  const url = new URL(`api/relays?swarm=${encodeURIComponent(SWARM)}${infoHash ? `&info_hash=${infoHash}` : ''}`, base)
  const res = await fetch(url, { signal: AbortSignal.timeout(3000) })
  if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`)
  const body = await res.json()
  return (body.relays || []).filter((r) => (r.self || r.state === 'linked') && !(r.health && r.health.capacity === 'full'))
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
const sameList = (x, y) => Array.isArray(x) && Array.isArray(y) && x.length === y.length && x.every((v, i) => v === y[i])

// --- the run ----------------------------------------------------------------------------------

let lab = null
let server = null
let a = null
let b = null
let c = null
let seeded = null
let before = null
let after = null
let stoppedAt = 0
let stopped = null // { index, url, tracker }
const relayUrls = [] // http://127.0.0.x:PORT/, index i = lab relay i+1

const runStarted = performance.now()

await steps.run('lab-start', STEP_TIMEOUT_MS, async () => {
  lab = new Lab()
  for (let i = 1; i <= RELAYS; i++) {
    const m = await lab.expect(new RegExp(`^relay ${i} (\\S+)$`))
    relayUrls.push(loopbackUrl(m[1], ['http:']).href)
  }
  await lab.expect(/^ready$/)
  result.relays = relayUrls
  return { detail: relayUrls.join(' ') }
}, async () => ({ lab: lab ? lab.stderr.slice(-40) : [] }))

await steps.run('mesh-converged', STEP_TIMEOUT_MS, async () => {
  const started = performance.now()
  for (;;) {
    const views = await Promise.all(relayUrls.map((u) => healthyRelays(u).catch(() => [])))
    if (views.every((v) => v.length === RELAYS && v.every((r) => (r.trackers || []).length > 0))) break
    await sleep(200)
  }
  steps.timings.meshMs = Math.round(performance.now() - started)
  return { detail: `every relay lists ${RELAYS} healthy relays after ${steps.timings.meshMs} ms` }
}, async () => ({
  views: await Promise.all(relayUrls.map((u) => healthyRelays(u).then((v) => v.map((r) => `${r.name} ${r.state}`)).catch((e) => String(e)))),
  lab: lab.stderr.slice(-20)
}))

await steps.run('page-server', STEP_TIMEOUT_MS, async () => {
  server = await startPageServer(file.bytes)
  return { detail: server.url }
})

// Three Chromium processes start at once beside three relays: on a saturated machine that took
// more than 30 s, so this step gets twice the others' time.
await steps.run('browsers-start', 2 * STEP_TIMEOUT_MS, async () => {
  // Three separate Chromium processes. C is started now, but joins the torrent only after the stop.
  [a, b, c] = await Promise.all(['A', 'B', 'C'].map((label) => openBrowser(label, server.url, 2 * STEP_TIMEOUT_MS)))
  result.chromium = a.chromium
  result.webtorrent = a.version
  return { detail: `Chromium ${a.chromium}, webtorrent ${a.version}` }
})

await steps.run('seed', STEP_TIMEOUT_MS, async () => {
  seeded = await a.page.evaluate((args) => window.bt.seed(args),
    { dataUrl: '/data.bin', name: FILE_NAME, relays: relayUrls, count: TRACKERS })
  result.infoHash = seeded.infoHash
  result.announce = { seeder: seeded.announce }
  result.sha1.seeded = seeded.sha1
  if (seeded.sha1 !== file.sha1) throw new Error(`browser A seeds ${seeded.sha1}, the file is ${file.sha1}`)
  if (seeded.announce.length !== TRACKERS) throw new Error(`the helper gave the seeder ${JSON.stringify(seeded.announce)}, expected ${TRACKERS} trackers`)
  return { detail: `A seeds ${seeded.infoHash} via ${seeded.announce.join(' ')}, ${seeded.announcesAnswered} announces answered` }
}, async () => ({ a: await a.pageLog() }))

await steps.run('same-trackers', STEP_TIMEOUT_MS, async () => {
  // B asks through the relays in reverse order: the answer must not depend on who is asked.
  const listB = await b.page.evaluate((args) => window.bt.announceList(args),
    { relays: [...relayUrls].reverse(), count: TRACKERS, infoHash: seeded.infoHash })
  result.announce.firstLeecher = listB
  if (!sameList(listB, seeded.announce)) {
    throw new Error(`B got ${JSON.stringify(listB)}, the seeder ${JSON.stringify(seeded.announce)}`)
  }
  // And every relay's own rendezvous order for this torrent starts with the same trackers.
  for (const base of relayUrls) {
    const order = (await healthyRelays(base, seeded.infoHash)).map((r) => r.trackers[0]).slice(0, TRACKERS)
    if (!sameList(order, seeded.announce)) {
      throw new Error(`${base}api/relays?info_hash=… starts with ${JSON.stringify(order)}, the helper chose ${JSON.stringify(seeded.announce)}`)
    }
  }
  return { detail: `A, B and all ${RELAYS} relays agree on ${seeded.announce.join(' ')}` }
}, async () => ({ b: await b.page.evaluate(() => window.bt.log.slice(-20)).catch(() => []) }))

await steps.run('download-before-stop', STEP_TIMEOUT_MS, async () => {
  before = await b.page.evaluate((args) => window.bt.download(args),
    { infoHash: seeded.infoHash, relays: [...relayUrls].reverse(), count: TRACKERS })
  steps.timings.transferMs = before.transferMs
  result.sha1.beforeStop = before.sha1
  if (before.sha1 !== file.sha1) throw new Error(`B's SHA-1 ${before.sha1} differs from the file's ${file.sha1}`)
  return { detail: `B got ${before.length} bytes in ${before.transferMs} ms via ${before.announce.join(' ')}` }
}, async () => ({ a: await a.pageLog(), b: await b.pageLog() }))

await steps.run('first-leecher-leaves', STEP_TIMEOUT_MS, async () => {
  // Only A has the file from now on: C can only succeed by finding A.
  await b.page.evaluate(() => window.bt.leave())
  await b.close()
  b = null
})

await steps.run('stop-relay', STEP_TIMEOUT_MS, async () => {
  const tracker = seeded.announce[0]
  const host = new URL(tracker).host
  const index = relayUrls.findIndex((u) => new URL(u).host === host)
  if (index < 0) throw new Error(`no lab relay serves ${tracker}`)
  stopped = { index: index + 1, url: relayUrls[index], tracker }
  lab.send(`stop ${stopped.index}`)
  const m = await lab.expect(new RegExp(`^stopped ${stopped.index} (\\d+)$`))
  // The lab's clock is this machine's: the moment the relay was down.
  stoppedAt = Number(m[1])
  result.stopped = stopped
  // The relay's port must be closed now.
  const refused = await fetch(stopped.url, { signal: AbortSignal.timeout(2000) }).then(() => false, () => true)
  if (!refused) throw new Error(`${stopped.url} still answers after the stop`)
  return { detail: `relay ${stopped.index} (${tracker}) stopped` }
}, async () => ({ lab: lab.stderr.slice(-20) }))

await steps.run('download-after-stop', STEP_TIMEOUT_MS, async () => {
  // C knows the stopped relay first, as a page that hard-codes it would.
  const relays = [stopped.url, ...relayUrls.filter((u) => u !== stopped.url)]
  after = await c.page.evaluate((args) => window.bt.download(args),
    { infoHash: seeded.infoHash, relays, count: TRACKERS })
  steps.timings.failoverMs = Date.now() - stoppedAt
  steps.timings.failoverTransferMs = after.transferMs
  result.announce.lateLeecher = after.announce
  result.sha1.afterStop = after.sha1
  const listedStopped = after.announce.includes(stopped.tracker)
  return {
    detail: `C got ${after.length} bytes ${steps.timings.failoverMs} ms after the stop via ${after.announce.join(' ')}` +
      (listedStopped ? ' (the stopped tracker was still listed)' : '')
  }
}, async () => ({ a: await a.pageLog(), c: await c.pageLog(), lab: lab.stderr.slice(-20) }))

await steps.run('verify-sha1', STEP_TIMEOUT_MS, async () => {
  if (after.length !== file.bytes.length) throw new Error(`C got ${after.length} bytes, expected ${file.bytes.length}`)
  if (after.sha1 !== file.sha1) throw new Error(`C's SHA-1 ${after.sha1} differs from the file's ${file.sha1}`)
  if (after.peers < 1) throw new Error('C finished without a peer')
  return { detail: `SHA-1 ${after.sha1}` }
})

// Teardown runs even after a failure.
const failedBefore = steps.failed
steps.failed = false
await steps.run('teardown', STEP_TIMEOUT_MS, async () => {
  await Promise.all([a, b, c].filter(Boolean).map((x) => x.close()))
  if (server) await server.close()
  if (lab) await lab.quit()
})
steps.failed = failedBefore || steps.failed
steps.timings.runMs = Math.round(performance.now() - runStarted)
log(`run took ${steps.timings.runMs} ms`)
report(steps, result)
