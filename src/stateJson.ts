import type { LossyValue } from './format/types'
import { findLossy, isIgnored, lossyField, MAX_LOSSY, warnLossy, type LossyOptions } from './lossy'
import { applyRedaction, type Redactor } from './redact'
import { stateText } from './serialize'

/**
 * Full states (header, checkpoints, `@@end`) written as `stateText` writes them, byte for byte,
 * without one long task and without re-serialising what did not change:
 * - the JSON text and the lossy values of an unchanged subtree are reused, found by object
 *   identity as fr64 reuses hashes (so only with fr64, whose cache already assumes that state is
 *   not mutated in place): containers with `BIG` keys or more are walked here, their children
 *   stringified natively one by one and remembered; a checkpoint of a 10 MB state where one
 *   entity changed stringifies one entity;
 * - the walk is resumable: `prepare(state)` runs it off the dispatch path in slices of `SLICE` ms,
 *   and `text(state)` finishes what remains, synchronously.
 * Anything unusual (a getter that throws, a cycle, a BigInt, 50 lossy values or more) falls back
 * to `stateText`, so errors, `unwritable` and `lossy` stay exactly as before.
 */
const BIG = 64
const SLICE = 8
/** Containers nested deeper than this are stringified natively as one piece. */
const DEPTH = 6

type Lossy = LossyValue[] | null | 0 // 0: too many to merge here (recomputed by findLossy)
interface Entry {
  j: string | undefined
  l: Lossy
  /** The key this entry was last written under, and `"key":text`. */
  k?: string
  p?: string
}
interface Job {
  readonly state: unknown
  value?: unknown
  it?: Iterator<void, Entry>
  /** The finished text, or null: write it with `stateText` (a fault, or something unusual). */
  out?: string | null
}

let deadline = Infinity
const clock = () => performance.now()

/** The next slice: `setImmediate` in Node (unref'd unless awaited), a timer elsewhere. */
function later(fn: () => void, keepAlive: boolean): void {
  if (typeof setImmediate !== 'function') return void setTimeout(fn, 0)
  const h = setImmediate(fn) as { unref?: () => void }
  if (!keepAlive) h.unref?.()
}

