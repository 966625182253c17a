/**
 * Jank: how long the event loop is blocked, per frame, when an app dispatches one action per 16 ms
 * frame on a large RTK-style `{ ids, entities }` state (one entity changed per action), without
 * the recorder, with it (a `fileSink` to a temp file, `checkpointEvery` so checkpoints are in the
 * run) and with the peers (whole-state JSON + SHA-256 per action; Redux DevTools' instrument,
 * maxAge 50). Store creation (the header), every frame, then `flush()` and `close()` are inside
 * the measured window.
 *
 * A 1 ms timer chain watches the loop: each gap between its ticks, minus 1 ms and minus the time
 * spent in the app's own reducer during the gap (app work, not the recorder's), is a stall. A
 * frame's stall is the longest stall that ended between its start and the next frame's start; the
 * table gives p50/p95 of frame stalls, the worst stall anywhere (creation, frames, flush, close),
 * and total process CPU per session relative to the bare store in the same round. Variants are
 * interleaved, their order rotating every round; one process per run. Wall-clock gaps include
 * the machine's own scheduling noise (see the bare row): the CPU columns are the process's CPU
 * time during the gap, which another process's load does not inflate.
 *
 *   node --expose-gc bench/jank.mjs                                   # 1 MB and 10 MB, markdown table
 *   node --expose-gc bench/jank.mjs '{"sizes":[1e7],"frames":60,"rounds":2}'
 *   node --expose-gc bench/jank.mjs '{"sizes":[1e7],"names":["bare","recorder"]}' /tmp/base/dist /tmp/new/dist
 *     (A/B: one recorder variant per dist directory, labelled by it; each directory's parent needs
 *     the package.json and node_modules, since node.js imports 'redux-flight-recorder' by name)
 *   {"json":true}: also the table and rows as one JSON line (bench/run.mjs runs it so)
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'

process.env.NODE_ENV = 'production'
const cfg = JSON.parse(process.argv[2] ?? '{}')
const dists = process.argv.slice(3)
const { sizes = [1e6, 1e7], frames = 90, rounds = 2, checkpointEvery = 60, frameMs = 16, budgetMs = 240_000 } = cfg
const redux = await import('redux')
const { legacy_createStore: createStore, applyMiddleware, compose } = redux
const { instrument } = await import('@redux-devtools/instrument')

async function loadBuild(dir) {
  if (dir === undefined) return { ...(await import('redux-flight-recorder')), ...(await import('redux-flight-recorder/node')) }
  const at = (f) => pathToFileURL(resolve(dir, f)).href
  return { ...(await import(at('index.js'))), ...(await import(at('node.js'))) }
}
const builds = dists.length > 0 ? await Promise.all(dists.map(async (d) => [d, await loadBuild(d)])) : [['recorder', await loadBuild(undefined)]]

const gc = globalThis.gc ?? (() => {})
const dir = mkdtempSync(join(tmpdir(), 'fr-jank-'))
let fileNo = 0
const now = () => performance.now()
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
/**
 * The main thread's own CPU time (Linux: the scheduler's count for this thread, updated at each
 * tick, so within ~3 ms): what the process's CPU time counts too, less the collector's and
 * libuv's helper threads, which run beside the main thread and do not block it. Null elsewhere.
 */
