/**
 * fr64 in little code: the same hash as `./fr64` (docs/FORMAT.md, "The state hash: fr64"), for
 * the recorder's production bundle. It keeps fr64's structure — a container is the sum of its
 * entries' hashes, remembered per object in a WeakMap, so an unchanged subtree costs one lookup
 * and a new version of a container costs work proportional to its own keys — with the fast
 * engine's young records and kept entry hashes (what a step of a small state costs most without
 * them: bench/small-state.md), but not its positional key caches. Every entry uses it; `./fr64`
 * stays as the reference the tests compare against.
 *
 * Like fr64, it assumes immutable state: mutating an object after it was hashed leaves a stale
 * cached hash for it.
 */
import { isBoxed } from '../internal/boxed'
import { isPlainProto } from '../internal/plain'
import { REDACTED } from '../redact'
import { hashHex } from './hashHex'
import { readableCopy } from '../internal/readable'
import type { LossyValue } from '../format/types'
import type { Redactor, RedactState } from '../redact'

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any
interface Rec {
  sa: number
  sb: number
  /** keys (or length) */
  n: number
  /** object: entries with a JSON projection; array: ~length */
  m: number
  /**
   * Objects of ALIGN_MIN keys or more whose entries all have a projection: their keys in order.
   * The next version takes them over (they move, so only the latest version holds them).
   */
  ks?: string[]
  /**
   * With ks, for objects of more than VALUES_MAX keys: their values in the same order, as read when
   * the record was made (state is immutable). They move with ks: a step reads only the new
   * version's values, not the previous version's again.
   */
  vs?: unknown[]
  /**
   * With ks, when known: each entry's hash (lanes A and B at 2i, 2i + 1), so that a step reads a
   * changed entry's old hash here instead of hashing its old value again (a typical entity is
   * cheap, so not cached). Moves with ks.
   */
  eh?: Int32Array
}

/** Objects with at least this many keys keep their key list (see Rec.ks). */
const ALIGN_MIN = 4
/** Up to this many keys (V8's fast properties), the values of two versions are read at once. */
const VALUES_MAX = 1020
type Cache = WeakMap<object, Rec>

/**
 * Records made by `update` in the last two calls of a hasher, not (yet) in their WeakMap. Along a
 * sequence of states, the containers on an action's path (the root, a slice, an entity map) are
 * replaced at the very next call: their records are read once, as the previous version, and then
 * dropped without `WeakMap.set`. That matters more than the set itself: a WeakMap's values outlive
 * young-generation collections, so every step's records would be promoted, then die old (measured
 * at 1 KB: 4.4 µs per step with them in the WeakMap, ~1 µs without). Records still held at the end
 * of the call after the one that made them move into the WeakMap. Per hasher.
 */
class Young {
  /** [container, record, cache] triples, newest last. */
  a: unknown[] = []
  /** Triples below this index come from the previous call. */
  mark = 0
}
const YOUNG_MAX = 3 * 64
/** The young tier of the hasher whose call is in progress (outside any call, one never used). */
let young = new Young()

function getRec(cache: Cache, v: object): Rec | undefined {
  const a = young.a
  for (let i = a.length - 3; i >= 0; i -= 3) if (a[i] === v && a[i + 2] === cache) return a[i + 1] as Rec
  return cache.get(v)
}

/** `p` was the previous version a new container was computed from: its young record is dropped. */
function supersede(p: object): void {
  const a = young.a
  for (let i = a.length - 3; i >= 0; i -= 3) {
    if (a[i] === p) {
      a[i] = null
      return
    }
  }
}

/** End of a call: records of the call before it that were not superseded go into their WeakMap. */
function ageYoung(y: Young): void {
  const a = y.a
  let w = 0
  for (let i = 0; i < a.length; i += 3) {
    if (a[i] === null) continue
    if (i < y.mark) (a[i + 2] as Cache).set(a[i] as object, a[i + 1] as Rec)
    else {
      a[w++] = a[i]
      a[w++] = a[i + 1]
      a[w++] = a[i + 2]
    }
  }
  if (a.length !== w) a.length = w
  y.mark = w
}
/** A container hashed in part (hashUntil): where its loop stopped. */
interface Part {
  c: Cache
  i: number
  sa: number
  sb: number
  m: number
  keys: string[] | undefined
  eh: Int32Array | undefined
  /**
   * A large map's step from its previous version (`aligned`) stopped part way: that version, its
   * record and the values array (n's values before i, p's from i, when p's were kept: `pv`).
   */
  p?: Any
  rp?: Rec
  vs?: unknown[]
  pv?: unknown[]
  nv?: unknown[]
}

const imul = Math.imul
const SEED_A = 0x66723634
const SEED_B = 0x46523634

function stepA(h: number, w: number): number {
  let k = imul(w, 0xcc9e2d51)
  k = imul((k << 15) | (k >>> 17), 0x1b873593)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (imul(h, 5) + 0xe6546b64) | 0
}

function stepB(h: number, w: number): number {
  h = (h + imul(w, 0xc2b2ae3d)) | 0
  return imul((h << 17) | (h >>> 15), 0x27d4eb2f)
}

// The result of every hashing function (lanes A and B, int32).
let A = 0
let B = 0

