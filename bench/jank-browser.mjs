/**
 * Jank in real Chromium: the bench state of bench/jank.mjs (an RTK-style `{ ids, entities }`
 * store, one entity changed per action), one action per animation frame, without the recorder,
 * with it (`indexedDbSink`, or `httpSink` to this script's server on 127.0.0.1; `checkpointEvery`
 * so a checkpoint is in the run) and with Redux DevTools' instrument (maxAge 50). Store creation
 * (the header), every frame, then `flush()` and `close()` are inside the measured window.
 *
 * What the page measures, per session:
 * - **stalls**: a `setTimeout(0)` chain watches the main thread (browsers clamp it to ~4 ms); each
 *   gap between its ticks, minus 4 ms and minus the app's own reducer time in the gap, is a stall.
 *   Per frame the longest one, p50/p95, and the worst anywhere (creation, frames, flush, close);
 * - **dispatch extra**: how much longer each `dispatch` took than its reducer (the recorder's
 *   inline work: its middleware, enhancer, and hashing it did not defer), p50/p95/worst;
 * - **long tasks** (PerformanceObserver `longtask`: tasks over 50 ms): how many, and how many of
 *   them had no dispatch in them (the recorder's own slices, its writes, the sink, the collector).
 *
 *   npm run build && node bench/jank-browser.mjs '{"sizes":[1e7],"frames":90,"rounds":2}'
 *   node bench/jank-browser.mjs '{"sizes":[1e7]}' /tmp/a/dist /tmp/b/dist    (A/B: idb and http per
 *     build, labelled by its directory; bare and devtools once)
 *   {"json":true}: also the rows as one JSON line; {"names":["bare","idb"]}: some variants only
 *     (bare, devtools, idb, http, and idbRedact: idb with every entity's `owner` redacted, in state and actions);
 *   {"load":true}: the map sits in a slice beside others and starts empty; the first frame's action
 *     (a thunk's fulfilled action) carries the whole state's data as its payload;
 *   {"warm":true}: each page first runs a small idb session (1 KB, unmeasured), so the recorder's lazily loaded
 *     chunk (state-json) is there before the measured sessions; without it, the first recorder session of a page
 *     (variants rotate per round) writes its header before that chunk has arrived (stateText and a full hash in one task);
 *   {"trace":true}: a Chromium trace of each session (unminified), its tasks over 40 ms ({"traceMs":n}: n ms) listed with their calls
 *     and, from the trace's CPU samples, the functions they ran ("js": inclusive ms, "self": self ms);
 *   {"profile":true}: a CPU profile of each session, in /tmp/jank-browser-<kind>-<build>-<size>-<round>.cpuprofile
 *
 * A figure, not a test: timings depend on the machine and its load. The CPU ratio is measured in
 * Node (bench/jank.mjs), where the process's CPU time is known.
 */
