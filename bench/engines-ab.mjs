/**
 * Interleaved A/B of the two fr64 engines (same results): src/hash/fr64.ts (`Fr64Hasher`, the fast
 * engine: replay, `stateHash`) and src/hash/compact.ts (`CompactFr64Hasher`, what the recorder
 * ships). Both are bundled from the sources with esbuild into a temporary file. Per round and
 * engine: a fresh hasher hashes the bench state in full, then step by step a sequence of states in
 * which each action changes one entity (bench/state.mjs); the order alternates every round.
 * Prints medians of CPU ms per full hash and µs per step, and compact / fast.
 *
 *   node --expose-gc bench/engines-ab.mjs '{"bytes":1e7,"steps":20,"rounds":5}'
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'

const { bytes = 1000, steps = 20000, rounds = 7 } = JSON.parse(process.argv[2] ?? '{}')
const dir = mkdtempSync(join(tmpdir(), 'fr-engines-'))
const out = join(dir, 'engines.mjs')
const built = await build({
  stdin: { contents: "export { Fr64Hasher } from './src/hash/fr64'\nexport { CompactFr64Hasher } from './src/hash/compact'", resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
  bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent',
})
writeFileSync(out, built.outputFiles[0].contents)
const { Fr64Hasher, CompactFr64Hasher } = await import(pathToFileURL(out).href)
rmSync(dir, { recursive: true, force: true })

const gc = globalThis.gc ?? (() => {})
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
const base = makeState(bytes)
const engines = { fast: Fr64Hasher, compact: CompactFr64Hasher }
const got = { fast: { full: [], step: [] }, compact: { full: [], step: [] } }
let check = null
for (let r = 0; r < rounds + 1; r++) {
  const names = r % 2 ? ['compact', 'fast'] : ['fast', 'compact']
  for (const name of names) {
    // A fresh copy and state sequence per run, so no engine finds the other's cached records.
    const start = structuredClone(base)
    const reducer = makeReducer(start)
    const mk = actionMaker(start.ids)
    const states = [start]
    for (let i = 0; i < steps; i++) states.push(reducer(states[i], mk()))
    gc()
    const h = new engines[name]()
    let t = cpuMs()
    h.hash(start)
    const full = cpuMs() - t
    t = cpuMs()
    for (let i = 1; i <= steps; i++) h.hash(states[i], states[i - 1])
    const step = ((cpuMs() - t) * 1000) / steps
    const hex = h.hex()
    if (check === null) check = hex
    else if (check !== hex) throw new Error(`[redux-flight-recorder] engines-ab: expected both engines to end with ${check}, ${name} gave ${hex}.`)
    if (r > 0) {
      got[name].full.push(full)
      got[name].step.push(step)
    }
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(`${bytes} B state, ${steps} steps, ${rounds} rounds (CPU, medians)`)
for (const name of Object.keys(engines)) console.log(`  ${name}: full hash ${median(got[name].full).toFixed(2)} ms, step ${median(got[name].step).toFixed(2)} µs`)
const rel = (m) => median(got.compact[m].map((x, i) => x / got.fast[m][i]))
console.log(`  compact / fast: full ${rel('full').toFixed(2)}, step ${rel('step').toFixed(2)}`)
