import type { LossyValue } from './format/types'
import { joined } from './internal/lineParts'
import { isPlainProto } from './internal/plain'
import { findLossy, isIgnored, lossyField, MAX_LOSSY, warnLossy, type LossyOptions } from './lossy'
import { applyRedaction, REDACTED, redactBelow, type RedactState, type Redactor } from './redact'
import { stateText } from './serialize'
import { SLICE_MS, sliceLater } from './slices'

/**
 * Full states (header, checkpoints, `@@end`) written as `stateText` writes them, byte for byte,
 * without one long task and without re-serialising what did not change:
 * - a container with `BIG` keys or more is written in chunks of `CHUNK` children, each by one
 *   native JSON.stringify; a chunk whose keys and children (by identity, as fr64 reuses hashes, so
 *   only with fr64, whose cache already assumes that state is not mutated in place) are those of
 *   the last container written at the same path is reused with its lossy values: a checkpoint of
 *   a 10 MB state where one entity changed stringifies one chunk;
 * - redaction is applied as the walk goes, child by child (a big container's chunk by chunk), to
 *   what changed: a copy of the whole state redacted first (a pattern such as
 *   `'items.entities.*.note'` copies every entity) took ~130 ms at 50,000 entities in one step,
 *   and at every full state, since the copies defeated the reuse of unchanged chunks;
 * - the walk is resumable: `prepare(state)` runs it off the dispatch path in slices (src/slices.ts: one per event-loop turn, shared with hashing),
 *   and `text(state)` finishes what remains, synchronously.
 * Anything unusual (a getter that throws, a cycle, a BigInt, 50 lossy values or more, a value in a
 * big array whose toJSON may read its index) falls back to `stateText`, so errors, `unwritable`
 * and `lossy` stay exactly as before.
 */
const BIG = 64
/** Children of a big container stringified by one native call, and compared to reuse its text. */
const CHUNK = 512
/** Containers nested deeper than this are stringified natively as one piece. */
const DEPTH = 6

type Lossy = LossyValue[] | null | 0 // 0: too many to merge here (recomputed by findLossy)
interface Entry {
  /** The JSON text (undefined: JSON leaves the value out); `''` when the text is in `p`. */
  j: string | undefined
  l: Lossy
  /** The text in parts (when it holds a big container): its chunks, never joined into one string. */
  p?: string[]
}
interface Memo {
  v: object
  keys: string[] | undefined
  kids: unknown[]
  texts: string[]
  lossies: Lossy[]
  e: Entry
  /** How long listing its keys took (ms). */
  ms: number
}
interface Job {
  readonly state: unknown
  it?: Iterator<void, Entry>
  /** The finished text (or its parts), or null: write it with `stateText` (a fault, or something unusual). */
  out?: string | string[] | null
}

let deadline = Infinity
const clock = () => performance.now()


/** Array (1), plain object (2), or something JSON.stringify writes in its own way (0). */
function plain(v: object): number {
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return 0
  if (Array.isArray(v)) return 1
  const proto = Object.getPrototypeOf(v)
  return isPlainProto(proto) ? 2 : 0
}

/** `l` (paths relative to the child at `key`) appended to `into`. */
function merge(into: Lossy, key: string, l: Lossy): Lossy {
  if (l === null || into === 0) return into
  if (l === 0) return 0
  const out = into ?? []
  for (const x of l) {
    const path = x.path === '<root>' ? key : key + '.' + x.path
    // Paths this long may be deeper than findLossy looks (512): it decides.
    if (out.length >= MAX_LOSSY - 1 || path.length > 900) return 0
    out.push(x.detail === undefined ? { path, kind: x.kind } : { path, kind: x.kind, detail: x.detail })
  }
  return out
}

export class StateJson {
  /** The last big container written at each path, with its chunks' texts (see `big`). */
  private readonly memo = new Map<string, Memo>()
  private readonly jobs = new Map<unknown, Job>()
  private waiters: (() => void)[] = []

  constructor(
    private readonly redactor: Redactor | null,
    private readonly options: LossyOptions | undefined,
    /**
     * The key lists of the recorder's fr64 hasher (`keyLists`): a big map it has listed (the latest
     * version of the map an action changed) is not listed again here, and one listed here first is
     * not listed again by its step (see `walk`).
     */
    private readonly keysOf?: (v: object, keys?: string[]) => string[] | undefined,
    /** How long one slice of `prepare` work may run. */
    private readonly sliceMs = SLICE_MS,
  ) {}

  /** Starts writing `state` off the dispatch path, in slices. */
  prepare(state: unknown): void {
    if (this.jobs.has(state)) return
    // Prepared texts nobody asked for are not kept for long.
    if (this.jobs.size >= 4) this.jobs.delete(this.jobs.keys().next().value)
    this.jobs.set(state, { state })
    this.kick(false)
  }

