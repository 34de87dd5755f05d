// Shared parts of the browser tests (transfer.mjs, failover.mjs, trystero.mjs, media.mjs): the page server, headless
// Chromium through playwright-core, steps with timeouts and the final JSON line.
//
// A broken WebRTC or tracker path shows up as a hang, never as an error, so every step runs
// under a timeout and the whole run under a deadline; on a timeout the report carries the page's
// own log (tracker warnings, peers, progress).

import { createHash, randomBytes } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const require = createRequire(import.meta.url)
const HERE = dirname(fileURLToPath(import.meta.url))

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium'

// Headless Chromium that makes WebRTC work on a loopback-only host (see docs/browser-tests.md):
// without the last two flags no usable ICE candidate exists and the transfer hangs.
export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--allow-loopback-in-peer-connection',
  '--use-fake-ui-for-media-stream'
]

export const FILE_SIZE = 1024 * 1024
export const FILE_NAME = 'relay-test.bin'

export function log (text) {
  process.stderr.write(`[browser-test] ${text}\n`)
}

export function positiveInt (text, fallback) {
  const n = Number(text)
  return Number.isInteger(n) && n > 0 ? n : fallback
}

/** Only loopback URLs are accepted: the tests never reach beyond 127.0.0.0/8. */
export function loopbackUrl (text, protocols) {
  let url
  try {
    url = new URL(text)
  } catch {
    throw new Error(`not a URL: ${text}`)
  }
  if (!protocols.includes(url.protocol)) throw new Error(`${text}: expected ${protocols.join(' or ')}`)
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname)) {
    throw new Error(`${text}: only 127.0.0.0/8 addresses are allowed`)
  }
  return url
}

/** The generated test file: random bytes and their SHA-1, computed here, not in a browser. */
export function makeTestFile (size = FILE_SIZE) {
  const bytes = randomBytes(size)
  return { bytes, sha1: createHash('sha1').update(bytes).digest('hex') }
}

/** The webtorrent browser bundles the tests can serve, by major version (both ES modules). */
export const WEBTORRENT_BUNDLES = {
  2: 'webtorrent',
  3: 'webtorrent3' // npm:webtorrent@3.0.21: its browser bundle runs in Chromium; its Node code needs Node 22
}

/** A file of an npm package in node_modules, read as it was installed. */
export async function packageFile (pkg, path) {
  return readFile(join(packageDir(pkg), path))
}

/** Where npm installed a package (src/test/node/node_modules/<pkg>); not every package exports its package.json. */
export function packageDir (pkg) {
  return join(HERE, '..', 'node_modules', ...pkg.split('/'))
}

/** The version of an installed npm package. */
export function packageVersion (pkg) {
  return require(join(packageDir(pkg), 'package.json')).version
}

/**
 * Every `.mjs`/`.js` file of one folder of an npm package, served under `prefix`: a package's
 * ES modules import each other by relative path, so serving the folder as it is keeps them working.
 */
export async function packageModules (pkg, folder, prefix) {
  const dir = join(packageDir(pkg), folder)
  const files = {}
  for (const name of await readdir(dir)) {
    if (/\.m?js$/.test(name)) files[`${prefix}/${name}`] = jsModule(await readFile(join(dir, name)))
  }
  return files
}

/** A page server entry: a JavaScript module. */
export const jsModule = (body) => ({ type: 'text/javascript; charset=utf-8', body })

/** A page server entry: one of this folder's files (a page, its module). */
export async function ownFile (name) {
  const type = name.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8'
  return { type, body: await readFile(join(HERE, name)) }
}

/**
 * Serves `files` (path -> {type, body}) on 127.0.0.1, a free port, GET only, never cached.
 * Resolves with {url, close()}.
 */