/** Both lanes of a word sequence: `n` words, from `w` (fixed sequences have at most 5). */
function mix(n: number, w0: number, w1?: number, w2?: number, w3?: number, w4?: number): void {
  let a = stepA(SEED_A, w0)
  let b = stepB((SEED_B + 0x165667b1 + 4 * n) | 0, w0)
  if (n > 1) {
    a = stepA(a, w1!)
    b = stepB(b, w1!)
  }
  if (n > 2) {
    a = stepA(a, w2!)
    b = stepB(b, w2!)
  }
  if (n > 3) {
    a = stepA(a, w3!)
    b = stepB(b, w3!)
  }
  if (n > 4) {
    a = stepA(a, w4!)
    b = stepB(b, w4!)
  }
  fin(a, b, 4 * n)
}

function fin(a: number, b: number, bytes: number): void {
  a ^= bytes
  a = imul(a ^ (a >>> 16), 0x85ebca6b)
  a = imul(a ^ (a >>> 13), 0xc2b2ae35)
  A = a ^ (a >>> 16)
  b = imul(b ^ (b >>> 15), 0x85ebca77)
  b = imul(b ^ (b >>> 13), 0xc2b2ae3d)
  B = b ^ (b >>> 16)
}

function str(s: string): void {
  const len = s.length
  const bytes = (2 + ((len + 1) >>> 1)) * 4
  let a = stepA(stepA(SEED_A, 5), len)
  let b = stepB(stepB((SEED_B + 0x165667b1 + bytes) | 0, 5), len)
  for (let i = 0; i < len; i += 2) {
    const w = s.charCodeAt(i) | (i + 1 < len ? s.charCodeAt(i + 1) << 16 : 0)
    a = stepA(a, w)
    b = stepB(b, w)
  }
  fin(a, b, bytes)
}

let f64: Float64Array | undefined
let u32: Uint32Array
let hiWord = 0

function num(x: number): void {
  if (x - x !== 0) return mix(1, 1) // NaN, ±Infinity: null
  if (f64 === undefined) {
    f64 = new Float64Array(1)
    u32 = new Uint32Array(f64.buffer)
    f64[0] = 1
    hiWord = u32[1] === 0x3ff00000 ? 1 : 0
  }
  f64[0] = x === 0 ? 0 : x
  mix(3, 4, u32[hiWord], u32[1 - hiWord])
}

const keyCache = new Map<string, number[]>()

/** Key hash into A/B. */
function key(k: string): void {
  const hit = keyCache.get(k)
  if (hit !== undefined) {
    A = hit[0]
    B = hit[1]
    return
  }
  str(k)
  if (keyCache.size >= 16384) keyCache.clear()
  keyCache.set(k, [A, B])
}

/** Object entry [8, kA, kB, vA, vB] with the value's hash in A/B. */
function oEntry(k: string): void {
  const va = A
  const vb = B
  key(k)
  mix(5, 8, A, B, va, vb)
}

const cont = (r: Rec): void => (r.m < 0 ? mix(4, 6, ~r.m, r.sa, r.sb) : mix(4, 7, r.m, r.sa, r.sb))

/** A primitive's hash into A/B; false when JSON drops it. */
function prim(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      str(v)
      return true
    case 'number':
      num(v)
      return true
    case 'boolean':
      mix(1, v ? 3 : 2)
      return true
    case 'object':
      mix(1, 1)
      return true
    case 'bigint': {
      // As JSON.stringify: BigInt.prototype.toJSON's result (called with key ""), else left out.
      const toJSON = (BigInt.prototype as Any).toJSON
      if (typeof toJSON !== 'function') return false
      const p = toJSON.call(v, '')
      if (typeof p === 'bigint') return false
      if (typeof p !== 'object' || p === null) return prim(p)
      noStop++
      const ok = typeof p.toJSON === 'function' ? plainWalk(p, '') : hv(p, '', null, undefined)
      noStop--
      return ok
    }
    default:
      return false
  }
}

const ObjectProto = Object.prototype
const hasOwn = ObjectProto.hasOwnProperty
const isArray = Array.isArray

function plain(v: Any): boolean {
  if (isArray(v)) return true
  const proto = Object.getPrototypeOf(v)
  return proto === ObjectProto || isPlainProto(proto)
}

// The call in progress.
let redactor: Redactor | null = null
let caches: Map<number, Cache> = new Map()
const SHARED: Cache = new WeakMap()
const stack: object[] = []
const keyStack: (string | number)[] = []
let base = 0
let deadline = Infinity
let stopped = false
let noStop = 0
/**
 * update/aligned frames in progress, and `full` walks under them only; `noStop === upd`: each frame
 * that cannot stop is one, and gives up at a cut (see cutHere, fullOrCut).
 */
let upd = 0
/** Set by cutHere: every update in progress gives up, and the outermost goes on with `full`. */
let cut = false
/** A large map's step stopped in this call (aligned): going on with it later in the call needs no progress first. */
let gaveUp = false
/** hashUntil's `stepsWhole`: a large map's step stops only every 256 changed entries, not every 4,096. */
let whole = false
let checkIn = 256
let cutIn = 64
/** Set while run hashes a state again after a step threw: containers are walked (full), never stepped from a previous version (update). */
let walkOnly = false
/** aligned's count of changed entries between two looks at the clock (as many as full walks between its looks). */
let alignIn = 256
let parts: Map<object, Part> | null = null
let work = 0
let largest = 0
/** A stack of entry hashes for the objects `full` is in (see Rec.eh); `sp` is its top. */
let scratch = new Int32Array(256)
let sp = 0

function reserve(n: number): number {
  const at = sp
  if ((sp += n) > scratch.length) {
    const grown = new Int32Array(Math.max(2 * scratch.length, sp))
    grown.set(scratch.subarray(0, at))
    scratch = grown
  }
  return at
}
/** Set by hv for a container: its entry count when it was a small leaf (fewer than 8 primitives), else -1. */
let leafCount = -1