/** Array (1), plain object (2), or something JSON.stringify writes in its own way (0). */
function plain(v: object): number {
  if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return 0
  if (Array.isArray(v)) return 1
  const proto = Object.getPrototypeOf(v)
  return proto === Object.prototype || proto === null ? 2 : 0
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
  private cur = new WeakMap<object, Entry>()
  private old = this.cur
  private readonly jobs = new Map<unknown, Job>()
  private scheduled = false
  private waiters: (() => void)[] = []

  constructor(
    private readonly redactor: Redactor | null,
    private readonly options: LossyOptions | undefined,
    /** How long one slice of `prepare` work may run. */
    private readonly sliceMs = SLICE,
  ) {}

  /** Starts writing `state` off the dispatch path, in slices. */
  prepare(state: unknown): void {
    if (this.jobs.has(state)) return
    // Prepared texts nobody asked for are not kept for long.
    if (this.jobs.size >= 4) this.jobs.delete(this.jobs.keys().next().value)
    this.jobs.set(state, { state })
    this.kick(false)
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

  private kick(keepAlive: boolean): void {
    if (this.scheduled && !keepAlive) return
    this.scheduled = true
    later(() => this.run(), keepAlive)
  }

  private run(): void {
    this.scheduled = false
    deadline = clock() + this.sliceMs
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
    if (this.pending > 0) this.kick(this.waiters.length > 0)
    else for (const w of this.waiters.splice(0)) w()
  }

  /** Runs `job` until the deadline or its end. */
  private step(job: Job): void {
    try {
      if (job.it === undefined) {
        // A new state: texts of the state before last are let go.
        this.old = this.cur
        this.cur = new WeakMap()
        const value = (job.value = applyRedaction(job.state, this.redactor))
        job.it = this.root(value)
      }
      const r = job.it.next()
      if (r.done) job.out = this.finish(r.value, job.value)
    } catch {
      job.out = null
    }
  }

  private *root(value: unknown): Generator<void, Entry> {
    if (value !== null && typeof value === 'object' && plain(value) !== 0) return yield* this.walk(value, 0)
    return this.unit(value, '')
  }

  private finish(e: Entry, value: unknown): string {
    let lossy: LossyValue[] | null
    const ignored = this.options?.ignoredPaths
    if (e.l === 0) lossy = findLossy(value, ignored)
    else {
      lossy = e.l === null ? null : e.l.filter((x) => !isIgnored(x.path, ignored))
      if (lossy !== null && lossy.length === 0) lossy = null
    }
    if (lossy !== null && this.options?.warn !== false) warnLossy(lossy, 'state', 'In the state')
    return (e.j ?? 'null') + lossyField(lossy)
  }

  private cached(v: object): Entry | undefined {
    let e = this.cur.get(v)
    if (e === undefined && (e = this.old.get(v)) !== undefined) this.cur.set(v, e)
    return e
  }

  /** A value stringified natively as one piece (`key` for `toJSON`), with its lossy values. */
  private unit(v: unknown, key: string): Entry {
    const obj = v !== null && typeof v === 'object'
    let e = obj ? this.cached(v) : undefined
    if (e) return e
    let j: string | undefined
    let l: Lossy = findLossy(v)
    if (l !== null && l.length >= MAX_LOSSY) l = 0
    if (obj && plain(v) !== 0) {
      j = JSON.stringify(v)
      this.cur.set(v, (e = { j, l }))
      return e
    }
    const holder = JSON.stringify({ [key]: v })
    j = holder.length > 2 ? holder.slice(JSON.stringify(key).length + 2, -1) : undefined
    return { j, l }
  }

  /** A plain object or array: its children one by one; past `BIG` keys, resumable and remembered. */
  private *walk(v: object, depth: number): Generator<void, Entry> {
    const arr = Array.isArray(v)
    const keys = arr ? undefined : Object.keys(v)
    const n = arr ? (v as unknown[]).length : keys!.length
    const big = n >= BIG
    if (big) {
      const e = this.cached(v)
      if (e) return e
    }
    const parts: string[] = []
    let text = ''
    let l: Lossy = null
    for (let i = 0; i < n; i++) {
      if (big && (i & 127) === 127 && clock() > deadline) yield
      const k = arr ? String(i) : keys![i]
      const c = (v as Record<string, unknown>)[k]
      let j: string | undefined
      let p: string | undefined
      const t = typeof c
      if (t === 'string') j = JSON.stringify(c)
      else if (t === 'boolean') j = c ? 'true' : 'false'
      else if (t === 'number') {
        if ((c as number) - (c as number) === 0) j = '' + c
        else {
          j = 'null'
          l = merge(l, k, [{ path: '<root>', kind: 'non-finite', detail: String(c) }])
        }
      } else if (c === null) j = 'null'
      else if (t === 'undefined' || t === 'function' || t === 'symbol') {
        if (arr) l = merge(l, k, [t === 'undefined' ? { path: '<root>', kind: 'undefined-in-array' } : { path: '<root>', kind: 'undefined-in-array', detail: t }])
        else if (t !== 'undefined') l = merge(l, k, [{ path: '<root>', kind: t }])
      } else {
        const e = t === 'object' && !big && depth < DEPTH && plain(c as object) !== 0 ? yield* this.walk(c as object, depth + 1) : this.unit(c, k)
        j = e.j
        l = merge(l, k, e.l)
        if (!arr && j !== undefined && big && this.cur.get(c as object) === e) {
          if (e.k !== k) {
            e.k = k
            e.p = JSON.stringify(k) + ':' + j
          }
          p = e.p
        }
      }
      if (arr) j ??= 'null'
      else if (j === undefined) continue
      else p ??= JSON.stringify(k) + ':' + j
      if (big) parts.push(p ?? j)
      else text += (text === '' ? '' : ',') + (p ?? j)
    }
    if (big) text = parts.join(',')
    const e: Entry = { j: arr ? '[' + text + ']' : '{' + text + '}', l }
    if (big) this.cur.set(v, e)
    return e
  }
}
