/**
 * fr64: a 64-bit structural hash of a value's JSON projection (specified in docs/FORMAT.md,
 * section "The state hash: fr64"; frozen: never change a constant or the word layout).
 *
 * Two 32-bit lanes with different mixing functions hash the same streams of 32-bit words:
 *   lane A (`hi`): MurmurHash3_x86_32 of the words' little-endian bytes, seed SEED_A;
 *   lane B (`lo`): the per-word loop and avalanche of XXH32's short-input path, seed SEED_B.
 * Leaves are short word sequences that start with a type tag. A container is the sum (mod 2^32,
 * per lane) of its entries' hashes, each entry hashing [tag, key or index, child hash (both
 * lanes)], then one more hash of [tag, count, sum A, sum B]. Feeding both lanes of every child
 * into both lanes of its parent means a collision of one lane below never propagates upwards:
 * each half of the result behaves as a 32-bit hash of the whole value. Sums make the hash
 * incremental: a new version of a container is its previous version's sums, minus the entries
 * that changed, plus their new values.
 *
 * Caching: plain objects and arrays hashed are remembered in a WeakMap (entry sums and counts;
 * small containers of primitives excepted, they are cheaper to recompute), so an unchanged subtree
 * (same reference) costs one lookup, and a new version of a container whose previous version is
 * known costs work proportional to its own keys. This assumes state is immutable, as Redux
 * requires: mutating an object in place after it was hashed leaves a stale cached hash for it (and
 * for every container that was hashed through it).
 */
import { REDACTED } from '../redact'
import type { Redactor, RedactState } from '../redact'

// ---------------------------------------------------------------------------------------------
// Constants (frozen)

const SEED_A = 0x66723634 // "fr64"
const SEED_B = 0x46523634 // "FR64"

// MurmurHash3_x86_32
const M_C1 = 0xcc9e2d51
const M_C2 = 0x1b873593
const M_N = 0xe6546b64
const M_F1 = 0x85ebca6b
const M_F2 = 0xc2b2ae35
// XXH32
const X_P2 = 0x85ebca77
const X_P3 = 0xc2b2ae3d
const X_P4 = 0x27d4eb2f
const X_P5 = 0x165667b1

// Type tags: the first word of every hashed word sequence.
const TAG_NULL = 1
const TAG_FALSE = 2
const TAG_TRUE = 3
const TAG_NUMBER = 4
const TAG_STRING = 5
const TAG_ARRAY = 6
const TAG_OBJECT = 7
const TAG_OBJECT_ENTRY = 8
const TAG_ARRAY_ENTRY = 9

const imul = Math.imul

// ---------------------------------------------------------------------------------------------
// Lanes. Values are kept as int32 internally and turned into uint32 (>>> 0) on output.

function stepA(h: number, w: number): number {
  let k = imul(w, M_C1)
  k = (k << 15) | (k >>> 17)
  k = imul(k, M_C2)
  h ^= k
  h = (h << 13) | (h >>> 19)
  return (imul(h, 5) + M_N) | 0
}

function finA(h: number, bytes: number): number {
  h ^= bytes
  h ^= h >>> 16
  h = imul(h, M_F1)
  h ^= h >>> 13
  h = imul(h, M_F2)
  return h ^ (h >>> 16)
}

function stepB(h: number, w: number): number {
  h = (h + imul(w, X_P3)) | 0
  return imul((h << 17) | (h >>> 15), X_P4)
}

function finB(h: number): number {
  h ^= h >>> 15
  h = imul(h, X_P2)
  h ^= h >>> 13
  h = imul(h, X_P3)
  return h ^ (h >>> 16)
}

function initB(bytes: number): number {
  return (SEED_B + X_P5 + bytes) | 0
}

