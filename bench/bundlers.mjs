#!/usr/bin/env node
/**
 * What a page downloads with the package, as three bundlers build it (after `npm run build`):
 * esbuild with code splitting (what `npm run size` measures), Vite (installed with Vitest) and
 * webpack (not a dependency: pass an installed copy). Each page is a module importing the
 * package by name (resolved through its `exports` map to dist/), built for production, minified;
 * its figure is the entry plus every chunk the entry imports statically (what loads at start),
 * each file gzipped on its own (level 9). Chunks loaded by `import()` are listed apart.
 *
 *   node bench/bundlers.mjs                          esbuild and Vite
 *   node bench/bundlers.mjs --webpack <dir>          also webpack, from <dir>/node_modules
 *                                                    (webpack and webpack-cli installed there)
 *   node bench/bundlers.mjs --json                   the figures as JSON
 *   node bench/bundlers.mjs --root <dir>             measures another checkout's build
 *
 * No app around the pages: an app's own code compresses with the package's, so the figures there
 * differ a little (bench/lazy.md has both).
 */
import { execFileSync } from 'node:child_process'
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const args = process.argv.slice(2)
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined)
const here = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const root = resolve(option('--root') ?? here)
const webpackDir = option('--webpack')

export const PAGES = {
  'lazy+idb': "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\nrecordPageLifecycle(r)\nglobalThis.r = r\n",
  'lazy+http': "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { httpSink } from 'redux-flight-recorder/browser'\nglobalThis.r = createFlightRecorder({ sinks: [httpSink('/api/flight-log')] })\n",
  'lazy+idb+panel': "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'\nimport { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\nrecordPageLifecycle(r)\nmountFlightRecorderPanel(r, { indexedDb: 'shop' })\nglobalThis.r = r\n",
  // The panel as docs/panel.md has a redux-persist app mount it: `reduxPersist` from the replay
  // entry, which the panel's UI loads later (the page pays the adapter's bytes, not the replayer).
  'lazy+idb+panel+persist': "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'\nimport { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'\nimport { reduxPersist } from 'redux-flight-recorder/replay'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\nrecordPageLifecycle(r)\nmountFlightRecorderPanel(r, { indexedDb: 'shop', adapters: [reduxPersist()] })\nglobalThis.r = r\n",
  'lazy+idb+panel+persist(panel)': "import { createFlightRecorder } from 'redux-flight-recorder/lazy'\nimport { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'\nimport { mountFlightRecorderPanel, reduxPersist } from 'redux-flight-recorder/panel'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\nrecordPageLifecycle(r)\nmountFlightRecorderPanel(r, { indexedDb: 'shop', adapters: [reduxPersist()] })\nglobalThis.r = r\n",
  'root+idb': "import { createFlightRecorder } from 'redux-flight-recorder'\nimport { indexedDbSink, recordPageLifecycle } from 'redux-flight-recorder/browser'\nconst r = createFlightRecorder({ sinks: [indexedDbSink({ name: 'shop' })] })\nrecordPageLifecycle(r)\nglobalThis.r = r\n",
}

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length
const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w*${},\s]+from\s*)?["'](\.\.?\/[^"']+)["']/g

/** The files of `out` the entry loads at start (ESM static imports, followed), and the others. */
function split(out, entry) {
  const first = new Set()
  const walk = (f) => {
    if (first.has(f)) return
    first.add(f)
    for (const m of readFileSync(join(out, f), 'utf8').matchAll(STATIC_IMPORT)) walk(relative(out, resolve(dirname(join(out, f)), m[1])))
  }
  walk(entry)
  const all = readdirSync(out, { recursive: true }).filter((f) => f.endsWith('.js'))
  const size = (f) => ({ file: f, gzip: gz(join(out, f)) })
  return { first: [...first].map(size), later: all.filter((f) => !first.has(f)).map(size) }
}

const require = createRequire(join(here, 'package.json'))
const version = (name, from = here) => JSON.parse(readFileSync(createRequire(join(from, 'package.json')).resolve(`${name}/package.json`), 'utf8')).version

