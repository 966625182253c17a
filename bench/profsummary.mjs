// Summarises a .cpuprofile: self time per function (top N), and grouped by what the time is for.
import { readFileSync } from 'node:fs'

const GROUPS = [
  ['fr64 hashing', /^(hash|hashUntil|update|aligned|keep|full|before|getRec|ageYoung|supersede|samePrefix|reserve|oEntry|cont|prim|str|mix|key|plain|hv|miss|objectFull|arrayFull|objectHash|arrayHash|objectIncremental|objectAligned|arrayIncremental|previousHash|previousElement|recomputeCheap|smallLeafCount|newElement|redactedElement|hashString|hashNumber|keyHash|stepA|stepB|finA|finB|initB|numA|numB|contA|contB|oEntryA|oEntryB|aEntryA|aEntryB|recHash|getRec|remember|supersede|ageYoung|ehReserve|enter|leave|usable|exotic|exoticValue|plainWalk|cacheFor|hashSome|hashEntry|finishHashing|finishHashingInBatches|enqueueHash|enqueue|finish|hex8|hashHex|Rec|hashNow|hashOf)$/],
  ['serialisation', /^(entryLine|projectAction|isFaithful|walk|shallowCopy|setData|collectNow|collect|isoAt|kindJson|kindField|actionLine|timeFields|hashField|stringifyState|stateJson|headerLine|applyRedaction|utf8Length|safeJson|toJSONL)$/],
  ['sink and file I/O', /^(prepare|write|writeSync|pump|tick|runAsync|performSync|succeeded|flush|close|open|openFileHandle|unlink|writeAll|writeAllSync|stamp|bound|(anonymous) fs)$/],
  ['JSON.parse / log parsing', /^(line|readEntry|readHeader|readEnd|checkSeq|parseRecording|toRecording|fail)$/],
  ['replay', /^(entry|action|resolveAction|replay|begin|rebase|result|fullState|standInForRtkQueryMiddleware)$/],
  ['reducer and redux', /^(reducer|dispatch|flightRecorderReducer|isPlainObject|combination|getState|wrappedFn)$/],
  ['recording (dispatch path)', /^(onReduce|recordAction|push|now|monotonic|isReduxInit|isReduxReplace|index|get nextSeq|get full|get overflowing|dropFront|grow|note|entryTurn|flightRecorderTurns|flightRecorderReducer)$/],
  ['garbage collection', /^\(garbage collector\)$/],
  ['idle', /^\(idle\)$/],
]

function load(path) {
  const p = JSON.parse(readFileSync(path, 'utf8'))
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const counts = new Map()
  for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
  const self = new Map()
  const names = new Map()
  let total = 0
  for (const [id, c] of counts) {
    const f = byId.get(id).callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').slice(-2).join('/') : ''}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + c)
    names.set(key, f.functionName || '(anonymous)')
    total += c
  }
  return { self, names, total }
}

export function summarise(path, top = 15) {
  const { self, total } = load(path)
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => ({ fn: k, pct: (100 * c) / total }))
}

/** Self time grouped (fr64, serialisation, sink I/O, …); `other` is everything unmatched. */
export function grouped(path) {
  const { self, names, total } = load(path)
  const out = new Map(GROUPS.map(([g]) => [g, 0]))
  out.set('other (bench harness, Node internals, compilation)', 0)
  for (const [k, c] of self) {
    const name = names.get(k)
    const g = GROUPS.find(([, re]) => re.test(name))
    const key = g ? g[0] : 'other (bench harness, Node internals, compilation)'
    out.set(key, out.get(key) + c)
  }
  return [...out].filter(([, c]) => c > 0).sort((a, b) => b[1] - a[1]).map(([group, c]) => ({ group, pct: (100 * c) / total }))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of grouped(process.argv[2])) console.log(r.pct.toFixed(1).padStart(5) + '%  [' + r.group + ']')
  for (const r of summarise(process.argv[2], Number(process.argv[3] ?? 20))) console.log(r.pct.toFixed(1).padStart(5) + '%  ' + r.fn)
}
