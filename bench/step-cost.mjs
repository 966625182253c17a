/**
 * What one action's hash costs the recorder's engine (src/hash/compact.ts) on the bench state, and
 * how much of it is the native `Object.keys` of the entity map (the floor while the key set must be
 * listed: test/hash/keySets.spec.ts). CPU ms, medians over `steps` actions; `src` picks the engine's
 * source (e.g. a main checkout's, for an A/B in turns).
 *
 *   node bench/step-cost.mjs '{"bytes":1e7,"steps":40}'
 *   node bench/step-cost.mjs '{"steps":40,"src":"/tmp/base/src/hash/compact"}'
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'
const { bytes = 1e7, steps = 30, src = './src/hash/compact' } = JSON.parse(process.argv[2] ?? '{}')
const built = await build({ stdin: { contents: `export { CompactFr64Hasher } from '${src}'`, resolveDir: process.cwd(), loader: 'ts' }, bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent' })
const dir = mkdtempSync(join(tmpdir(), 'fr-step-'))
const out = join(dir, 'c.mjs')
writeFileSync(out, built.outputFiles[0].contents)
const { CompactFr64Hasher } = await import(pathToFileURL(out).href)
rmSync(dir, { recursive: true, force: true })
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000 }
const base = makeState(bytes)
const red = makeReducer(base)
const mk = actionMaker(base.ids)
// As the recorder makes it (it notes lossy values as it hashes; an older engine ignores the option).
const h = new CompactFr64Hasher(null, { collectLossy: true })
let t = cpuMs(); h.hash(base); console.log('full', (cpuMs() - t).toFixed(1))
let prev = base
const st = [], ks = []
for (let i = 0; i < steps; i++) {
  const next = red(prev, mk())
  t = cpuMs(); Object.keys(next.entities); ks.push(cpuMs() - t)
  t = cpuMs(); h.hash(next, prev); st.push(cpuMs() - t)
  prev = next
}
const med = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1].toFixed(2)
console.log('step', med(st), 'Object.keys', med(ks))
