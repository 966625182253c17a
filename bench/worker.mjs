/**
 * One state size, in its own process (so the heap of a 10 MB state does not disturb the others).
 * Variants are interleaved round by round (the order rotates every round) and each figure is the
 * median over rounds. Prints one JSON object on the last line of stdout.
 *
 *   node --expose-gc bench/worker.mjs '{"bytes":1000,"n":20000,"rounds":7,"replayN":50000,"replayRounds":7}'
 */
import { createHash } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { actionMaker, makeReducer, makeState, recordLog } from './state.mjs'

process.env.NODE_ENV = 'production'
const { createFlightRecorder } = await import('redux-flight-recorder')
const { replay } = await import('redux-flight-recorder/replay')
const { fileSink } = await import('redux-flight-recorder/node')
const redux = await import('redux')
const { applyMiddleware, compose, legacy_createStore: createStore } = redux
const { instrument } = await import('@redux-devtools/instrument')

const cfg = JSON.parse(process.argv[2])
const { bytes, n: N, rounds, replayN, replayRounds, only } = cfg
/** Dispatches between yields to the event loop (deferred hashing runs there, untimed). */
const BATCH = cfg.batch ?? 10
/** Dispatches between awaited flushes: a 1 s flush interval at 1,000 dispatches/s. */
const FLUSH_EVERY = cfg.flushEvery ?? 1000

const gc = globalThis.gc ?? (() => {})
const dir = mkdtempSync(join(tmpdir(), 'fr-bench-'))
const base = makeState(bytes)
const fresh = () => structuredClone(base)
const tick = () => new Promise((resolve) => setImmediate(resolve))
const cpuNow = () => {
  const u = process.cpuUsage()
  return u.user + u.system
}
let fileNo = 0

// ------------------------------------------------------------------------------------ variants
// Each takes a fresh copy of the state and returns { store, flush?(), finish() }.

/** A peer: serialises the whole state and hashes it with SHA-256 on every dispatch. */
function wholeStateEnhancer(lines) {
  return (createStoreFn) => (reducer, preloaded) => {
    let seq = 0
    const wrapped = (state, action) => {
      const next = reducer(state, action)
      if (typeof action.type === 'string' && action.type.startsWith('@@redux/')) return next
      const hash = createHash('sha256').update(JSON.stringify(next)).digest('hex')
      lines.push(JSON.stringify({ seq: ++seq, action, hash }))
      return next
    }
    return createStoreFn(wrapped, preloaded)
  }
}

const variants = {
  bare: (state) => {
    const store = createStore(makeReducer(state))
    return { store, finish: async () => {} }
  },
  recorder: (state) => {
    const path = join(dir, `rec-${fileNo++}.jsonl`)
    const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })] })
    const store = createStore(makeReducer(state), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
    return {
      store,
      flush: () => recorder.flush(),
      finish: async () => {
        await recorder.close()
        rmSync(path, { force: true })
      },
    }
  },
  wholeState: (state) => {
    const lines = []
    const path = join(dir, `whole-${fileNo++}.jsonl`)
    const store = createStore(makeReducer(state), wholeStateEnhancer(lines))
    const flush = async () => {
      if (lines.length === 0) return
      const text = lines.join('\n') + '\n'
      lines.length = 0
      writeFileSync(path, text, { flag: 'a' })
    }
    return {
      store,
      flush,
      finish: async () => {
        await flush()
        rmSync(path, { force: true })
      },
    }
  },
  instrument: (state) => {
    const store = createStore(makeReducer(state), instrument(() => null, { maxAge: 50 }))
    return { store, finish: async () => {} }
  },
}

/** One session: create, N dispatches in batches, flushes, close. Returns { dispatchNs, cpuUs }. */
async function session(name, n = N) {
  gc()
  const mk = actionMaker(base.ids)
  const actions = Array.from({ length: n }, mk)
  const state = fresh()
  await tick()
  const cpu0 = cpuNow()
  const v = variants[name](state)
  let dispatchNs = 0n
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + BATCH)
    const t0 = process.hrtime.bigint()
    for (; i < end; i++) v.store.dispatch(actions[i])
    dispatchNs += process.hrtime.bigint() - t0
    await tick()
    if (v.flush && i % FLUSH_EVERY === 0 && i < n) await v.flush()
  }
  await v.finish()
  const cpuUs = cpuNow() - cpu0
  return { dispatchNs: Number(dispatchNs) / Math.max(n, 1), cpuNs: (cpuUs * 1000) / Math.max(n, 1), cpuUs }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const quart = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  const pos = (s.length - 1) * q
  const lo = Math.floor(pos)
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo)
}
const stats = (xs) => ({ median: median(xs), p25: quart(xs, 0.25), p75: quart(xs, 0.75), samples: xs.length, values: xs })

