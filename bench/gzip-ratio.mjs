// How much smaller a log gets gzipped (the panel's `gzip` option; every reader opens .jsonl.gz):
// a 1 MB RTK entity state (7,000 entities), N actions each updating one entity, the buffer read
// with its final state. `npm run build && node bench/gzip-ratio.mjs` writes bench/gzip.md, which
// `npm run bench` puts into BENCHMARKS.md.
import { writeFileSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder } from '../dist/index.js'

const adapter = createEntityAdapter()
const items = Array.from({ length: 7000 }, (_, i) => ({ id: `e${i}`, title: `Item ${i} ${'lorem ipsum '.repeat(3)}`, price: (i * 37) % 1000, tags: ['a', 'b'], done: i % 3 === 0 }))
const slice = createSlice({ name: 'items', initialState: adapter.setAll(adapter.getInitialState(), items), reducers: { upd: (s, a) => adapter.updateOne(s, a.payload) } })
const rows = []
for (const n of [200, 2000]) {
  const rec = createFlightRecorder({ maxBytes: 2 ** 30 })
  const store = configureStore({ reducer: { items: slice.reducer }, middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(rec.middleware), enhancers: (g) => g().concat(rec.enhancer) })
  for (let i = 0; i < n; i++) store.dispatch(slice.actions.upd({ id: `e${(i * 7919) % 7000}`, changes: { price: i, done: i % 2 === 0 } }))
  const text = rec.toJSONL({ finalState: true })
  const gz = gzipSync(text)
  rows.push(`| ${n.toLocaleString('en')} | ${(text.length / 1e6).toFixed(2)} MB | ${(gz.length / 1e6).toFixed(3)} MB | ${(text.length / gz.length).toFixed(1)}× |`)
}
const md = `## Log size with gzip

\`node bench/gzip-ratio.mjs\` (after \`npm run build\`): a 1 MB RTK entity state (7,000 entities), each
action updating one entity, the buffer read with its final state (\`toJSONL({ finalState: true })\`,
what the panel's "Report a problem" saves), gzipped with Node's zlib at its default level.

| actions | log | gzipped | ratio |
|---|---|---|---|
${rows.join('\n')}

Every file reader of the package (\`readRecording\`, \`loadRecording\`, \`replayFile\`,
\`expectReplayFile\`, the CLI, the panel's "Load a file…") reads a \`.jsonl.gz\` as it is, and the
panel's \`gzip\` option saves reports and downloads compressed (\`CompressionStream\`, in the browser).
`
writeFileSync(new URL('./gzip.md', import.meta.url), md)
console.log(md)