// Fixed-length sequences: numbers [4, hi, lo] (12 bytes); containers [tag, count, SA, SB] (16);
// array entries [9, index, vA, vB] (16); object entries [8, kA, kB, vA, vB] (20). Both lanes hash
// the same words, so each lane of a container depends on the full 64-bit hashes of its parts.
const NUMBER_A0 = stepA(SEED_A, TAG_NUMBER)
const NUMBER_B0 = stepB(initB(12), TAG_NUMBER)
const OBJECT_A0 = stepA(SEED_A, TAG_OBJECT)
const OBJECT_B0 = stepB(initB(16), TAG_OBJECT)
const ARRAY_A0 = stepA(SEED_A, TAG_ARRAY)
const ARRAY_B0 = stepB(initB(16), TAG_ARRAY)
const OENTRY_A0 = stepA(SEED_A, TAG_OBJECT_ENTRY)
const OENTRY_B0 = stepB(initB(20), TAG_OBJECT_ENTRY)
const AENTRY_A0 = stepA(SEED_A, TAG_ARRAY_ENTRY)
const AENTRY_B0 = stepB(initB(16), TAG_ARRAY_ENTRY)

function numA(hi: number, lo: number): number {
  return finA(stepA(stepA(NUMBER_A0, hi), lo), 12)
}

function numB(hi: number, lo: number): number {
  return finB(stepB(stepB(NUMBER_B0, hi), lo))
}

/** Container hash, lane A: [tag, count, SA, SB] from the state after the tag word. */
function contA(h0: number, count: number, sa: number, sb: number): number {
  return finA(stepA(stepA(stepA(h0, count), sa), sb), 16)
}

function contB(h0: number, count: number, sa: number, sb: number): number {
  return finB(stepB(stepB(stepB(h0, count), sa), sb))
}

/** Object entry, lane A: [8, kA, kB, vA, vB]. */
function oEntryA(ka: number, kb: number, va: number, vb: number): number {
  return finA(stepA(stepA(stepA(stepA(OENTRY_A0, ka), kb), va), vb), 20)
}

function oEntryB(ka: number, kb: number, va: number, vb: number): number {
  return finB(stepB(stepB(stepB(stepB(OENTRY_B0, ka), kb), va), vb))
}

/** Array entry, lane A: [9, index, vA, vB]. */
function aEntryA(i: number, va: number, vb: number): number {
  return finA(stepA(stepA(stepA(AENTRY_A0, i), va), vb), 16)
}

function aEntryB(i: number, va: number, vb: number): number {
  return finB(stepB(stepB(stepB(AENTRY_B0, i), va), vb))
}

const NULL_A = finA(stepA(SEED_A, TAG_NULL), 4)
const NULL_B = finB(stepB(initB(4), TAG_NULL))
const FALSE_A = finA(stepA(SEED_A, TAG_FALSE), 4)
const FALSE_B = finB(stepB(initB(4), TAG_FALSE))
const TRUE_A = finA(stepA(SEED_A, TAG_TRUE), 4)
const TRUE_B = finB(stepB(initB(4), TAG_TRUE))
const STRING_A0 = stepA(SEED_A, TAG_STRING)

// ---------------------------------------------------------------------------------------------
// Scratch results (no allocation per primitive). Every hashing function leaves its result here.

let rA = 0
let rB = 0
// Result of keyHash.
let kA = 0
let kB = 0

function hashString(s: string): void {
  const len = s.length
  const bytes = (2 + ((len + 1) >>> 1)) * 4
  let a = stepA(STRING_A0, len)
  let b = stepB(stepB(initB(bytes), TAG_STRING), len)
  const end = len - 1
  let i = 0
  for (; i < end; i += 2) {
    const w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16)
    a = stepA(a, w)
    b = stepB(b, w)
  }
  if (i < len) {
    const w = s.charCodeAt(i)
    a = stepA(a, w)
    b = stepB(b, w)
  }
  rA = finA(a, bytes)
  rB = finB(b)
}

const f64 = new Float64Array(1)
const u32 = new Uint32Array(f64.buffer)
f64[0] = 1
const HI_WORD = u32[1] === 0x3ff00000 ? 1 : 0
const LO_WORD = 1 - HI_WORD

