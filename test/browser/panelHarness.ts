// Pages with the shipped devtools panel: the fixture apps bundled against the built package the way
// a user's bundler would (code splitting on, so the panel UI becomes a chunk of its own), served on
// 127.0.0.1 with a strict Content-Security-Policy.
import { build } from 'esbuild'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { launchChromium } from './chromium'
import { repoRoot, waitForDist } from './harness'

export const CSP = "default-src 'self'"

/** Bundles a fixture (test/fixtures/browser/<entry>) with splitting; returns the files by name, the entry as `app.js`. */
export async function bundlePanelPage(entry: string): Promise<Map<string, string>> {
  await waitForDist()
  const tmp = await mkdtemp(join(tmpdir(), 'rfr-panel-'))
  try {
    await mkdir(join(tmp, 'node_modules'))
    await symlink(repoRoot, join(tmp, 'node_modules/redux-flight-recorder'), 'dir')
    await writeFile(join(tmp, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', strict: true } }))
    const result = await build({
      entryPoints: { app: join(repoRoot, 'test/fixtures/browser', entry) },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      outdir: join(tmp, 'out'),
      write: false,
      tsconfig: join(tmp, 'tsconfig.json'),
      nodePaths: [join(tmp, 'node_modules'), join(repoRoot, 'node_modules')],
      define: { 'process.env.NODE_ENV': '"development"' },
      logLevel: 'silent',
    })
    return new Map(result.outputFiles.map((f) => [basename(f.path), f.text]))
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

/** The page's own stylesheet tries to reach into the panel; the panel's must not reach out. */
export const PAGE_CSS = `* { letter-spacing: 3px; }
button { color: rgb(255, 0, 0) !important; font-family: serif !important; }
.row { color: rgb(0, 128, 0); padding: 0; }`

const html = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Panel fixture</title><link rel="stylesheet" href="/page.css"></head>
<body>${body}<script type="module" src="/app.js"></script></body></html>`

export const PLAIN_BODY = `<main><h1>Todos</h1>
<button id="add" type="button">Add todo</button> <button id="toggle" type="button">Toggle first</button>
<div class="row">A row of the page</div>
<ul id="list" aria-label="Todos"></ul></main>`
export const REACT_BODY = `<div id="root"></div>`

export interface PanelServer {
  origin: string
  /** Every path requested, in order. */
  requests: string[]
  close(): Promise<void>
}

/**
 * `flight`: a handler for everything under /flight (a real collector, `createCollector({ basePath: '/flight' })`).
 * `csp`: the page's Content-Security-Policy (`null`: none).
 */
export async function servePanelPage(files: Map<string, string>, body: string, flight?: (req: IncomingMessage, res: ServerResponse) => void, csp: string | null = CSP): Promise<PanelServer> {
  const requests: string[] = []
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    requests.push(path)
    if (flight && (path === '/flight' || path.startsWith('/flight/'))) return flight(req, res)
    const headers: Record<string, string> = csp === null ? { 'cache-control': 'no-store' } : { 'content-security-policy': csp, 'cache-control': 'no-store' }
    if (path === '/' || path === '/index.html') {
      res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
      return res.end(html(body))
    }
    if (path === '/page.css') {
      res.writeHead(200, { ...headers, 'content-type': 'text/css' })
      return res.end(PAGE_CSS)
    }
    if (path === '/favicon.ico') {
      res.writeHead(204, headers)
      return res.end()
    }
    const file = files.get(path.slice(1))
    if (file !== undefined) {
      res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' })
      return res.end(file)
    }
    res.writeHead(404, headers)
    res.end('not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** Collects `securitypolicyviolation` events from the start of every page. */
export const WATCH_CSP = `window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber), true);`

/**
 * Counts what stays registered on window and document (listeners) and the page's pending timers and
 * intervals, so a test can check that `unmount()` leaves nothing behind.
 */
export const TRACK_REGISTRATIONS = `(() => {
  const listeners = new Map();
  const key = (target, type, fn, capture) => [target === window ? 'window' : target === document ? 'document' : null, type, capture].join('|');
  const ids = new WeakMap(); let nextId = 1;
  const idOf = (fn) => { if (!ids.has(fn)) ids.set(fn, nextId++); return ids.get(fn) };
  const add = EventTarget.prototype.addEventListener, remove = EventTarget.prototype.removeEventListener;
  const cap = (o) => typeof o === 'boolean' ? o : !!(o && o.capture);
  EventTarget.prototype.addEventListener = function (type, fn, o) {
    if ((this === window || this === document) && fn) listeners.set(key(this, type, fn, cap(o)) + '|' + idOf(fn), type);
    return add.call(this, type, fn, o);
  };
  EventTarget.prototype.removeEventListener = function (type, fn, o) {
    if ((this === window || this === document) && fn) listeners.delete(key(this, type, fn, cap(o)) + '|' + idOf(fn));
    return remove.call(this, type, fn, o);
  };
  const timers = new Set(), intervals = new Set();
  const st = window.setTimeout, ct = window.clearTimeout, si = window.setInterval, ci = window.clearInterval;
  window.setTimeout = function (fn, ms, ...rest) { const id = st.call(window, (...a) => { timers.delete(id); typeof fn === 'function' && fn(...a) }, ms, ...rest); timers.add(id); return id };
  window.clearTimeout = function (id) { timers.delete(id); return ct.call(window, id) };
  window.setInterval = function (...a) { const id = si.apply(window, a); intervals.add(id); return id };
  window.clearInterval = function (id) { intervals.delete(id); return ci.call(window, id) };
  window.__registrations = () => ({ listeners: [...listeners.values()].sort(), timers: timers.size, intervals: intervals.size });
})();`

/**
 * `log` (a session recorded in Node) posted to the collector at `origin`/flight as session
 * `id`, in batches as httpSink sends them; `missing`: seqs whose batch never arrived (a gap).
 */
export async function postAs(origin: string, id: string, log: string, missing: [number, number] | null = null): Promise<void> {
  const [head, ...rest] = log.trimEnd().split('\n')
  const header = JSON.parse(head) as { session: string; from_seq: number }
  const entries = rest.map((line) => ({ line, seq: (JSON.parse(line) as { seq: number }).seq }))
  const batches = missing ? [entries.filter((e) => e.seq < missing[0]), entries.filter((e) => e.seq > missing[1])] : [entries]
  for (const [i, batch] of batches.entries()) {
    const lines = batch.map((e) => e.line)
    if (i === 0) lines.unshift(JSON.stringify({ ...header, session: id }))
    const from = i === 0 ? header.from_seq - 1 : batch[0].seq
    const res = await fetch(`${origin}/flight/ingest?session=${id}&from=${from}&to=${batch[batch.length - 1].seq}`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body: lines.join('\n') + '\n' })
    if (res.status !== 200) throw new Error(`The collector answered ${res.status}: ${await res.text()}`)
  }
}

/**
 * Retries an assertion until it holds (waiting for the page), failing with its last error. The
 * bound is a patience, not a speed check: 20 s, since a page's replay or IndexedDB listing took
 * longer than the earlier 10 s on a loaded CI machine (panel.spec's axe test failed at ~13 s once,
 * each of its steps taking under 1 s on a quiet one).
 */
/** The page's recorder flushed, then the page reloaded (a new session): resolves with the session before the reload. */
export async function flushAndReload(page: Page): Promise<string> {
  const earlier: string = await page.evaluate(() => (window as any).app.recorder.session)
  await page.evaluate(() => (window as any).app.recorder.flush())
  await page.reload()
  await page.waitForSelector('html[data-ready="true"]')
  return earlier
}

export async function eventually(check: () => Promise<void> | void, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > until) throw error
      await new Promise((r) => setTimeout(r, 50))
    }
  }
}

/**
 * Opening the fixture page and closing it checked: `open` gives a fresh context (its own IndexedDB)
 * watching for uncaught errors, console errors and CSP violations; `done` closes it and fails on any
 * of them (`allow`: error messages that are expected).
 */
export function panelPages(browser: () => Browser) {
  const problems = new WeakMap<Page, string[]>()
  async function open(server: PanelServer, query = '', options: { locale?: string; init?: string[] } = {}): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser().newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 }, ...(options.locale ? { locale: options.locale } : {}) })
    context.setDefaultTimeout(10_000)
    await context.addInitScript(WATCH_CSP)
    for (const script of options.init ?? []) await context.addInitScript(script)
    const page = await context.newPage()
    const seen: string[] = []
    problems.set(page, seen)
    page.on('pageerror', (e) => seen.push(`pageerror: ${e.message}`))
    page.on('console', (m) => m.type() === 'error' && seen.push(`console: ${m.text()}`))
    await page.goto(`${server.origin}/${query ? '?' + query : ''}`)
    await page.waitForSelector('html[data-ready="true"]')
    return { page, context }
  }
  /** Nothing threw, nothing was logged as an error (but `allow`), and the CSP blocked nothing. */
  async function done(page: Page, allow: RegExp | null = null): Promise<void> {
    const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations)
    await page.context().close()
    expect(violations).toEqual([])
    expect(problems.get(page)!.filter((p) => !allow || !allow.test(p))).toEqual([])
  }
  return { open, done }
}

/**
 * A describe block's Chromium and its two panel pages, the plain page and one with a real collector
 * under /flight (files in a temp dir `rfr-<name>-*`, `adminToken` its admin token): opened before
 * the block's tests, closed after. The pages are the suite's fields once its tests run; `open` and
 * `done` are `panelPages`' for its browser.
 */
export function panelSuite(name: string, adminToken: string) {
  const suite = { ...panelPages(() => suite.browser) } as ReturnType<typeof panelPages> & { browser: Browser; plain: PanelServer; withCollector: PanelServer }
  let sessionsDir: string | undefined
  beforeAll(async () => {
    sessionsDir = await mkdtemp(join(tmpdir(), `rfr-${name}-`))
    const collector = createCollector({ store: fileStore(sessionsDir), adminToken, basePath: '/flight' })
    ;[suite.browser, [suite.plain, suite.withCollector]] = await Promise.all([
      launchChromium(),
      bundlePanelPage('panelApp.ts').then((files) => Promise.all([servePanelPage(files, PLAIN_BODY), servePanelPage(files, PLAIN_BODY, collector)])),
    ])
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.plain?.close()
    await suite.withCollector?.close()
    if (sessionsDir) await rm(sessionsDir, { recursive: true, force: true })
  })
  return suite
}
