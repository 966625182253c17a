// Dispatch-path time in a synchronous burst (issue found by an acceptance run, session 19): an RTK
// store (Immer) holding N entities, `upsert`ing one per action, 1,500 dispatches without yielding
// ("burst") and yielding every 10 ("yielding"), with and without a default `createFlightRecorder()`;
// time inside `store.dispatch` only, variants interleaved round by round in one process.
//
//   npm run build && node bench/burst.mjs                writes bench/burst.md (npm run bench puts it in BENCHMARKS.md)
//   node bench/burst.mjs '{"sizes":[2000],"rounds":5}' /tmp/abA/dist dist    A/B of builds, printed only
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { configureStore, createSlice } from '@reduxjs/toolkit'

process.env.NODE_ENV = 'production'
const opts = JSON.parse(process.argv[2] ?? '{}')
const sizes = opts.sizes ?? [500, 2000]
const rounds = opts.rounds ?? 3
const N = opts.n ?? 1500
const dists = process.argv.slice(3)
const builds = await Promise.all((dists.length > 0 ? dists : ['dist']).map(async (d) => ({ name: d, lib: await import(pathToFileURL(resolve(d, 'index.js')).href) })))

const slice = createSlice({
  name: 'e',
  initialState: { ids: [], entities: {} },
  reducers: {
    upsert(s, a) {
      if (!s.entities[a.payload.id]) s.ids.push(a.payload.id)
      s.entities[a.payload.id] = a.payload
    },
  },
})

function start(count) {
  const s = { ids: [], entities: {} }
  for (let i = 0; i < count; i++) {
    s.ids.push('k' + i)
    s.entities['k' + i] = { id: 'k' + i, v: 0, text: 'x'.repeat(100) }
  }
  return s
}

async function session(lib, count, yielding) {
  const rec = lib ? lib.createFlightRecorder() : null
  const store = configureStore({
    reducer: slice.reducer,
    preloadedState: start(count),
    middleware: (g) => (rec ? g({ serializableCheck: false, immutableCheck: false }).prepend(rec.middleware) : g({ serializableCheck: false, immutableCheck: false })),
    enhancers: (g) => (rec ? g().concat(rec.enhancer) : g()),
  })
  let inside = 0
  for (let i = 0; i < N; i++) {
    const t = performance.now()
    store.dispatch(slice.actions.upsert({ id: 'k' + (i % count), v: i, text: 'y'.repeat(100) }))
    inside += performance.now() - t
    if (yielding && i % 10 === 9) await new Promise((r) => setImmediate(r))
  }
  if (rec) await rec.close()
  return (inside / N) * 1000
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const rows = []
for (const count of sizes) {
  const variants = [{ name: 'bare', lib: null }, ...builds.map((b) => ({ name: b.name, lib: b.lib }))]
  const got = new Map()
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < variants.length; k++) {
      const v = variants[(k + r) % variants.length]
      for (const yielding of [false, true]) {
        const key = `${v.name}|${yielding}`
        if (!got.has(key)) got.set(key, [])
        got.get(key).push(await session(v.lib, count, yielding))
      }
    }
  }
  const json = JSON.stringify(start(count)).length
  for (const v of variants) {
    const burst = median(got.get(`${v.name}|false`))
    const yielding = median(got.get(`${v.name}|true`))
    const bare = [median(got.get('bare|false')), median(got.get('bare|true'))]
    rows.push({ count, json, name: v.name, burst, yielding, burstRatio: burst / bare[0], yieldingRatio: yielding / bare[1] })
  }
}
for (const r of rows) console.log(`${r.count} entities (${(r.json / 1024).toFixed(0)} KB)  ${r.name.padEnd(16)} burst ${r.burst.toFixed(0)} µs (${r.burstRatio.toFixed(2)}×)  yielding ${r.yielding.toFixed(0)} µs (${r.yieldingRatio.toFixed(2)}×)`)

if (dists.length === 0) {
  const md = `## Dispatch path in synchronous bursts (RTK store, Immer)

\`node bench/burst.mjs\` (after \`npm run build\`), Node ${process.version}, ${new Date().toISOString().slice(0, 16)} UTC: an RTK
store holding N entities (\`createSlice\`, Immer), each action upserting one, ${N.toLocaleString('en')} dispatches
without yielding (burst) and yielding every 10, a default \`createFlightRecorder()\`; µs inside
\`dispatch\` per action, median of ${rounds} interleaved rounds, ratio to the bare store in the same mode.
DESIGN's target: ≤ 1.15× also in sustained synchronous bursts. In a burst nothing can run between
dispatches, so past the hash queue's bound each dispatch hashes about one state inline.

| entities (state JSON) | variant | burst µs/dispatch | × bare | yielding µs/dispatch | × bare |
|---|---|---|---|---|---|
${rows.map((r) => `| ${r.count.toLocaleString('en')} (${(r.json / 1024).toFixed(0)} KB) | ${r.name === 'dist' ? 'recorder' : r.name} | ${r.burst.toFixed(0)} | ${r.name === 'bare' ? '1.00' : r.burstRatio.toFixed(2)} | ${r.yielding.toFixed(0)} | ${r.name === 'bare' ? '1.00' : r.yieldingRatio.toFixed(2)} |`).join('\n')}
`
  writeFileSync(new URL('./burst.md', import.meta.url), md)
  console.log('wrote bench/burst.md')
}
