// Real webtorrent in real headless Chromium through one relay's WebSocket tracker.
//
//   node browser/transfer.mjs ws://127.0.0.1:PORT/ [MAJOR]
//
// MAJOR picks the webtorrent browser bundle: 2 (webtorrent 2.8.5, the default) or 3 (3.0.21);
// both browsers run the same one. Browser A (its own Chromium process) seeds a generated 1 MiB file, announcing to the given
// tracker; browser B (another Chromium process) downloads it by magnet link (info_hash only)
// through the same tracker and hashes what arrived. The file's SHA-1 is computed here, in Node.
//
// Run it inside a loopback-only network namespace (run-in-netns.sh transfer): outside one,
// Chromium also offers the machine's other addresses as ICE candidates.
//
// The LAST line on stdout is one JSON object:
//   {"ok":bool,"steps":[{"name","ok","ms","detail"}],"timings":{...},"sha1":{...},...}
// Exit code 0 when every step is ok, 1 otherwise, 2 on bad usage. Diagnostics go to stderr.

import { FILE_NAME, Steps, WEBTORRENT_BUNDLES, deadline, log, loopbackUrl, makeTestFile, openBrowser, positiveInt, report, startPageServer } from './harness.mjs'

const STEP_TIMEOUT_MS = positiveInt(process.env.BROWSER_STEP_TIMEOUT_MS, 30_000)
const RUN_DEADLINE_MS = positiveInt(process.env.BROWSER_RUN_DEADLINE_MS, 50_000)

export const STEP_NAMES = [
  'page-server',
  'browser-a-start',
  'browser-b-start',
  'seed',
  'download',
  'verify-sha1',
  'teardown'
]

let tracker
let major
try {
  if (process.argv.length < 3 || process.argv.length > 4) throw new Error('usage: node browser/transfer.mjs ws://127.0.0.1:PORT/ [2|3]')
  tracker = loopbackUrl(process.argv[2], ['ws:', 'wss:']).href
  major = process.argv[3] || '2'
  if (!WEBTORRENT_BUNDLES[major]) throw new Error(`webtorrent ${major}: expected one of ${Object.keys(WEBTORRENT_BUNDLES).join(', ')}`)
} catch (err) {
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}

const steps = new Steps(STEP_NAMES)
const file = makeTestFile()
const result = { tracker, sha1: { expected: file.sha1 } }
deadline(RUN_DEADLINE_MS, steps, () => result)

let server = null
let a = null
let b = null
let seeded = null
let downloaded = null

const runStarted = performance.now()
await steps.run('page-server', STEP_TIMEOUT_MS, async () => {
  server = await startPageServer(file.bytes, major)
  return { detail: server.url }
})
await steps.run('browser-a-start', STEP_TIMEOUT_MS, async () => {
  a = await openBrowser('A', server.url, STEP_TIMEOUT_MS)
  result.chromium = a.chromium
  result.webtorrent = a.version
  if (a.version.split('.')[0] !== major) throw new Error(`asked for webtorrent ${major}, the page runs ${a.version}`)
  return { detail: `Chromium ${a.chromium}, webtorrent ${a.version}` }
})
await steps.run('browser-b-start', STEP_TIMEOUT_MS, async () => {
  b = await openBrowser('B', server.url, STEP_TIMEOUT_MS)
  return { detail: `Chromium ${b.chromium}` }
})
await steps.run('seed', STEP_TIMEOUT_MS, async () => {
  seeded = await a.page.evaluate((args) => window.bt.seed(args), { dataUrl: '/data.bin', name: FILE_NAME, announce: [tracker] })
  result.infoHash = seeded.infoHash
  result.sha1.seeded = seeded.sha1
  if (seeded.sha1 !== file.sha1) throw new Error(`browser A seeds ${seeded.sha1}, the file is ${file.sha1}`)
  return { detail: `A seeds ${seeded.infoHash} (${seeded.length} bytes) via ${tracker}, ${seeded.announcesAnswered} announces answered` }
}, async () => ({ a: await a.pageLog() }))
await steps.run('download', STEP_TIMEOUT_MS, async () => {
  downloaded = await b.page.evaluate((args) => window.bt.download(args), { infoHash: seeded.infoHash, announce: [tracker] })
  steps.timings.transferMs = downloaded.transferMs
  steps.timings.downloadMs = downloaded.totalMs
  result.sha1.downloaded = downloaded.sha1
  return { detail: `B got ${downloaded.length} bytes in ${downloaded.transferMs} ms from ${downloaded.peers} peer(s)` }
}, async () => ({ a: await a.pageLog(), b: await b.pageLog() }))
await steps.run('verify-sha1', STEP_TIMEOUT_MS, async () => {
  if (downloaded.length !== file.bytes.length) throw new Error(`B got ${downloaded.length} bytes, expected ${file.bytes.length}`)
  if (downloaded.sha1 !== file.sha1) throw new Error(`B's SHA-1 ${downloaded.sha1} differs from the file's ${file.sha1}`)
  if (downloaded.name !== FILE_NAME) throw new Error(`B's file is named ${downloaded.name}, expected ${FILE_NAME}`)
  return { detail: `SHA-1 ${downloaded.sha1}` }
})

// Teardown runs even after a failure.
steps.failed = false
const failedBefore = steps.steps.some((s) => !s.ok)
await steps.run('teardown', STEP_TIMEOUT_MS, async () => {
  await Promise.all([a && a.close(), b && b.close()])
  if (server) await server.close()
})
steps.failed = failedBefore || steps.failed
steps.timings.runMs = Math.round(performance.now() - runStarted)
log(`run took ${steps.timings.runMs} ms`)
report(steps, result)
