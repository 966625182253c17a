import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { describeInChromium, launchChromium } from './chromium'
import { repoRoot, waitForDist } from './harness'

// 'redux-flight-recorder/testing' in a browser test runner (Vitest's browser mode serves tests
// through Vite's dev server): its pure helpers (`expectReplay`) must load there. The entry also
// holds the Node-only file helpers, whose node:* imports Vite replaces with empty stand-ins; the
// entry read `node:zlib`'s constants at import, so importing it threw before any test ran (found
// by the acceptance run, session 33).

const MAIN = `
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { ReplayDivergenceError } from 'redux-flight-recorder'
const counter = createSlice({ name: 'counter', initialState: { n: 0 }, reducers: { added: (s, a) => void (s.n += a.payload) } })
const makeStore = (recorder) => configureStore({ reducer: counter.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
const log = await recordSession(makeStore, (store) => { store.dispatch(counter.actions.added(2)); store.dispatch(counter.actions.added(3)) })
expectReplay(log, { reducer: counter.reducer })
let caught
try { expectReplay(log, { reducer: (s = { n: 0 }, a) => (a.type === 'counter/added' ? { n: s.n + a.payload + 1 } : s) }) } catch (e) { caught = e }
window.__result = { steps: log.entries.length, caught: caught instanceof ReplayDivergenceError, message: String(caught?.message) }
`

describeInChromium('redux-flight-recorder/testing in a browser (served by Vite)', () => {
  let dir: string
  let server: ViteDevServer
  let browser: Browser
  beforeAll(async () => {
    await waitForDist()
    dir = await mkdtemp(join(tmpdir(), 'rfr-vite-'))
    await mkdir(join(dir, 'node_modules'))
    // Installed as a user installs it (a copy, not a link: Vite pre-bundles what is under
    // node_modules, and serves linked packages as source).
    const installed = join(dir, 'node_modules/redux-flight-recorder')
    await mkdir(installed)
    await cp(join(repoRoot, 'package.json'), join(installed, 'package.json'))
    await cp(join(repoRoot, 'dist'), join(installed, 'dist'), { recursive: true })
    for (const peer of ['@reduxjs', 'redux', 'redux-thunk', 'reselect', 'immer']) {
      await symlink(join(repoRoot, 'node_modules', peer), join(dir, 'node_modules', peer), 'dir')
    }
    await writeFile(join(dir, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><title>tests</title></head><body><script type="module" src="/main.js"></script></body></html>')
    await writeFile(join(dir, 'main.js'), MAIN)
    server = await createServer({
      root: dir,
      configFile: false,
      logLevel: 'silent',
      cacheDir: join(dir, '.vite'),
      server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [dir, join(repoRoot, 'node_modules')] } },
    })
    await server.listen()
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('loads, replays a recorded session, and reports a divergence', async () => {
    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(server.resolvedUrls!.local[0])
    await page.waitForFunction(() => (window as { __result?: unknown }).__result !== undefined || document.title === 'failed', null, { timeout: 20_000 }).catch(() => {})
    expect(errors).toEqual([])
    expect(await page.evaluate(() => (window as { __result?: unknown }).__result)).toEqual({ steps: 2, caught: true, message: expect.stringContaining('seq 1') })
  })
})
