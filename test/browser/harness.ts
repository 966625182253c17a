import { build, type Metafile } from 'esbuild'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { expect } from 'vitest'

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const fixtureDir = join(repoRoot, 'test/fixtures/browser')

const DIST_FILES = ['dist/index.js', 'dist/index.cjs', 'dist/browser.js', 'dist/browser.cjs']

/**
 * Waits for the built package. A build running alongside (tsup cleans dist/ first) brings the files
 * back within seconds; without any build this fails with what to do.
 */
export async function waitForDist(): Promise<void> {
  const until = Date.now() + 30_000
  for (const file of DIST_FILES) {
    while (!existsSync(join(repoRoot, file))) {
      if (Date.now() > until) throw new Error(`${file} is missing: the browser tests use the built package. Run \`npm run build\` first.`)
      await new Promise((r) => setTimeout(r, 200))
    }
  }
}

export interface AppBundle {
  js: string
  metafile: Metafile
  /** With `splitting`: every output file's text, by the path the metafile names it with. */
  files: Map<string, string>
}

/**
 * Bundles the fixture app the way a user's bundler would: `redux-flight-recorder` and
 * `redux-flight-recorder/browser` resolve through the package's `exports` map to the built `dist/`
 * (a `node_modules` entry linking to the repository, as `npm install` would make), and
 * `@reduxjs/toolkit` comes from `node_modules`. The repository's tsconfig `paths` (which point at
 * `src/`) are deliberately not used.
 */
export async function bundleApp(entry = 'app.ts', options: { minify?: boolean; external?: string[]; splitting?: boolean; production?: boolean } = {}): Promise<AppBundle> {
  await waitForDist()
  const tmp = await mkdtemp(join(tmpdir(), 'rfr-bundle-'))
  try {
    await mkdir(join(tmp, 'node_modules'))
    await symlink(repoRoot, join(tmp, 'node_modules/redux-flight-recorder'), 'dir')
    await writeFile(join(tmp, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', strict: true } }))
    const result = await build({
      entryPoints: [join(fixtureDir, entry)],
      bundle: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      write: false,
      metafile: true,
      ...(options.splitting ? { splitting: true, outdir: join(tmp, 'out') } : {}),
      sourcemap: options.minify ? false : 'inline',
      minify: options.minify ?? false,
      external: options.external,
      tsconfig: join(tmp, 'tsconfig.json'),
      nodePaths: [join(tmp, 'node_modules'), join(repoRoot, 'node_modules')],
      define: { 'process.env.NODE_ENV': options.production ? '"production"' : '"development"' },
      logLevel: 'silent',
    })
    const files = new Map(result.outputFiles.map((f) => [relative(process.cwd(), f.path), f.text]))
    return { js: result.outputFiles[0].text, metafile: result.metafile, files }
  } finally {
    await rm(tmp, { recursive: true, force: true })
  }
}

const page = (title: string, body: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body>${body}</body></html>`

const APP_HTML = page(
  'Todo app with a flight recorder',
  `<h1>Todos</h1>
<button id="add">Add todo</button>
<button id="toggle">Toggle first</button>
<button id="explode">Add, then throw</button>
<button id="reject">Reject a promise</button>
<button id="download">Download session</button>
<a id="leave" href="/other.html">Leave</a>
<ul id="list"></ul>
<script type="module" src="/app.js"></script>`,
)

export interface Served {
  origin: string
  close(): Promise<void>
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}

/** Serves the app page, its bundle and a plain second page on 127.0.0.1. */
export async function serveApp(bundle: AppBundle): Promise<Served> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html', APP_HTML)
    if (path === '/app.js') return send(res, 200, 'text/javascript', bundle.js)
    if (path === '/other.html') return send(res, 200, 'text/html', page('Elsewhere', '<p>Another page.</p>'))
    send(res, 404, 'text/plain', 'not found')
  })
  const port = await listen(server)
  return { origin: `http://127.0.0.1:${port}`, close: () => closeServer(server) }
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}

export interface Delivery {
  session: string
  from: number
  to: number
  body: string
  contentType: string | undefined
  /** `Sec-Fetch-Mode`: a beacon of a text body arrives as `no-cors`, a fetch as `cors`. */
  mode: string | undefined
}

export interface Collector {
  /** The endpoint to give `httpSink`. */
  url: string
  deliveries: Delivery[]
  /** Requests refused while `status` was not 204. */
  refused: number
  /** Answer with this status (e.g. 503) instead of storing. */
  status: number
  /** Requests left to hold open without any answer (each one taken lowers it); answered never. */
  hold: number
  /** Requests held open so far. */
  held: number
  /** Stored batches are answered 200 with this JSON body (as the package's collector answers), not 204. */
  reply?: string
  /** Stops listening and drops open connections: the server is down. */
  stop(): Promise<void>
  /** Listens again on the same port. */
  start(): Promise<void>
  /** Waits until `predicate` holds for the deliveries, polling. */
  waitFor(predicate: (deliveries: Delivery[]) => boolean, timeoutMs?: number): Promise<void>
  close(): Promise<void>
}

/**
 * A log collector on its own origin (so requests are cross-origin, as with a real logging
 * endpoint). It answers CORS and stores each request's session, seq span and body.
 */
export async function startCollector(): Promise<Collector> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x')
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': '*', 'access-control-allow-methods': 'POST' }
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors)
      res.end()
      return
    }
    // Held as it arrives (not once its body is in), so the first request is the one held, however slow the machine.
    if (collector.hold > 0) {
      collector.hold--
      collector.held++
      return // no answer: the connection stays open until the client gives up or the server stops
    }
    const parts: Buffer[] = []
    req.on('data', (b: Buffer) => parts.push(b))
    req.on('end', () => {
      if (collector.status !== 204) {
        collector.refused++
        res.writeHead(collector.status, cors)
        res.end()
        return
      }
      collector.deliveries.push({
        session: url.searchParams.get('session') ?? '',
        from: Number(url.searchParams.get('from')),
        to: Number(url.searchParams.get('to')),
        body: Buffer.concat(parts).toString('utf8'),
        contentType: req.headers['content-type'],
        mode: req.headers['sec-fetch-mode'] as string | undefined,
      })
      if (collector.reply !== undefined) {
        res.writeHead(200, { ...cors, 'content-type': 'application/json' })
        res.end(collector.reply)
        return
      }
      res.writeHead(204, cors)
      res.end()
    })
  }
  let server = createServer(handler)
  const port = await listen(server)
  let up = true
  const collector: Collector = {
    url: `http://127.0.0.1:${port}/collect`,
    deliveries: [],
    refused: 0,
    status: 204,
    hold: 0,
    held: 0,
    async stop() {
      if (!up) return
      up = false
      await closeServer(server)
    },
    async start() {
      if (up) return
      server = createServer(handler)
      await listen(server, port)
      up = true
    },
    async waitFor(predicate, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs
      while (!predicate(collector.deliveries)) {
        if (Date.now() > until) throw new Error(`The collector did not receive what was expected within ${timeoutMs} ms (${collector.deliveries.length} deliveries).`)
        await new Promise((r) => setTimeout(r, 25))
      }
    },
    close: () => collector.stop(),
  }
  return collector
}