import { build } from 'esbuild'
import { writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { launchChromium, listenLocal, serveBundle } from './chromium.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cfg = JSON.parse(process.argv[2] ?? '{}')
const { sizes = [1e6, 1e7], frames = 90, rounds = 2, checkpointEvery = 60 } = cfg
const dists = process.argv.slice(3).map((d) => resolve(d))
const builds = dists.length > 0 ? dists : [join(root, 'dist')]
const label = (b) => (dists.length > 0 ? ` (${relative(root, b) || b})` : '')
const kinds = cfg.names ?? ['bare', 'devtools', 'idb', 'http']
/** [name, build index, kind]: bare and devtools once, the recorder's per build. */
const variants = kinds.flatMap((k) => (k === 'bare' || k === 'devtools' ? [[k, 0, k]] : builds.map((b, i) => [k + label(b), i, k])))
const names = variants.map(([n]) => n)

const page = `
import { applyMiddleware, compose, legacy_createStore as createStore } from 'redux'
import { instrument } from '@redux-devtools/instrument'
import { createFlightRecorder } from 'redux-flight-recorder'
import { httpSink, indexedDbSink } from 'redux-flight-recorder/browser'
import { actionMaker, makeReducer, makeState } from ${JSON.stringify(join(root, 'bench/state.mjs'))}

const now = () => performance.now()
let sessionNo = 0
window.session = async (variant, bytes, frames, checkpointEvery, load) => {
  const base = makeState(bytes)
  const mk = actionMaker(base.ids)
  const actions = Array.from({ length: frames }, mk)
  let reducerMs = 0
  const entities = makeReducer(base)
  // load: an RTK app's shape: the map in a slice beside others, empty (getInitialState()) until the
  // first action, a thunk's fulfilled action, brings the whole page of data as its payload.
  const inner = load
    ? (s = { items: { ids: [], entities: {}, status: 'idle' }, ui: { page: 0, filter: '' }, auth: { user: 'ann' } }, a) =>
        a.type === 'items/loaded'
          ? { ...s, items: { ids: a.payload.ids.slice(), entities: { ...a.payload.entities }, status: 'loaded' } }
          : { ...s, items: entities(s.items, a) }
    : entities
  if (load) actions[0] = { type: 'items/loaded', payload: base, meta: { requestId: 'r1', requestStatus: 'fulfilled' } }
  const reducer = (s, a) => {
    const t = now()
    try {
      return inner(s, a)
    } finally {
      reducerMs += now() - t
    }
  }
  await new Promise((r) => setTimeout(r, 50))
  const long = []
  const po = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) long.push({ start: e.startTime, end: e.startTime + e.duration })
  })
  po.observe({ type: 'longtask' })
  // (For a trace: where this page's clock stands on the trace's, to find its own long tasks there.)
  const origin = performance.mark('jank-origin').startTime
  let phase = 'create'
  let lastT = now()
  let appAtLast = reducerMs
  let frameStall = 0
  let worst = 0
  let worstAt = ''
  let watching = true
  const sample = () => {
    const t = now()
    const stall = Math.max(0, t - lastT - 4 - (reducerMs - appAtLast))
    lastT = t
    appAtLast = reducerMs
    if (stall > frameStall) frameStall = stall
    if (stall > worst) {
      worst = stall
      worstAt = phase
    }
  }
  const watch = () => {
    if (!watching) return
    sample()
    setTimeout(watch, 0)
  }
  setTimeout(watch, 0)
  let store
  let recorder
  const n = sessionNo++
  if (variant === 'bare') store = createStore(reducer)
  else if (variant === 'devtools') store = createStore(reducer, instrument(() => null, { maxAge: 50 }))
  else {
    const sink = variant === 'http' ? httpSink('/log/') : indexedDbSink({ name: 'jank-' + n })
    // idbRedact: a field of every entity redacted, in the state and in the action that loads them.
    const redact = variant === 'idbRedact' ? { state: ['items.entities.*.owner', 'entities.*.owner'], actions: ['payload.entities.*.owner'] } : undefined
    recorder = createFlightRecorder({ sinks: [sink], checkpointEvery, redact })
    store = createStore(reducer, compose(applyMiddleware(recorder.middleware), recorder.enhancer))
  }
  const stalls = []
  const extra = []
  const dispatches = []
  for (let k = 0; k < frames; k++) {
    phase = 'frames'
    await new Promise((r) => requestAnimationFrame(r))
    sample()
    if (k > 0) stalls.push(frameStall)
    frameStall = 0
    const r0 = reducerMs
    const t0 = now()
    store.dispatch(actions[k])
    const t1 = now()
    dispatches.push([t0, t1])
    extra.push(t1 - t0 - (reducerMs - r0))
  }
  await new Promise((r) => requestAnimationFrame(r))
  sample()
  stalls.push(frameStall)
  if (recorder) {
    phase = 'flush'
    await recorder.flush()
    phase = 'close'
    await recorder.close()
  }
  await new Promise((r) => setTimeout(r, 20))
  sample()
  watching = false
  // Long-task entries arrive after their task: give the observer a moment.
  await new Promise((r) => setTimeout(r, 100))
  po.disconnect()
  const own = long.filter((l) => !dispatches.some(([a, b]) => a < l.end && b > l.start))
  return { stalls, worst, worstAt, extra, long: long.length, own: own.map((l) => l.end - l.start), ownSpans: own.map((l) => [l.start - origin, l.end - origin]) }
}
`

/** The page bundled against one build (its dist/ directory), with its chunks. */
async function bundle(dist) {
  const tmp = await mkdtemp(join(tmpdir(), 'rfr-jank-browser-'))
  await mkdir(join(tmp, 'node_modules'))
  await symlink(root, join(tmp, 'node_modules/redux-flight-recorder'), 'dir')
  const out = await build({
    stdin: { contents: page, resolveDir: tmp, loader: 'js' },
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: join(tmp, 'out'),
    write: false,
    minify: !cfg.trace && !cfg.profile,
    define: { 'process.env.NODE_ENV': '"production"' },
    nodePaths: [join(tmp, 'node_modules'), join(root, 'node_modules')],
    alias: dists.length > 0 ? { 'redux-flight-recorder': dist } : undefined,
    logLevel: 'silent',
  })
  await rm(tmp, { recursive: true, force: true })
  const files = new Map(out.outputFiles.map((f) => [f.path.split('/').pop(), f.text]))
  // (With a trace, the unminified bundle is kept to look its line numbers up.)
  if (cfg.trace) for (const [name, text] of files) writeFileSync(join(tmpdir(), `jank-browser-${builds.indexOf(dist)}-${name}`), text)
  return { files, entry: [...files.keys()].find((k) => k.startsWith('stdin')) }
}
const bundles = await Promise.all(builds.map(bundle))
let posted = 0
const server = createServer((req, res) => {
  // /<build index>/<file>
  const [, b = '0', path = ''] = (req.url ?? '/').split('?')[0].split('/')
  if (b === 'log') {
    // The collector's side: read the body, answer 204.
    req.on('data', (d) => (posted += d.length))
    req.on('end', () => res.writeHead(204).end())
    return
  }
  serveBundle(res, bundles[Number(b)] ?? bundles[0], path, 'jank', `/${b}/`)
})
const origin = await listenLocal(server)
const browser = await launchChromium()
/** The tasks over 40 ms in a trace (the page's evaluate call, frames, slices), each with its longest events inside (calls, GC). */
function longTasks(name, events, ownSpans = []) {
  // The page's own long tasks (no dispatch in them), on the trace's clock (µs), from its 'jank-origin' mark.
  const mark = events.find((e) => e.name === 'jank-origin')
  const own = mark ? ownSpans.map(([a, b]) => [mark.ts + a * 1000, mark.ts + b * 1000]) : []
  const tasks = events.filter((e) => (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask') && e.dur > (cfg.traceMs ?? 40) * 1000)
  const calls = events.filter((e) => e.dur > 2000 && e.name !== 'RunTask' && e.name !== 'ThreadControllerImpl::RunTask')
  const samples = cpuSamples(events)
  for (const t of tasks) {
    const inside = calls.filter((c) => c.tid === t.tid && c.ts >= t.ts && c.ts < t.ts + t.dur).sort((a, b) => b.dur - a.dur).slice(0, 6)
    const isOwn = own.some(([a, b]) => a < t.ts + t.dur - 1000 && b > t.ts + 1000)
    console.error(`${name}: ${isOwn ? 'OWN ' : ''}task ${(t.dur / 1000).toFixed(0)} ms at ${mark ? ((t.ts - mark.ts) / 1000).toFixed(0) : '?'}: ${inside.map((c) => `${c.name}${c.args?.data?.functionName ? ' ' + c.args.data.functionName : ''}${c.args?.data?.url ? ' ' + c.args.data.url.split('/').pop() + ':' + c.args.data.lineNumber : ''} ${(c.dur / 1000).toFixed(0)} ms`).join('; ')}`)
    // The JS it ran: CPU samples of the task's process within its span, by function (inclusive and self).
    const incl = new Map()
    const self = new Map()
    for (const s of samples) {
      if (s.pid !== t.pid || s.ts < t.ts || s.ts >= t.ts + t.dur) continue
      const seen = new Set()
      for (let k = 0; k < s.stack.length; k++) {
        const f = s.stack[k]
        if (k === 0) self.set(f, (self.get(f) ?? 0) + s.dt)
        if (!seen.has(f)) incl.set(f, (incl.get(f) ?? 0) + s.dt)
        seen.add(f)
      }
    }
    const top = (m, n) => [...m].filter(([f]) => !/^\((root|program|idle)\)/.test(f)).sort((a, b) => b[1] - a[1]).slice(0, n).map(([f, us]) => `${f} ${(us / 1000).toFixed(0)}`).join('; ')
    if (incl.size > 0) console.error(`  js: ${top(incl, 14)}\n  self: ${top(self, 8)}`)
  }
}

/** The trace's CPU samples (category disabled-by-default-v8.cpu_profiler): time, interval, pid and stack (innermost first) of each. */
function cpuSamples(events) {
  const profiles = new Map()
  const out = []
  const key = (e) => `${e.pid} ${e.id}`
  for (const e of events) {
    if (e.name === 'Profile') profiles.set(key(e), { t: e.args.data.startTime, nodes: new Map() })
    if (e.name !== 'ProfileChunk') continue
    const p = profiles.get(key(e))
    const d = e.args.data
    if (!p) continue
    for (const n of d.cpuProfile?.nodes ?? []) {
      const f = n.callFrame
      p.nodes.set(n.id, { parent: n.parent, name: `${f.functionName || '(anonymous)'}${f.url ? ' ' + f.url.split('/').pop() + ':' + (f.lineNumber + 1) : ''}` })
    }
    const ids = d.cpuProfile?.samples ?? []
    for (let i = 0; i < ids.length; i++) {
      const dt = d.timeDeltas[i]
      p.t += dt
      const stack = []
      for (let n = p.nodes.get(ids[i]); n; n = p.nodes.get(n.parent)) stack.push(n.name)
      out.push({ pid: e.pid, ts: p.t, dt: Math.max(0, Math.min(dt, 5000)), stack })
    }
  }
  // (A sample's interval is the gap before the next one.)
  for (let i = 0; i + 1 < out.length; i++) if (out[i + 1].pid === out[i].pid) out[i].dt = Math.min(5000, Math.max(0, out[i + 1].ts - out[i].ts))
  return out
}
const q = (xs, p) => {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]
}
const median = (xs) => q(xs, 0.5)
const rows = []
try {
  for (const bytes of sizes) {
    const acc = Object.fromEntries(names.map((n) => [n, []]))
    for (let round = 0; round < rounds; round++) {
      // One page per build and round, variants in a rotating order.
      const pages = await Promise.all(
        builds.map(async (_, i) => {
          const p = await browser.newPage()
          await p.goto(`${origin}/${i}/`)
          await p.waitForFunction(() => typeof window.session === 'function')
          if (cfg.warm) await p.evaluate(() => window.session('idb', 1000, 2, 60, false))
          return p
        }),
      )
      const order = variants.map((_, i) => variants[(i + round) % variants.length])
      for (const [name, b, kind] of order) {
        const p = pages[b]
        const cdp = cfg.profile ? await p.context().newCDPSession(p) : undefined
        if (cdp) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'))
        if (cfg.trace) await browser.startTracing(p, { categories: ['toplevel', 'devtools.timeline', 'blink.user_timing', 'disabled-by-default-v8.cpu_profiler'] })
        const run = await p.evaluate(([v, by, f, c, l]) => window.session(v, by, f, c, l), [kind, bytes, frames, checkpointEvery, cfg.load === true])
        acc[name].push(run)
        if (cfg.trace) {
          console.error(`${name}: round ${round}: own long tasks ${run.own.map((d) => d.toFixed(0)).join(', ') || 'none'}`)
          longTasks(name, JSON.parse((await browser.stopTracing()).toString('utf8')).traceEvents, run.ownSpans)
        }
        if (cdp) writeFileSync(`/tmp/jank-browser-${kind}-${b}-${bytes}-${round}.cpuprofile`, JSON.stringify((await cdp.send('Profiler.stop')).profile))
      }
      for (const p of pages) await p.close()
    }
    for (const name of names) {
      const runs = acc[name]
      const stalls = runs.flatMap((r) => r.stalls)
      const extra = runs.flatMap((r) => r.extra)
      const worst = runs.reduce((a, r) => (r.worst > a.worst ? r : a), runs[0])
      rows.push({
        size: (bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`) + (cfg.load ? ', loaded by the first action' : ''),
        variant: name,
        stall: { p50: q(stalls, 0.5), p95: q(stalls, 0.95), worst: worst.worst, worstAt: worst.worstAt },
        extra: { p50: q(extra, 0.5), p95: q(extra, 0.95), worst: Math.max(...extra) },
        long: median(runs.map((r) => r.long)),
        own: { count: median(runs.map((r) => r.own.length)), worst: Math.max(0, ...runs.flatMap((r) => r.own)) },
      })
    }
  }
} finally {
  await browser.close()
  server.close()
}

const f1 = (x) => (x < 10 ? x.toFixed(1) : x.toFixed(0))
const L = []
L.push(`Jank in Chromium (${browser.version?.() ?? 'headless'}): one action per animation frame, ${frames} frames per session, checkpointEvery ${checkpointEvery}; stalls in ms (gaps of a setTimeout(0) chain, less its 4 ms clamp and the app's reducer time), per frame p50/p95 and the worst anywhere; dispatch extra = a dispatch's time beyond its reducer's; long tasks = PerformanceObserver \`longtask\` entries (over 50 ms) per session (median of ${rounds}), and those with no dispatch in them ("own"). ${posted > 0 ? `httpSink posted ${(posted / 1e6).toFixed(1)} MB in all.` : ''}`, '')
L.push('| State | Variant | Frame stall p50 | p95 | Worst (where) | Dispatch extra p50 | p95 | worst | Long tasks | own | own worst |')
L.push('|---|---|---|---|---|---|---|---|---|---|---|')
for (const r of rows) L.push(`| ${r.size} | ${r.variant} | ${f1(r.stall.p50)} | ${f1(r.stall.p95)} | ${f1(r.stall.worst)} (${r.stall.worstAt}) | ${f1(r.extra.p50)} | ${f1(r.extra.p95)} | ${f1(r.extra.worst)} | ${r.long} | ${r.own.count} | ${r.own.count > 0 ? f1(r.own.worst) : '–'} |`)
console.log(L.join('\n'))
if (cfg.json) console.log(JSON.stringify({ table: L.join('\n'), rows }))
