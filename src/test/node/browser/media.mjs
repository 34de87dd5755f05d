// p2p-media-loader (npm p2p-media-loader-core + -hlsjs) with hls.js in two headless Chromium
// processes: two viewers of one HLS stream, introduced to each other by one tracker.
//
//   node browser/media.mjs ws://127.0.0.1:PORT/
//
// 1. ffmpeg makes a VOD stream here and now: `testsrc2` video and a `sine` tone, H.264 + AAC in
//    MPEG-TS segments of 2 s (`-f hls -hls_time 2 -hls_playlist_type vod`), STREAM_SECONDS long.
// 2. The page server (127.0.0.1, a free port) serves the page, the npm modules and the stream.
// 3. Viewer A starts; once it has played SECOND_VIEWER_AFTER_S seconds, viewer B starts (the
//    library fetches the first segments of a viewer over HTTP before any peer is connected).
// 4. Both play (their currentTime advances) until B has loaded every segment; B's bytes by source
//    come from the library's onChunkDownloaded events: `p2pShare` = p2p / (http + p2p).
//
// Run it inside a loopback-only network namespace (run-in-netns.sh media [JAR]).
// The LAST line on stdout is one JSON object {"ok","steps","timings","viewers",...}; exit code 0
// when every step is ok, 1 otherwise, 2 on bad usage. Diagnostics go to stderr.

import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Steps, deadline, jsModule, launchPage, log, loopbackUrl, ownFile, packageFile, packageVersion, positiveInt, report, servePages, withTimeout } from './harness.mjs'

const STEP_TIMEOUT_MS = positiveInt(process.env.BROWSER_STEP_TIMEOUT_MS, 30_000)
const RUN_DEADLINE_MS = positiveInt(process.env.BROWSER_RUN_DEADLINE_MS, 100_000)
const STREAM_SECONDS = positiveInt(process.env.MEDIA_STREAM_SECONDS, 30)
const SEGMENT_SECONDS = 2
const SECOND_VIEWER_AFTER_S = 4
const FFMPEG = process.env.FFMPEG || 'ffmpeg'

export const STEP_NAMES = [
  'make-stream',
  'page-server',
  'browsers-start',
  'first-viewer-plays',
  'second-viewer-plays',
  'second-viewer-loads-all',
  'p2p-share',
  'teardown'
]

let tracker
try {
  if (process.argv.length !== 3) throw new Error('usage: node browser/media.mjs ws://127.0.0.1:PORT/')
  tracker = loopbackUrl(process.argv[2], ['ws:', 'wss:']).href
} catch (err) {
  process.stderr.write(`${err.message}\n`)
  process.exit(2)
}

const steps = new Steps(STEP_NAMES)
const result = {
  tracker,
  versions: {
    'p2p-media-loader-core': packageVersion('p2p-media-loader-core'),
    'p2p-media-loader-hlsjs': packageVersion('p2p-media-loader-hlsjs'),
    'hls.js': packageVersion('hls.js')
  },
  stream: {},
  viewers: {}
}
deadline(RUN_DEADLINE_MS, steps, () => result)

let dir = null
let stream = null
let server = null
let a = null
let b = null

