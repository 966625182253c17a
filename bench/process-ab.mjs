/**
 * A/B of recorder builds, one child process per measurement, builds alternating: CPU per dispatch
 * of a recorded session (middleware + enhancer + `fileSink`, flushed every 1,000 dispatches, a
 * yield every 10) and of a bare store, on the bench state (bench/state.mjs). Each child runs three
 * sessions and reports the last two (the first warms the code up).
 *
 * Why processes: at 1 KB, builds loaded side by side in one process (bench/recorder-ab.mjs) share
 * a heap and a garbage collector, and one build's records change another's collections; the same
 * two builds came out 0.91x and 1.06x of each other in two such runs (session 7), while separate
 * processes agreed run after run. `--single-threaded` keeps V8's helper threads out of the CPU time.
 *
 *   node bench/process-ab.mjs '{"bytes":1000,"n":100000,"runs":3}' /tmp/base/dist dist
 *   node bench/process-ab.mjs '{"mode":"replay"}' /tmp/base/dist dist     # replay with checks, actions/s
 *
 * Options: bytes, n (dispatches or replayed actions per session), runs (alternations), mode
 * ("record", the default, "record-nohash", or "replay"). Each dist directory's parent needs
 * node_modules (dist/node.js and dist/replay.js import the package's core by name).
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const self = fileURLToPath(import.meta.url)

if (process.argv[2] === '--child') {
  const { dir, bytes, n, mode } = JSON.parse(process.argv[3])
  process.env.NODE_ENV = 'production'
  const { actionMaker, makeReducer, makeState, recordLog } = await import('./state.mjs')
  const at = (f) => pathToFileURL(resolve(dir, f)).href
  const core = await import(at('index.js'))
  const { applyMiddleware, compose, legacy_createStore: createStore } = await import('redux')
  const base = makeState(bytes)
  const cpu = () => {
    const u = process.cpuUsage()
    return u.user + u.system
  }
  const out = []
  if (mode === 'replay') {
    const lib = { ...core, ...(await import(at('replay.js'))) }
    const text = await recordLog(lib, await import('redux'), base, n, 'fr64')
    const reducer = makeReducer(base)
    for (let r = 0; r < 3; r++) {
      const c0 = cpu()
      const res = lib.replay(text, { reducer })
      const us = cpu() - c0
      if (!res.verified || res.steps !== n) throw new Error('replay did not verify')
      out.push(n / (us / 1e6))
    }
  } else {
    const { fileSink } = await import(at('node.js'))
    const tick = () => new Promise((r) => setImmediate(r))
    for (let r = 0; r < 3; r++) {
      const path = `${process.env.TMPDIR ?? '/tmp'}/fr-process-ab-${process.pid}.jsonl`
      const rec = mode === 'bare' ? null : core.createFlightRecorder({ hash: mode === 'record-nohash' ? false : 'fr64', sinks: [fileSink(path, { processLifecycle: false })] })
      const reducer = makeReducer(structuredClone(base))
      const store = rec ? createStore(reducer, compose(applyMiddleware(rec.middleware), rec.enhancer)) : createStore(reducer)
      const mk = actionMaker(base.ids)
      const actions = Array.from({ length: n }, mk)
      const c0 = cpu()
      for (let i = 0; i < n; ) {
        const end = Math.min(n, i + 10)
        for (; i < end; i++) store.dispatch(actions[i])
        await tick()
        if (rec && i % 1000 === 0) await rec.flush()
      }
      if (rec) await rec.close()
      out.push((cpu() - c0) / n)
    }
  }
  console.log(JSON.stringify(out.slice(1)))
} else {
  const cfg = JSON.parse(process.argv[2] ?? '{}')
  const dirs = process.argv.slice(3)
  if (dirs.length === 0) throw new Error('Usage: node bench/process-ab.mjs \'{"bytes":1000,"n":100000,"runs":3}\' <dist dir> [<dist dir> …]')
  const { bytes = 1000, runs = 3, mode = 'record' } = cfg
  const n = cfg.n ?? (mode === 'replay' ? 50000 : 100000)
  const child = (dir, m) => JSON.parse(execFileSync(process.execPath, ['--single-threaded', self, '--child', JSON.stringify({ dir: resolve(dir), bytes, n, mode: m })], { encoding: 'utf8' }))
  const got = new Map([...dirs.map((d) => [d, []]), ['bare', []]])
  for (let r = 0; r < runs; r++) {
    if (mode !== 'replay') got.get('bare').push(...child(dirs[0], 'bare'))
    for (const d of r % 2 ? [...dirs].reverse() : dirs) got.get(d).push(...child(d, mode))
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
  console.log(`${bytes} B state, ${n} ${mode === 'replay' ? 'replayed actions' : 'dispatches'}, ${runs} runs (medians of ${2 * runs} sessions, each in a fresh process)`)
  if (mode === 'replay') for (const d of dirs) console.log(`  ${d}: ${(median(got.get(d)) / 1000).toFixed(0)}k actions/s with checks`)
  else {
    const bare = median(got.get('bare'))
    console.log(`  bare: ${bare.toFixed(2)} µs CPU per dispatch`)
    for (const d of dirs) console.log(`  ${d}: ${median(got.get(d)).toFixed(2)} µs (${(median(got.get(d)) / bare).toFixed(2)}× bare)`)
  }
}