function cacheFor(s: RedactState | null): Cache {
  if (s === null) return SHARED
  let c = caches.get(s.id)
  if (c === undefined) caches.set(s.id, (c = new WeakMap()))
  return c
}

const child = (s: RedactState | null, k: string | number): RedactState | null => (s === null ? null : redactor!.step(s, String(k)))
const terminal = (s: RedactState | null): boolean => s !== null && s.terminal

function enter(v: object, k: string | number): void {
  for (let i = base; i < stack.length; i++) {
    if (stack[i] === v) {
      let path = 'state'
      let here = ''
      for (let j = base + 1; j < stack.length; j++) {
        here += fmt(keyStack[j])
        if (j <= i) path = 'state' + here
      }
      throw new TypeError(`[redux-flight-recorder] Cannot hash a circular structure: state${here}${fmt(k)} refers back to ${path}. State must be a tree of JSON values.`)
    }
  }
  stack.push(v)
  keyStack.push(k)
}

/**
 * Key paths of the values JSON writes in another form (a Map, a Date, a class instance, NaN, …)
 * that the call in progress hashed afresh; null when not collected. Only newly hashed values are
 * seen (a cached container is not walked again), which is what a recorder needs to notice a lossy
 * value entering the state: src/lossy.ts then describes each path exactly.
 */
let noted: (string | number)[][] | null = null
/** Paths noted per state at most (src/lossy.ts's MAX_LOSSY). */
const MAX_NOTED = 50

function note(k: string | number): void {
  if (noted!.length >= MAX_NOTED) return
  const path: (string | number)[] = []
  // keyStack[base] is the root's key (''); the root itself, when exotic, has the empty path.
  for (let j = base + 1; j < keyStack.length; j++) path.push(keyStack[j])
  if (keyStack.length > base) path.push(k)
  // Once each: an update that gave up part way (a deadline) is walked again by `full`, which
  // reaches what the update noted (so many values could not use up the cap twice).
  for (let i = 0; i < noted!.length; i++) if (samePath(noted![i], path)) return
  noted!.push(path)
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const fmt = (k: string | number): string => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)

/**
 * Hash of `v` (key `k`, redaction state `s`) into A/B; false when JSON drops it. `pv` is its
 * previous version, if any: a container whose previous version is cached is updated from it.
 */
function hv(v: Any, k: string | number, s: RedactState | null, pv: Any): boolean {
  if (typeof v !== 'object' || v === null) {
    const ok = prim(v)
    // Lossy (src/lossy.ts): a non-finite number, a BigInt; dropped where JSON writes null or leaves out something that was there.
    // (Not a value its previous version held: it did not enter with this state. A walk that goes
    // on from the previous version's children, after an update gave up, reaches those too. An
    // `undefined` is noted all the same: no previous version reads as `undefined` too.)
    if (noted !== null && (ok ? (typeof v === 'number' ? v - v !== 0 : typeof v === 'bigint') : v !== undefined || typeof k === 'number') && (v === undefined || !Object.is(v, pv))) note(k)
    return ok
  }
  const cache = cacheFor(s)
  const rec = getRec(cache, v)
  leafCount = -1
  if (rec !== undefined) {
    cont(rec)
    return true
  }
  const toJSON = v.toJSON
  if (typeof toJSON === 'function' || !plain(v)) {
    if (noted !== null && v !== pv) note(k)
    noStop++
    const ok = exotic(v, k, s, toJSON)
    noStop--
    leafCount = -1
    return ok
  }
  enter(v, k)
  // (No lookup while nothing is parted: every step of a state hashed in one call.)
  const part = parts === null || parts.size === 0 ? undefined : parts.get(v)
  // A large map's step that stopped part way (aligned) goes on, from the version it started from.
  const resume = part !== undefined && part.rp !== undefined && part.c === cache
  if (resume) {
    parts!.delete(v)
    pv = part.p
  }
  if (typeof pv !== 'object' || pv === null || pv === v || !plain(pv)) fullOrCut(v, undefined, s, cache)
  else if (part !== undefined && !resume) {
    // A walk stopped or cut earlier goes on, from the previous version's children too (without
    // them, the containers on the path of a cut under it are walked afresh). Under updates only,
    // they give up first, so that it is reached through walks that can stop.
    if (noStop > 0 && noStop === upd) cut = true
    else full(v, pv, s, cache)
  } else {
    const rp = resume ? part.rp : walkOnly ? undefined : getRec(cache, pv)
    noStop++
    upd++
    const ok = resume ? aligned(v, pv, rp!, part.keys!, s, cache, part) : rp !== undefined && (rp.m < 0) === isArray(v) && update(v, pv, rp, s, cache)
    upd--
    noStop--
    if (ok) supersede(pv)
    else if (!cut || noStop === 0) {
      // v's own step stopped at the deadline (aligned), under walks that can stop: they stop too,
      // and the next call goes on with it. After a cut further down (an update further out gives
      // up too: it sees `cut`), the outermost update's container goes on here: `full` walks on
      // from the previous version's children, and can stop.
      const own = cut && parts!.get(v)?.rp !== undefined
      cut = false
      if (own) stopped = true
      else fullOrCut(v, pv, s, cache)
    }
  }
  stack.pop()
  keyStack.pop()
  return true
}

/** A container new under an update with at least this many entries is cut to (see fullOrCut). */
const CUT_MIN = 1024

