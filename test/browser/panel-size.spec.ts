// What `redux-flight-recorder/panel` costs an app before anyone opens the panel, measured the way
// DESIGN.md states the budget: the packed package bundled by esbuild for production, minified,
// redux external, gzipped. The panel UI must land in a chunk of its own that loads on first open.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from './harness'

const BUDGET = 2 * 1024
// esbuild splits code by module: when the panel UI takes replay from the same module as the
// recorder (the root entry, before `redux-flight-recorder/replay` exists), all of replay lands in
// the chunk shared with the app and loads with the page (~9 KB). With replay in its own entry
// (src/panel/deps.ts importing 'redux-flight-recorder/replay'), it stays in the UI chunk.
let project: string

beforeAll(() => {
  if (!existsSync(join(repoRoot, 'dist/panel.js'))) throw new Error('dist/panel.js is missing: run `npm run build` first (`npm test` does).')
  project = mkdtempSync(join(tmpdir(), 'rfr-panel-size-'))
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', project], { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))[0]
  const pkg = join(project, 'node_modules/redux-flight-recorder')
  mkdirSync(pkg, { recursive: true })
  execFileSync('tar', ['-xzf', join(project, packed.filename), '-C', pkg, '--strip-components=1'])
  mkdirSync(join(project, 'node_modules'), { recursive: true })
  symlinkSync(join(repoRoot, 'node_modules/redux'), join(project, 'node_modules/redux'), 'dir')
}, 120_000)

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true })
})

