// What `redux-flight-recorder/panel` costs an app before anyone opens the panel, measured the way
// DESIGN.md states the budget: the packed package bundled by esbuild for production, minified,
// redux external, gzipped. The panel UI must land in a chunk of its own that loads on first open.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
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

  it('resolves for require() too: dist/panel.cjs loads ./panel-ui.cjs', async () => {
    const cjs = join(project, 'node_modules/redux-flight-recorder/dist/panel.cjs')
    const text = execFileSync('cat', [cjs], { encoding: 'utf8' })
    expect(text).toContain('Promise.resolve().then(() => require("./panel-ui.cjs"))')
    expect(existsSync(join(project, 'node_modules/redux-flight-recorder/dist/panel-ui.cjs'))).toBe(true)
    writeFileSync(join(project, 'check.cjs'), "const p = require('redux-flight-recorder/panel'); console.log(typeof p.mountFlightRecorderPanel)")
    expect(execFileSync(process.execPath, ['check.cjs'], { cwd: project, encoding: 'utf8' }).trim()).toBe('function')
  })
})