const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`
const mainMs = existsSync(SCHEDSTAT) ? () => Number(readFileSync(SCHEDSTAT, 'utf8').split(' ')[0]) / 1e6 : null

/** Time spent in the app's reducer (app work, subtracted from gaps). */
let reducerMs = 0
function timedReducer(state) {
  const reducer = makeReducer(state)
  return (s, a) => {
    const t0 = now()
    try {
      return reducer(s, a)
    } finally {
      reducerMs += now() - t0
    }
  }
}

function wholeStateEnhancer(lines) {
  return (createStoreFn) => (reducer, preloaded) => {
    let seq = 0
    const wrapped = (state, action) => {
      const next = reducer(state, action)
      const hash = createHash('sha256').update(JSON.stringify(next)).digest('hex')
      lines.push(JSON.stringify({ seq: ++seq, action, hash }))
      return next
    }
    return createStoreFn(wrapped, preloaded)
  }
}

function makeVariants() {
  const v = {
    bare: (state) => ({ store: createStore(timedReducer(state)), flush: async () => {}, close: async () => {} }),
    wholeState: (state) => {
      const lines = []
      const path = join(dir, `whole-${fileNo++}.jsonl`)
      const store = createStore(timedReducer(state), wholeStateEnhancer(lines))
      const flush = async () => {
        if (lines.length === 0) return
        const text = lines.join('\n') + '\n'
        lines.length = 0
        writeFileSync(path, text, { flag: 'a' })
      }
      return { store, flush, close: async () => { await flush(); rmSync(path, { force: true }) } }
    },
    devtools: (state) => ({ store: createStore(timedReducer(state), instrument(() => null, { maxAge: 50 })), flush: async () => {}, close: async () => {} }),
  }
  for (const [label, lib] of builds) {
    v[label] = (state) => {
      const path = join(dir, `rec-${fileNo++}.jsonl`)
      const recorder = lib.createFlightRecorder({ sinks: [lib.fileSink(path, { processLifecycle: false })], checkpointEvery })
      const store = createStore(timedReducer(state), compose(applyMiddleware(recorder.middleware), recorder.enhancer))
      return { store, flush: () => recorder.flush(), close: async () => { await recorder.close(); rmSync(path, { force: true }) } }
    }
  }
  return v
}
const variants = makeVariants()
const names = cfg.names ? cfg.names.flatMap((n) => (n === 'recorder' ? builds.map(([l]) => l) : [n])) : Object.keys(variants)

/** One session: returns per-frame stalls (wall and CPU), the worst of each, CPU total. */
async function session(name, base) {
  const state = structuredClone(base)
  gc()
  await new Promise((r) => setTimeout(r, 20))
  const heap0 = process.memoryUsage().heapUsed
  const mk = actionMaker(base.ids)
  const actions = Array.from({ length: frames }, mk)
  let lastT = now()
  let lastCpu = cpuMs()
  let lastMain = mainMs?.() ?? 0
  let appAtLast = reducerMs
  let frameWall = 0
  let frameCpu = 0
  let frameMain = 0
  let worstWall = 0
  let worstCpu = 0
  let worstMain = 0
  let phase = 'create'
  let worstAt = ''
  let watching = true
  let frameNo = -1
  const sample = () => {
    const t = now()
    const c = cpuMs()
    const app = reducerMs - appAtLast
    const wall = Math.max(0, t - lastT - 1 - app)
    const cpu = Math.max(0, c - lastCpu - app)
    const m = mainMs?.() ?? 0
    const main = Math.max(0, m - lastMain - app)
    lastMain = m
    lastT = t
    lastCpu = c
    appAtLast = reducerMs
    if (wall > frameWall) frameWall = wall
    if (cpu > frameCpu) frameCpu = cpu
    if (main > frameMain) frameMain = main
    if (cfg.trace && wall > cfg.trace) console.error(`${name}: stall ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU in ${phase} (frame ${frameNo})`)
    if (wall > worstWall) {
      worstWall = wall
      worstAt = phase
    }
    if (cpu > worstCpu) worstCpu = cpu
    if (main > worstMain) worstMain = main
  }
  const watch = () => {
    if (!watching) return
    sample()
    setTimeout(watch, 1)
  }
  const cpu0 = cpuMs()
  setTimeout(watch, 1)
  const v = variants[name](state)
  const walls = []
  const cpus = []
  const mains = []
  let start = now()
  for (let k = 0; k < frames; k++) {
    phase = 'frames'
    frameNo = k
    const due = start + k * frameMs
    const wait = due - now()
    // Every frame is a task of its own. A frame that comes late (a bare dispatch at 10 MB can take
    // longer than a frame on a loaded machine) moves the schedule instead of catching up in a burst.
    if (wait > 0) await new Promise((r) => setTimeout(r, wait))
    else {
      await new Promise((r) => setImmediate(r))
      start -= wait
    }
    sample()
    if (k > 0) {
      walls.push(frameWall)
      cpus.push(frameCpu)
      mains.push(frameMain)
    }
    frameWall = 0
    frameCpu = 0
    frameMain = 0
    v.store.dispatch(actions[k])
  }
  await new Promise((r) => setTimeout(r, frameMs))
  sample()
  walls.push(frameWall)
  cpus.push(frameCpu)
  mains.push(frameMain)
  // What the variant keeps alive after the frames: a full collection, left out of the stalls and
  // the session's CPU (the watcher skips it).
  const gcT = now()
  const gcCpu0 = cpuMs()
  const gcMain0 = mainMs?.() ?? 0
  gc()
  const heapMB = (process.memoryUsage().heapUsed - heap0) / 1e6
  const gcCpu = cpuMs() - gcCpu0
  lastT += now() - gcT
  lastCpu += gcCpu
  lastMain += (mainMs?.() ?? 0) - gcMain0
  phase = 'flush'
  await v.flush()
  phase = 'close'
  await v.close()
  await new Promise((r) => setTimeout(r, 5))
  sample()
  watching = false
  const cpuTotal = cpuMs() - cpu0 - gcCpu
  return { walls, cpus, mains, worstWall, worstCpu, worstMain, worstAt, cpuTotal, heapMB }
}

const pct = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((s.length - 1) * q + 0.5))]
}
const median = (xs) => pct(xs, 0.5)
const f1 = (x) => (x < 10 ? x.toFixed(1) : x.toFixed(0))

const began = Date.now()
const rows = []
for (const bytes of sizes) {
  const base = makeState(bytes)
  const label = bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`
  const acc = Object.fromEntries(names.map((n) => [n, { walls: [], cpus: [], mains: [], worstWall: [], worstCpu: [], worstMain: [], worstAt: [], cpu: [], ratio: [], heap: [] }]))
  // A warm-up session per variant (JIT), not counted.
  for (const n of names) await session(n, base)
  for (let r = 0; r < rounds && Date.now() - began < budgetMs; r++) {
    const order = names.map((_, k) => names[(k + r) % names.length])
    const got = {}
    for (const n of order) got[n] = await session(n, base)
    for (const n of names) {
      const a = acc[n]
      a.walls.push(...got[n].walls)
      a.cpus.push(...got[n].cpus)
      a.mains.push(...got[n].mains)
      a.worstWall.push(got[n].worstWall)
      a.worstCpu.push(got[n].worstCpu)
      a.worstMain.push(got[n].worstMain)
      a.worstAt.push(got[n].worstAt)
      a.cpu.push(got[n].cpuTotal)
      a.heap.push(got[n].heapMB)
      if (got.bare) a.ratio.push(got[n].cpuTotal / got.bare.cpuTotal)
    }
  }
  for (const n of names) {
    const a = acc[n]
    rows.push({
      size: label,
      entities: base.ids.length,
      variant: n,
      rounds: a.cpu.length,
      wall: { p50: median(a.walls), p95: pct(a.walls, 0.95), worst: Math.max(...a.worstWall), worstAt: a.worstAt[a.worstWall.indexOf(Math.max(...a.worstWall))] },
      cpu: { p50: median(a.cpus), p95: pct(a.cpus, 0.95), worst: Math.max(...a.worstCpu) },
      main: mainMs ? { p50: median(a.mains), p95: pct(a.mains, 0.95), worst: Math.max(...a.worstMain) } : null,
      cpuMs: median(a.cpu),
      ratio: a.ratio.length ? median(a.ratio) : null,
      heapMB: median(a.heap),
    })
  }
}
rmSync(dir, { recursive: true, force: true })