  /** The length of the last state written (characters; -1 before the first): how large a state is. */
  lastLength = -1

  /** Whether `state` was prepared and its text is written (`write` then costs nothing more). */
  isReady(state: unknown): boolean {
    const job = this.jobs.get(state)
    return job !== undefined && job.out !== undefined
  }

  /** States being prepared. */
  get pending(): number {
    let n = 0
    for (const job of this.jobs.values()) if (job.out === undefined) n++
    return n
  }

  /** Resolves when every prepared state is written (keeps a Node process alive meanwhile). */
  ready(): Promise<void> {
    if (this.pending === 0) return Promise.resolve()
    return new Promise((resolve) => {
      this.waiters.push(resolve)
      this.kick(true)
    })
  }

  /** `stateText(state, …)`, reusing what `prepare` and earlier states wrote. */
  text(state: unknown, onUnwritable?: (error: unknown) => void): string {
    const w = this.write(state, onUnwritable)
    return typeof w === 'string' ? w : joined(w)
  }

  /**
   * `text(state, …)`, or, for a state with a big container, the same text in parts: its chunks
   * as they were stringified. A sink that writes them one by one never builds (and flattens) the
   * whole state as one string: ~30 ms for 10 MB, where writing the parts takes ~3.
   */
  write(state: unknown, onUnwritable?: (error: unknown) => void): string | string[] {
    let job = this.jobs.get(state)
    if (job) this.jobs.delete(state)
    else job = { state }
    const saved = deadline
    deadline = Infinity
    try {
      while (job.out === undefined) this.step(job)
    } finally {
      deadline = saved
    }
    if (job.out !== null) return job.out
    return stateText(state, this.redactor, this.options, onUnwritable)
  }

  /**
   * Prepares now, for about `ms` (at least one step): the flush tick's own share of the work when
   * slices get too little time to finish a large state (a page whose frames leave no idle time).
   */
  advance(ms: number): void {
    if (this.pending > 0) this.run(clock() + ms, ms)
  }

  /** Prepares in the recorder's shared slices (src/slices.ts), one per event-loop turn. */
  private kick(keepAlive: boolean): void {
    sliceLater(this.run, keepAlive)
  }

  private readonly run = (until: number, sliceMs = this.sliceMs): boolean => {
    deadline = Math.min(until, clock() + sliceMs)
    try {
      for (const job of this.jobs.values()) {
        // At least one step per slice, so that a slice of 0 ms still moves.
        if (job.out === undefined) do this.step(job)
        while (job.out === undefined && clock() < deadline)
        if (clock() >= deadline) break
      }
    } finally {
      deadline = Infinity
    }
    if (this.pending > 0) return true
    for (const w of this.waiters.splice(0)) w()
    return false
  }

  /** Runs `job` until the deadline or its end. */
  private step(job: Job): void {
    try {
      job.it ??= this.root(job.state)
      const r = job.it.next()
      if (r.done) job.out = this.finish(r.value, job.state)
    } catch {
      job.out = null
    }
  }

  /**
   * `v` (a child at `key`, automaton state `r`) as redaction leaves it. `above`: the containers on
   * the path to it (the originals), what redaction counts as ancestors (a cycle through one is not
   * followed, and depth counts from the root), as `applyRedaction` of the whole state does. (No
   * copies are shared between states: a value changed in place would keep an earlier verdict of
   * "nothing to redact".)
   */
  private redacted(v: unknown, r: RedactState | null, key: string, above: object[]): unknown {
    return r === null ? v : r.terminal ? REDACTED : redactBelow(v, this.redactor!, r, key, above)
  }

  private *root(state: unknown): Generator<void, Entry> {
    const r = this.redactor === null ? null : this.redactor.root
    if (r?.terminal !== true && state !== null && typeof state === 'object' && plain(state) !== 0) return yield* this.walk(state, '', 0, r, [])
    return unit(this.redacted(state, r, '', []), '')
  }

  private finish(e: Entry, state: unknown): string | string[] {
    let lossy: LossyValue[] | null
    const ignored = this.options?.ignoredPaths
    if (e.l === 0) lossy = findLossy(applyRedaction(state, this.redactor), ignored)
    else {
      lossy = e.l === null ? null : e.l.filter((x) => !isIgnored(x.path, ignored))
      if (lossy !== null && lossy.length === 0) lossy = null
    }
    if (lossy !== null && process.env.NODE_ENV !== 'production' && this.options?.warn !== false) warnLossy(lossy, 'state', 'In the state')
    const field = lossyField(lossy)
    const out = e.p === undefined ? (e.j ?? 'null') + field : field === '' ? e.p.slice() : e.p.concat(field)
    let n = 0
    if (typeof out === 'string') n = out.length
    else for (const part of out) n += part.length
    this.lastLength = n
    return out
  }

