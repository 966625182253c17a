/**
 * Lever check for fr64 on a large (dictionary-mode) entity map: what it costs to find a new
 * version's changed keys. Compares, in one process, interleaved, CPU time per call: listing the
 * keys (`Object.keys`, what fr64 does today), counting them with for-in (the cheapest safe way
 * found to notice an added key without listing), `Object.getOwnPropertyNames`, and walking the
 * previous version's known keys comparing references (finds changed and removed keys, not added
 * ones). Each new version is made by spreading the previous one, as the bench reducer does.
 *
 *   node bench/keys-ab.mjs '{"bytes":1e7,"rounds":6}'
 */
import { makeState } from './state.mjs'

const { bytes = 1e7, rounds = 6, reps = 5 } = JSON.parse(process.argv[2] ?? '{}')
const s = makeState(bytes)
let map = s.entities
const known = Object.keys(map)
const values = Object.values(map)
const cpuMs = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
let sink = 0
const ways = {
  'Object.keys': (m) => Object.keys(m).length,
  'for-in count': (m) => {
    let c = 0
    for (const _ in m) c++
    return c
  },
  'Object.getOwnPropertyNames': (m) => Object.getOwnPropertyNames(m).length,
  'walk known keys': (m) => {
    let c = 0
    for (let i = 0; i < known.length; i++) if (m[known[i]] !== values[i]) c++
    return c
  },
}
const names = Object.keys(ways)
const got = Object.fromEntries(names.map((n) => [n, []]))
for (let r = 0; r < rounds; r++) {
  const id = s.ids[(r * 7919) % s.ids.length]
  map = { ...map, [id]: { ...map[id], n: r } }
  for (let k = 0; k < names.length; k++) {
    const name = names[(k + r) % names.length]
    sink += ways[name](map)
    const t0 = cpuMs()
    for (let i = 0; i < reps; i++) sink += ways[name](map)
    got[name].push((cpuMs() - t0) / reps)
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
console.log(`${known.length} keys, ${rounds} rounds, CPU ms per call (median):`)
for (const n of names) console.log(`  ${n}: ${median(got[n]).toFixed(2)} (Object.keys × ${(median(got[n]) / median(got['Object.keys'])).toFixed(2)})`)
if (sink === 0.5) console.log(sink)
