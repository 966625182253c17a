/**
 * Issue 15's costs, measured and written to bench/lossy.md (bench/run.mjs appends it to
 * BENCHMARKS.md):
 * 1. Lossy detection on full states: every header, checkpoint and `@@end` state is scanned for
 *    values JSON writes in another form (`findLossy`, src/lossy.ts) after `JSON.stringify`. Measured
 *    against the stringify it follows, on the bench state (bench/state.mjs) at 100 KB, 1 MB and
 *    10 MB, clean and with lossy values in it.
 * 2. Subtree hashes (`createFlightRecorder({ subtreeHashes: true })`, the `changed` key that lets
 *    replay localize a divergence): bytes per action line, retained bytes per buffered entry, time
 *    on the dispatch path (the dispatch calls alone) and in all (dispatch, deferred hashing and
 *    writing every line with `toJSONL()`), at 100 KB (`subtreeSizes` for more; 1 MB takes minutes).
 * A/B in one process, alternating, medians; production mode.
 *
 *   npm run build && node --expose-gc bench/lossy.mjs ['{"sizes":[1e5,1e6,1e7],"rounds":5,"actions":3000,"subtreeSizes":[1e5]}']
 *
 * `findLossy` and `stateText` are not public: they are bundled from src/ with esbuild for this run.
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { actionMaker, makeReducer, makeState } from './state.mjs'

process.env.NODE_ENV = 'production'
if (typeof global.gc !== 'function') throw new Error('Run with node --expose-gc bench/lossy.mjs')
const root = fileURLToPath(new URL('..', import.meta.url))
const cfg = { sizes: [1e5, 1e6, 1e7], rounds: 5, actions: 3000, subtreeSizes: [1e5], ...JSON.parse(process.argv[2] ?? '{}') }

const tmp = mkdtempSync(join(tmpdir(), 'rfr-lossy-'))
let internals
try {
  const out = join(tmp, 'internals.mjs')
  await build({
    stdin: { contents: "export { findLossy } from './src/lossy.ts'\nexport { stateText } from './src/serialize.ts'\n", resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    outfile: out,
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'silent',
  })
  internals = await import(pathToFileURL(out).href)
} finally {
  rmSync(tmp, { recursive: true, force: true })
}
const { findLossy, stateText } = internals
const { createFlightRecorder } = await import('../dist/index.js')
const { createStore } = await import('redux')

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const time = (fn) => {
  const t0 = process.hrtime.bigint()
  const r = fn()
  return [Number(process.hrtime.bigint() - t0) / 1e6, r]
}
const label = (bytes) => (bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`)
const fmt = (ms) => (ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2))

/** The same state with `k` values JSON writes in another form: Dates, a Map, a non-finite number. */
function withLossy(state, k) {
  const entities = { ...state.entities }
  const ids = state.ids
  for (let i = 0; i < k; i++) {
    const id = ids[Math.floor((i * ids.length) / k)]
    entities[id] = { ...entities[id], seenAt: new Date(1_700_000_000_000 + i), score: i % 2 ? NaN : Infinity }
  }
  return { ...state, entities, index: new Map([['a', 1]]) }
}

const load0 = loadavg()[0]
const L = []
L.push('## Lossy detection and subtree hashes (issue 15)', '')
L.push(
  `\`node --expose-gc bench/lossy.mjs '${JSON.stringify(cfg)}'\` — production mode, one process, variants alternating, medians of ${cfg.rounds} rounds. ` +
    `Measured ${new Date().toISOString().slice(0, 10)} **under load** (load average ${load0.toFixed(1)} on ${(await import('node:os')).cpus().length} cores at the start, other jobs running): absolute times are inflated, ratios less so.`,
  '',
)

