// The web demo's server: the demo todo app (demo/app + demo/web) bundled by esbuild the way a user's
// bundler would build it, the demo API (demo/app/server.ts) and a session collector
// (`redux-flight-recorder/collector`, under /flight) behind the same origin.
import { context, type BuildContext } from 'esbuild'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createCollector, fileStore } from 'redux-flight-recorder/collector'
import { startApi } from '../app/server'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '../..')

export interface DemoServer {
  /** `http://127.0.0.1:<port>/` */
  url: string
  server: Server
  /** Requests the demo API answered (POST /todos/sync and the rest). */
  apiRequests(): number
  /** Where the collector under /flight keeps the sessions the page sends. */
  sessionsDir: string
  /** The collector's admin token (`Authorization: Bearer …` for GET /flight/sessions), handed to the page's panel. */
  adminToken: string
  close(): Promise<void>
}

export interface DemoServerOptions {
  /** 0 picks a free port. @default 0 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** Where the collector keeps sessions. @default demo/out/web-sessions */
  sessionsDir?: string
}

/** The path the collector answers under: the page sends to /flight/ingest and the panel reads /flight/sessions. */
export const COLLECTOR_PATH = '/flight'

/**
 * Bundles the app and starts serving it. `redux-flight-recorder` and `redux-flight-recorder/browser`
 * resolve through the package's `exports` map (the package refers to itself by name) to the built
 * files in dist/, as they would in a user's app; the repository's tsconfig `paths`, which point at
 * src/ for development, are deliberately not used. The bundle is rebuilt (incrementally) on every
 * page load, so edits to demo/app or demo/web show up on reload; edits to src/ need `npm run build`.
 */
export async function startDemoServer(options: DemoServerOptions = {}): Promise<DemoServer> {
  for (const file of ['dist/index.js', 'dist/browser.js', 'dist/panel.js', 'dist/panel-ui.js']) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: the web demo runs the built package. Run \`npm run build\` first (\`npm run demo:web\` does).`)
  }
  const bundler = await context({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    sourcemap: 'inline',
    absWorkingDir: root,
    tsconfigRaw: { compilerOptions: { strict: true } },
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
  })
  let bundle: string
  try {
    bundle = await build(bundler)
  } catch (error) {
    await bundler.dispose()
    throw error
  }
  // A fresh admin token per run, handed to the page so that its panel can list and open the sessions.
  // This is a local demo: a real app never ships the admin token to its users' pages.
  const adminToken = randomBytes(18).toString('base64url')
  const sessionsDir = options.sessionsDir ?? join(root, 'demo/out/web-sessions')
  const collector = createCollector({ store: fileStore(sessionsDir), adminToken, basePath: COLLECTOR_PATH })
  const html = (await readFile(join(here, 'index.html'), 'utf8')).replace(
    '</head>',
    `  <meta name="flight-recorder-collector" content="${COLLECTOR_PATH}" data-token="${adminToken}" />\n  </head>`,
  )
  const css = await readFile(join(here, 'style.css'), 'utf8')
  const api = await startApi()

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (path === COLLECTOR_PATH || path.startsWith(`${COLLECTOR_PATH}/`)) return collector(req, res)
    if (req.method === 'POST' && path === '/todos/sync') return proxy(req, res, `${api.url}/todos/sync`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed')
    if (path === '/' || path === '/index.html') return send(res, 200, 'text/html; charset=utf-8', html)
    if (path === '/style.css') return send(res, 200, 'text/css; charset=utf-8', css)
    if (path === '/app.js') {
      build(bundler).then(
        (js) => {
          bundle = js
          send(res, 200, 'text/javascript; charset=utf-8', js)
        },
        // Keep the page usable with the last good bundle; the terminal says what broke.
        (error: Error) => {
          console.error(`Rebuilding the web demo failed; serving the last good bundle.\n${error.message}`)
          send(res, 200, 'text/javascript; charset=utf-8', bundle)
        },
      )
      return
    }
    if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '')
    send(res, 404, 'text/plain', 'not found')
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (error) => {
    api.server.close()
    collector.close()
    await bundler.dispose()
    throw error
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://${host}:${port}/`,
    server,
    apiRequests: api.requests,
    sessionsDir,
    adminToken,
    async close() {
      collector.close()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
      await new Promise<void>((resolve) => {
        api.server.close(() => resolve())
        api.server.closeAllConnections()
      })
      await bundler.dispose()
    },
  }
}

async function build(bundler: BuildContext): Promise<string> {
  const result = await bundler.rebuild()
  return result.outputFiles![0].text
}

/** Hands the request to the demo API (demo/app/server.ts) and its answer back to the page. */
function proxy(req: IncomingMessage, res: ServerResponse, target: string): void {
  const parts: Buffer[] = []
  req.on('data', (b: Buffer) => parts.push(b))
  req.on('end', () => {
    fetch(target, { method: 'POST', headers: { 'content-type': req.headers['content-type'] ?? 'application/json' }, body: Buffer.concat(parts) })
      .then(async (answer) => send(res, answer.status, answer.headers.get('content-type') ?? 'application/json', await answer.text()))
      .catch((error: Error) => send(res, 502, 'text/plain', `the demo API did not answer: ${error.message}`))
  })
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' })
  res.end(body)
}
