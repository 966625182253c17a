import type { BatchInfo, CollectorStore } from './types'

/** A span of seq no stored batch covers. */
export interface Gap {
  from: number
  to: number
}

/**
 * The seq spans between `fromSeq - 1` (the header) and the last stored seq that no batch covers:
 * batches that never arrived. Seq gaps inside a batch are the recorder's own (it wrote `@@dropped`).
 * `headerInBatch` false: the header is a part's (see `CollectorStore.putPart`), not in a batch.
 */
export function gapsOf(batches: BatchInfo[], fromSeq: number, headerInBatch = true): Gap[] {
  const sorted = [...batches].sort((a, b) => a.from - b.from || b.to - a.to)
  const gaps: Gap[] = []
  let next = headerInBatch ? fromSeq - 1 : fromSeq
  for (const b of sorted) {
    if (b.from > next) gaps.push({ from: next, to: b.from - 1 })
    next = Math.max(next, b.to + 1)
  }
  return gaps
}

const SEQ_PREFIX = /^\{"seq":([0-9]{1,16})[,}]/

type LineKind = { seq: number; kind: 'header' | 'end' | 'entry' } | undefined

/**
 * What a stored line is. Lines were validated when stored; the recorder writes `seq` first in
 * entries, so most lines are read without JSON.parse.
 */
function lineKind(line: string, fromSeq: number): LineKind {
  if (!line.includes('"@@session"') && !line.includes('"@@end"')) {
    const m = SEQ_PREFIX.exec(line)
    if (m) return { seq: Number(m[1]), kind: 'entry' }
  }
  let v: Record<string, unknown>
  try {
    v = JSON.parse(line) as Record<string, unknown>
  } catch {
    return undefined
  }
  const plain = !Object.prototype.hasOwnProperty.call(v, 'action')
  if (v.kind === '@@session' && plain) return { seq: fromSeq - 1, kind: 'header' }
  if (typeof v.seq !== 'number') return undefined
  return { seq: v.seq, kind: v.kind === '@@end' && plain ? 'end' : 'entry' }
}

/**
 * The lines of one batch's text by seq (its header, if any, at `from`: a batch holding the header
 * starts with it).
 */
export function linesBySeq(text: string, from: number): Map<number, string> {
  const out = new Map<number, string>()
  for (const line of linesOf(text)) {
    const what = lineKind(line, from + 1)
    if (what !== undefined) out.set(what.seq, line)
  }
  return out
}

/** The non-empty lines of a batch's text. */
function* linesOf(text: string): Generator<string> {
  let start = 0
  while (start < text.length) {
    let nl = text.indexOf('\n', start)
    if (nl === -1) nl = text.length
    const line = text.slice(start, nl)
    start = nl + 1
    if (line !== '') yield line
  }
}

/**
 * The lines of a session in seq order, each seq once, the header first and nothing after `@@end`.
 * Batches may overlap (a span sent again, cut differently) and may have seq gaps inside (httpSink
 * carries the header on with the next batch when one is given up), so lines are merged by seq: a
 * line is final once every batch that could hold its seq — those starting at or before it — has
 * been read. Batches are read in order of `from`, a few ahead. `header`: the header line when it is
 * not in a batch (a part's, see `CollectorStore.putPart`); lines of batches before it are left out.
 */
export async function* assembleLines(store: CollectorStore, session: string, batches: BatchInfo[], fromSeq: number, header?: string): AsyncGenerator<string> {
  const sorted = [...batches].sort((a, b) => a.from - b.from || b.to - a.to)
  const ahead = 4
  const reads: Array<Promise<string | undefined>> = []
  const read = (i: number) => {
    if (i >= sorted.length || reads[i] !== undefined) return
    const pending = store.readBatch(session, sorted[i].from, sorted[i].to)
    // Reads ahead may be abandoned (the log ended, the client went away): never unhandled.
    pending.catch(() => {})
    reads[i] = pending
  }
  const headerSeq = fromSeq - 1
  /** Lines read but not yet given out, by seq. */
  const waiting = new Map<number, { line: string; end: boolean }>()
  let emitted = headerSeq - 1
  if (header !== undefined) waiting.set(headerSeq, { line: header, end: false })

  /** Gives out the waiting lines below `limit`, in order; false once the log has ended. */
  function* release(limit: number): Generator<string, boolean> {
    const seqs = [...waiting.keys()].filter((seq) => seq < limit).sort((a, b) => a - b)
    for (const seq of seqs) {
      const { line, end } = waiting.get(seq)!
      waiting.delete(seq)
      // Without its header nothing can be read: the caller checked that the header batch exists.
      if (emitted < headerSeq && seq !== headerSeq) return false
      emitted = seq
      yield line
      if (end) return false
    }
    return true
  }

  for (let i = 0; i < sorted.length; i++) {
    for (let j = i; j < i + ahead; j++) read(j)
    const going: boolean = yield* release(sorted[i].from)
    if (!going) return
    const text = await reads[i]
    reads[i] = Promise.resolve(undefined)
    if (text === undefined) continue
    for (const line of linesOf(text)) {
      const what = lineKind(line, fromSeq)
      if (what === undefined || what.seq <= emitted || waiting.has(what.seq)) continue
      // Only the header may take the seq before from_seq.
      if ((what.seq === headerSeq) !== (what.kind === 'header') || what.seq < headerSeq) continue
      waiting.set(what.seq, { line, end: what.kind === 'end' })
    }
  }
  yield* release(Infinity)
}