  /** The automaton state below `r` at child `k` of `v`; an array's hole is not redacted (it stays `null`). */
  private below(r: RedactState | null, v: object, k: string, arr: boolean): RedactState | null {
    if (r === null) return null
    const cr = this.redactor!.step(r, k)
    return cr?.terminal && arr && !Object.prototype.hasOwnProperty.call(v, k) ? null : cr
  }

  /** A plain object or array at `path` (automaton state `r`): small ones child by child, big ones by chunks. */
  private *walk(v: object, path: string, depth: number, r: RedactState | null, above: object[]): Generator<void, Entry> {
    // The big container written last at this path: the same one is not listed again (see `big`).
    const memo = this.memo.get(path)
    if (memo?.v === v) return memo.e
    const arr = Array.isArray(v)
    // Object.keys of a 62,662-key map is one native call (8-25 ms in Chromium under load): the
    // hasher's list of the same keys when it has one (the map an action changed, listed by its
    // step), else it starts a slice when it is past the deadline or would take past it (as it took last time).
    if (clock() > deadline || (!arr && memo && clock() + memo.ms > deadline && !this.keysOf?.(v))) {
      // (The slice ends here: `run` stops at its deadline, and the listing starts the next one.)
      deadline = 0
      yield
    }
    const t = clock()
    // (Taken here, with its length, in the same turn: the hasher's next step may append to it.)
    // (The hasher keeps no list for an array.)
    const known = this.keysOf?.(v)
    const keys = arr ? undefined : (known ?? Object.keys(v))
    const n = arr ? (v as unknown[]).length : keys!.length
    // (Listed here first, as the writer runs ahead of a hash queue that lags: for the hasher's step.)
    if (keys && !known && n >= BIG) this.keysOf?.(v, keys)
    above.push(v)
    // (A list taken from the hasher keeps the time listing took last time.)
    const e = n >= BIG ? yield* this.big(v, arr, keys, n, path, r, above, memo, known ? (memo?.ms ?? 0) : clock() - t) : yield* this.small(v, arr, keys, n, path, depth, r, above)
    above.pop()
    return e
  }

  /** A container under `BIG` keys, child by child. */
  private *small(v: object, arr: boolean, keys: string[] | undefined, n: number, path: string, depth: number, r: RedactState | null, above: object[]): Generator<void, Entry> {
    // The text since the last part (a child in parts starts a new one).
    let text = arr ? '[' : '{'
    let parts: string[] | undefined
    let first = true
    let l: Lossy = null
    for (let i = 0; i < n; i++) {
      const k = arr ? String(i) : keys![i]
      const c = (v as Record<string, unknown>)[k]
      const cr = this.below(r, v, k, arr)
      let e: Entry
      if (cr?.terminal !== true && c !== null && typeof c === 'object' && depth < DEPTH && plain(c) !== 0) {
        // A cycle: stateText refuses it (its writer says how), also where redaction would cut it.
        if (above.includes(c)) throw new TypeError('circular')
        // (The path as keys each in JSON, so that `{"a.b": …}` and `{a: {b: …}}` are not one path
        // to the memo of big containers: redaction may apply to one and not the other.)
        e = yield* this.walk(c, path + JSON.stringify(k), depth + 1, cr, above)
      } else e = unit(this.redacted(c, cr, k, above), k, arr)
      l = merge(l, k, e.l)
      const j = e.j ?? (arr ? 'null' : undefined)
      if (j === undefined) continue
      text += (first ? '' : ',') + (arr ? '' : JSON.stringify(k) + ':')
      first = false
      if (e.p === undefined) text += j
      else {
        parts ??= []
        if (text !== '') parts.push(text)
        for (const x of e.p) parts.push(x)
        text = ''
      }
    }
    text += arr ? ']' : '}'
    if (parts === undefined) return { j: text, l }
    parts.push(text)
    return { j: '', l, p: parts }
  }

