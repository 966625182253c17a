/**
 * Long tasks from one large action: a store whose entity map holds 20 entities loads 60,000 in one
 * action, then 30 actions follow one per 16 ms frame: the 16th rewrites every entity, the last
 * empties the map but for 20, the others change one entity each. The
 * recorder writes to a `fileSink`. A 1 ms timer chain watches the event loop; each gap, minus 1 ms
 * and the reducer's own time, is a stall. Prints the longest stall and what came before it, per
 * build (one process per run, builds alternating).
 *
 * Scenario "rtk" (the default runs both): the shape of a Redux Toolkit app loading a page of data
 * with a thunk: an `items` slice beside three others starts as `getInitialState()` (an empty map
 * and ids array) and its fulfilled action carries the 60,000 rows (10 MB of JSON) as its payload.
 *
 *   node bench/big-actions.mjs                       # the build in dist/, 3 runs, both scenarios
 *   node bench/big-actions.mjs '{"runs":2,"scenarios":["rtk"]}' <dist A> <dist B>
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const self = fileURLToPath(import.meta.url)
if (process.argv[2] !== '--child') {
  const { runs = 3, scenarios = ['map20', 'rtk'] } = JSON.parse(process.argv[2] ?? '{}')
  const dists = process.argv.length > 3 ? process.argv.slice(3) : [resolve('dist')]
  const out = new Map(scenarios.flatMap((sc) => dists.map((d) => [`${sc} ${d}`, []])))
  for (let r = 0; r < runs; r++) {
    for (const sc of scenarios) for (const d of dists) out.get(`${sc} ${d}`).push(JSON.parse(execFileSync(process.execPath, [self, '--child', d, sc], { encoding: 'utf8' }).trim().split('\n').pop()))
  }
  console.log('| scenario | build | longest stall per run (ms, after) |\n|---|---|---|')
  for (const [k, rs] of out) console.log(`| ${k.replace(' ', ' | ')} | ${rs.map((x) => `${x.worst} (${x.at})`).join(', ')} |`)
} else {
  process.env.NODE_ENV = 'production'
  const D = process.argv[3]
  const rtk = process.argv[4] === 'rtk'
  const core = await import(pathToFileURL(resolve(D, 'index.js')).href)
  const node = await import(pathToFileURL(resolve(D, 'node.js')).href)
  const { applyMiddleware, compose, legacy_createStore: createStore } = await import('redux')
  const N = 60_000
  const rows = Array.from({ length: N }, (_, k) => ({ id: 'e' + k, title: 'Item ' + k, done: k % 3 === 0, n: 0, tags: ['a', 'b'] }))
  const init = { ids: rows.slice(0, 20).map((r) => r.id), entities: Object.fromEntries(rows.slice(0, 20).map((r) => [r.id, r])), status: 'idle' }
  let reducerMs = 0
  const items = (s = init, a) => {
    const t = performance.now()
    try {
      if (a.type === 'items/loaded') {
        const loaded = a.payload ?? rows
        return { ids: loaded.map((r) => r.id), entities: Object.fromEntries(loaded.map((r) => [r.id, r])), status: 'loaded' }
      }
      if (a.type === 'items/allToggled') {
        const entities = {}
        for (const id in s.entities) entities[id] = { ...s.entities[id], done: !s.entities[id].done }
        return { ...s, entities }
      }
      if (a.type === 'items/cleared') return { ids: s.ids.slice(0, 20), entities: Object.fromEntries(s.ids.slice(0, 20).map((id) => [id, s.entities[id]])), status: 'cleared' }
      if (a.type === 'items/bumped') return { ...s, entities: { ...s.entities, [a.id]: { ...s.entities[a.id], n: s.entities[a.id].n + 1 } } }
      return s
    } finally {
      reducerMs += performance.now() - t
    }
  }
  const others = { ui: { filter: '', page: 0, open: false }, auth: { user: 'ann', status: 'ok' }, api: { queries: {}, mutations: {}, config: { online: true } } }
  const reducer = rtk ? (s = { items: { ids: [], entities: {}, status: 'idle' }, ...others }, a) => ({ ...s, items: items(s.items, a) }) : items
  // (Made before the watch starts: the app's work, like the fetch and parse that precede such an action.)
  const load = rtk ? { type: 'items/loaded', payload: rows.map((r) => ({ ...r, note: 'x'.repeat(90) })), meta: { requestId: 'r1', requestStatus: 'fulfilled' } } : { type: 'items/loaded' }
  const path = `/tmp/fr-big-actions-${process.pid}.jsonl`
  const rec = core.createFlightRecorder({ sinks: [node.fileSink(path, { processLifecycle: false })] })
  const store = createStore(reducer, compose(applyMiddleware(rec.middleware), rec.enhancer))
  let after = 'create'
  let last = performance.now()
  let app = 0
  let worst = 0
  let at = ''
  let on = true
  const watch = () => {
    if (!on) return
    const t = performance.now()
    const gap = t - last - 1 - (reducerMs - app)
    app = reducerMs
    last = t
    if (gap > worst) [worst, at] = [gap, after]
    setTimeout(watch, 1)
  }
  setTimeout(watch, 1)
  await new Promise((r) => setTimeout(r, 20))
  store.dispatch(load)
  after = 'items/loaded'
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 16))
    const a = i === 15 ? { type: 'items/allToggled' } : i === 29 ? { type: 'items/cleared' } : { type: 'items/bumped', id: 'e' + ((i * 7919) % N) }
    store.dispatch(a)
    after = a.type === 'items/bumped' ? `bump ${i}` : a.type
  }
  await new Promise((r) => setTimeout(r, 500))
  on = false
  await rec.close()
  const { rmSync } = await import('node:fs')
  rmSync(path, { force: true })
  console.log(JSON.stringify({ worst: Math.round(worst), at }))
}