/**
 * What a server does with the deliveries of one session: orders them by seq, keeps one copy of each
 * line (a chunk can arrive twice), and writes the header first. Returns JSONL and the duplicates seen.
 */
export function assembleLog(deliveries: Delivery[], session: string): { text: string; duplicates: number } {
  let header: string | undefined
  const bySeq = new Map<number, string>()
  let duplicates = 0
  for (const d of deliveries.filter((x) => x.session === session).sort((a, b) => a.from - b.from)) {
    for (const line of d.body.split('\n')) {
      if (line === '') continue
      const value = JSON.parse(line) as { kind?: string; seq?: number }
      if (value.kind === '@@session') {
        if (header === undefined) header = line
        else duplicates++
      } else if (bySeq.has(value.seq!)) duplicates++
      else bySeq.set(value.seq!, line)
    }
  }
  if (header === undefined) throw new Error(`No header was delivered for session ${session}.`)
  const lines = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, line]) => line)
  return { text: [header, ...lines].join('\n') + '\n', duplicates }
}

/**
 * Adds 10 todos in the fixture app, whose preloaded state then passes 256 KiB (a header that no
 * longer fits one chunk or a beacon), and reloads the page; resolves to the state before the reload.
 */
export async function growAndReload(page: Page): Promise<unknown> {
  const state: unknown = await page.evaluate(() => {
    const { addTodo, store } = (window as any).app
    for (let i = 0; i < 10; i++) addTodo()
    return store.getState()
  })
  expect(JSON.stringify(state).length).toBeGreaterThan(256 * 1024)
  await page.reload()
  await page.waitForFunction(() => document.title.endsWith('(ready)'))
  return state
}

/** The outputs a page loads first from a split bundle: the entry chunk and what it imports statically, transitively. */
export function firstLoad(outputs: Metafile['outputs'], entry: string): Set<string> {
  const first = new Set<string>()
  const visit = (o: string) => {
    if (first.has(o)) return
    first.add(o)
    for (const i of outputs[o].imports) if (i.kind === 'import-statement') visit(i.path)
  }
  visit(entry)
  return first
}
