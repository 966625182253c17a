/**
 * The devtools panel with a 10,000-action session, in real Chromium: how long the main thread is
 * blocked while the panel opens, replays (verifying every hash) and steps through it. Long tasks
 * (over 50 ms) come from a PerformanceObserver (`longtask`, and `long-animation-frame` where
 * Chromium has it); the page runs nothing but the panel, so every one is the panel's.
 *
 *   npm run build && node bench/panel-longtasks.mjs [actions=10000]
 *
 * Prints JSON. A figure, not a test: timings depend on the machine and its load.
 */
import { build } from 'esbuild'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import { createStore } from 'redux'
import { reducer } from './panel-reducer.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const { createFlightRecorder, memorySink } = await import(join(root, 'dist/index.js'))
const N = Number(process.argv[2] ?? 10_000)

// The session: N actions recorded by the real recorder (a todo list of 200, then toggles).
const sink = memorySink()
const recorder = createFlightRecorder({ sinks: [sink], maxEntries: N + 100, checkpointEvery: 1000 })
const store = createStore(reducer, recorder.enhancer)
for (let i = 0; i < N; i++) {
  if (i < 200) store.dispatch({ type: 'todos/added', payload: { id: `t${i}`, title: `Todo ${i}`, done: false } })
  else store.dispatch({ type: 'todos/toggled', payload: `t${i % 200}` })
}
await recorder.close()
const log = sink.text()

// The page: the panel as an app mounts it, bundled from dist/ with code splitting.
const tmp = await mkdtemp(join(tmpdir(), 'rfr-panel-bench-'))
await mkdir(join(tmp, 'node_modules'))
await symlink(root, join(tmp, 'node_modules/redux-flight-recorder'), 'dir')
const out = await build({
  stdin: {
    contents: `import { createStore } from 'redux'
import { createFlightRecorder } from 'redux-flight-recorder'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'
import { reducer } from ${JSON.stringify(join(root, 'bench/panel-reducer.mjs'))}
const recorder = createFlightRecorder()
createStore(reducer, recorder.enhancer)
window.panel = mountFlightRecorderPanel(recorder, { reducer })`,
    resolveDir: tmp,
    loader: 'js',
  },
  bundle: true,
  splitting: true,
  format: 'esm',
  outdir: join(tmp, 'out'),
  write: false,
  minify: process.env.MINIFY !== '0',
  define: { 'process.env.NODE_ENV': '"production"' },
  nodePaths: [join(tmp, 'node_modules'), join(root, 'node_modules')],
  logLevel: 'silent',
})
await rm(tmp, { recursive: true, force: true })
const files = new Map(out.outputFiles.map((f) => [f.path.split('/').pop(), f.text]))
const entry = [...files.keys()].find((k) => k.startsWith('stdin'))
const server = createServer((req, res) => {
  const path = (req.url ?? '/').slice(1)
  if (path === 'big.jsonl') {
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    return res.end(log)
  }
  if (path === '') {
    res.writeHead(200, { 'content-type': 'text/html' })
    return res.end(`<!doctype html><html lang="en"><title>bench</title><body><script type="module" src="/${entry}"></script></body></html>`)
  }
  const file = files.get(path)
  res.writeHead(file === undefined ? 404 : 200, { 'content-type': 'text/javascript' })
  res.end(file ?? '')
})
await new Promise((r) => server.listen(0, '127.0.0.1', r))
const origin = `http://127.0.0.1:${server.address().port}`

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } })
  await page.addInitScript(() => {
    window.__long = []
    for (const type of ['longtask', 'long-animation-frame']) {
      try {
        new PerformanceObserver((list) => {
          for (const e of list.getEntries()) window.__long.push({ type, phase: window.__phase, duration: Math.round(e.duration), scripts: (e.scripts ?? []).map((s) => ({ invoker: s.invoker, fn: s.sourceFunctionName, at: s.sourceCharPosition, ms: Math.round(s.duration) })) })
        }).observe({ type, buffered: true })
      } catch {}
    }
  })
  await page.goto(origin)
  await page.waitForFunction(() => window.panel)
  const phase = (name) => page.evaluate((n) => (window.__phase = n), name)
  const panel = page.getByRole('dialog', { name: 'Flight recorder' })
  const summary = panel.getByRole('status').nth(1)

  await phase('open')
  let t = Date.now()
  await page.keyboard.press('Control+Shift+F')
  await panel.waitFor()
  const openMs = Date.now() - t

  await phase('fetch the file (the bench, not the panel)')
  // The file is fetched first and dropped on the panel: a file chooser driven by Playwright would
  // decode the file in the page's main thread (its own long task, not the panel's).
  await page.evaluate(async () => {
    const text = await (await fetch('/big.jsonl')).text()
    window.__transfer = new DataTransfer()
    window.__transfer.items.add(new File([text], 'big.jsonl', { type: 'application/x-ndjson' }))
  })
  await phase('load and verify')
  t = Date.now()
  await page.evaluate(() => {
    const target = document.querySelector('flight-recorder-panel').shadowRoot.querySelector('[role=dialog]')
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: window.__transfer, bubbles: true, cancelable: true }))
  })
  await page.waitForFunction(() => /^✓|^✗/.test(document.querySelector('flight-recorder-panel').shadowRoot.querySelector('.summary').textContent), null, { timeout: 120_000 })
  const loadMs = Date.now() - t
  const verdict = await summary.textContent()

  await phase('step')
  t = Date.now()
  const steps = panel.getByRole('listbox', { name: 'Steps' })
  await steps.focus()
  await page.keyboard.press('End')
  for (let i = 0; i < 100; i++) await page.keyboard.press('ArrowUp')
  await panel.getByRole('slider', { name: 'Step' }).fill(String(Math.floor(N / 2)))
  for (let i = 0; i < 50; i++) await page.keyboard.press('ArrowRight')
  await panel.getByRole('combobox', { name: 'Filter by action type' }).selectOption('todos/added')
  await panel.getByRole('combobox', { name: 'Filter by action type' }).selectOption('')
  await steps.evaluate((el) => (el.scrollTop = el.scrollHeight / 3))
  await page.keyboard.press('Home')
  const stepMs = Date.now() - t
  await phase('done')
  const long = await page.evaluate(() => window.__long)
  const worst = (p) => Math.max(0, ...long.filter((e) => e.phase === p).map((e) => e.duration))
  console.log(
    JSON.stringify(
      {
        actions: N,
        logBytes: Buffer.byteLength(log),
        verdict,
        wallMs: { open: openMs, loadAndVerify: loadMs, stepping: stepMs },
        longTasksOver50ms: long.length,
        worstMs: { open: worst('open'), loadAndVerify: worst('load and verify'), step: worst('step') },
        longTasksByPhase: Object.fromEntries(['open', 'load and verify', 'step'].map((p) => [p, long.filter((e) => e.type === 'longtask' && e.phase === p).map((e) => e.duration)])),
        loadAverage: (await import('node:os')).loadavg().map((n) => Math.round(n * 10) / 10),
        entries: long,
      },
      null,
      2,
    ),
  )
} finally {
  await browser.close()
  server.close()
}
