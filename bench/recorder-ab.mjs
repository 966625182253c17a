/**
 * Interleaved A/B of the recorder between builds of the package, in one process, as
 * bench/worker.mjs measures it: per round, a bare store and a recorded store (middleware +
 * enhancer + fileSink, flushed every 1,000 dispatches) per build run the same N actions in
 * batches of 10 (`batch`) with a yield between batches (deferred hashing runs there). The order rotates
 * every round. Prints, per build, the medians over rounds of the dispatch-path time and of the
 * total CPU per action as ratios to the bare store of the same round, and the last build's
 * figures relative to the first's.
 *
 *   node --expose-gc bench/recorder-ab.mjs '{"bytes":1000,"n":20000,"rounds":9}' /tmp/base-dist dist
 *   node --expose-gc bench/recorder-ab.mjs '{"bytes":1e7,"n":30,"rounds":5,"batch":1}' /tmp/base-dist dist
 *
 * At small states prefer bench/process-ab.mjs: builds loaded side by side share a heap and a
 * garbage collector, and one build's records change the other's collections (the same pair of
 * builds came out 0.91x and 1.06x of each other in two runs at 1 KB; bench/small-state.md).
 *
 * Build the other commit's dist/ in a temporary directory (`git archive <commit> | tar -x`, then `npx tsup`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'

process.env.NODE_ENV = 'production'
const cfg = JSON.parse(process.argv[2] ?? '{}')
const dirs = process.argv.slice(3)
if (dirs.length < 2) throw new Error('Usage: node --expose-gc bench/recorder-ab.mjs \'{"bytes":1000,"n":20000,"rounds":9}\' <dist dir> <dist dir>')
// batch: dispatches between yields (bench/run.mjs uses 1 at 1 MB and 10 MB).
const { bytes = 1000, n: N = 20000, rounds = 9, batch = 10 } = cfg
const builds = await Promise.all(
  dirs.map(async (d) => ({
    core: await import(pathToFileURL(resolve(d, 'index.js')).href),
    node: await import(pathToFileURL(resolve(d, 'node.js')).href),
  })),
)
const { applyMiddleware, compose, legacy_createStore: createStore } = await import('redux')

const gc = globalThis.gc ?? (() => {})
const dir = mkdtempSync(join(tmpdir(), 'fr-ab-'))
const base = makeState(bytes)
const tick = () => new Promise((r) => setImmediate(r))
const cpuNow = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}
let fileNo = 0

function variant(k) {
  if (k < 0) return { store: createStore(makeReducer(structuredClone(base))), finish: async () => {} }
  const { createFlightRecorder } = builds[k].core
  const path = join(dir, `rec-${fileNo++}.jsonl`)
  const recorder = createFlightRecorder({ sinks: [builds[k].node.fileSink(path, { processLifecycle: false })] })
  const store = createStore(makeReducer(structuredClone(base)), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
  return {
    store,
    flush: () => recorder.flush(),
    finish: async () => {
      await recorder.close()
      rmSync(path, { force: true })
    },
  }
}

async function session(k) {
  gc()
  const mk = actionMaker(base.ids)
  const actions = Array.from({ length: N }, mk)
  await tick()
  const cpu0 = cpuNow()
  const v = variant(k)
  let dispatchNs = 0n
  for (let i = 0; i < N; ) {
    const end = Math.min(N, i + batch)
    const t0 = process.hrtime.bigint()
    for (; i < end; i++) v.store.dispatch(actions[i])
    dispatchNs += process.hrtime.bigint() - t0
    await tick()
    if (v.flush && i % 1000 === 0 && i < N) await v.flush()
  }
  await v.finish()
  return { dispatch: Number(dispatchNs) / N, cpu: ((cpuNow() - cpu0) * 1000) / N }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const ratios = builds.map(() => ({ dispatch: [], cpu: [] }))
const keys = [-1, ...builds.keys()]
for (let r = 0; r < rounds + 1; r++) {
  const order = keys.map((_, i) => keys[(i + r) % keys.length])
  const got = {}
  for (const k of order) got[k] = await session(k)
  if (r === 0) continue // warm-up
  for (const k of builds.keys()) {
    ratios[k].dispatch.push(got[k].dispatch / got[-1].dispatch)
    ratios[k].cpu.push(got[k].cpu / got[-1].cpu)
  }
}
rmSync(dir, { recursive: true, force: true })
console.log(`${bytes} B state, ${N} actions, ${rounds} rounds (medians of per-round ratios to bare)`)
dirs.forEach((d, k) => console.log(`${d}: dispatch path ${median(ratios[k].dispatch).toFixed(3)}× bare, total CPU ${median(ratios[k].cpu).toFixed(3)}× bare`))
const last = builds.length - 1
const rel = (m) => median(ratios[last][m].map((x, i) => x / ratios[0][m][i]))
console.log(`last / first: dispatch path ${rel('dispatch').toFixed(3)}, total CPU ${rel('cpu').toFixed(3)}`)