/** Runs ffmpeg; rejects with the end of its stderr when it fails. */
function ffmpeg (args, cwd) {
  return new Promise((resolve, reject) => {
    const proc = spawn(FFMPEG, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
    let err = ''
    proc.stderr.on('data', (d) => { err = (err + d).slice(-4000) })
    proc.once('error', reject)
    proc.once('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code ?? signal}: ${err}`))))
  })
}

/** Polls `fn` in the page until `until(value)` holds; resolves with the value. */
async function waitFor (viewer, fn, until, what, timeoutMs = STEP_TIMEOUT_MS) {
  let last
  const poll = async () => {
    for (;;) {
      last = await viewer.page.evaluate(fn)
      if (until(last)) return last
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
  }
  try {
    return await withTimeout(poll(), timeoutMs, what)
  } catch (err) {
    throw new Error(`${err.message}; last: ${JSON.stringify(last)}`)
  }
}

const stats = (v) => v.page.evaluate(() => window.pm.stats())
const playing = (v) => waitFor(v, () => window.pm.stats(), (s) => s.currentTime >= 1, `${v.label} plays (currentTime >= 1 s)`)

const runStarted = performance.now()
await steps.run('make-stream', STEP_TIMEOUT_MS, async () => {
  dir = await mkdtemp(join(tmpdir(), 'btr-hls-'))
  await ffmpeg([
    '-hide_banner', '-loglevel', 'error', '-nostdin',
    '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
    '-t', String(STREAM_SECONDS),
    // a key frame every segment, so every segment starts one
    '-c:v', 'libx264', '-preset', 'ultrafast', '-profile:v', 'baseline', '-pix_fmt', 'yuv420p',
    '-g', String(25 * SEGMENT_SECONDS), '-keyint_min', String(25 * SEGMENT_SECONDS), '-sc_threshold', '0', '-b:v', '800k',
    '-c:a', 'aac', '-b:a', '96k',
    '-f', 'hls', '-hls_time', String(SEGMENT_SECONDS), '-hls_playlist_type', 'vod',
    '-hls_segment_filename', 'seg%03d.ts', 'index.m3u8'
  ], dir)
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ts')).sort()
  stream = { '/stream/index.m3u8': { type: 'application/vnd.apple.mpegurl', body: await readFile(join(dir, 'index.m3u8')) } }
  let bytes = 0
  for (const n of names) {
    const body = await readFile(join(dir, n))
    bytes += body.length
    stream[`/stream/${n}`] = { type: 'video/mp2t', body }
  }
  if (names.length < 2) throw new Error(`ffmpeg made ${names.length} segments`)
  result.stream = { seconds: STREAM_SECONDS, segments: names.length, bytes, codecs: 'H.264 baseline 640x360 25 fps + AAC 48 kHz, MPEG-TS' }
  return { detail: `${names.length} segments, ${bytes} bytes` }
})
await steps.run('page-server', STEP_TIMEOUT_MS, async () => {
  server = await servePages({
    '/': await ownFile('media.html'),
    '/media-page.mjs': await ownFile('media-page.mjs'),
    '/page-log.mjs': await ownFile('page-log.mjs'),
    '/npm/hls.mjs': jsModule(await packageFile('hls.js', 'dist/hls.mjs')),
    '/npm/p2p-media-loader-core.es.js': jsModule(await packageFile('p2p-media-loader-core', 'dist/p2p-media-loader-core.es.js')),
    '/npm/p2p-media-loader-hlsjs.es.js': jsModule(await packageFile('p2p-media-loader-hlsjs', 'dist/p2p-media-loader-hlsjs.es.js')),
    ...stream
  })
  result.manifest = new URL('stream/index.m3u8', server.url).href
  return { detail: result.manifest }
})
await steps.run('browsers-start', STEP_TIMEOUT_MS, async () => {
  ;[a, b] = await Promise.all(['A', 'B'].map((label) => launchPage(label, server.url, STEP_TIMEOUT_MS, () => window.pm !== undefined, 'pm')))
  for (const v of [a, b]) {
    if (!(await v.page.evaluate(() => window.pm.mse))) throw new Error(`${v.label}: hls.js finds no MediaSource Extensions`)
  }
  result.chromium = a.chromium
  return { detail: `Chromium ${a.chromium}` }
})
const args = { manifest: result.manifest, tracker }
await steps.run('first-viewer-plays', STEP_TIMEOUT_MS, async () => {
  await a.page.evaluate((x) => window.pm.start(x), args)
  const s = await playing(a)
  return { detail: `A at ${s.currentTime.toFixed(1)} s after ${s.playingMs} ms` }
}, async () => ({ a: await a.pageLog() }))
await steps.run('second-viewer-plays', STEP_TIMEOUT_MS, async () => {
  const sa = await waitFor(a, () => window.pm.stats(), (s) => s.currentTime >= SECOND_VIEWER_AFTER_S,
    `A plays ${SECOND_VIEWER_AFTER_S} s`)
  await b.page.evaluate((x) => window.pm.start(x), args)
  const s = await playing(b)
  return { detail: `B started when A was at ${sa.currentTime.toFixed(1)} s; B at ${s.currentTime.toFixed(1)} s after ${s.playingMs} ms` }
}, async () => ({ a: await a.pageLog(), b: await b.pageLog() }))
await steps.run('second-viewer-loads-all', 2 * STREAM_SECONDS * 1000 + STEP_TIMEOUT_MS, async () => {
  const segments = result.stream.segments
  const s = await waitFor(b, () => window.pm.stats(), (x) => x.segmentsLoaded >= segments, `B loads all ${segments} segments`,
    2 * STREAM_SECONDS * 1000 + STEP_TIMEOUT_MS - 1000)
  const t = await stats(a)
  // Both still play: their clocks moved on since they started.
  if (!(t.currentTime > SECOND_VIEWER_AFTER_S + 1)) throw new Error(`A stalled at ${t.currentTime} s`)
  return { detail: `B loaded ${s.segmentsLoaded} segments (${s.segments.http} by http, ${s.segments.p2p} by p2p) in ${s.playingMs} ms; A at ${t.currentTime.toFixed(1)} s, B at ${s.currentTime.toFixed(1)} s` }
}, async () => ({ a: await a.pageLog(), b: await b.pageLog() }))
await steps.run('p2p-share', STEP_TIMEOUT_MS, async () => {
  const [sa, sb] = await Promise.all([stats(a), stats(b)])
  result.viewers = { a: sa, b: sb }
  steps.timings.p2pSharePercent = Math.round(sb.p2pShare * 1000) / 10
  const problems = []
  if (!(sb.downloaded.p2p > 0)) problems.push('B got no bytes over P2P')
  if (!(sa.uploaded > 0)) problems.push('A uploaded nothing')
  if (sb.peersConnected < 1 || sa.peersConnected < 1) problems.push(`peers connected: A ${sa.peersConnected}, B ${sb.peersConnected}`)
  for (const [label, s] of [['A', sa], ['B', sb]]) {
    if (s.trackerErrors.length > 0) problems.push(`${label}: tracker errors ${s.trackerErrors.join('; ')}`)
    if (s.videoError) problems.push(`${label}: video error ${s.videoError}`)
  }
  if (problems.length > 0) throw new Error(problems.join('; '))
  return { detail: `B: ${sb.downloaded.p2p} of ${sb.downloaded.http + sb.downloaded.p2p} bytes over P2P (${steps.timings.p2pSharePercent} %); A uploaded ${sa.uploaded} bytes` }
}, async () => ({ a: await a.pageLog(), b: await b.pageLog() }))

steps.failed = false
const failedBefore = steps.steps.some((s) => !s.ok)
await steps.run('teardown', STEP_TIMEOUT_MS, async () => {
  await Promise.all([a && a.close(), b && b.close()])
  if (server) await server.close()
  if (dir) await rm(dir, { recursive: true, force: true })
})
steps.failed = failedBefore || steps.failed
steps.timings.runMs = Math.round(performance.now() - runStarted)
log(`run took ${steps.timings.runMs} ms`)
report(steps, result)
