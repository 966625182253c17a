/**
 * Bundle size: the built core + browser entries (dist/), bundled by esbuild as an app would
 * (one copy of the core: the browser entry imports it by package name), minified, redux
 * external, gzipped at level 9. Figures:
 *   - `entries`: everything both entries export (what the target is about);
 *   - `recording`: what an app that records in the browser imports (createFlightRecorder and the
 *     browser entry), after tree-shaking;
 *   - `core`: everything the universal entry exports; `browser`: the browser entry alone, the core
 *     left external (its own code only);
 *   - `recorder`: `createFlightRecorder` alone, and `perExport`: `createFlightRecorder` plus one
 *     browser export each (an app imports only the sinks it uses).
 */
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export async function bundleSize(contents, external = ['redux']) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external,
    write: false,
    metafile: true,
    logLevel: 'silent',
  })
  const code = result.outputFiles[0].contents
  const inputs = Object.values(result.metafile.outputs)[0].inputs
  const modules = Object.entries(inputs)
    .map(([path, v]) => ({ path: path.replace(/^.*?(src|dist)\//, '$1/'), bytes: v.bytesInOutput }))
    .filter((m) => m.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes)
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length, modules }
}

const BROWSER_EXPORTS = ['downloadRecording', 'indexedDbSink', 'loadFromIndexedDb', 'httpSink', 'recordPageLifecycle']

export async function sizes() {
  const recorder = "export { createFlightRecorder } from 'redux-flight-recorder'"
  const perExport = []
  for (const name of BROWSER_EXPORTS) {
    perExport.push({ name, ...(await bundleSize(`${recorder}; export { ${name} } from 'redux-flight-recorder/browser'`)) })
  }
  return {
    entries: await bundleSize("export * from 'redux-flight-recorder'; export * from 'redux-flight-recorder/browser'"),
    recording: await bundleSize(`${recorder}; export * from 'redux-flight-recorder/browser'`),
    core: await bundleSize("export * from 'redux-flight-recorder'"),
    browser: await bundleSize("export * from './dist/browser.js'", ['redux', 'redux-flight-recorder']),
    recorder: await bundleSize(recorder),
    perExport,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await sizes()
  const line = (label, v) => `${label}: ${v.minified} B minified, ${v.gzip} B gzipped`
  for (const k of ['entries', 'recording']) {
    console.log(line(k, s[k]))
    for (const m of s[k].modules.slice(0, 12)) console.log(`  ${String(m.bytes).padStart(6)}  ${m.path}`)
  }
  console.log(line('core entry alone', s.core))
  console.log(line('browser entry alone (core external)', s.browser))
  console.log(line('createFlightRecorder alone', s.recorder))
  for (const e of s.perExport) console.log(`  + ${e.name}: ${e.gzip} B gzipped (+${e.gzip - s.recorder.gzip})`)
}