// 1. Lossy detection on full states.
L.push('### Lossy detection on full states (header, checkpoint, `@@end`)', '')
L.push(
  'Each full state the recorder writes is scanned for lossy values after it is stringified (`stateText`: stringify, then `findLossy`). "scan" is that traversal alone; "+%" is what it adds to the stringify. With lossy values: 50 entities get a `Date` and a non-finite number, and the state a `Map` (the scan stops listing at 50 values but still walks the whole state).',
  '',
)
L.push('| state | lossy values | `JSON.stringify` ms | scan ms | + % | `stateText` (written line) ms |', '|---|---|---|---|---|---|')
for (const bytes of cfg.sizes) {
  const clean = makeState(bytes)
  const lossy = withLossy(clean, 50)
  for (const [name, state] of [
    ['none', clean],
    ['50+', lossy],
  ]) {
    const t = { stringify: [], scan: [], text: [] }
    let found
    // Round 0 warms the JIT up and is not counted.
    for (let r = -1; r < cfg.rounds; r++) {
      const order = r % 2 ? ['scan', 'stringify', 'text'] : ['stringify', 'scan', 'text']
      for (const k of order) {
        global.gc()
        if (r < 0) {
          if (k === 'stringify') JSON.stringify(state)
          else if (k === 'scan') findLossy(state)
          else stateText(state, null, { warn: false })
          continue
        }
        if (k === 'stringify') t.stringify.push(time(() => JSON.stringify(state))[0])
        if (k === 'scan') {
          const [ms, r2] = time(() => findLossy(state))
          t.scan.push(ms)
          found = r2
        }
        if (k === 'text') t.text.push(time(() => stateText(state, null, { warn: false }))[0])
      }
    }
    if ((name === 'none') !== (found === null)) throw new Error(`findLossy found ${found?.length ?? 0} lossy values in the "${name}" state.`)
    const s = median(t.stringify)
    const sc = median(t.scan)
    L.push(`| ${label(bytes)} | ${name === 'none' ? 'none' : `${found.length} listed`} | ${fmt(s)} | ${fmt(sc)} | +${((sc / s) * 100).toFixed(0)} % | ${fmt(median(t.text))} |`)
    console.log(L[L.length - 1])
  }
}
L.push('')

// 2. Subtree hashes.
function session(initial, subtreeHashes) {
  const reducer = makeReducer(initial)
  const next = actionMaker(initial.ids)
  const actions = Array.from({ length: cfg.actions }, next)
  global.gc()
  const recorder = createFlightRecorder({ subtreeHashes, maxEntries: cfg.actions + 10, maxBytes: 2 ** 30 })
  const store = createStore(reducer, recorder.enhancer)
  void recorder.toJSONL() // the header and the first full hash are not part of what is compared
  global.gc()
  const heap0 = process.memoryUsage().heapUsed
  const t0 = process.hrtime.bigint()
  for (const a of actions) store.dispatch(a)
  const dispatchMs = Number(process.hrtime.bigint() - t0) / 1e6
  const text = recorder.toJSONL() // finishes the deferred hashing and writes every line
  const totalMs = Number(process.hrtime.bigint() - t0) / 1e6
  global.gc()
  const retained = (process.memoryUsage().heapUsed - heap0) / cfg.actions
  const lines = text.split('\n').filter((l) => l.includes('"action"'))
  const bytesPerLine = lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) / lines.length
  if (subtreeHashes !== lines.at(-1).includes('"changed"')) throw new Error(`subtreeHashes ${subtreeHashes}: the last line ${lines.at(-1).includes('"changed"') ? 'has' : 'lacks'} the changed key.`)
  void recorder.close()
  return { dispatchUs: (dispatchMs * 1000) / cfg.actions, totalUs: (totalMs * 1000) / cfg.actions, retained, bytesPerLine, sample: lines.at(-1) }
}

L.push('### Subtree hashes (`subtreeHashes: true`, the `changed` key)', '')
L.push(
  `${cfg.actions} actions, each changing one entity, into a buffer that keeps them all (so the retained bytes include the buffered entries). "dispatch path" is the time of the \`dispatch\` calls alone (hashing is deferred up to the queue bound, past it inline); "in all" adds finishing the hashing and writing every line (\`toJSONL()\`).`,
  '',
)
L.push('| state | variant | bytes per action line | retained bytes per entry | dispatch path µs/action | in all µs/action |', '|---|---|---|---|---|---|')
let sample = ''
for (const bytes of cfg.subtreeSizes) {
  const initial = makeState(bytes)
  const runs = { off: [], on: [] }
  session(initial, false) // warm-up, not counted
  session(initial, true)
  for (let r = 0; r < cfg.rounds; r++) for (const v of r % 2 ? ['on', 'off'] : ['off', 'on']) runs[v].push(session(initial, v === 'on'))
  const m = (v, k) => median(runs[v].map((x) => x[k]))
  for (const v of ['off', 'on']) {
    const ratio = (k) => (v === 'on' ? ` (×${(m('on', k) / m('off', k)).toFixed(2)})` : '')
    const plus = (k) => (v === 'on' ? ` (+${(m('on', k) - m('off', k)).toFixed(0)})` : '')
    L.push(
      `| ${label(bytes)} | ${v === 'on' ? 'subtreeHashes' : 'default'} | ${m(v, 'bytesPerLine').toFixed(0)}${plus('bytesPerLine')} | ${m(v, 'retained').toFixed(0)}${plus('retained')} | ${m(v, 'dispatchUs').toFixed(1)}${ratio('dispatchUs')} | ${m(v, 'totalUs').toFixed(1)}${ratio('totalUs')} |`,
    )
    console.log(L[L.length - 1])
  }
  sample = runs.on[0].sample
}
L.push('', `An action line with the key: \`${sample}\``, '')

writeFileSync(join(root, 'bench/lossy.md'), L.join('\n'))
console.log('wrote bench/lossy.md')