// A resident recorder, as in an app where the recorder lives as long as the page or process. The
// bench creates a fresh store and recorder per session (to measure flush and close); without
// something keeping the recorder's objects alive between sessions, V8 throws its optimised code
// away at every session and recompiles it, which would be counted as per-dispatch cost.
const resident = variants.recorder(fresh())
{
  const mk = actionMaker(base.ids)
  for (let i = 0; i < Math.min(N || 100, 2000); i++) resident.store.dispatch(mk())
  await resident.flush()
}

const out = { bytes, stateJsonBytes: JSON.stringify(base).length, entities: base.ids.length, n: N, batch: BATCH, flushEvery: FLUSH_EVERY }

// ------------------------------------------------------------------------- dispatch and CPU
if (!only || only === 'dispatch') {
  const names = cfg.names ?? Object.keys(variants)
  // Warm up every variant once (JIT), not measured.
  for (const name of names) await session(name)
  const samples = Object.fromEntries(names.map((n) => [n, { dispatchNs: [], cpuNs: [] }]))
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]
      const s = await session(name)
      samples[name].dispatchNs.push(s.dispatchNs)
      samples[name].cpuNs.push(s.cpuNs)
    }
  }
  // What a session costs with no dispatch at all: for the recorder, the first full hash, the
  // header and the @@end line (each with the whole state), opening and closing the file.
  const fixed = Object.fromEntries(names.map((n) => [n, []]))
  for (let r = 0; r < Math.max(3, Math.ceil(rounds / 2)); r++) for (const name of names) fixed[name].push((await session(name, 0)).cpuUs * 1000)
  out.fixedNs = Object.fromEntries(names.map((n) => [n, stats(fixed[n])]))
  out.dispatch = Object.fromEntries(names.map((n) => [n, { dispatchNs: stats(samples[n].dispatchNs), cpuNs: stats(samples[n].cpuNs) }]))
  // Per-round ratios (same round, neighbouring runs), their median: less sensitive to drifting load.
  out.ratios = {}
  for (const n of names) {
    if (n === 'bare' || !samples.bare) continue
    out.ratios[n] = {
      dispatch: stats(samples[n].dispatchNs.map((x, i) => x / samples.bare.dispatchNs[i])),
      cpu: stats(samples[n].cpuNs.map((x, i) => x / samples.bare.cpuNs[i])),
    }
  }
}

// ------------------------------------------------------------------------------------ replay
if ((!only || only === 'replay') && replayN > 0) {
  const lib = { createFlightRecorder }
  const texts = { checked: await recordLog(lib, redux, base, replayN, 'fr64'), unchecked: await recordLog(lib, redux, base, replayN, false) }
  const reducer = makeReducer(base)
  const run = (kind) => {
    gc()
    const t0 = process.hrtime.bigint()
    const result = replay(texts[kind], { reducer })
    const ns = Number(process.hrtime.bigint() - t0)
    if (!result.ok || result.steps !== replayN || (kind === 'checked' && !result.verified)) {
      throw new Error(`replay (${kind}) failed: ok=${result.ok} steps=${result.steps} verified=${result.verified}`)
    }
    return ns
  }
  run('checked')
  run('unchecked')
  const rs = { checked: [], unchecked: [] }
  for (let r = 0; r < replayRounds; r++) {
    for (const kind of r % 2 ? ['unchecked', 'checked'] : ['checked', 'unchecked']) rs[kind].push(run(kind))
  }
  out.replay = {
    n: replayN,
    textBytes: { checked: texts.checked.length, unchecked: texts.unchecked.length },
    checked: stats(rs.checked.map((ns) => replayN / (ns / 1e9))),
    unchecked: stats(rs.unchecked.map((ns) => replayN / (ns / 1e9))),
    ratio: stats(rs.checked.map((ns, i) => ns / rs.unchecked[i])),
  }
}

await resident.finish()
rmSync(dir, { recursive: true, force: true })
console.log(JSON.stringify(out))