async function bundle(contents: string, splitting: boolean) {
  const out = await build({
    stdin: { contents, resolveDir: project, loader: 'js' },
    bundle: true,
    splitting,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outdir: join(project, 'out'),
    write: false,
    external: ['redux'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  return out.outputFiles.map((f) => ({ name: basename(f.path), text: f.text, gzip: gzipSync(f.contents, { level: 9 }).length }))
}

describe('redux-flight-recorder/panel, packed and bundled for production', () => {
  it(`adds under ${BUDGET} bytes min+gz to an app that records, until the panel is opened`, async () => {
    const recording = "import { createFlightRecorder } from 'redux-flight-recorder'\nexport const r = createFlightRecorder"
    const withPanel = `${recording}\nexport { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'`
    const [base] = await bundle(recording, true)
    const files = await bundle(withPanel, true)
    const entry = files.find((f) => f.name.startsWith('stdin'))!
    const chunks = files.filter((f) => f !== entry)
    // The UI is a chunk the entry imports dynamically, never statically.
    expect(chunks.map((c) => c.name)).toEqual(expect.arrayContaining([expect.stringMatching(/^panel-ui-[A-Z0-9]+\.js$/)]))
    const ui = chunks.find((c) => c.name.startsWith('panel-ui'))!
    expect(entry.text).toContain(`import("./${ui.name}")`)
    expect(entry.text).not.toMatch(new RegExp(`from\\s*"\\./${ui.name}"`))
    expect(ui.text).toContain('Report a problem')
    expect(entry.text).not.toContain('Report a problem')
    // What loads with the page: the entry and the chunks it imports statically (the core, shared
    // with the UI chunk), each gzipped on its own as a server would send them.
    const eager = new Set([entry])
    for (const file of eager) {
      for (const m of file.text.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) eager.add(files.find((f) => f.name === m[1])!)
    }
    expect(eager.has(ui)).toBe(false)
    const loaded = [...eager].reduce((n, f) => n + f.gzip, 0)
    const added = loaded - base.gzip
    console.log(`panel launcher: +${added} B min+gz over createFlightRecorder alone (${base.gzip} → ${loaded} in ${eager.size} files); the UI chunk ${ui.name}: ${ui.gzip} B min+gz, loaded on first open`)
    expect(added).toBeGreaterThan(0)
    expect(added).toBeLessThan(BUDGET)
  })

  it('measures the launcher alone under the budget too, the core external', async () => {
    const [entry] = await bundle("export { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'", true)
    expect(entry.gzip).toBeLessThan(BUDGET)
  })

  // docs/panel.md: an app with redux-persist passes `adapters: [reduxPersist()]`. The adapter is a
  // file of dist/ of its own (replay-persist.js); the replayer stays in the panel's chunk. Before,
  // `reduxPersist` was only in dist/replay.js, the file the panel's UI imports the replayer from:
  // Vite (Rollup/Rolldown) then put that whole file in the page's first load (+35 KB), and so does
  // esbuild for any page that imports the replay entry statically (so the panel exports it too).
  const eagerOf = (files: { name: string; text: string; gzip: number }[], entry: { name: string; text: string; gzip: number }) => {
    const eager = new Set([entry])
    for (const file of eager) {
      for (const m of file.text.matchAll(/(?:from|import)\s*"\.\/([^"]+)"/g)) eager.add(files.find((f) => f.name === m[1].replace(/^assets\//, ''))!)
    }
    return [...eager]
  }
  const recordingPage = "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { indexedDbSink } from 'redux-flight-recorder/browser'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\n"

  it('with `adapters: [reduxPersist()]` from the panel entry, esbuild: the page gets the adapter, not the replayer', async () => {
    const launcher = await bundle(`${recordingPage}import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'\nmountFlightRecorderPanel(r, { reducer: (s) => s })\n`, true)
    const persist = await bundle(`${recordingPage}import { mountFlightRecorderPanel, reduxPersist } from 'redux-flight-recorder/panel'\nmountFlightRecorderPanel(r, { reducer: (s) => s, adapters: [reduxPersist()] })\n`, true)
    const size = (files: typeof launcher) => eagerOf(files, files.find((f) => f.name.startsWith('stdin'))!).reduce((n, f) => n + f.gzip, 0)
    const added = size(persist) - size(launcher)
    console.log(`esbuild: reduxPersist from /panel adds ${added} B at start`)
    expect(added).toBeGreaterThan(0)
    expect(added).toBeLessThan(1024)
  })

  it('with `adapters: [reduxPersist()]` from the replay entry (Vite): the page gets the adapter, not the replayer', async () => {
    const { build: viteBuild } = await import('vite')
    const page = async (name: string, source: string) => {
      const dir = join(project, name)
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, 'page.js'), source)
      const out = join(dir, 'out')
      await viteBuild({ configFile: false, logLevel: 'silent', root: dir, build: { outDir: out, emptyOutDir: true, reportCompressedSize: false, rollupOptions: { input: join(dir, 'page.js'), output: { entryFileNames: 'page.js' } } } })
      const files = readdirSync(out, { recursive: true }).map(String).filter((f) => f.endsWith('.js')).map((f) => {
        const text = readFileSync(join(out, f), 'utf8')
        return { name: basename(f), text, gzip: gzipSync(text, { level: 9 }).length }
      })
      const eager = eagerOf(files, files.find((f) => f.name === 'page.js')!)
      return { eager, gzip: eager.reduce((n, f) => n + f.gzip, 0), ui: files.find((f) => f.name.startsWith('panel-ui'))! }
    }
    const launcher = await page('vite-launcher', `${recordingPage}import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'\nmountFlightRecorderPanel(r, { reducer: (s) => s })\n`)
    const persist = await page('vite-persist', `${recordingPage}import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'\nimport { reduxPersist } from 'redux-flight-recorder/replay'\nmountFlightRecorderPanel(r, { reducer: (s) => s, adapters: [reduxPersist()] })\n`)
    const added = persist.gzip - launcher.gzip
    console.log(`Vite: reduxPersist from /replay adds ${added} B at start; the panel's chunk ${launcher.ui.gzip} -> ${persist.ui.gzip} B`)
    // The replayer's messages are in the panel's chunk, not in what the page loads at start.
    const replayer = 'The replayed state could not be hashed'
    expect(persist.ui.text.includes(replayer)).toBe(true)
    expect(persist.eager.filter((f) => f.text.includes(replayer)).map((f) => f.name)).toEqual([])
    expect(added).toBeGreaterThan(0)
    expect(added).toBeLessThan(1024)
  }, 120_000)

  it('exports one reduxPersist from the panel and the replay entries (ESM and require)', async () => {
    writeFileSync(join(project, 'same.mjs'), "import { reduxPersist as a } from 'redux-flight-recorder/panel'\nimport { reduxPersist as b } from 'redux-flight-recorder/replay'\nconsole.log(a === b, a().name)")
    writeFileSync(join(project, 'same.cjs'), "const a = require('redux-flight-recorder/panel').reduxPersist\nconst b = require('redux-flight-recorder/replay').reduxPersist\nconsole.log(a === b, a().name)")
    for (const file of ['same.mjs', 'same.cjs']) expect(execFileSync(process.execPath, [file], { cwd: project, encoding: 'utf8' }).trim()).toBe('true reduxPersist')
  })

  it('resolves for require() too: dist/panel.cjs loads ./panel-ui.cjs', async () => {
    const cjs = join(project, 'node_modules/redux-flight-recorder/dist/panel.cjs')
    const text = execFileSync('cat', [cjs], { encoding: 'utf8' })
    expect(text).toContain('Promise.resolve().then(() => require("./panel-ui.cjs"))')
    expect(existsSync(join(project, 'node_modules/redux-flight-recorder/dist/panel-ui.cjs'))).toBe(true)
    writeFileSync(join(project, 'check.cjs'), "const p = require('redux-flight-recorder/panel'); console.log(typeof p.mountFlightRecorderPanel)")
    expect(execFileSync(process.execPath, ['check.cjs'], { cwd: project, encoding: 'utf8' }).trim()).toBe('function')
  })
})