const BUNDLERS = {
  async esbuild(entry, out) {
    const { build } = await import('esbuild')
    await build({ entryPoints: [entry], entryNames: 'entry', bundle: true, minify: true, format: 'esm', splitting: true, outdir: out, platform: 'browser', target: 'es2022', define: { 'process.env.NODE_ENV': '"production"' }, logLevel: 'warning' })
    return `esbuild ${version('esbuild')} (--splitting)`
  },
  async vite(entry, out) {
    const vite = await import(require.resolve('vite'))
    await vite.build({ configFile: false, logLevel: 'warn', root: dirname(entry), build: { outDir: out, emptyOutDir: true, reportCompressedSize: false, rollupOptions: { input: entry, output: { entryFileNames: 'entry.js' } } } })
    return `Vite ${version('vite')}`
  },
  async webpack(entry, out) {
    mkdirSync(out, { recursive: true })
    const config = join(out, '..', `${Math.random().toString(36).slice(2)}.webpack.config.cjs`)
    writeFileSync(config, `module.exports = { mode: 'production', entry: ${JSON.stringify(entry)}, output: { path: ${JSON.stringify(out)}, filename: 'entry.js', chunkFilename: '[name].[contenthash:6].js' }, devtool: false, performance: { hints: false } }`)
    try {
      execFileSync(process.execPath, [join(webpackDir, 'node_modules/webpack-cli/bin/cli.js'), '--config', config, '--no-color'], { cwd: webpackDir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    } catch (error) {
      throw new Error(`webpack failed:\n${error.stdout}${error.stderr}`)
    }
    return `webpack ${version('webpack', webpackDir)}`
  },
}

export async function measurePages(names = Object.keys(BUNDLERS).filter((b) => b !== 'webpack' || webpackDir)) {
  const dir = mkdtempSync(join(tmpdir(), 'rfr-pages-'))
  try {
    // The package by name, as an app installs it: package.json and dist/ (not the repository's
    // tsconfig.json, whose `paths` send the package name to src/: webpack reads them; copied, not
    // linked, as bundlers resolve a link to where it points).
    const pkg = join(dir, 'node_modules/redux-flight-recorder')
    mkdirSync(pkg, { recursive: true })
    // The pages are ES modules (webpack 5.113 parses a .js file with no package.json above it as
    // CommonJS-or-ESM "dynamic" and refuses their `import`s).
    writeFileSync(join(dir, 'package.json'), '{ "private": true, "type": "module" }\n')
    copyFileSync(join(root, 'package.json'), join(pkg, 'package.json'))
    cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true })
    const results = []
    for (const [page, source] of Object.entries(PAGES)) {
      const entry = join(dir, `${page}.js`)
      writeFileSync(entry, source)
      for (const b of names) {
        const out = join(dir, 'out', b, page)
        const bundler = await BUNDLERS[b](entry, out)
        const { first, later } = split(out, 'entry.js')
        results.push({ page, bundler, first, later, gzip: first.reduce((n, f) => n + f.gzip, 0) })
      }
    }
    return results
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (resolve(process.argv[1] ?? '') === fileURLToPath(import.meta.url)) {
  const results = await measurePages()
  if (args.includes('--json')) console.log(JSON.stringify(results, null, 2))
  else {
    const kb = (n) => `${(n / 1024).toFixed(2)} KB`
    const name = (f) => f.replace(/[-.][\w-]{6,10}\.js$/, '.js').replace(/^assets\//, '')
    for (const r of results) {
      console.log(`${r.page.padEnd(15)} ${r.bundler.padEnd(26)} ${kb(r.gzip).padStart(9)} at start (${r.first.map((f) => `${name(f.file)} ${kb(f.gzip)}`).join(' + ')}); later: ${r.later.map((f) => `${name(f.file)} ${kb(f.gzip)}`).join(', ') || 'nothing'}`)
    }
  }
}
