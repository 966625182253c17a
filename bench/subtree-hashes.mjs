// What the optional `changed` key (createFlightRecorder({ subtreeHashes: subtreeHashes() })) costs: bytes per
// action line, retained bytes per buffered entry, and time per action including hashing and
// writing the lines, on an RTK-style { ids, entities } state where each action changes one entity.
// A/B in one process, alternating; run: npm run build && node --expose-gc bench/subtree-hashes.mjs
import { createStore } from 'redux'
import { createFlightRecorder, subtreeHashes as withSubtreeHashes } from '../dist/index.js'

const SIZES = { '100 KB': 1000, '1 MB': 10_000 }
const ACTIONS = 5000

function makeReducer(n) {
  const entities = {}
  const ids = []
  for (let i = 0; i < n; i++) {
    ids.push('e' + i)
    entities['e' + i] = { id: 'e' + i, title: 'entity number ' + i, done: false, tags: ['a', 'b'], n: i }
  }
  const initial = { items: { ids, entities }, ui: { filter: 'all', page: 1 } }
  return (state = initial, action) => {
    if (action.type !== 'items/toggled') return state
    const e = state.items.entities[action.payload]
    return { ...state, items: { ...state.items, entities: { ...state.items.entities, [action.payload]: { ...e, done: !e.done, n: e.n + 1 } } } }
  }
}

function run(n, subtreeHashes) {
  const reducer = makeReducer(n)
  global.gc()
  const recorder = createFlightRecorder({ subtreeHashes: subtreeHashes ? withSubtreeHashes() : undefined, maxEntries: ACTIONS + 10, maxBytes: 1 << 30 })
  const store = createStore(reducer, recorder.enhancer)
  global.gc()
  const before = process.memoryUsage().heapUsed
  const t0 = process.hrtime.bigint()
  for (let i = 0; i < ACTIONS; i++) store.dispatch({ type: 'items/toggled', payload: 'e' + ((i * 7919) % n) })
  const text = recorder.toJSONL() // finishes the deferred hashing and writes every line
  const ms = Number(process.hrtime.bigint() - t0) / 1e6
  global.gc()
  const retained = (process.memoryUsage().heapUsed - before) / ACTIONS
  const lines = text.split('\n').filter((l) => l.includes('"action"'))
  const bytes = lines.reduce((s, l) => s + Buffer.byteLength(l) + 1, 0) / lines.length
  void store.getState()
  return { ms, retained, bytes, sample: lines[lines.length - 1] }
}

for (const [label, n] of Object.entries(SIZES)) {
  const rounds = { off: [], on: [] }
  for (let r = 0; r < 4; r++) for (const mode of r % 2 ? ['on', 'off'] : ['off', 'on']) rounds[mode].push(run(n, mode === 'on'))
  const med = (xs, k) => xs.map((x) => x[k]).sort((a, b) => a - b)[Math.floor(xs.length / 2)]
  const off = { ms: med(rounds.off, 'ms'), retained: med(rounds.off, 'retained'), bytes: med(rounds.off, 'bytes') }
  const on = { ms: med(rounds.on, 'ms'), retained: med(rounds.on, 'retained'), bytes: med(rounds.on, 'bytes') }
  console.log(`${label} state, ${ACTIONS} actions (median of 4, alternating):`)
  console.log(`  bytes per action line:      ${off.bytes.toFixed(1)} → ${on.bytes.toFixed(1)} (+${(on.bytes - off.bytes).toFixed(1)})`)
  console.log(`  retained bytes per entry:   ${off.retained.toFixed(1)} → ${on.retained.toFixed(1)} (+${(on.retained - off.retained).toFixed(1)})`)
  console.log(`  time per action (dispatch + hash + line): ${(off.ms * 1000 / ACTIONS).toFixed(2)} µs → ${(on.ms * 1000 / ACTIONS).toFixed(2)} µs (×${(on.ms / off.ms).toFixed(2)})`)
  console.log(`  line with the key: ${rounds.on[0].sample}`)
}
