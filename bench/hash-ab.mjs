/**
 * Interleaved A/B of the fr64 hasher between builds of the package, in one process: per round,
 * each build hashes a fresh copy of the same state sequence (every action changes one entity, as
 * in the bench), first in full, then step by step from the previous state; the order alternates
 * every round. Prints the medians of CPU time per full hash and per incremental step, and the
 * ratios of the last build to the first.
 *
 *   node --expose-gc bench/hash-ab.mjs '{"bytes":1000,"steps":50000,"rounds":12}' /tmp/base-dist dist
 *
 * Build the other commit's dist/ in a temporary worktree (`git worktree add`, then `npx tsup`).
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { makeState } from './state.mjs'

const cfg = JSON.parse(process.argv[2] ?? '{}')
const dirs = process.argv.slice(3)
if (dirs.length < 2) throw new Error('Usage: node --expose-gc bench/hash-ab.mjs \'{"bytes":1000,"steps":50000,"rounds":12}\' <dist dir> <dist dir>')
const hashers = await Promise.all(dirs.map(async (d) => (await import(pathToFileURL(resolve(d, 'index.js')).href)).Fr64Hasher))
const { bytes = 1000, steps = 50000, rounds = 12 } = cfg
const gc = globalThis.gc ?? (() => {})
const cpuNs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) * 1000
}

const base = makeState(bytes)
const states = [base]
for (let i = 1; i <= steps; i++) {
  const s = states[i - 1]
  const id = s.ids[(i * 7919) % s.ids.length]
  const e = s.entities[id]
  states.push({ ...s, entities: { ...s.entities, [id]: { ...e, n: i, done: !e.done } } })
}

const full = hashers.map(() => [])
const step = hashers.map(() => [])
for (let r = 0; r < rounds; r++) {
  const order = r % 2 ? [...hashers.keys()] : [...hashers.keys()].reverse()
  for (const k of order) {
    const copy = structuredClone(states) // keeps the sharing between states; no cache carries over
    gc()
    const h = new hashers[k]()
    const t0 = cpuNs()
    h.hash(copy[0])
    const t1 = cpuNs()
    for (let i = 1; i <= steps; i++) h.hash(copy[i], copy[i - 1])
    const t2 = cpuNs()
    full[k].push((t1 - t0) / 1e6)
    step[k].push((t2 - t1) / steps)
  }
}
const median = (xs) => {
  const a = [...xs].sort((p, q) => p - q)
  return a[a.length >> 1]
}
dirs.forEach((d, k) => console.log(`${d}: full hash ${median(full[k]).toFixed(2)} ms, step ${median(step[k]).toFixed(0)} ns`))
const last = hashers.length - 1
console.log(`last / first: step ${(median(step[last]) / median(step[0])).toFixed(2)}, full ${(median(full[last]) / median(full[0])).toFixed(2)}`)
