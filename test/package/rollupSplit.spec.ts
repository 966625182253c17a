import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { rollup, type OutputChunk } from 'rollup'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { repoRoot, waitForDist } from '../browser/harness'

// An app's production bundle as Rollup (Vite's bundler) splits it: the package resolved through its
// `exports` map to dist/ with `sideEffects: false`, as an app's bundler reads it; third-party
// modules left out. Rollup places each module in one chunk, so a file of dist/ that the page's code
// reaches drags everything it imports into the first load: these check which files the page loads
// first. (Acceptance testing found the panel pulling fr64 and the log reader onto the page of a
// 'redux-flight-recorder/lazy' app: +11–12 KB gzipped.)

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, { import: { default: string } }> }
let dir: string

beforeAll(async () => {
  await waitForDist()
  dir = await mkdtemp(join(tmpdir(), 'rfr-rollup-'))
}, 70_000)
afterAll(() => rm(dir, { recursive: true, force: true }))

/** Bundles `source` (an app's entry module); returns each chunk's dist/ files and whether the page loads it first. */
async function split(source: string): Promise<{ first: string[]; later: string[] }> {
  const entry = join(dir, `app-${Math.random().toString(36).slice(2)}.mjs`)
  await writeFile(entry, source)
  const bundle = await rollup({
    input: entry,
    plugins: [
      {
        name: 'package-exports',
        resolveId(id) {
          if (id === 'redux-flight-recorder' || id.startsWith('redux-flight-recorder/')) {
            const sub = id === 'redux-flight-recorder' ? '.' : `./${id.slice('redux-flight-recorder/'.length)}`
            return { id: join(repoRoot, pkg.exports[sub].import.default), moduleSideEffects: false }
          }
          if (!id.startsWith('.') && !id.startsWith('/')) return { id, external: true }
          return null
        },
      },
    ],
    // package.json says `sideEffects: false`, which Vite and Rollup's node-resolve pass on so.
    treeshake: { moduleSideEffects: (id) => !id.startsWith(join(repoRoot, 'dist')) },
    onwarn: () => {},
  })
  const { output } = await bundle.generate({ format: 'es', dir: join(dir, 'out') })
  await bundle.close()
  const chunks = output.filter((c): c is OutputChunk => c.type === 'chunk')
  const byName = new Map(chunks.map((c) => [c.fileName, c]))
  const first = new Set<OutputChunk>()
  const visit = (c: OutputChunk) => {
    if (first.has(c)) return
    first.add(c)
    for (const i of c.imports) if (byName.has(i)) visit(byName.get(i)!)
  }
  visit(chunks.find((c) => c.isEntry)!)
  const files = (cs: OutputChunk[]) => cs.flatMap((c) => Object.keys(c.modules).filter((m) => m.includes(`${join('dist')}/`) && c.modules[m].renderedLength > 0).map((m) => m.slice(m.lastIndexOf('/') + 1))).sort()
  return { first: files([...first]), later: files(chunks.filter((c) => !first.has(c))) }
}

const APP = (recorderFrom: string, panel: boolean) => `
import { configureStore } from '@reduxjs/toolkit'
import { createFlightRecorder } from '${recorderFrom}'
import { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'
${panel ? "import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'" : ''}
const reducer = (s = 0) => s
const recorder = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })
export const store = configureStore({ reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
recordPageLifecycle(recorder)
${panel ? "mountFlightRecorderPanel(recorder, { reducer, indexedDb: 'shop' })" : ''}
`

it("a /lazy app's first load holds the shell and the sinks; the core, fr64 and the log reader come later, with the panel too", async () => {
  for (const panel of [false, true]) {
    const { first, later } = await split(APP('redux-flight-recorder/lazy', panel))
    expect(first, `panel: ${panel}`).toEqual(['browser.js', 'errors.js', 'lazy.js', ...(panel ? ['panel.js'] : []), 'recorder-clock.js', 'recorder-turns.js'])
    expect(later, `panel: ${panel}`).toEqual(expect.arrayContaining(['fr64.js', 'recorder-core.js', 'state-json.js', ...(panel ? ['browser-stored.js', 'format.js', 'panel-ui.js', 'replay.js'] : [])]))
  }
})

it("the root entry's app loads the core with the page (the recorder is complete at creation), and the panel's reader later", async () => {
  const { first, later } = await split(APP('redux-flight-recorder', true))
  expect(first).toEqual(expect.arrayContaining(['recorder-core.js', 'fr64.js', 'browser.js']))
  expect(first).not.toContain('format.js')
  expect(later).toEqual(expect.arrayContaining(['browser-stored.js', 'format.js', 'panel-ui.js', 'state-json.js']))
})

// docs/panel.md: a redux-persist app passes `adapters: [reduxPersist()]`. The adapter is a file of
// its own (replay-persist.js): the page loads it, not dist/replay.js, the replayer the panel's UI
// imports when it opens (with the adapter inside replay.js, Rollup put that file on the page: +35 KB).
it("a /lazy app's panel with `adapters: [reduxPersist()]` loads the adapter first, the replayer later", async () => {
  for (const from of ['redux-flight-recorder/replay', 'redux-flight-recorder/panel']) {
    const source = `${APP('redux-flight-recorder/lazy', true)}\nimport { reduxPersist } from '${from}'\nmountFlightRecorderPanel(recorder, { reducer, adapters: [reduxPersist()] })\n`
    const { first, later } = await split(source)
    expect(first, from).toEqual(['browser.js', 'errors.js', 'lazy.js', 'panel.js', 'recorder-clock.js', 'recorder-turns.js', 'replay-persist.js'])
    expect(later, from).toEqual(expect.arrayContaining(['format.js', 'fr64.js', 'panel-ui.js', 'replay.js']))
  }
})
