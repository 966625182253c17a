// Summarises a .cpuprofile: self time per function (top N), for BENCHMARKS.md notes.
import { readFileSync } from 'node:fs'
export function summarise(path, top = 15) {
  const p = JSON.parse(readFileSync(path, 'utf8'))
  const self = new Map()
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const counts = new Map()
  for (const s of p.samples) counts.set(s, (counts.get(s) ?? 0) + 1)
  let total = 0
  for (const [id, c] of counts) {
    const n = byId.get(id)
    const f = n.callFrame
    const key = `${f.functionName || '(anonymous)'} ${f.url ? f.url.split('/').slice(-2).join('/') : ''}:${f.lineNumber + 1}`
    self.set(key, (self.get(key) ?? 0) + c)
    total += c
  }
  return [...self].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => ({ fn: k, pct: (100 * c) / total }))
}
if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of summarise(process.argv[2], Number(process.argv[3] ?? 20))) console.log(r.pct.toFixed(1).padStart(5) + '%  ' + r.fn)
}