/**
 * `full`, for a container with no previous version to update from (a new key's value, or a
 * previous version cheap enough to have no record, such as the empty map and slice a page of data
 * is loaded into). Under updates (and walks under updates only), such a walk cannot stop: a large
 * one (50,000 entities loaded by one action: ~250 ms in one slice) is cut to instead, as cutHere
 * does, so that every update and walk in progress gives up and `full` reaches it from the
 * outermost container, where it can stop.
 */
function fullOrCut(v: Any, pv: Any, s: RedactState | null, cache: Cache): void {
  let keys: string[] | undefined
  if (noStop > 0 && noStop === upd && deadline !== Infinity && parts !== null) {
    const arr = isArray(v)
    if (!arr) keys = Object.keys(v)
    if ((arr ? v.length : keys!.length) >= CUT_MIN) {
      parts.set(v, { c: cache, i: 0, sa: 0, sb: 0, m: 0, keys, eh: undefined })
      cut = true
      return
    }
  }
  full(v, pv, s, cache, keys)
}

/** Hashes every entry of the plain object or array `n` (resuming a part, if one was left; `listed`: its keys, already listed). */
function full(n: Any, p: Any, s: RedactState | null, cache: Cache, listed?: string[]): void {
  // Under an update (which cannot stop) this walk cannot stop either. Under updates only it gives
  // up as they do when a cut is made under it (it counts as one: see fullOrCut).
  const pin = noStop > 0 ? 1 : 0
  const yields = pin === 1 && noStop === upd ? 1 : 0
  noStop += pin
  upd += yields
  const arr = isArray(n)
  let part: Part | undefined
  if (parts !== null && (part = parts.get(n)) !== undefined && part.c === cache) parts.delete(n)
  else part = undefined
  const keys = arr ? undefined : part !== undefined ? part.keys : (listed ?? Object.keys(n))
  const count = arr ? n.length : keys!.length
  // Entry hashes (Rec.eh) go to the scratch stack first: copied out only for an object that keeps them.
  let at = -1
  if (!arr && count >= ALIGN_MIN) {
    at = reserve(2 * count)
    if (part !== undefined && part.eh !== undefined) scratch.set(part.eh, at)
  }
  let sa = 0
  let sb = 0
  let m = 0
  let i = 0
  let from = -1
  let leaf = count < 8
  // Entries plus the entries of small-leaf children; -1 once a child is a larger container.
  let weight = count
  if (part !== undefined) {
    ;({ i, sa, sb, m } = part)
    from = i
    weight = -1
  }
  for (; i < count; i++) {
    // The clock, every 256 entries: not where a resumed walk starts, so each call makes progress.
    if (i !== from && --checkIn <= 0) {
      checkIn = 256
      if (noStop === 0 && deadline !== Infinity && now() >= deadline) stopped = true
    }
    if (stopped) break
    const k = arr ? i : keys![i]
    const cs = child(s, k)
    const redacted = cs !== null && cs.terminal
    // (A redacted value is not read: a getter there may throw, a secret that refuses to be read.)
    const v = redacted ? 0 : n[k]
    const obj = typeof v === 'object' && v !== null
    if (obj) leaf = false
    let ok = true
    if (redacted) {
      if (arr && !hasOwn.call(n, k)) mix(1, 1)
      else str(REDACTED)
    } else {
      ok = hv(v, k, cs, p === undefined ? undefined : p[k])
      if (stopped) break
      if (cut) {
        // (Only a walk that yields sees a cut under it.)
        noStop -= pin
        upd -= yields
        if (at >= 0) sp = at
        if (part !== undefined) parts!.set(n, part)
        return
      }
      if (obj) weight = ok && weight >= 0 && leafCount >= 0 ? weight + leafCount : -1
      if (!ok && arr) mix(1, 1)
    }
    if (arr) mix(4, 9, i, A, B)
    else if (ok) {
      oEntry(k as string)
      if (at >= 0) {
        scratch[at + 2 * i] = A
        scratch[at + 2 * i + 1] = B
      }
    } else continue
    sa = (sa + A) | 0
    sb = (sb + B) | 0
    m++
  }
  noStop -= pin
  upd -= yields
  if (stopped) {
    // (For `progress`: a container not finished yet shows its size.)
    if (count > largest) largest = count
    parts!.set(n, { c: cache, i, sa, sb, m, keys, eh: at >= 0 ? scratch.slice(at, at + 2 * i) : undefined })
    if (at >= 0) sp = at
    return
  }
  work += count
  if (count > largest) largest = count
  const rec: Rec = { sa, sb, n: count, m: arr ? ~count : m }
  // Cheap containers (fewer than 8 entries, each a primitive or a small leaf, at most 24 values in
  // all: a typical entity) cost less to recompute than to remember, and a WeakMap entry for every
  // entity of a large map would slow every major garbage collection.
  if (!(count < 8 && weight >= 0 && weight <= 24)) {
    if (at >= 0 && m === count) {
      rec.ks = keys
      rec.eh = scratch.slice(at, at + 2 * count)
    }
    cache.set(n, rec)
  }
  if (at >= 0) sp = at
  cont(rec)
  leafCount = leaf && count < 8 ? count : -1
}

/**
 * The hash a previous value had (into A/B): 1, 0 when JSON drops it, 2 when unknown (an exotic
 * value, whose toJSON may give something else now).
 */