const L = []
L.push(`Jank: one action per ${frameMs} ms frame, ${frames} frames per session, checkpointEvery ${checkpointEvery}; stalls in ms (gaps of a 1 ms timer chain, app reducer time excluded), per frame p50/p95 and the worst anywhere (creation, frames, flush, close): wall clock; the main thread's own CPU time in the gap${mainMs ? '' : ' (not on this system)'}; the process's CPU time in the gap (which also counts the collector's helper threads, running beside the main thread); CPU = process CPU per session, ratio to bare in the same round (median over ${rounds} round(s)); heap kept = heap in use after the frames (a full collection) above the session's start. Node ${process.version}.`, '')
L.push('| State | Variant | Frame stall p50 | p95 | Worst (where) | Main-thread CPU stall p50 | p95 | worst | Process CPU stall p50 | p95 | worst | Session CPU | × bare | Heap kept |')
L.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|')
const m3 = (m) => (m ? `${f1(m.p50)} | ${f1(m.p95)} | ${f1(m.worst)}` : '– | – | –')
for (const r of rows) {
  L.push(`| ${r.size} (${r.entities.toLocaleString('en-US')} entities) | ${r.variant} | ${f1(r.wall.p50)} | ${f1(r.wall.p95)} | ${f1(r.wall.worst)} (${r.wall.worstAt}) | ${m3(r.main)} | ${f1(r.cpu.p50)} | ${f1(r.cpu.p95)} | ${f1(r.cpu.worst)} | ${r.cpuMs.toFixed(0)} ms | ${r.ratio === null ? '–' : r.ratio.toFixed(2)} | ${r.heapMB.toFixed(0)} MB |`)
}
console.log(L.join('\n'))
// For bench/run.mjs: the table and the rows, as one JSON line (the last line of stdout).
if (cfg.json) console.log(JSON.stringify({ table: L.join('\n'), rows }))
