/**
 * Incremental JSON for full states, measured: `JSON.stringify` of the 10 MB bench state against
 * building the same text from per-entity texts (cached by reference) and rebuilding it from the
 * cache (what a checkpoint or `@@end` would do when few entities changed). bench/jank.md, session 15.
 *
 *   node bench/json-reuse.mjs
 */
import { makeState } from './state.mjs'
const s = makeState(1e7)
const t = () => performance.now()
for (let r = 0; r < 4; r++) {
  let a = t(); const whole = JSON.stringify(s); const tw = t() - a
  a = t(); const cache = new WeakMap(); const parts = []
  for (const k of Object.keys(s.entities)) { const e = s.entities[k]; const j = JSON.stringify(e); cache.set(e, j); parts.push(JSON.stringify(k) + ':' + j) }
  const built = '{"entities":{' + parts.join(',') + '}}'; const tb = t() - a
  a = t(); const parts2 = []
  for (const k of Object.keys(s.entities)) { const e = s.entities[k]; parts2.push(JSON.stringify(k) + ':' + cache.get(e)) }
  const re = '{"entities":{' + parts2.join(',') + '}}'; const tr = t() - a
  a = t(); const buf = Buffer.from(whole); const te = t() - a
  console.log(`whole ${tw.toFixed(1)} ms (${whole.length}), build+cache ${tb.toFixed(1)}, reuse ${tr.toFixed(1)}, utf8 ${te.toFixed(1)}`)
}