function before(v: Any, s: RedactState | null): 0 | 1 | 2 {
  if (typeof v !== 'object' || v === null) return prim(v) ? 1 : 0
  const rec = getRec(cacheFor(s), v)
  if (rec !== undefined) {
    cont(rec)
    return 1
  }
  if (typeof v.toJSON === 'function' || !plain(v)) return 2
  // Immutable: recomputed, it gives what it gave. It may hold the container being hashed now
  // (a subtree moved up), which is no cycle: the check starts afresh.
  const saved = base
  const savedNoted = noted
  base = stack.length
  noted = null
  try {
    hv(v, '', s, undefined)
  } finally {
    base = saved
    noted = savedNoted
  }
  return 1
}

/** `n` from its previous version `p` (record `rp`): p's sums, minus changed entries' old hashes, plus their new ones. */
function update(n: Any, p: Any, rp: Rec, s: RedactState | null, cache: Cache): boolean {
  let sa = rp.sa
  let sb = rp.sb
  let m = rp.m
  const arr = m < 0
  // (A large map the full-state writer listed first: its list, not a second Object.keys. Taken
  // once: a list is one record's, whose next step appends to it; another step to `n`, in another
  // cache or hasher, lists n itself.)
  const keys = arr ? undefined : (rp.n > VALUES_MAX && given.get(n)) || Object.keys(n)
  if (rp.n > VALUES_MAX) given.delete(n)
  const count = arr ? n.length : keys!.length
  const pks = rp.ks
  if (pks !== undefined && (count === pks.length || count === pks.length + 1) && samePrefix(keys!, pks)) return aligned(n, p, rp, keys!, s, cache)
  let common = 0
  // Entries of n: changed ones replace their old hash.
  for (let i = 0; i < count; i++) {
    const k = arr ? i : keys![i]
    const v = n[k]
    const had = arr ? i < rp.n : hasOwn.call(p, k)
    if (had) {
      common++
      // (Under redaction a hole and an explicit undefined differ: "[redacted]" vs null.)
      if (v === p[k] && (v !== undefined || s === null)) continue
    }
    if (cutHere(n, keys, cache)) return false
    const cs = child(s, k)
    if (terminal(cs)) {
      if (had && !arr) continue // "[redacted]" before and after
      if (arr && !hasOwn.call(n, k)) mix(1, 1)
      else str(REDACTED)
      if (had) {
        // An array element redacted before and after, one of them a hole.
        const ea = A
        const eb = B
        if (hasOwn.call(p, k)) str(REDACTED)
        else mix(1, 1)
        mix(4, 9, i, A, B)
        sa = (sa - A) | 0
        sb = (sb - B) | 0
        mix(4, 9, i, ea, eb)
      } else if (arr) mix(4, 9, i, A, B)
      else oEntry(k as string)
      sa = (sa + A) | 0
      sb = (sb + B) | 0
      if (!arr) m++
      continue
    }
    if (had) {
      const st = before(p[k], cs)
      if (st === 2) return false
      if (st === 0 && arr) mix(1, 1)
      if (st !== 0 || arr) {
        if (arr) mix(4, 9, i, A, B)
        else {
          oEntry(k as string)
          m--
        }
        sa = (sa - A) | 0
        sb = (sb - B) | 0
      }
    }
    const ok = hv(v, k, cs, p[k])
    if (cut) return false
    if (!ok && arr) mix(1, 1)
    if (ok || arr) {
      if (arr) mix(4, 9, i, A, B)
      else {
        oEntry(k as string)
        m++
      }
      sa = (sa + A) | 0
      sb = (sb + B) | 0
    }
  }
  // Entries of p that n no longer has.
  if (common < rp.n) {
    const pkeys: (string | number)[] = arr ? [] : Object.keys(p)
    if (arr) for (let i = count; i < rp.n; i++) pkeys.push(i)
    for (const k of pkeys) {
      if (!arr && hasOwn.call(n, k)) continue
      // (Each old value's hash is recomputed when it was too cheap to keep: a map emptied is work too.)
      if (cutHere(n, keys, cache)) return false
      const cs = child(s, k)
      let st: 0 | 1 | 2 = 1
      if (terminal(cs)) {
        if (arr && !hasOwn.call(p, k)) mix(1, 1)
        else str(REDACTED)
      } else st = before(p[k], cs)
      if (st === 2) return false
      if (st === 0 && arr) mix(1, 1)
      if (st !== 0 || arr) {
        if (arr) mix(4, 9, k as number, A, B)
        else {
          oEntry(k as string)
          m--
        }
        sa = (sa - A) | 0
        sb = (sb - B) | 0
      }
    }
  }
  keep(n, cache, sa, sb, count, arr ? ~count : m, keys)
  return true
}

/**
 * In update, every 64 changed entries: past a hashUntil deadline, the version being
 * computed gives up (the previous one's record has given up nothing it needs: see aligned), to be
 * walked by `full` from its first entry, which can stop and go on in the next slice. Only where
 * every frame that cannot stop is an update that can give up too (not under `full` or a toJSON).
 * So a large map filled or rewritten by one action is no long task.
 */
function cutHere(n: object, keys: string[] | undefined, cache: Cache): boolean {
  // A counter of its own: full's (walking each changed entry) would alias with it.
  if (--cutIn > 0) return false
  cutIn = 64
  if (!halts()) return false
  parts!.set(n, { c: cache, i: 0, sa: 0, sb: 0, m: 0, keys, eh: undefined })
  return (cut = true)
}

/** Past the deadline of a hashUntil, where every frame that cannot stop is an update (which can give up). */
const halts = (): boolean => noStop === upd && deadline !== Infinity && parts !== null && now() >= deadline

function samePrefix(keys: string[], pks: string[]): boolean {
  for (let i = 0; i < pks.length; i++) if (keys[i] !== pks[i]) return false
  return true
}