  /**
   * A container with `BIG` keys or more: its children in chunks of `CHUNK`, each stringified by
   * one native call. A chunk whose keys and children (by identity) are those the last container
   * at this path had is not stringified again: with one entity changed, one chunk is.
   */
  private *big(v: object, arr: boolean, keys: string[] | undefined, n: number, path: string, r: RedactState | null, above: object[], memo: Memo | undefined, ms: number): Generator<void, Entry> {
    const kids: unknown[] = new Array(n)
    const texts: string[] = []
    const lossies: Lossy[] = []
    let l: Lossy = null
    const parts = [arr ? '[' : '{']
    // The children as redaction leaves them, for the chunks written (under a redaction path).
    let from: unknown[] | undefined
    for (let a = 0, c = 0; a < n; a += CHUNK, c++) {
      // Chunk by chunk: fetching and comparing a 62,662-key map's children in one step took up to
      // 26 ms in Chromium under load (session 39), on top of its Object.keys.
      if (clock() > deadline) yield
      const b = Math.min(n, a + CHUNK)
      for (let i = a; i < b; i++) kids[i] = (v as Record<string, unknown>)[arr ? i : keys![i]]
      let same = memo !== undefined && memo.kids.length >= b && (b === n) === (memo.kids.length === b)
      // (Under redaction an array's hole and an explicit undefined differ: null and "[redacted]".)
      for (let i = a; same && i < b; i++) same = memo!.kids[i] === kids[i] && (arr ? r === null || kids[i] !== undefined : memo!.keys![i] === keys![i])
      let t: string
      let cl: Lossy
      if (same) {
        t = memo!.texts[c]
        cl = memo!.lossies[c]
      } else {
        if (r !== null) {
          // (Redacted here, chunk by chunk, from the children as they are: the memo compares those.)
          from ??= new Array(n)
          for (let i = a; i < b; i++) {
            const k = arr ? String(i) : keys![i]
            from[i] = this.redacted(kids[i], this.below(r, v, k, arr), k, above)
          }
        }
        ;[t, cl] = chunk(arr, keys, from ?? kids, a, b)
      }
      texts.push(t)
      lossies.push(cl)
      if (t !== '') {
        if (parts.length > 1) parts.push(',')
        parts.push(t)
      }
      l = cl === 0 || l === 0 ? 0 : cl === null ? l : l === null ? cl.slice() : l.length + cl.length >= MAX_LOSSY ? 0 : l.concat(cl)
    }
    parts.push(arr ? ']' : '}')
    const e: Entry = { j: '', l, p: parts }
    this.memo.set(path, { v, keys, kids, texts, lossies, e, ms })
    return e
  }
}

/** Children `a` to `b` of a big container: their JSON joined by commas, and their lossy values. */
function chunk(arr: boolean, keys: string[] | undefined, kids: unknown[], a: number, b: number): [string, Lossy] {
  let text: string
  let l: Lossy
  if (arr) {
    // A value whose toJSON could depend on its index (JSON passes it the key) would get the
    // index within the slice: such a state is written by stateText (the job fails over to it).
    for (let i = a; i < b; i++) {
      const c = kids[i]
      const toJSON = typeof c === 'object' && c !== null ? (c as { toJSON?: unknown }).toJSON : undefined
      if ((typeof toJSON === 'function' && toJSON !== Date.prototype.toJSON) || typeof c === 'bigint') throw new TypeError('keyed toJSON')
    }
    const slice = kids.slice(a, b)
    text = JSON.stringify(slice).slice(1, -1)
    l = findLossy(slice)
    // Paths start with the index within the slice.
    if (l !== null && l.length < MAX_LOSSY) {
      l = l.map((x) => {
        const dot = x.path.indexOf('.')
        const i = Number(dot === -1 ? x.path : x.path.slice(0, dot)) + a
        const path = dot === -1 ? String(i) : i + x.path.slice(dot)
        return x.detail === undefined ? { path, kind: x.kind } : { path, kind: x.kind, detail: x.detail }
      })
    }
  } else {
    // The same keys in the same order (integer keys first, ascending, then the others in order),
    // the same values: JSON.stringify writes exactly the container's text for them.
    const part = Object.create(null) as Record<string, unknown>
    for (let i = a; i < b; i++) part[keys![i]] = kids[i]
    text = JSON.stringify(part).slice(1, -1)
    l = findLossy(part)
  }
  if (l !== null && (l.length >= MAX_LOSSY || l.some((x) => x.path.length > 900))) l = 0
  return [text, l]
}

/** A value stringified natively as one piece (`key` for `toJSON`), with its lossy values. */
function unit(v: unknown, key: string, inArray?: boolean): Entry {
  let l: Lossy = null
  const t = typeof v
  if (v === null) return { j: 'null', l }
  if (t === 'undefined' || t === 'function' || t === 'symbol') {
    if (inArray === undefined) return { j: undefined, l } // the root
    if (inArray) l = [t === 'undefined' ? { path: '<root>', kind: 'undefined-in-array' } : { path: '<root>', kind: 'undefined-in-array', detail: t }]
    else if (t !== 'undefined') l = [{ path: '<root>', kind: t }]
    return { j: undefined, l }
  }
  if (t === 'object' || t === 'number' || t === 'bigint') {
    l = findLossy(v)
    if (l !== null && l.length >= MAX_LOSSY) l = 0
  }
  if (t !== 'object' && t !== 'bigint') return { j: JSON.stringify(v), l }
  if (v !== null && plain(v as object) !== 0) return { j: JSON.stringify(v), l }
  const holder = JSON.stringify({ [key]: v })
  return { j: holder.length > 2 ? holder.slice(JSON.stringify(key).length + 2, -1) : undefined, l }
}
