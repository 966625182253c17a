import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { beforeAll, describe, expect, it } from 'vitest'
// @ts-expect-error -- a plain .mjs script without declarations
import { BUDGETS, markdown, measureBudgets, replaceSection, table } from '../../scripts/size.mjs'

// scripts/size.mjs (`npm run size`, run by CI): what it measures and how it reports a miss. The
// real budgets' figures are BENCHMARKS.md's business; here budgets are made up around them.
const root = resolve(__dirname, '../..')
const KB = 1024

interface Measured {
  id: string
  gzip: number
  minified: number
  met: boolean
  missing?: string[]
  pending?: boolean
  parts: { file: string; minified: number; gzipShare: number }[]
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist/index.js'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does).')
})

describe('scripts/size.mjs', () => {
  it('has a budget for every entry in package.json, and the two 8 KB recording targets', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
    const budgeted = new Set(BUDGETS.flatMap((b: { imports: Record<string, unknown> }) => Object.keys(b.imports)))
    for (const entry of Object.keys(pkg.exports).filter((e) => e !== './package.json')) expect([entry, budgeted.has(entry)]).toEqual([entry, true])
    const limits = Object.fromEntries(BUDGETS.map((b: { id: string; limit: number; target?: number }) => [b.id, b.target ?? b.limit]))
    expect(limits).toMatchObject({ 'recorder+idb': 8 * KB, 'recorder+http': 8 * KB, 'panel-launcher': 2 * KB })
  })

  it('measures the production bundle of dist/ through the exports map, and reports misses and entries not built yet', async () => {
    const budgets = [
      { id: 'tight', label: 'createFlightRecorder, 1 KB', imports: { '.': ['createFlightRecorder'] }, limit: 1 * KB },
      { id: 'roomy', label: 'createFlightRecorder, 1 MB', imports: { '.': ['createFlightRecorder'] }, limit: 1024 * KB },
      { id: 'later', label: 'an entry to come', imports: { './not-yet': '*' }, limit: 1 * KB, pending: true },
      { id: 'gone', label: 'an entry that should exist', imports: { './gone': '*' }, limit: 1 * KB },
    ]
    const [tight, roomy, later, gone] = (await measureBudgets(root, budgets)) as Measured[]
    // The same bundle built here by hand: dist/index.js, NODE_ENV production, minified, redux external.
    const own = await build({
      stdin: { contents: "export { createFlightRecorder } from './dist/index.js'", resolveDir: root, loader: 'js' },
      tsconfigRaw: '{}',
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      external: ['redux'],
      write: false,
      logLevel: 'silent',
    })
    expect(tight.gzip).toBe(gzipSync(own.outputFiles[0].contents, { level: 9 }).length)
    expect(tight).toMatchObject({ met: false, minified: own.outputFiles[0].contents.length })
    expect(roomy).toMatchObject({ met: true, gzip: tight.gzip })
    expect(tight.parts.map((p) => p.file)).toContain('src/recorder/recorder.ts')
    expect(tight.parts.every((p) => p.file.startsWith('src/'))).toBe(true)
    expect(later.missing).toEqual(['./not-yet'])
    expect(gone.missing).toEqual(['./gone'])

    const text = table([tight, roomy, later, gone])
    expect(text).toMatch(/^MISS +createFlightRecorder, 1 KB: [\d.]+ KB gzipped .* budget 1\.00 KB: [\d.]+ KB over/m)
    expect(text).toMatch(/^ok +createFlightRecorder, 1 MB: /m)
    expect(text).toMatch(/^pending +an entry to come: \.\/not-yet not in package\.json exports yet/m)
    expect(text).toMatch(/^MISSING +an entry that should exist: \.\/gone not in package\.json exports$/m)

    const section = markdown([tight, roomy, later])
    expect(section).toMatch(/^\| createFlightRecorder, 1 KB \| [\d.]+ KB \| [\d.]+ KB \| 1\.00 KB \| \*\*no\*\*: [\d.]+ KB over \| +\|$/m)
    expect(section).toContain('| an entry to come | | | 1.00 KB | not built yet |')
    const doc = '# Benchmarks\n\n## Memory\n\nx\n\n## Bundle size\n\nold\n\n## Missed targets\n\ny\n'
    const replaced = replaceSection(doc, section)
    expect(replaced).toContain('## Memory\n\nx\n\n## Bundle size\n')
    expect(replaced).not.toContain('old')
    expect(replaced).toMatch(/\n\n## Missed targets\n\ny\n$/)
  }, 120_000)

  it('measures a page (`lazy`) as a bundler with code splitting builds it: the entry and every chunk it imports statically, the shared one too', async () => {
    const budget = { id: 'page', label: '/lazy + indexedDbSink', imports: { './lazy': ['createFlightRecorder'], './browser': ['indexedDbSink'] }, limit: 1024 * KB, lazy: true }
    const [page] = (await measureBudgets(root, [budget])) as (Measured & { chunks: { file: string; gzip: number }[] })[]
    // The same page built here by hand with `esbuild --splitting`; what loads before the recorder
    // starts is the entry and what it imports statically (the recorder's core, loaded by
    // `import()`, is not).
    const own = await build({
      stdin: { contents: "export { createFlightRecorder } from 'redux-flight-recorder/lazy'\nexport { indexedDbSink } from 'redux-flight-recorder/browser'", resolveDir: root, loader: 'js', sourcefile: 'page.js' },
      tsconfigRaw: '{}',
      absWorkingDir: root,
      bundle: true,
      minify: true,
      splitting: true,
      outdir: join(root, '.size-test-out'),
      format: 'esm',
      platform: 'browser',
      target: 'es2022',
      define: { 'process.env.NODE_ENV': '"production"' },
      external: ['redux'],
      write: false,
      metafile: true,
      logLevel: 'silent',
    })
    const outputs = own.metafile.outputs
    const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint === 'page.js')!
    const statics = outputs[entry].imports.filter((i) => i.kind === 'import-statement').map((i) => i.path)
    expect(statics.length).toBeGreaterThan(0) // the page shares modules with the core chunk
    const gz = (k: string) => gzipSync(own.outputFiles.find((f) => f.path === resolve(root, k))!.contents, { level: 9 }).length
    expect(page.gzip).toBe([entry, ...statics].reduce((n, k) => n + gz(k), 0))
    expect(page.chunks.map((c) => c.file.replace(/-[A-Z0-9]+\.js$/, '.js')).sort()).toEqual(['chunk.js', 'stdin.js'])
    expect(page.parts.map((p) => p.file)).toContain('src/errors.ts')
    expect(page.parts.map((p) => p.file)).not.toContain('src/recorder/recorder.ts')
  }, 120_000)
})