/** Records `n` (a version computed from its previous one: a young record first); its hash into A/B. */
function keep(n: object, cache: Cache, sa: number, sb: number, count: number, m: number, keys: string[] | undefined, vs?: unknown[], eh?: Int32Array): void {
  work += count
  if (count > largest) largest = count
  const rec: Rec = { sa, sb, n: count, m }
  if (keys !== undefined && count >= ALIGN_MIN && m === count) {
    rec.ks = keys
    if (vs !== undefined) rec.vs = vs
    if (eh !== undefined) rec.eh = eh
  }
  const a = young.a
  if (a.length >= YOUNG_MAX) cache.set(n, rec)
  else a.push(n, rec, cache)
  cont(rec)
  leafCount = -1
}

/**
 * `update` when `n` has `p`'s keys in the same order, plus at most one at the end (a spread that
 * replaced or added a key): no key of p needs looking up in n or the other way round.
 */
function aligned(n: Any, p: Any, rp: Rec, keys: string[], s: RedactState | null, cache: Cache, part?: Part): boolean {
  let sa = rp.sa
  let sb = rp.sb
  let m = rp.m
  const plen = rp.n
  const count = keys.length
  let nv: Any[] | undefined
  let pv: Any[] | undefined
  let eh: Int32Array | undefined
  // Large maps: the previous values kept with its keys (rp.vs), else read now; n's kept for the next step.
  let vs: unknown[] | undefined
  let i = 0
  if (part !== undefined) {
    ;({ i, sa, sb, m, eh, vs, pv, nv } = part)
  } else {
    // The entry hashes move to n, updated in place: rp gives them up first, so that a step that
    // fails part way (a getter that throws, an exotic old value) cannot leave rp with some of n's.
    eh = rp.eh
    rp.eh = undefined
    if (eh !== undefined && eh.length < 2 * count) {
      if (eh.length < 2 * plen) eh = undefined
      else {
        const grown = new Int32Array(2 * count + 64)
        grown.set(eh)
        eh = grown
      }
    }
    if (plen <= VALUES_MAX) {
      nv = Object.values(n)
      pv = Object.values(p)
      if (nv.length !== count || pv.length !== plen) nv = pv = undefined
    } else {
      // Claimed too (vs is overwritten with n's values in place).
      pv = rp.vs
      rp.vs = undefined
      if (pv !== undefined && pv.length !== plen) pv = undefined
      vs = pv ?? new Array(plen)
    }
  }
  const from = part === undefined ? -1 : i
  for (; i < count; i++) {
    const k = keys[i]
    const v = nv === undefined ? n[k] : nv[i]
    const had = i < plen
    // Own keys of plain objects on both sides: p[k] is the old value (also for "__proto__").
    const old = had ? (pv === undefined ? p[k] : pv[i]) : undefined
    const same = had && v === old
    // Past a hashUntil deadline the step stops before entry i, to go on from it in the next call:
    // every 256 changed entries (what cutHere does for update, without losing the work done), and in
    // a large map every 4,096 (listing its keys alone can fill a slice). Only where every frame
    // that cannot stop is an update, which gives up. A call that goes on with a step stopped in an
    // earlier one passes its first check, so each makes progress.
    const tick = !same && --alignIn <= 0
    if (tick) alignIn = 256
    if ((tick || (vs !== undefined && (i & 4095) === 0 && !whole)) && (i !== from || gaveUp) && halts()) {
      parts!.set(n, { c: cache, i, sa, sb, m, keys, eh, p, rp, vs, pv, nv })
      // (For `progress`, as a walk not finished yet: what a version of this size holds.)
      if (count > largest) largest = count
      cut = gaveUp = true
      return false
    }
    if (same) {
      // (p's kept values are n's from here on: the array is n's now.)
      if (vs !== undefined && vs !== pv) vs[i] = v
      continue
    }
    if (vs !== undefined) vs[i] = v
    const cs = child(s, k)
    if (terminal(cs)) {
      if (had) continue // "[redacted]" before and after
      str(REDACTED)
    } else {
      if (had && eh !== undefined) {
        // The old entry's hash, as it was summed (even an exotic value's, whose toJSON may differ now).
        sa = (sa - eh[2 * i]) | 0
        sb = (sb - eh[2 * i + 1]) | 0
        m--
      } else if (had) {
        // Every entry of p has a projection (ks is kept only then).
        if (before(old, cs) !== 1) return false
        oEntry(k)
        sa = (sa - A) | 0
        sb = (sb - B) | 0
        m--
      }
      const ok = hv(v, k, cs, old)
      if (cut) return false
      if (!ok) continue
    }
    oEntry(k)
    if (eh !== undefined) {
      eh[2 * i] = A
      eh[2 * i + 1] = B
    }
    sa = (sa + A) | 0
    sb = (sb + B) | 0
    m++
  }
  // n's keys are p's (plus one at the end): p's list moves on with it, and the new one, just
  // listed, dies young instead of taking old-generation space until the next step.
  const ks = rp.ks!
  if (count > plen) ks.push(keys[plen])
  rp.ks = undefined
  rp.vs = undefined
  keep(n, cache, sa, sb, count, m, ks, vs, eh)
  return true
}

