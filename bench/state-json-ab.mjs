/**
 * A/B of writing a full state (header, checkpoint, `@@end`): `stateText` (one JSON.stringify and
 * one findLossy over the whole state, as before) against `StateJson` (src/stateJson.ts) cold (a
 * first state) and warm (the next state, one entity changed, as a checkpoint sees it). Rounds
 * interleaved in one process; medians in ms. Bundles the two sources with esbuild first.
 *
 *   node bench/state-json-ab.mjs            # 10 MB
 *   node bench/state-json-ab.mjs 1e6 7      # 1 MB, 7 rounds
 */
import { build } from 'esbuild'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const dir = mkdtempSync(join(tmpdir(), 'fr-sj-'))
writeFileSync(join(dir, 'entry.ts'), `export { stateText } from ${JSON.stringify(join(root, 'src/serialize.ts'))}\nexport { StateJson } from ${JSON.stringify(join(root, 'src/stateJson.ts'))}\nexport * from ${JSON.stringify(join(root, 'src/hash/compact.ts'))}\n`)
await build({ entryPoints: [join(dir, 'entry.ts')], bundle: true, platform: 'node', format: 'esm', outfile: join(dir, 'out.mjs'), logLevel: 'warning' })
const { stateText, StateJson, CompactFr64Hasher, keyLists } = await import(pathToFileURL(join(dir, 'out.mjs')).href)
rmSync(dir, { recursive: true, force: true })
const { actionMaker, makeReducer, makeState } = await import('./state.mjs')

const bytes = Number(process.argv[2] ?? 1e7)
const rounds = Number(process.argv[3] ?? 5)
let state = makeState(bytes)
const reducer = makeReducer(state)
const next = actionMaker(state.ids)
const time = (f) => {
  const t0 = performance.now()
  f()
  return performance.now() - t0
}
const rows = { stateText: [], 'StateJson cold': [], 'StateJson warm (one entity changed)': [] }
// With the recorder's hasher having hashed the state (its step listed the changed map): the writer
// takes that key list (src/stateJson.ts, keyLists) where there is one.
const hashed = 'StateJson warm, after the hasher\'s step to the same state'
rows[hashed] = []
const quiet = { warn: false }
for (let r = 0; r < rounds; r++) {
  rows.stateText.push(time(() => stateText(state, null, quiet)))
  const w = new StateJson(null, quiet)
  rows['StateJson cold'].push(time(() => w.text(state)))
  state = reducer(state, next())
  rows['StateJson warm (one entity changed)'].push(time(() => w.text(state)))
  if (w.text(state) !== stateText(state, null, quiet)) throw new Error('StateJson and stateText differ')
  const hasher = new CompactFr64Hasher()
  const h = new StateJson(null, quiet, keyLists?.(hasher))
  hasher.hash(state)
  h.text(state)
  const prev = state
  state = reducer(state, next())
  hasher.hash(state, prev)
  rows[hashed].push(time(() => h.text(state)))
  if (h.text(state) !== stateText(state, null, quiet)) throw new Error('StateJson and stateText differ')
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(`${bytes / 1e6} MB state (${state.ids.length} entities), ${rounds} rounds, median ms (each round):`)
for (const [k, v] of Object.entries(rows)) console.log(`  ${k}: ${median(v).toFixed(1)} (${v.map((x) => x.toFixed(0)).join(', ')})`)
