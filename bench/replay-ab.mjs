/**
 * Interleaved A/B of `replay` between builds of the package, in one process: per round, every
 * build replays the same logs (with hash checks, and recorded with `hash: false`), in an order that
 * rotates every round; it prints medians and the median of per-round ratios, which hold up better
 * than absolute figures on a machine shared with other work. CPU time of the process by default
 * (`"wall": true` for wall-clock time).
 *
 *   npm run build && cp -r dist /tmp/new-dist            # and a dist/ built from the base commit
 *   node --expose-gc bench/replay-ab.mjs '{"bytes":1000,"replayN":20000,"rounds":21}' /tmp/base-dist /tmp/new-dist
 *
 * At small states prefer bench/process-ab.mjs: builds loaded side by side share a heap and a
 * garbage collector, and one build's records change the other's collections (the same pair of
 * builds came out 0.91x and 1.06x of each other in two runs at 1 KB; bench/small-state.md).
 *
 * Options: bytes (state size), replayN (actions per log), rounds, kinds (["checked","unchecked"]), wall.
 */
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { makeReducer, makeState, recordLog } from './state.mjs'

process.env.NODE_ENV = 'production'
const cfg = JSON.parse(process.argv[2] ?? '{}')
const dirs = process.argv.slice(3)
if (dirs.length === 0) throw new Error('Usage: node --expose-gc bench/replay-ab.mjs \'{"bytes":1000,"replayN":20000,"rounds":21}\' <dist dir> [<dist dir> …]')
// Builds before the entries split have replay in index.js; later ones in replay.js, which imports
// the core by package name (so give dist/ directories inside a checkout or worktree of the package).
const load = async (d) => {
  const core = await import(pathToFileURL(resolve(d, 'index.js')).href)
  return core.replay ? core : { ...core, ...(await import(pathToFileURL(resolve(d, 'replay.js')).href)) }
}
const libs = await Promise.all(dirs.map(load))
const redux = await import('redux')

const gc = globalThis.gc ?? (() => {})
const { bytes = 1000, replayN: N = 20000, rounds = 21, wall = false } = cfg
const kinds = cfg.kinds ?? ['checked', 'unchecked']
const base = makeState(bytes)
const texts = { checked: await recordLog(libs[0], redux, base, N, 'fr64'), unchecked: await recordLog(libs[0], redux, base, N, false) }
const reducer = makeReducer(base)

function run(li, kind) {
  gc()
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const result = libs[li].replay(texts[kind], { reducer })
  const ns = Number(process.hrtime.bigint() - t0)
  const c = process.cpuUsage(c0)
  if (!result.ok || result.steps !== N || (kind === 'checked' && !result.verified)) throw new Error(`replay (${dirs[li]}, ${kind}) failed`)
  return wall ? ns : (c.user + c.system) * 1000
}

const combos = libs.flatMap((_, li) => kinds.map((k) => [li, k]))
for (const [li, k] of combos) run(li, k) // warm-up
const samples = new Map(combos.map(([li, k]) => [`${li} ${k}`, []]))
for (let r = 0; r < rounds; r++) {
  for (let j = 0; j < combos.length; j++) {
    const [li, k] = combos[(j + r) % combos.length]
    samples.get(`${li} ${k}`).push(run(li, k))
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const rate = (ns) => N / (ns / 1e9)
const fmt = (x) => (x >= 1000 ? `${(x / 1000).toFixed(1)}k` : x.toFixed(1))
console.log(`${bytes} B state, ${N} actions, ${rounds} rounds, ${wall ? 'wall-clock' : 'CPU'} time`)
for (const [li, k] of combos) console.log(`${dirs[li]}  ${k}: ${fmt(rate(median(samples.get(`${li} ${k}`))))} actions/s`)
for (let li = 1; li < libs.length; li++) {
  for (const k of kinds) {
    const ratios = samples.get(`0 ${k}`).map((x, i) => x / samples.get(`${li} ${k}`)[i])
    console.log(`${dirs[li]} vs ${dirs[0]}, ${k}: ${median(ratios).toFixed(3)}× as fast (median of per-round ratios)`)
  }
}
if (kinds.length === 2) {
  for (let li = 0; li < libs.length; li++) {
    const ratios = samples.get(`${li} checked`).map((x, i) => x / samples.get(`${li} unchecked`)[i])
    console.log(`${dirs[li]}: with / without checks ${median(ratios).toFixed(3)}×`)
  }
}