export async function servePages (files) {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname
    if (path === '/favicon.ico') {
      res.writeHead(204).end()
      return
    }
    const file = files[path]
    if (!file || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store', 'content-length': file.body.length })
    res.end(file.body)
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const url = `http://127.0.0.1:${server.address().port}/`
  return {
    url,
    close: () => new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  }
}

/**
 * Serves the webtorrent test page: `/` the page, `/page.mjs` and `/page-log.mjs` its modules,
 * `/webtorrent.min.js` the npm browser bundle of webtorrent `major` (2 or 3), `/data.bin` the test file.
 */
export async function startPageServer (data, major = 2) {
  const pkg = WEBTORRENT_BUNDLES[major]
  if (!pkg) throw new Error(`no webtorrent ${major} bundle (known: ${Object.keys(WEBTORRENT_BUNDLES).join(', ')})`)
  return servePages({
    '/': await ownFile('page.html'),
    '/page.mjs': await ownFile('page.mjs'),
    '/page-log.mjs': await ownFile('page-log.mjs'),
    '/webtorrent.min.js': jsModule(await packageFile(pkg, 'dist/webtorrent.min.js')),
    '/data.bin': { type: 'application/octet-stream', body: data }
  })
}

/**
 * One headless Chromium process with one page at `pageUrl`, resolved once `ready` (a function
 * run in the page) returns a truthy value. Console output of the page goes to stderr with the
 * browser's label; `pageLog()` reads the page's `window[logOf].log` (see page-log.mjs).
 */
export async function launchPage (label, pageUrl, timeoutMs, ready, logOf) {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: timeoutMs
  })
  try {
    const context = await browser.newContext()
    const page = await context.newPage()
    page.on('console', (msg) => log(`[${label}] console.${msg.type()}: ${msg.text()}`))
    page.on('pageerror', (err) => log(`[${label}] page error: ${err.message}`))
    await page.goto(pageUrl, { timeout: timeoutMs })
    await page.waitForFunction(ready, null, { timeout: timeoutMs })
    return {
      label,
      browser,
      page,
      chromium: browser.version(),
      pageLog: () => page.evaluate((name) => window[name].log.slice(-80), logOf).catch(() => []),
      close: () => browser.close().catch(() => {})
    }
  } catch (err) {
    await browser.close().catch(() => {})
    throw err
  }
}

/** A browser with the webtorrent test page (window.bt) loaded; fails if webtorrent sees no WebRTC. */
export async function openBrowser (label, pageUrl, timeoutMs) {
  const b = await launchPage(label, pageUrl, timeoutMs, () => window.bt !== undefined, 'bt')
  try {
    const info = await b.page.evaluate(() => ({ webrtc: window.bt.webrtc, version: window.bt.version }))
    if (!info.webrtc) throw new Error(`${label}: webtorrent reports no WebRTC support`)
    return { ...b, version: info.version }
  } catch (err) {
    await b.close()
    throw err
  }
}

export function withTimeout (promise, ms, what) {
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Runs named steps in order, each under its timeout, and records {name, ok, ms, detail}.
 * The first failing step ends the run; the rest are reported as not run.
 */
export class Steps {
  constructor (names) {
    this.names = names
    this.steps = []
    this.timings = {}
    this.failed = false
    this.diagnostics = []
  }

  /** Runs fn (which gets nothing and returns {detail?, ...}) unless an earlier step failed. */
  async run (name, timeoutMs, fn, onTimeout) {
    if (!this.names.includes(name)) throw new Error(`unknown step ${name}`)
    if (this.failed) return undefined
    const started = performance.now()
    try {
      const value = await withTimeout(Promise.resolve().then(fn), timeoutMs, name)
      const ms = Math.round(performance.now() - started)
      this.steps.push({ name, ok: true, ms, detail: (value && value.detail) || '' })
      log(`ok   ${name} (${ms} ms) ${(value && value.detail) || ''}`)
      return value
    } catch (err) {
      const ms = Math.round(performance.now() - started)
      let detail = (err && err.message) || String(err)
      if (onTimeout) {
        try {
          const extra = await withTimeout(Promise.resolve().then(onTimeout), 5000, 'diagnostics')
          if (extra) this.diagnostics.push({ step: name, ...extra })
        } catch (e) {
          this.diagnostics.push({ step: name, error: String(e) })
        }
      }
      this.steps.push({ name, ok: false, ms, detail })
      log(`FAIL ${name} (${ms} ms) ${detail}`)
      this.failed = true
      return undefined
    }
  }

  /** Steps after a failure, so the report lists every step. */
  finish () {
    const ran = new Set(this.steps.map((s) => s.name))
    for (const name of this.names) {
      if (!ran.has(name)) this.steps.push({ name, ok: false, ms: 0, detail: 'not run' })
    }
    const order = (s) => (this.names.includes(s.name) ? this.names.indexOf(s.name) : this.names.length)
    this.steps.sort((x, y) => order(x) - order(y))
    return this.steps.every((s) => s.ok)
  }
}

/** Prints the final JSON line and exits 0 (every step ok) or 1. */
export function report (steps, extra) {
  const ok = steps.finish()
  const result = { ok, steps: steps.steps, timings: steps.timings, ...extra }
  if (steps.diagnostics.length > 0) result.diagnostics = steps.diagnostics
  process.stdout.write(JSON.stringify(result) + '\n')
  process.exit(ok ? 0 : 1)
}

/** A run-wide deadline: prints a failing result and exits if the run as a whole hangs. */
export function deadline (ms, steps, extra) {
  const timer = setTimeout(() => {
    log(`run deadline of ${ms} ms passed`)
    steps.steps.push({ name: 'deadline', ok: false, ms, detail: `the run did not finish within ${ms} ms` })
    steps.failed = true
    report(steps, extra())
  }, ms)
  timer.unref()
  return timer
}