function hashNumber(x: number): void {
  if (x - x !== 0) {
    // NaN, Infinity, -Infinity: JSON writes null
    rA = NULL_A
    rB = NULL_B
    return
  }
  f64[0] = x === 0 ? 0 : x // -0 is written 0
  const hi = u32[HI_WORD]
  const lo = u32[LO_WORD]
  rA = numA(hi, lo)
  rB = numB(hi, lo)
}

hashString(REDACTED)
const REDACTED_A = rA
const REDACTED_B = rB

// Bounded cache of key-string hashes: slot numbers in a Map, hashes in typed arrays.
const KEY_CACHE_SIZE = 1 << 14
const keySlots = new Map<string, number>()
const keyHashA = new Int32Array(KEY_CACHE_SIZE)
const keyHashB = new Int32Array(KEY_CACHE_SIZE)

/** Hash of an object key; result in kA/kB. Clobbers rA/rB. */
function keyHash(k: string): void {
  const slot = keySlots.get(k)
  if (slot !== undefined) {
    kA = keyHashA[slot]
    kB = keyHashB[slot]
    return
  }
  hashString(k)
  kA = rA
  kB = rB
  let next = keySlots.size
  if (next >= KEY_CACHE_SIZE) {
    keySlots.clear()
    next = 0
  }
  keyHashA[next] = kA
  keyHashB[next] = kB
  keySlots.set(k, next)
}

// ---------------------------------------------------------------------------------------------
// Per-container records

/**
 * Containers with fewer entries than this whose values are all primitives ("small leaves") are not
 * cached: recomputing them is about as cheap as a WeakMap lookup, and skipping the WeakMap saves
 * memory (a 10 MB entity store holds many small arrays and objects) and time (WeakMap.set is slow).
 */
const SMALL = 8

/**
 * What is remembered about a hashed plain object or array: four small integers (int32 values are
 * stored inline by V8 on 64-bit Node). The hash itself is recomputed from them (two short mixes)
 * when read.
 */
class Rec {
  constructor(
    /** sum of entry hashes, lane A (int32) */
    readonly sa: number,
    /** sum of entry hashes, lane B (int32) */
    readonly sb: number,
    /** raw key count (Object.keys length, or array length) */
    readonly n: number,
    /** object: entries in the JSON projection (keys whose value is not dropped); array: ~length */
    readonly m: number,
  ) {}
}

/** The hash of a cached container, into rA/rB. */
function recHash(r: Rec): void {
  const m = r.m
  if (m < 0) {
    rA = contA(ARRAY_A0, ~m, r.sa, r.sb)
    rB = contB(ARRAY_B0, ~m, r.sa, r.sb)
  } else {
    rA = contA(OBJECT_A0, m, r.sa, r.sb)
    rB = contB(OBJECT_B0, m, r.sa, r.sb)
  }
}

type Cache = WeakMap<object, Rec>

/** Hashes of containers outside any redaction (they depend on the value only): shared by all. */
const SHARED: Cache = new WeakMap()

/** Caches of containers below a redaction state, indexed by state id, per redactor. */
const redactorCaches = new WeakMap<Redactor, (Cache | undefined)[]>()

// The call in progress (saved and restored around each call, so hashing is re-entrant).
let curRedactor: Redactor | null = null
let curCaches: (Cache | undefined)[] = []

function cacheFor(s: RedactState | null): Cache {
  if (s === null) return SHARED
  let c = curCaches[s.id]
  if (c === undefined) c = curCaches[s.id] = new WeakMap()
  return c
}

// Containers being hashed, to detect circular structures (checked from `stackBase` up).
const stack: (object | undefined)[] = []
const keyStack: (string | number)[] = []
let depth = 0
let stackBase = 0

function enter(v: object, key: string | number): void {
  for (let i = stackBase; i < depth; i++) {
    if (stack[i] === v) throw circularError(i, key)
  }
  stack[depth] = v
  keyStack[depth] = key
  depth++
}

/** Pops the container stack (not keeping a reference to the state). */
function leave(): void {
  depth--
  stack[depth] = undefined
}

