/**
 * Bundle size: the built core + browser entries (dist/), bundled by esbuild as an app would
 * (one copy of the core: the browser entry imports it by package name), minified, redux
 * external, gzipped at level 9. Two figures:
 *   - `entries`: everything both entries export (what the target is about);
 *   - `recording`: what an app that records in the browser imports (createFlightRecorder and the
 *     browser entry), after tree-shaking.
 */
import { build } from 'esbuild'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

export async function bundleSize(contents) {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    external: ['redux'],
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

export async function sizes() {
  return {
    entries: await bundleSize("export * from 'redux-flight-recorder'; export * from 'redux-flight-recorder/browser'"),
    recording: await bundleSize("export { createFlightRecorder } from 'redux-flight-recorder'; export * from 'redux-flight-recorder/browser'"),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const s = await sizes()
  for (const [k, v] of Object.entries(s)) {
    console.log(`${k}: ${v.minified} B minified, ${v.gzip} B gzipped`)
    for (const m of v.modules.slice(0, 12)) console.log(`  ${String(m.bytes).padStart(6)}  ${m.path}`)
  }
}