/** Objects with toJSON, boxed primitives, class instances, Map/Set: as JSON.stringify projects them. Never cached. */
function exotic(v: Any, k: string | number, s: RedactState | null, toJSON: unknown): boolean {
  if (typeof toJSON === 'function') {
    const p = toJSON.call(v, String(k))
    // JSON.stringify does not call toJSON on what toJSON returned. Redaction applies to what it
    // returned (as applyRedaction does).
    if (typeof p === 'object' && p !== null && typeof p.toJSON === 'function') return plainWalk(s === null ? p : redactCopy(p, s, [], k, true), k)
    return hv(p, k, s, undefined)
  }
  if (s !== null) {
    // Redaction applies to the own properties (as applyRedaction does), then JSON.
    const copy = redactCopy(v, s, [], k, true)
    if (copy !== v) return hv(copy, k, null, undefined)
  }
  return plainWalk(v, k)
}

/** The JSON projection of an object without calling its toJSON: boxed primitives unwrapped, own keys. */
function plainWalk(v: Any, k: string | number): boolean {
  if (isBoxed(v)) return v instanceof Number ? prim(Number(v)) : v instanceof String ? prim(String(v)) : v instanceof Boolean ? prim(Boolean.prototype.valueOf.call(v)) : false
  enter(v, k)
  // Own enumerable keys; never cached (a throwaway cache): its projection may change.
  full(v, undefined, null, new WeakMap())
  stack.pop()
  keyStack.pop()
  return true
}

/**
 * Same result as redactAt in ../redact (used only for exotic objects under redaction): what a
 * `toJSON` returns is redacted in its place (`own`: `value`'s toJSON is already taken care of).
 */
function redactCopy(value: unknown, state: RedactState, seen: object[], key: string | number, own = false): unknown {
  if (state.terminal) return REDACTED
  if (value === null || typeof value !== 'object') return value
  if (seen.includes(value)) throw new TypeError('[redux-flight-recorder] Cannot hash a circular structure. State must be a tree of JSON values.')
  const toJSON = own ? undefined : (value as Any).toJSON
  if (typeof toJSON === 'function') {
    const p = toJSON.call(value, String(key))
    if (p === null || typeof p !== 'object') return value
    const copy = redactCopy(p, state, seen, key, true)
    return copy === p ? value : copy
  }
  seen.push(value)
  let copy: Any
  for (const k of Object.keys(value)) {
    const next = redactor!.step(state, k)
    if (!next) continue
    let current: unknown
    try {
      current = (value as Any)[k]
    } catch {
      continue
    }
    const replaced = redactCopy(current, next, seen, k)
    if (replaced !== current) {
      copy ??= isArray(value) ? [...value] : { ...value }
      copy[k] = replaced
    }
  }
  seen.pop()
  return copy ?? value
}

const now = (): number => (typeof performance === 'object' ? performance.now() : Date.now())

/**
 * An incremental fr64 hasher. Keep one per store and pass the previously hashed state as `prev`:
 * the work per call is then proportional to the keys of the containers whose identity changed.
 * `hashUntil` does the same work in slices, so a large state can be hashed without a long task.
 *
 * State must be treated as immutable (as Redux requires): mutating an object in place after it
 * was hashed leaves a stale cached hash for it.
 */
export class CompactFr64Hasher {
  hi = 0
  lo = 0
  /** Entries of the containers the last completed hash made records for (hashUntil: over all its calls). */
  work = 0
  /** Entries of the largest of those containers. */
  largest = 0
  /** Entries of the largest container a `hashUntil` that stopped part way has started so far (0 once it is done). */
  progress = 0
  readonly redactor: Redactor | null
  private readonly caches = new Map<number, Cache>()
  private readonly young = new Young()
  private depth = 0
  private readonly parts = new Map<object, Part>()
  private pending: unknown = undefined
  /** The pending state's work so far, over its calls. */
  private worked = 0
  /**
   * With `collectLossy`: the key paths of the values the last completed `hash`/`hashUntil` hashed
   * afresh that JSON writes in another form (at most 50; possibly repeated, and an inner value of
   * an exotic one listed beside it). Values in containers hashed before are not walked again.
   */
  readonly lossyPaths: (string | number)[][] = []
  /** What the last completed hash left out of the state (see `readableCopy`); empty when nothing. */
  leftOut: LossyValue[] = []
  private readonly collectLossy: boolean

  constructor(redactor?: Redactor | null, options?: { collectLossy?: boolean }) {
    this.redactor = redactor ?? null
    this.collectLossy = options?.collectLossy === true
  }

  /** Hashes `state`; read the result from `hex()` (or `hi`/`lo`). */
  hash(state: unknown, prev?: unknown): void {
    this.lossyPaths.length = 0
    this.run(state, prev, Infinity, null)
  }

  /**
   * `hash`, stopping once `performance.now()` passes `until`: true when done; call again with the
   * same state to go on. `stepsWhole`: a step of a large map from its previous version (one entity
   * changed) does not stop on the way, so that a call that begins one ends it (what a queue that
   * must finish states to stay within its bound needs); a large change still stops.
   */
  hashUntil(state: unknown, until: number, prev?: unknown, stepsWhole = false): boolean {
    const parts = this.parts
    if (state !== this.pending) {
      if (parts.size > 0) parts.clear()
      this.lossyPaths.length = 0
      this.progress = this.worked = 0
    }
    this.pending = state
    const done = this.run(state, prev, until, parts, stepsWhole)
    // `work` counts every call's, so it does not depend on how the state's hash was sliced.
    this.worked += workLast
    if (done) {
      // Map#clear allocates a new table even when the map is empty: a tenth of a small state's step.
      if (parts.size > 0) parts.clear()
      this.pending = undefined
      this.work = this.worked
      this.progress = 0
    } else if (largestLast > this.progress) this.progress = largestLast
    return done
  }