function circularError(at: number, key: string | number): TypeError {
  const path = (from: number, to: number) => {
    let p = 'state'
    for (let i = from; i <= to; i++) p += formatKey(keyStack[i])
    return p
  }
  const target = path(stackBase + 1, at)
  let here = path(stackBase + 1, depth - 1)
  here += formatKey(key)
  return new TypeError(
    `[redux-flight-recorder] Cannot hash a circular structure: ${here} refers back to ${target}. State must be a tree of JSON values.`,
  )
}

function formatKey(k: string | number): string {
  if (typeof k === 'number') return `[${k}]`
  return /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`
}

const ObjectProto = Object.prototype
const hasOwn = Object.prototype.hasOwnProperty
const getProto = Object.getPrototypeOf
const isArray = Array.isArray

// ---------------------------------------------------------------------------------------------
// The walk. Functions return true when the value has a JSON projection (hash in rA/rB) and false
// when JSON drops it (undefined, function, symbol; bigint by choice).
// `pp` is the previous version of the parent container (a plain object or array) or undefined;
// the previous version of this value is `pp[key]`, read only when needed.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any

function hv(v: unknown, key: string | number, s: RedactState | null, pp: Any): boolean {
  switch (typeof v) {
    case 'string':
      hashString(v)
      return true
    case 'number':
      hashNumber(v)
      return true
    case 'boolean':
      if (v) {
        rA = TRUE_A
        rB = TRUE_B
      } else {
        rA = FALSE_A
        rB = FALSE_B
      }
      return true
    case 'object': {
      if (v === null) {
        rA = NULL_A
        rB = NULL_B
        return true
      }
      const cache = s === null ? SHARED : cacheFor(s)
      const rec = cache.get(v)
      if (rec !== undefined) {
        recHash(rec)
        return true
      }
      return miss(v, key, s, pp, cache)
    }
    default:
      return false
  }
}

function miss(v: Any, key: string | number, s: RedactState | null, pp: Any, cache: Cache): boolean {
  const toJSON = v.toJSON
  if (typeof toJSON !== 'function') {
    const arr = isArray(v)
    if (!arr) {
      const proto = getProto(v)
      if (proto !== ObjectProto && proto !== null) return exotic(v, key, s, toJSON)
    }
    const prev = pp === undefined ? undefined : pp[key]
    enter(v, key)
    if (arr) arrayHash(v, prev, s, cache)
    else objectHash(v, prev, s, cache)
    leave()
    return true
  }
  return exotic(v, key, s, toJSON)
}

/** A usable previous version: a plain object or array (whose properties can be read safely). */
function usable(p: Any): boolean {
  if (typeof p !== 'object' || p === null) return false
  if (isArray(p)) return true
  const proto = getProto(p)
  return proto === ObjectProto || proto === null
}

function objectHash(n: Any, p: Any, s: RedactState | null, cache: Cache): void {
  if (typeof p === 'object' && p !== null && p !== n) {
    const rp = cache.get(p)
    if (rp !== undefined && rp.m >= 0 && objectIncremental(n, p, rp, s, cache)) return
    objectFull(n, usable(p) ? p : undefined, s, cache, true)
    return
  }
  objectFull(n, undefined, s, cache, true)
}

function arrayHash(n: Any[], p: Any, s: RedactState | null, cache: Cache): void {
  if (typeof p === 'object' && p !== null && p !== n) {
    const rp = cache.get(p)
    if (rp !== undefined && rp.m < 0 && arrayIncremental(n, p, rp, s, cache)) return
    arrayFull(n, usable(p) ? p : undefined, s, cache, true)
    return
  }
  arrayFull(n, undefined, s, cache, true)
}

/**
 * Hashes every entry of `n`. Caches the result when `remember`, unless `n` is a small leaf (fewer
 * than SMALL entries, none of them an object), which is cheaper to recompute than to remember.
 * Returns true when `n` is such a small leaf.
 */
function objectFull(n: Any, p: Any, s: RedactState | null, cache: Cache, remember: boolean): boolean {
  const keys = Object.keys(n)
  const count = keys.length
  let sa = 0
  let sb = 0
  let m = 0
  let leaf = true
  for (let i = 0; i < count; i++) {
    const k = keys[i]
    const v = n[k]
    if (typeof v === 'object' && v !== null) leaf = false
    if (s === null) {
      if (!hv(v, k, null, p)) continue
    } else {
      const cs = curRedactor!.step(s, k)
      if (cs !== null && cs.terminal) {
        rA = REDACTED_A
        rB = REDACTED_B
      } else if (!hv(v, k, cs, p)) continue
    }
    const va = rA
    const vb = rB
    keyHash(k)
    sa = (sa + oEntryA(kA, kB, va, vb)) | 0
    sb = (sb + oEntryB(kA, kB, va, vb)) | 0
    m++
  }
  const small = leaf && count < SMALL
  if (remember && !small) cache.set(n, new Rec(sa, sb, count, m))
  rA = contA(OBJECT_A0, m, sa, sb)
  rB = contB(OBJECT_B0, m, sa, sb)
  return small
}

function arrayFull(n: Any[], p: Any, s: RedactState | null, cache: Cache, remember: boolean): boolean {
  const len = n.length
  let sa = 0
  let sb = 0
  let leaf = true
  for (let i = 0; i < len; i++) {
    const v = n[i]
    if (typeof v === 'object' && v !== null) leaf = false
    if (s === null) {
      if (!hv(v, i, null, p)) {
        rA = NULL_A
        rB = NULL_B
      }
    } else {
      const cs = curRedactor!.step(s, String(i))
      if (cs !== null && cs.terminal) redactedElement(n, i)
      else if (!hv(v, i, cs, p)) {
        rA = NULL_A
        rB = NULL_B
      }
    }
    sa = (sa + aEntryA(i, rA, rB)) | 0
    sb = (sb + aEntryB(i, rA, rB)) | 0
  }
  const small = leaf && len < SMALL
  if (remember && !small) cache.set(n, new Rec(sa, sb, len, ~len))
  rA = contA(ARRAY_A0, len, sa, sb)
  rB = contB(ARRAY_B0, len, sa, sb)
  return small
}

/** An array element at a redacted path: "[redacted]", except a hole, which stays null. */
function redactedElement(a: Any[], i: number): void {
  if (hasOwn.call(a, i)) {
    rA = REDACTED_A
    rB = REDACTED_B
  } else {
    rA = NULL_A
    rB = NULL_B
  }
}

/**
 * The hash a value had as a child of a previous container, from the cache or recomputed for a
 * primitive: 1 (in rA/rB), 0 when JSON drops it, 2 when unknown (an object without a record).
 */
function previousHash(v: unknown, cs: RedactState | null): 0 | 1 | 2 {
  switch (typeof v) {
    case 'string':
      hashString(v)
      return 1
    case 'number':
      hashNumber(v)
      return 1
    case 'boolean':
      if (v) {
        rA = TRUE_A
        rB = TRUE_B
      } else {
        rA = FALSE_A
        rB = FALSE_B
      }
      return 1
    case 'object': {
      if (v === null) {
        rA = NULL_A
        rB = NULL_B
        return 1
      }
      const cache = cacheFor(cs)
      const rec = cache.get(v)
      if (rec !== undefined) {
        recHash(rec)
        return 1
      }
      return recomputeSmall(v, cs, cache)
    }
    default:
      return 0
  }
}

/**
 * The hash of a previous value that has no record: fine when it is a small leaf container (which
 * is never cached), 2 (unknown) otherwise, e.g. for an object with toJSON whose result may differ
 * now. A small leaf holds primitives only, so recomputing it gives what it gave before.
 */
function recomputeSmall(v: Any, cs: RedactState | null, cache: Cache): 1 | 2 {
  if (!usable(v) || typeof v.toJSON === 'function') return 2
  if (isArray(v)) {
    if (v.length >= SMALL) return 2
    for (let i = 0; i < v.length; i++) {
      const x = v[i]
      if (typeof x === 'object' && x !== null) return 2
    }
    arrayFull(v, undefined, cs, cache, false)
  } else {
    const keys = Object.keys(v)
    if (keys.length >= SMALL) return 2
    for (let i = 0; i < keys.length; i++) {
      const x = v[keys[i]]
      if (typeof x === 'object' && x !== null) return 2
    }
    objectFull(v, undefined, cs, cache, false)
  }
  return 1
}

/**
 * New version `n` of the plain object `p` (record `rp`): start from p's sums and visit n's keys;
 * an entry whose value is the same reference is skipped. Returns false (nothing cached) when an
 * old value's hash is unknown; the caller then computes `n` in full.
 */
function objectIncremental(n: Any, p: Any, rp: Rec, s: RedactState | null, cache: Cache): boolean {
  let sa = rp.sa
  let sb = rp.sb
  let m = rp.m
  const keys = Object.keys(n)
  const count = keys.length
  let common = 0 // keys of n that are own keys of p
  for (let i = 0; i < count; i++) {
    const k = keys[i]
    const v = n[k]
    const pv = p[k]
    // Same value: unchanged entry. Only undefined, functions and `__proto__` could come from
    // something other than an own key of p (a plain object), so those are checked below.
    if (v === pv && v !== undefined && typeof v !== 'function' && k !== '__proto__') {
      common++
      continue
    }
    const inP = hasOwn.call(p, k)
    if (inP) {
      common++
      if (v === pv) continue
    }
    const cs = s === null ? null : curRedactor!.step(s, k)
    if (cs !== null && cs.terminal) {
      if (inP) continue // "[redacted]" before and after
      keyHash(k)
      sa = (sa + oEntryA(kA, kB, REDACTED_A, REDACTED_B)) | 0
      sb = (sb + oEntryB(kA, kB, REDACTED_A, REDACTED_B)) | 0
      m++
      continue
    }
    if (inP) {
      const st = previousHash(pv, cs)
      if (st === 2) return false
      if (st === 1) {
        const oa = rA
        const ob = rB
        keyHash(k)
        sa = (sa - oEntryA(kA, kB, oa, ob)) | 0
        sb = (sb - oEntryB(kA, kB, oa, ob)) | 0
        m--
      }
    }
    if (hv(v, k, cs, p)) {
      const va = rA
      const vb = rB
      keyHash(k)
      sa = (sa + oEntryA(kA, kB, va, vb)) | 0
      sb = (sb + oEntryB(kA, kB, va, vb)) | 0
      m++
    }
  }
  if (common < rp.n) {
    // Some keys of p are gone.
    const pkeys = Object.keys(p)
    for (let i = 0; i < pkeys.length; i++) {
      const k = pkeys[i]
      if (hasOwn.call(n, k)) continue
      const cs = s === null ? null : curRedactor!.step(s, k)
      let st: 0 | 1 | 2
      if (cs !== null && cs.terminal) {
        rA = REDACTED_A
        rB = REDACTED_B
        st = 1
      } else st = previousHash(p[k], cs)
      if (st === 2) return false
      if (st === 1) {
        const oa = rA
        const ob = rB
        keyHash(k)
        sa = (sa - oEntryA(kA, kB, oa, ob)) | 0
        sb = (sb - oEntryB(kA, kB, oa, ob)) | 0
        m--
      }
    }
  }
  const ha = contA(OBJECT_A0, m, sa, sb)
  const hb = contB(OBJECT_B0, m, sa, sb)
  cache.set(n, new Rec(sa, sb, count, m))
  rA = ha
  rB = hb
  return true
}

/** Old element `i` of `p` at redaction state `cs`; 1 (in rA/rB) or 2 when unknown. */
function previousElement(p: Any[], i: number, cs: RedactState | null): 1 | 2 {
  if (cs !== null && cs.terminal) {
    redactedElement(p, i)
    return 1
  }
  const st = previousHash(p[i], cs)
  if (st === 0) {
    rA = NULL_A
    rB = NULL_B
    return 1
  }
  return st
}

/** New element `i` of `n` at redaction state `cs`, result in rA/rB. */
function newElement(n: Any[], i: number, cs: RedactState | null, p: Any): void {
  if (cs !== null && cs.terminal) redactedElement(n, i)
  else if (!hv(n[i], i, cs, p)) {
    rA = NULL_A
    rB = NULL_B
  }
}

function arrayIncremental(n: Any[], p: Any[], rp: Rec, s: RedactState | null, cache: Cache): boolean {
  let sa = rp.sa
  let sb = rp.sb
  const len = n.length
  const plen = rp.n
  const common = len < plen ? len : plen
  for (let i = 0; i < common; i++) {
    const v = n[i]
    // (Under redaction a hole and an explicit undefined can differ: "[redacted]" vs null.)
    if (v === p[i] && (v !== undefined || s === null)) continue
    const cs = s === null ? null : curRedactor!.step(s, String(i))
    if (previousElement(p, i, cs) === 2) return false
    const oa = rA
    const ob = rB
    newElement(n, i, cs, p)
    sa = (sa - aEntryA(i, oa, ob) + aEntryA(i, rA, rB)) | 0
    sb = (sb - aEntryB(i, oa, ob) + aEntryB(i, rA, rB)) | 0
  }
  for (let i = common; i < plen; i++) {
    const cs = s === null ? null : curRedactor!.step(s, String(i))
    if (previousElement(p, i, cs) === 2) return false
    sa = (sa - aEntryA(i, rA, rB)) | 0
    sb = (sb - aEntryB(i, rA, rB)) | 0
  }
  for (let i = common; i < len; i++) {
    const cs = s === null ? null : curRedactor!.step(s, String(i))
    newElement(n, i, cs, p)
    sa = (sa + aEntryA(i, rA, rB)) | 0
    sb = (sb + aEntryB(i, rA, rB)) | 0
  }
  const ha = contA(ARRAY_A0, len, sa, sb)
  const hb = contB(ARRAY_B0, len, sa, sb)
  cache.set(n, new Rec(sa, sb, len, ~len))
  rA = ha
  rB = hb
  return true
}

/**
 * Everything that is not a plain object or array without `toJSON`: objects with `toJSON` (Date),
 * boxed primitives, class instances, Map/Set, objects from other realms. Never cached.
 */
function exotic(v: Any, key: string | number, s: RedactState | null, toJSON: unknown): boolean {
  if (s !== null) {
    // Redaction applies to the raw own properties first (as applyRedaction does), then JSON.
    const redacted = redactCopy(v, s, [])
    if (redacted !== v) return hv(redacted, key, null, undefined)
  }
  if (typeof toJSON === 'function') {
    const projected = toJSON.call(v, typeof key === 'number' ? String(key) : key)
    // JSON.stringify does not call toJSON on what toJSON returned.
    if (typeof projected === 'object' && projected !== null && typeof projected.toJSON === 'function') {
      return plainWalk(projected, key)
    }
    return hv(projected, key, null, undefined)
  }
  return plainWalk(v, key)
}

/** JSON projection of an object without calling its toJSON: boxed primitives unwrapped, own keys. */
function plainWalk(v: Any, key: string | number): boolean {
  if (v instanceof Number) {
    hashNumber(Number(v))
    return true
  }
  if (v instanceof String) {
    hashString(String(v))
    return true
  }
  if (v instanceof Boolean) {
    const b = Boolean.prototype.valueOf.call(v)
    rA = b ? TRUE_A : FALSE_A
    rB = b ? TRUE_B : FALSE_B
    return true
  }
  if (typeof BigInt === 'function' && v instanceof BigInt) return false
  enter(v, key)
  if (isArray(v)) arrayFull(v, undefined, null, SHARED, false)
  else objectFull(v, undefined, null, SHARED, false)
  leave()
  return true
}

/** Same result as redactAt in ../redact (used only for exotic objects under redaction). */
function redactCopy(value: unknown, state: RedactState, seen: object[]): unknown {
  if (state.terminal) return REDACTED
  if (value === null || typeof value !== 'object') return value
  if (seen.includes(value)) {
    throw new TypeError('[redux-flight-recorder] Cannot hash a circular structure. State must be a tree of JSON values.')
  }
  seen.push(value)
  let copy: Any
  const keys = Object.keys(value)
  for (const key of keys) {
    const child = curRedactor!.step(state, key)
    if (!child) continue
    let current: unknown
    try {
      current = (value as Any)[key]
    } catch {
      continue
    }
    const replaced = redactCopy(current, child, seen)
    if (replaced !== current) {
      copy ??= isArray(value) ? [...value] : { ...value }
      copy[key] = replaced
    }
  }
  seen.pop()
  return copy ?? value
}

// ---------------------------------------------------------------------------------------------
// Public API

/**
 * An incremental fr64 hasher. Keep one per store and pass the previously hashed state as `prev`:
 * the work per call is then proportional to the keys of the containers whose identity changed.
 *
 * State must be treated as immutable (as Redux requires): mutating an object in place after it
 * was hashed leaves a stale cached hash for it.
 */
export class Fr64Hasher {
  /** Lane A of the last result (uint32). */
  hi = 0
  /** Lane B of the last result (uint32). */
  lo = 0
  readonly redactor: Redactor | null
  private readonly caches: (Cache | undefined)[] = []

  constructor(redactor?: Redactor | null) {
    this.redactor = redactor ?? null
    if (this.redactor !== null) {
      // Hashers with the same redactor share their caches (state ids belong to the redactor).
      let caches = redactorCaches.get(this.redactor)
      if (caches === undefined) redactorCaches.set(this.redactor, (caches = []))
      this.caches = caches
    }
  }

  /**
   * Hashes `state` (with this hasher's redaction applied); the result is in `hi`/`lo`.
   * `prev` is the state given to the previous call, if any: work is reused from it.
   * Throws a TypeError for a circular structure; errors thrown by getters, `toJSON` or revoked
   * proxies propagate.
   */
  hash(state: unknown, prev?: unknown): void {
    const savedRedactor = curRedactor
    const savedCaches = curCaches
    const savedBase = stackBase
    const savedDepth = depth
    curRedactor = this.redactor
    curCaches = this.caches
    stackBase = depth
    try {
      const root = this.redactor === null ? null : this.redactor.root
      if (root !== null && root.terminal) {
        rA = REDACTED_A
        rB = REDACTED_B
      } else if (!hv(state, '', root, prev === undefined ? undefined : { '': prev })) {
        // No JSON projection at all (undefined, a function): hashed as null.
        rA = NULL_A
        rB = NULL_B
      }
      this.hi = rA >>> 0
      this.lo = rB >>> 0
    } catch (error) {
      for (let i = depth - 1; i >= stackBase; i--) stack[i] = undefined
      throw error
    } finally {
      curRedactor = savedRedactor
      curCaches = savedCaches
      stackBase = savedBase
      depth = savedDepth
    }
  }

  /** The last result as 16 lowercase hex characters. */
  hex(): string {
    return hashHex(this.hi, this.lo)
  }
}

/** 16 lowercase hex characters, `hi` first. */
export function hashHex(hi: number, lo: number): string {
  return hex8(hi) + hex8(lo)
}

function hex8(x: number): string {
  const s = (x >>> 0).toString(16)
  return s.length === 8 ? s : '00000000'.slice(s.length) + s
}

const defaultHasher = new Fr64Hasher()
const redactingHashers = new WeakMap<Redactor, Fr64Hasher>()

/**
 * The fr64 hash of `value`'s JSON projection (after redaction, if a redactor is given), as 16
 * lowercase hex characters. Containers already hashed (same reference) are not walked again.
 */
export function stateHash(value: unknown, redactor?: Redactor | null): string {
  let hasher = defaultHasher
  if (redactor) {
    let h = redactingHashers.get(redactor)
    if (h === undefined) redactingHashers.set(redactor, (h = new Fr64Hasher(redactor)))
    hasher = h
  }
  hasher.hash(value)
  return hashHex(hasher.hi, hasher.lo)
}