  /** The hash of `value` as the subtree at key path `keys` (16 hex digits), or null when JSON drops it there. */
  hashAt(value: unknown, keys: readonly string[]): string | null {
    let s = this.redactor === null ? null : this.redactor.root
    for (let i = 0; i < keys.length && s !== null && !s.terminal; i++) s = this.redactor!.step(s, keys[i])
    const ok = this.call(false, () => {
      if (terminal(s)) {
        str(REDACTED)
        return value !== undefined
      }
      return hv(value, keys.length > 0 ? keys[keys.length - 1] : '', s, undefined)
    }, Infinity, null)
    return ok ? hashHex(A >>> 0, B >>> 0) : null
  }

  hex(): string {
    return hashHex(this.hi, this.lo)
  }

  private run(state: unknown, prev: unknown, until: number, partial: Map<object, Part> | null, stepsWhole?: boolean): boolean {
    const root = this.redactor === null ? null : this.redactor.root
    if (this.leftOut.length > 0) this.leftOut = []
    const walk = (value: unknown, p: unknown, u: number, part: Map<object, Part> | null) =>
      this.call(this.collectLossy, () => {
        if (terminal(root)) str(REDACTED)
        else if (!hv(value, '', root, p)) mix(1, 1)
        return true
      }, u, part, stepsWhole)
    try {
      walk(state, prev, until, partial)
    } catch (error) {
      try {
        // A getter that throws under a redaction path (a secret that refuses to be read) is
        // "[redacted]" as any value there: `full` does not read it, a step from a previous version
        // (update) does. Hashed again by walks only, from `prev` (what did not change is neither
        // walked nor noted as lossy again; nor is what the walk that threw noted).
        if (root === null) throw error
        this.lossyPaths.length = 0
        walkOnly = true
        walk(state, prev, Infinity, null)
      } catch {
        // A value no walk can read (a circular reference, a getter or toJSON that throws, a revoked
        // proxy) is left out, as JSON leaves out a function: the hash is of the state without it.
        const { value, leftOut } = readableCopy(state)
        if (leftOut.length === 0) throw error
        walk(value, undefined, Infinity, null)
        this.leftOut = leftOut
      } finally {
        walkOnly = false
      }
    }
    if (stoppedLast) {
      stoppedLast = false
      return false
    }
    this.hi = A >>> 0
    this.lo = B >>> 0
    this.work = workLast
    this.largest = largestLast
    return true
  }

  /** Runs `f` with this hasher's settings, saving and restoring the call in progress (hashing is re-entrant). */
  private call(collect: boolean, f: () => boolean, until: number, partial: Map<object, Part> | null, stepsWhole = false): boolean {
    const saved = [redactor, caches, base, deadline, stopped, noStop, parts, work, largest, noted, young, sp, upd, cut, gaveUp, whole] as const
    const depth = stack.length
    young = this.young
    this.depth++
    redactor = this.redactor
    caches = this.caches
    base = depth
    deadline = until
    stopped = false
    noStop = upd = 0
    cut = gaveUp = false
    whole = stepsWhole
    parts = partial
    noted = collect ? this.lossyPaths : null
    checkIn = 256
    work = 0
    largest = 0
    try {
      const ok = f()
      stoppedLast = stopped
      workLast = work
      largestLast = largest
      return ok
    } catch (error) {
      parts?.clear()
      this.pending = undefined
      // A stack overflow said as what it is, with the depth it reached (the stack left to the hash
      // decides: about 1,000–1,500 levels in Node and Chromium; Firefox's InternalError is left as it is).
      const levels = stack.length - depth
      throw levels > 99 && error instanceof RangeError && /call stack/i.test(error.message) ? RangeError(`state nested deeper than ${levels} levels`) : error
    } finally {
      // (Setting an array's length is a builtin call: only when a throw left entries.)
      if (stack.length !== depth) stack.length = keyStack.length = depth
      ;[redactor, caches, base, deadline, stopped, noStop, parts, work, largest, noted, young, sp, upd, cut, gaveUp, whole] = saved
      if (--this.depth === 0) ageYoung(this.young)
    }
  }
}

let stoppedLast = false
let workLast = 0
let largestLast = 0

/** `Object.keys` of large maps the full-state writer listed before any hasher did (see keyLists). */
const given = new WeakMap<object, string[]>()

/**
 * For the recorder's full-state writer (src/stateJson.ts), whichever of the two lists a large map
 * first (its Object.keys: ~12 ms at 62,662 keys), the other takes that list:
 * - `(v)`: `Object.keys(v)` as hasher `h` listed it, when `v`'s record still holds its key list
 *   (Rec.ks: it moves on to the next version once that one is hashed from it); else undefined.
 *   Read it at once: the next version's step may append its added key to the same array. Always
 *   in `Object.keys` order: a list that moved on was the prefix of the new version's own listing,
 *   to which the one key after it was added.
 * - `(v, keys)`: the writer listed `v` (`Object.keys(v)`, which it never changes): a hasher's step to `v` takes it.
 * (A function apart from the class, so that the entries without the recorder do not ship it.)
 */
export const keyLists =
  (h: CompactFr64Hasher) =>
  (v: object, keys?: string[]): string[] | undefined => {
    if (keys) return void given.set(v, keys)
    // (A container is found only at a triple's first place: the others hold a record and a WeakMap.)
    // (Its private fields, read here by name: they stay out of the public class's type.)
    const a = h['young'].a
    const i = a.indexOf(v)
    let r = i < 0 ? SHARED.get(v) : (a[i + 1] as Rec)
    for (const c of h['caches'].values()) r ??= c.get(v)
    return r?.ks
  }
