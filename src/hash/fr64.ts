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
import { isBoxed } from '../internal/boxed'
import { REDACTED } from '../redact'
import { hashHex } from './hashHex'
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
const NUMBER_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_NUMBER)
const NUMBER_B0 = /* @__PURE__ */ stepB(initB(12), TAG_NUMBER)
const OBJECT_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_OBJECT)
const OBJECT_B0 = /* @__PURE__ */ stepB(initB(16), TAG_OBJECT)
const ARRAY_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_ARRAY)
const ARRAY_B0 = /* @__PURE__ */ stepB(initB(16), TAG_ARRAY)
const OENTRY_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_OBJECT_ENTRY)
const OENTRY_B0 = /* @__PURE__ */ stepB(initB(20), TAG_OBJECT_ENTRY)
const AENTRY_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_ARRAY_ENTRY)
const AENTRY_B0 = /* @__PURE__ */ stepB(initB(16), TAG_ARRAY_ENTRY)

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

const NULL_A = /* @__PURE__ */ finA(stepA(SEED_A, TAG_NULL), 4)
const NULL_B = /* @__PURE__ */ finB(stepB(initB(4), TAG_NULL))
const FALSE_A = /* @__PURE__ */ finA(stepA(SEED_A, TAG_FALSE), 4)
const FALSE_B = /* @__PURE__ */ finB(stepB(initB(4), TAG_FALSE))
const TRUE_A = /* @__PURE__ */ finA(stepA(SEED_A, TAG_TRUE), 4)
const TRUE_B = /* @__PURE__ */ finB(stepB(initB(4), TAG_TRUE))
const STRING_A0 = /* @__PURE__ */ stepA(SEED_A, TAG_STRING)

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

const f64 = /* @__PURE__ */ new Float64Array(1)
const u32 = /* @__PURE__ */ new Uint32Array(f64.buffer)
// Which word of u32 holds the sign and exponent (the platform's byte order); module-level
// statements are expressions without side effects, so bundlers can drop the module when unused.
const HI_WORD = /* @__PURE__ */ highWord()
const LO_WORD = 1 - HI_WORD

function highWord(): number {
  f64[0] = 1
  return u32[1] === 0x3ff00000 ? 1 : 0
}

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

const REDACTED_A = /* @__PURE__ */ stringLane(REDACTED, 0)
const REDACTED_B = /* @__PURE__ */ stringLane(REDACTED, 1)

function stringLane(s: string, lane: 0 | 1): number {
  hashString(s)
  return lane === 0 ? rA : rB
}

// Bounded cache of key-string hashes: slot numbers in a Map, hashes in typed arrays.
const KEY_CACHE_SIZE = 1 << 14
const keySlots = /* @__PURE__ */ new Map<string, number>()
const keyHashA = /* @__PURE__ */ new Int32Array(KEY_CACHE_SIZE)
const keyHashB = /* @__PURE__ */ new Int32Array(KEY_CACHE_SIZE)

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

/**
 * Key hashes by position: the key last seen at index i of an object at nesting level d (both
 * below 32). The entities of a map share their keys in the same order, so hashing them in full
 * (a first hash, a log's starting state) finds each key here with one comparison instead of a
 * lookup in keySlots. Keys are internalised strings, so a mismatch is usually a pointer compare.
 */
const POS_WIDTH = 32
const posKeys: (string | undefined)[] = /* @__PURE__ */ new Array(POS_WIDTH * POS_WIDTH).fill(undefined)
const posA = /* @__PURE__ */ new Int32Array(POS_WIDTH * POS_WIDTH)
const posB = /* @__PURE__ */ new Int32Array(POS_WIDTH * POS_WIDTH)

/** keyHash for the key at index `i` of an object at nesting level `d`. */
function keyHashAt(k: string, d: number, i: number): void {
  if (i >= POS_WIDTH || d >= POS_WIDTH) {
    keyHash(k)
    return
  }
  const at = d * POS_WIDTH + i
  if (posKeys[at] === k) {
    kA = posA[at]
    kB = posB[at]
    return
  }
  keyHash(k)
  posKeys[at] = k
  posA[at] = kA
  posB[at] = kB
}

// ---------------------------------------------------------------------------------------------
// Per-container records

/**
 * Cheap containers are not cached: recomputing them costs less than remembering them (WeakMap.set
 * on a fresh object costs about as much as hashing a few dozen primitives), and skipping the
 * WeakMap saves memory (a 10 MB entity store holds many small arrays and objects). A container is
 * cheap when it has fewer than SMALL entries, each a primitive or a "small leaf" (a container of
 * fewer than SMALL primitives), and at most CHEAP_WEIGHT values in all (entries plus the entries
 * of its small leaves): a typical entity `{ id, title, done, tags: ['a', 'b'] }` is cheap.
 */
const SMALL = 8
const CHEAP_WEIGHT = 24
/** Objects with at least this many keys (and at most V8's fast-properties limit) are diffed by Object.values. */
const VALUES_MIN = 16
const VALUES_MAX = 1020

/**
 * What is remembered about a hashed plain object or array: four small integers (int32 values are
 * stored inline by V8 on 64-bit Node). The hash itself is recomputed from them (two short mixes)
 * when read.
 */
class Rec {
  /**
   * Objects whose entries all have a projection (m === n): their keys in order, and each entry's
   * hash (lanes A and B at 2i, 2i+1). The next version of the object, when it has the same keys,
   * takes both over (they move, so the latest version holds them): a changed entry's old hash is
   * then read here instead of being recomputed from the old value.
   */
  ks: string[] | undefined = undefined
  /** EH words per key: see EH. */
  eh: Int32Array | undefined = undefined
  /** Large objects (past VALUES_MAX keys): their values in key order, taken over the same way. */
  vs: unknown[] | undefined = undefined
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

/**
 * Words per key in a record's `eh`: the entry's hash (lanes A, B), then, when the value is a cheap
 * plain object hashed outside any redaction, its entry sums (A, B) and `count << 8 | m` plus one
 * (0 otherwise). A changed entity of a map whose other fields are the same references, or which
 * changed only in primitives, is then hashed from its previous version's sums (see childFast).
 */
const EH = 5

/** Objects that keep entry hashes: this many keys or more, or the root and its children. */
const EH_MIN_KEYS = 16
const EH_MAX_DEPTH = 2

/** Entry hashes of the objects being hashed in full, as a stack (objectFull is recursive). */
let ehStack = /* @__PURE__ */ new Int32Array(1024)
let ehTop = 0

function ehReserve(words: number): number {
  const base = ehTop
  const need = base + words
  if (need > ehStack.length) {
    let size = ehStack.length * 2
    while (size < need) size *= 2
    const grown = new Int32Array(size)
    grown.set(ehStack.subarray(0, base))
    ehStack = grown
  }
  ehTop = need
  return base
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

/**
 * Records made incrementally by the last two calls of a hasher, not (yet) in their WeakMap. In a
 * sequence of states, the containers on the path of a change (the root, a slice, an entity map) are
 * replaced at the very next call: their records are used once, as the previous version, and then
 * dropped without ever paying for WeakMap.set. Records still held at the end of the call after
 * the one that made them move into the WeakMap. Per hasher, so a hasher that is dropped holds
 * nothing; looked up by identity, newest first.
 */
class Young {
  obj: (object | null)[] = []
  rec: Rec[] = []
  cache: Cache[] = []
  len = 0
  /** Entries below this index come from the previous call. */
  mark = 0
}
const YOUNG_MAX = 64
let curYoung: Young | null = null

function getRec(cache: Cache, v: object): Rec | undefined {
  const y = curYoung
  if (y !== null) {
    const obj = y.obj
    for (let i = y.len - 1; i >= 0; i--) if (obj[i] === v && y.cache[i] === cache) return y.rec[i]
  }
  return cache.get(v)
}

/** Remembers the record of a container computed incrementally. */
function remember(cache: Cache, v: object, rec: Rec): void {
  const y = curYoung
  if (y === null || y.len >= YOUNG_MAX) {
    cache.set(v, rec)
    return
  }
  y.obj[y.len] = v
  y.rec[y.len] = rec
  y.cache[y.len] = cache
  y.len++
}

/** `p` was the previous version a new container was computed from: forget its young record. */
function supersede(p: object): void {
  const y = curYoung
  if (y === null) return
  for (let i = y.len - 1; i >= 0; i--) {
    if (y.obj[i] === p) {
      y.obj[i] = null
      return
    }
  }
}

/** End of a call: records of the call before it that were not superseded go into their WeakMap. */
function ageYoung(y: Young): void {
  let w = 0
  for (let i = 0; i < y.len; i++) {
    const o = y.obj[i]
    if (i < y.mark) {
      if (o !== null) y.cache[i].set(o, y.rec[i])
    } else if (o !== null) {
      y.obj[w] = o
      y.rec[w] = y.rec[i]
      y.cache[w] = y.cache[i]
      w++
    }
  }
  for (let i = w; i < y.len; i++) {
    y.obj[i] = null
    y.rec[i] = undefined as unknown as Rec
    y.cache[i] = undefined as unknown as Cache
  }
  y.len = w
  y.mark = w
}

/**
 * Set by `hv` for a container value: whether it was a small leaf (fewer than SMALL primitives),
 * and its entry count then. Read by the parent right after `hv` returns.
 */
let smallLeaf = false
let smallCount = 0

/**
 * Set by `hv` for a container value: when it was a cheap plain object (see SMALL), its entry
 * sums and `count << 8 | m` plus one; `childNM` is 0 for anything else. Read by the parent right
 * after `hv` returns.
 */
let childSA = 0
let childSB = 0
let childNM = 0

/** Hashes of containers outside any redaction (they depend on the value only): shared by all. */
const SHARED: Cache = /* @__PURE__ */ new WeakMap()

/** Caches of containers below a redaction state, indexed by state id, per redactor. */
const redactorCaches = /* @__PURE__ */ new WeakMap<Redactor, (Cache | undefined)[]>()

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

const ObjectProto: Any = Object.prototype
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
  if (typeof v !== 'object' || v === null) return primitiveHash(v)
  smallLeaf = false
  childNM = 0
  const cache = s === null ? SHARED : cacheFor(s)
  const rec = getRec(cache, v)
  if (rec !== undefined) {
    recHash(rec)
    return true
  }
  return miss(v, key, s, pp, cache)
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
    const rp = getRec(cache, p)
    if (rp !== undefined && rp.m >= 0 && objectIncremental(n, p, rp, s, cache)) {
      supersede(p)
      return
    }
    objectFull(n, usable(p) ? p : undefined, s, cache, true)
    return
  }
  objectFull(n, undefined, s, cache, true)
}

function arrayHash(n: Any[], p: Any, s: RedactState | null, cache: Cache): void {
  if (typeof p === 'object' && p !== null && p !== n) {
    const rp = getRec(cache, p)
    if (rp !== undefined && rp.m < 0 && arrayIncremental(n, p, rp, s, cache)) {
      supersede(p)
      return
    }
    arrayFull(n, usable(p) ? p : undefined, s, cache, true)
    return
  }
  arrayFull(n, undefined, s, cache, true)
}

/**
 * Hashes every entry of `n`. Caches the result when `remember`, unless `n` is cheap (see SMALL),
 * which costs less to recompute than to remember. Sets `smallLeaf`/`smallCount` for the caller.
 */
function objectFull(n: Any, p: Any, s: RedactState | null, cache: Cache, remember: boolean): void {
  const keys = Object.keys(n)
  const count = keys.length
  let sa = 0
  let sb = 0
  let m = 0
  let leaf = true
  // Entries plus the entries of small-leaf children; -1 once a child is a larger container.
  let weight = count
  // Entry hashes are kept for the containers that change with almost every action: the root, its
  // children (slices) and large ones (entity maps). Not for every entity of a map: the keys and
  // entry hashes of each would cost about as much memory as the entity itself.
  const level = depth - stackBase
  const keep = remember && (count >= EH_MIN_KEYS || level <= EH_MAX_DEPTH)
  const base = keep ? ehReserve(EH * count) : -1
  const vals: unknown[] | undefined = keep && count > VALUES_MAX ? new Array(count) : undefined
  for (let i = 0; i < count; i++) {
    const k = keys[i]
    const v = n[k]
    if (vals !== undefined) vals[i] = v
    const obj = typeof v === 'object' && v !== null
    if (obj) leaf = false
    if (s === null) {
      if (!hv(v, k, null, p)) {
        if (obj) weight = -1
        continue
      }
      if (obj && weight >= 0) weight = smallLeaf ? weight + smallCount : -1
    } else {
      const cs = curRedactor!.step(s, k)
      if (cs !== null && cs.terminal) {
        rA = REDACTED_A
        rB = REDACTED_B
      } else if (!hv(v, k, cs, p)) {
        if (obj) weight = -1
        continue
      } else if (obj && weight >= 0) weight = smallLeaf ? weight + smallCount : -1
    }
    const va = rA
    const vb = rB
    keyHashAt(k, level, i)
    const ea = oEntryA(kA, kB, va, vb)
    const eb = oEntryB(kA, kB, va, vb)
    sa = (sa + ea) | 0
    sb = (sb + eb) | 0
    m++
    if (base >= 0) {
      const at = base + EH * i
      ehStack[at] = ea
      ehStack[at + 1] = eb
      if (s === null && obj && childNM !== 0) {
        ehStack[at + 2] = childSA
        ehStack[at + 3] = childSB
        ehStack[at + 4] = childNM
      } else ehStack[at + 4] = 0
    }
  }
  const cheap = count < SMALL && weight >= 0 && weight <= CHEAP_WEIGHT
  if (remember && !cheap) {
    const rec = new Rec(sa, sb, count, m)
    if (keep && m === count) {
      rec.ks = keys
      rec.eh = ehStack.slice(base, base + EH * count)
      rec.vs = vals
    }
    cache.set(n, rec)
  }
  if (base >= 0) ehTop = base
  rA = contA(OBJECT_A0, m, sa, sb)
  rB = contB(OBJECT_B0, m, sa, sb)
  smallLeaf = leaf && count < SMALL
  smallCount = count
  // (A plain object: callers that reach objectFull for something else reset childNM after it.)
  childSA = sa
  childSB = sb
  childNM = cheap ? ((count << 8) | m) + 1 : 0
}

function arrayFull(n: Any[], p: Any, s: RedactState | null, cache: Cache, remember: boolean): void {
  const len = n.length
  let sa = 0
  let sb = 0
  let leaf = true
  let weight = len
  for (let i = 0; i < len; i++) {
    const v = n[i]
    const obj = typeof v === 'object' && v !== null
    if (obj) leaf = false
    if (s === null) {
      if (!hv(v, i, null, p)) {
        rA = NULL_A
        rB = NULL_B
        if (obj) weight = -1
      } else if (obj && weight >= 0) weight = smallLeaf ? weight + smallCount : -1
    } else {
      const cs = curRedactor!.step(s, String(i))
      if (cs !== null && cs.terminal) redactedElement(n, i)
      else if (!hv(v, i, cs, p)) {
        rA = NULL_A
        rB = NULL_B
        if (obj) weight = -1
      } else if (obj && weight >= 0) weight = smallLeaf ? weight + smallCount : -1
    }
    sa = (sa + aEntryA(i, rA, rB)) | 0
    sb = (sb + aEntryB(i, rA, rB)) | 0
  }
  if (remember && !(len < SMALL && weight >= 0 && weight <= CHEAP_WEIGHT)) cache.set(n, new Rec(sa, sb, len, ~len))
  rA = contA(ARRAY_A0, len, sa, sb)
  rB = contB(ARRAY_B0, len, sa, sb)
  smallLeaf = leaf && len < SMALL
  smallCount = len
  childNM = 0
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
  if (typeof v !== 'object' || v === null) return primitiveHash(v) ? 1 : 0
  const cache = cacheFor(cs)
  const rec = getRec(cache, v)
  if (rec !== undefined) {
    recHash(rec)
    return 1
  }
  return recomputeCheap(v, cs, cache)
}

/**
 * Entry count of a plain container of fewer than SMALL primitives (a small leaf), or -1. Objects
 * with toJSON and class instances do not count: their projection may differ from one call to the
 * next.
 */
function smallLeafCount(v: Any): number {
  if (!usable(v) || typeof v.toJSON === 'function') return -1
  if (isArray(v)) {
    const len = v.length
    if (len >= SMALL) return -1
    for (let i = 0; i < len; i++) {
      const x = v[i]
      if (typeof x === 'object' && x !== null) return -1
    }
    return len
  }
  const keys = Object.keys(v)
  const count = keys.length
  if (count >= SMALL) return -1
  for (let i = 0; i < count; i++) {
    const x = v[keys[i]]
    if (typeof x === 'object' && x !== null) return -1
  }
  return count
}

/**
 * The hash of a previous value that has no record: recomputed when it is cheap (see SMALL; such
 * containers are never cached), 2 (unknown) otherwise, e.g. for an object with toJSON whose result
 * may differ now. State is immutable, so recomputing a container gives what it gave before.
 */
function recomputeCheap(v: Any, cs: RedactState | null, cache: Cache): 1 | 2 {
  if (!usable(v) || typeof v.toJSON === 'function') return 2
  const arr = isArray(v)
  const keys = arr ? undefined : Object.keys(v)
  const count = arr ? v.length : keys!.length
  if (count >= SMALL) return 2
  let weight = count
  for (let i = 0; i < count; i++) {
    const x = arr ? v[i] : v[keys![i]]
    if (typeof x === 'object' && x !== null) {
      const c = smallLeafCount(x)
      if (c < 0) return 2
      weight += c
      if (weight > CHEAP_WEIGHT) return 2
    }
  }
  // The old value may hold the very container being hashed now (a subtree moved up): it is not a
  // cycle, and this value is two levels of plain data, so the cycle check starts afresh here.
  const savedBase = stackBase
  stackBase = depth
  try {
    if (arr) arrayFull(v, undefined, cs, cache, false)
    else objectFull(v, undefined, cs, cache, false)
  } finally {
    stackBase = savedBase
  }
  return 1
}

/** Whether the first `len` keys of `a` and `b` are the same strings. */
function samePrefix(a: string[], b: string[], len: number): boolean {
  for (let i = 0; i < len; i++) if (a[i] !== b[i]) return false
  return true
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
  const pks = rp.ks
  if (pks !== undefined && (count === pks.length || count === pks.length + 1) && samePrefix(keys, pks, pks.length)) {
    objectAligned(n, p, rp, keys, s, cache)
    return true
  }
  if (pks !== undefined && objectMerged(n, p, rp, keys, s, cache)) return true
  if (pks === undefined && rp.m === rp.n && count <= VALUES_MAX && (count >= EH_MIN_KEYS || depth - stackBase <= EH_MAX_DEPTH)) {
    // A container that keeps entry hashes, computed from a previous version that no longer has
    // them (a newer version took them over: DevTools jumped back, redux-undo restored an older
    // state). Computed in full once, so the versions after it take the aligned path again
    // instead of this one for the rest of the session.
    objectFull(n, p, s, cache, true)
    return true
  }
  let common = 0 // keys of n that are own keys of p
  // A mid-size object (a version made by spreading the previous one has the same keys in the same
  // order): reading all values at once is much cheaper than a keyed lookup per key, which searches
  // the object's property descriptors.
  let nvals: Any[] | undefined
  let pvals: Any[] | undefined
  if (count >= VALUES_MIN && count <= VALUES_MAX) {
    const pkeys = Object.keys(p)
    if (pkeys.length === count && samePrefix(keys, pkeys, count)) {
      nvals = Object.values(n)
      pvals = Object.values(p)
      if (nvals.length !== count || pvals.length !== count) nvals = pvals = undefined
    }
  }
  for (let i = 0; i < count; i++) {
    const k = keys[i]
    const v = nvals === undefined ? n[k] : nvals[i]
    const pv = pvals === undefined ? p[k] : pvals[i]
    // Same value: unchanged entry. Only undefined, functions, `__proto__` and what a polluted
    // Object.prototype holds could come from something other than an own key of p (a plain
    // object), so those are checked below.
    if (v === pv && v !== undefined && typeof v !== 'function' && k !== '__proto__' && (pvals !== undefined || ObjectProto[k] !== v)) {
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
  remember(cache, n, new Rec(sa, sb, count, m))
  rA = ha
  rB = hb
  childNM = 0
  return true
}

/**
 * objectIncremental when `p`'s record holds its keys and entry hashes and `n` has the same keys in
 * the same order, plus at most one more at the end (a spread that replaced or added a key): a
 * changed entry's old hash is read from the record, so old values are never looked at. `n` takes
 * the keys and entry hashes over.
 */
function objectAligned(n: Any, p: Any, rp: Rec, keys: string[], s: RedactState | null, cache: Cache): void {
  let sa = rp.sa
  let sb = rp.sb
  let m = rp.m
  const count = keys.length
  const plen = rp.n
  let eh = rp.eh!
  // The old values, in key order: kept by large objects, read at once for mid-size ones.
  const vs = rp.vs
  rp.eh = undefined
  rp.ks = undefined
  rp.vs = undefined
  if (count > plen) {
    const grown = new Int32Array(EH * count)
    grown.set(eh)
    eh = grown
  }
  let nvals: Any[] | undefined
  let pvals: Any[] | undefined = vs
  if (plen >= VALUES_MIN && plen <= VALUES_MAX) {
    nvals = Object.values(n)
    pvals = Object.values(p)
    if (nvals.length !== count || pvals.length !== plen) nvals = pvals = undefined
  }
  for (let i = 0; i < plen; i++) {
    const k = keys[i]
    const v = nvals === undefined ? n[k] : nvals[i]
    // Own keys of a plain object on both sides, so p[k] is the old value (also for "__proto__").
    const pv = pvals === undefined ? p[k] : pvals[i]
    if (v === pv) continue
    if (vs !== undefined) vs[i] = v
    const cs = s === null ? null : curRedactor!.step(s, k)
    if (cs !== null && cs.terminal) continue // "[redacted]" before and after
    // Every entry of p has a projection (m === n), so each slot holds its entry's hash.
    replaceSlot(eh, EH * i, k, v, pv, s, cs, p)
    sa = (sa + slotDA) | 0
    sb = (sb + slotDB) | 0
    m += slotDM
  }
  if (count > plen) {
    const k = keys[plen]
    const v = n[k]
    if (vs !== undefined) vs.push(v)
    const at = EH * plen
    if (setSlot(eh, at, k, v, undefined, s, s === null ? null : curRedactor!.step(s, k), p)) {
      sa = (sa + eh[at]) | 0
      sb = (sb + eh[at + 1]) | 0
      m++
    }
  }
  keepRecord(n, cache, sa, sb, count, m, keys, eh, vs)
}

/**
 * objectIncremental when `p`'s record holds its keys and entry hashes and `n`'s keys are p's with
 * some removed and some inserted, in the same order otherwise (an entity deleted from a map, one
 * inserted in the middle): walks both key lists together, so `n` keeps entry hashes and the next
 * version takes the aligned path again. False when keys moved (nothing changed then).
 */
function objectMerged(n: Any, p: Any, rp: Rec, keys: string[], s: RedactState | null, cache: Cache): boolean {
  const pks = rp.ks!
  const peh = rp.eh!
  const pvs = rp.vs
  const count = keys.length
  const plen = pks.length
  let sa = rp.sa
  let sb = rp.sb
  let m = rp.m
  const eh = new Int32Array(EH * count)
  const vs: unknown[] | undefined = count > VALUES_MAX ? new Array(count) : undefined
  let i = 0
  let j = 0
  while (i < count || j < plen) {
    const k = i < count ? keys[i] : undefined
    if (k !== undefined && j < plen && k === pks[j]) {
      // The same key, kept: its slot moves from j to i.
      const v = n[k]
      const pv = pvs !== undefined ? pvs[j] : p[k]
      if (vs !== undefined) vs[i] = v
      const at = EH * i
      eh.set(peh.subarray(EH * j, EH * j + EH), at)
      if (v !== pv) {
        const cs = s === null ? null : curRedactor!.step(s, k)
        if (!(cs !== null && cs.terminal)) {
          replaceSlot(eh, at, k, v, pv, s, cs, p)
          sa = (sa + slotDA) | 0
          sb = (sb + slotDB) | 0
          m += slotDM
        }
      }
      i++
      j++
    } else if (j < plen && !hasOwn.call(n, pks[j])) {
      // A key of p that n no longer has.
      sa = (sa - peh[EH * j]) | 0
      sb = (sb - peh[EH * j + 1]) | 0
      m--
      j++
    } else if (k !== undefined && !hasOwn.call(p, k)) {
      // A key that p did not have.
      const v = n[k]
      if (vs !== undefined) vs[i] = v
      const at = EH * i
      if (setSlot(eh, at, k, v, undefined, s, s === null ? null : curRedactor!.step(s, k), p)) {
        sa = (sa + eh[at]) | 0
        sb = (sb + eh[at + 1]) | 0
        m++
      }
      i++
    } else return false // keys moved
  }
  rp.eh = undefined
  rp.ks = undefined
  rp.vs = undefined
  keepRecord(n, cache, sa, sb, count, m, keys, eh, vs)
  return true
}

/** Set by replaceSlot: how the container's entry sums (lanes A, B) and entry count changed. */
let slotDA = 0
let slotDB = 0
let slotDM = 0

/** setSlot over a slot that held an entry's hash: the change of the sums goes to slotDA/DB/DM. */
function replaceSlot(eh: Int32Array, at: number, k: string, v: unknown, pv: unknown, s: RedactState | null, cs: RedactState | null, p: Any): void {
  const oa = eh[at]
  const ob = eh[at + 1]
  if (setSlot(eh, at, k, v, pv, s, cs, p)) {
    slotDA = (eh[at] - oa) | 0
    slotDB = (eh[at + 1] - ob) | 0
    slotDM = 0
  } else {
    slotDA = -oa | 0
    slotDB = -ob | 0
    slotDM = -1
  }
}

/**
 * Hashes entry `k: v` into slot `at` of `eh` (old value `pv`, whose kept sums, if any, are in the
 * slot): the entry hash, and the value's own sums when it is a cheap plain object. False when JSON
 * drops the value (the slot is cleared).
 */
function setSlot(eh: Int32Array, at: number, k: string, v: unknown, pv: unknown, s: RedactState | null, cs: RedactState | null, p: Any): boolean {
  let present = true
  if (cs !== null && cs.terminal) {
    rA = REDACTED_A
    rB = REDACTED_B
    childNM = 0
  } else {
    const pnm = eh[at + 4]
    if (!(pnm !== 0 && s === null && childFast(v, pv, eh[at + 2], eh[at + 3], pnm))) {
      childNM = 0
      present = hv(v, k, cs, p)
    }
  }
  if (!present) {
    eh[at] = 0
    eh[at + 1] = 0
    eh[at + 4] = 0
    return false
  }
  const va = rA
  const vb = rB
  if (s === null && childNM !== 0 && typeof v === 'object') {
    eh[at + 2] = childSA
    eh[at + 3] = childSB
    eh[at + 4] = childNM
  } else eh[at + 4] = 0
  keyHashAt(k, depth - stackBase, (at / EH) | 0)
  eh[at] = oEntryA(kA, kB, va, vb)
  eh[at + 1] = oEntryB(kA, kB, va, vb)
  return true
}

/** The record of an object computed from its previous version's entry hashes; result in rA/rB. */
function keepRecord(n: Any, cache: Cache, sa: number, sb: number, count: number, m: number, keys: string[], eh: Int32Array, vs: unknown[] | undefined): void {
  const rec = new Rec(sa, sb, count, m)
  if (m === count) {
    rec.ks = keys
    rec.eh = eh
    rec.vs = vs
  }
  remember(cache, n, rec)
  rA = contA(OBJECT_A0, m, sa, sb)
  rB = contB(OBJECT_B0, m, sa, sb)
  childNM = 0
}

/**
 * Hash of `n`, a new version of the cheap plain object `p` whose entry sums (`psa`, `psb`) and
 * `count << 8 | m` plus one (`pnm`) its parent kept: when n has the same keys and every entry that
 * differs holds a primitive before and after, n's sums are p's minus the old entries plus the new
 * ones. Result in rA/rB (and childSA/childSB/childNM, n being as cheap as p); false when the
 * conditions do not hold (nothing is changed then: the caller hashes n the usual way).
 */
function childFast(n: Any, p: Any, psa: number, psb: number, pnm: number): boolean {
  if (typeof n !== 'object' || n === null || typeof p !== 'object' || p === null || isArray(n) || isArray(p)) return false
  const proto = getProto(n)
  if ((proto !== ObjectProto && proto !== null) || typeof n.toJSON === 'function') return false
  const count = (pnm - 1) >> 8
  const keys = Object.keys(n)
  if (keys.length !== count) return false
  // n's nesting level (it is not entered: none of its values is walked).
  const level = depth - stackBase + 1
  let sa = psa
  let sb = psb
  let m = (pnm - 1) & 255
  for (let i = 0; i < count; i++) {
    const k = keys[i]
    if (k === '__proto__') return false
    const v = n[k]
    const pv = p[k]
    // Same value: an own key of p (p is a plain object; only undefined, functions and what a
    // polluted Object.prototype holds could come from elsewhere).
    if (v === pv && v !== undefined && typeof v !== 'function' && ObjectProto[k] !== v) continue
    if (!hasOwn.call(p, k)) return false
    if (v === pv) continue
    if ((typeof v === 'object' && v !== null) || (typeof pv === 'object' && pv !== null)) return false
    // (kA/kB stay valid: primitiveHash writes rA/rB only.)
    keyHashAt(k, level, i)
    if (primitiveHash(pv)) {
      sa = (sa - oEntryA(kA, kB, rA, rB)) | 0
      sb = (sb - oEntryB(kA, kB, rA, rB)) | 0
      m--
    }
    if (primitiveHash(v)) {
      const va = rA
      const vb = rB
      sa = (sa + oEntryA(kA, kB, va, vb)) | 0
      sb = (sb + oEntryB(kA, kB, va, vb)) | 0
      m++
    }
  }
  rA = contA(OBJECT_A0, m, sa, sb)
  rB = contB(OBJECT_B0, m, sa, sb)
  childSA = sa
  childSB = sb
  childNM = ((count << 8) | m) + 1
  return true
}

/** Hash of a primitive into rA/rB; false when JSON drops it (undefined, function, symbol, bigint). */
function primitiveHash(v: unknown): boolean {
  switch (typeof v) {
    case 'string':
      hashString(v)
      return true
    case 'number':
      hashNumber(v)
      return true
    case 'boolean':
      rA = v ? TRUE_A : FALSE_A
      rB = v ? TRUE_B : FALSE_B
      return true
    case 'object':
      rA = NULL_A
      rB = NULL_B
      return true
    case 'bigint':
      return bigintHash(v)
    default:
      return false
  }
}

/**
 * The BigInt rule (docs/FORMAT.md): a BigInt is hashed as what `BigInt.prototype.toJSON` returns
 * (called with `""` as key) when that is a function, as JSON.stringify writes it; otherwise it is
 * left out like `undefined`. Keeps kA/kB (callers hash a key just before).
 */
function bigintHash(v: bigint): boolean {
  const toJSON = (BigInt.prototype as Any).toJSON
  if (typeof toJSON !== 'function') return false
  const projected = toJSON.call(v, '')
  const t = typeof projected
  if (t === 'bigint') return false
  if (t !== 'object' || projected === null) return primitiveHash(projected)
  const ka = kA
  const kb = kB
  const ok = typeof projected.toJSON === 'function' ? plainWalk(projected, '') : hv(projected, '', null, undefined)
  kA = ka
  kB = kb
  smallLeaf = false
  childNM = 0
  return ok
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
  remember(cache, n, new Rec(sa, sb, len, ~len))
  rA = ha
  rB = hb
  childNM = 0
  return true
}

/**
 * Everything that is not a plain object or array without `toJSON`: objects with `toJSON` (Date),
 * boxed primitives, class instances, Map/Set, objects from other realms. Never cached.
 */
function exotic(v: Any, key: string | number, s: RedactState | null, toJSON: unknown): boolean {
  const ok = exoticValue(v, key, s, toJSON)
  // Never cached, and not a plain container: its parent must not count it as cheap.
  smallLeaf = false
  childNM = 0
  return ok
}

function exoticValue(v: Any, key: string | number, s: RedactState | null, toJSON: unknown): boolean {
  if (typeof toJSON === 'function') {
    const projected = toJSON.call(v, typeof key === 'number' ? String(key) : key)
    // JSON.stringify does not call toJSON on what toJSON returned; redaction applies to what it
    // returned (as applyRedaction does).
    if (typeof projected === 'object' && projected !== null && typeof projected.toJSON === 'function') {
      return plainWalk(s === null ? projected : redactCopy(projected, s, [], key, true), key)
    }
    return hv(projected, key, s, undefined)
  }
  if (s !== null) {
    // Redaction applies to the own properties (as applyRedaction does), then JSON.
    const redacted = redactCopy(v, s, [], key, true)
    if (redacted !== v) return hv(redacted, key, null, undefined)
  }
  return plainWalk(v, key)
}

/** JSON projection of an object without calling its toJSON: boxed primitives unwrapped, own keys. */
function plainWalk(v: Any, key: string | number): boolean {
  if (v instanceof Number && isBoxed(v)) {
    hashNumber(Number(v))
    return true
  }
  if (v instanceof String && isBoxed(v)) {
    hashString(String(v))
    return true
  }
  if (v instanceof Boolean && isBoxed(v)) {
    const b = Boolean.prototype.valueOf.call(v)
    rA = b ? TRUE_A : FALSE_A
    rB = b ? TRUE_B : FALSE_B
    return true
  }
  if (typeof BigInt === 'function' && v instanceof BigInt && isBoxed(v)) return false
  enter(v, key)
  if (isArray(v)) arrayFull(v, undefined, null, SHARED, false)
  else objectFull(v, undefined, null, SHARED, false)
  leave()
  return true
}

/** Same result as redactAt in ../redact (used only for exotic objects under redaction; `own`: `value`'s toJSON is taken care of). */
function redactCopy(value: unknown, state: RedactState, seen: object[], key: string | number, own = false): unknown {
  if (state.terminal) return REDACTED
  if (value === null || typeof value !== 'object') return value
  if (seen.includes(value)) {
    throw new TypeError('[redux-flight-recorder] Cannot hash a circular structure. State must be a tree of JSON values.')
  }
  const toJSON = own ? undefined : (value as Any).toJSON
  if (typeof toJSON === 'function') {
    const p = toJSON.call(value, String(key))
    if (p === null || typeof p !== 'object') return value
    const copy = redactCopy(p, state, seen, key, true)
    return copy === p ? value : copy
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
    const replaced = redactCopy(current, child, seen, key)
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

// Type feedback for the code after each walk loop. Without it, the first large container hashed
// (a 60,000-id array, a big entity map) gets its loop compiled on the spot (on-stack replacement)
// with no feedback for what follows the loop; that compiled loop is then entered again from later
// calls and thrown away each time at the same spot (thousands of deoptimisations in one full hash
// of a 10 MB state). V8 records feedback only from about the 8th call of a function on, hence
// the repetitions. Some 30 µs, spent when the first hasher of the process is made (never at
// import: the package has no side effects), so that `hash` itself stays as it was.
let warmed = false

function warmUp(): void {
  warmed = true
  const warm = new Fr64Hasher()
  for (let i = 0; i < 24; i++) {
    warm.hash({
      small: [i, 's', true, null, [0, 'a'], { k: 1 }],
      large: [i, 1, 2, 3, 4, 5, 6, 7, 8, 'x', [1], { k: 'v' }],
      map: { a: i, b: 'b', c: false, d: null, e: [], f: {}, g: 1.5, h: -1, i: 'i', j: [{ k: 1 }], l: undefined },
    })
  }
}

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
  private readonly young = new Young()
  private depth = 0

  constructor(redactor?: Redactor | null) {
    if (!warmed) warmUp()
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
    const savedYoung = curYoung
    const savedBase = stackBase
    const savedDepth = depth
    const savedEhTop = ehTop
    curRedactor = this.redactor
    curCaches = this.caches
    curYoung = this.young
    stackBase = depth
    this.depth++
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
      curYoung = savedYoung
      stackBase = savedBase
      depth = savedDepth
      ehTop = savedEhTop
      if (--this.depth === 0) ageYoung(this.young)
    }
  }

  /**
   * Hashes `value` as the subtree found at key path `keys` of a state hashed by this hasher: with
   * the redaction that applies at that path, reusing the records of the last `hash` call (so a
   * container that call hashed costs a lookup). Returns the hash as 16 hex digits (`hi`/`lo` keep
   * the last `hash` result), or `null` when the value has no JSON projection there (absent,
   * `undefined`, a function), as a parent would leave the key out.
   */
  hashAt(value: unknown, keys: readonly string[]): string | null {
    const savedRedactor = curRedactor
    const savedCaches = curCaches
    const savedYoung = curYoung
    const savedBase = stackBase
    const savedDepth = depth
    const savedEhTop = ehTop
    curRedactor = this.redactor
    curCaches = this.caches
    curYoung = this.young
    stackBase = depth
    try {
      let s: RedactState | null = this.redactor === null ? null : this.redactor.root
      for (let i = 0; i < keys.length && s !== null && !s.terminal; i++) s = this.redactor!.step(s, keys[i])
      let ok = true
      if (s !== null && s.terminal) {
        if (value === undefined) ok = false
        rA = REDACTED_A
        rB = REDACTED_B
      } else ok = hv(value, keys.length > 0 ? keys[keys.length - 1] : '', s, undefined)
      return ok ? hashHex(rA >>> 0, rB >>> 0) : null
    } catch (error) {
      for (let i = depth - 1; i >= stackBase; i--) stack[i] = undefined
      throw error
    } finally {
      curRedactor = savedRedactor
      curCaches = savedCaches
      curYoung = savedYoung
      stackBase = savedBase
      depth = savedDepth
      ehTop = savedEhTop
    }
  }

  /** The last result as 16 lowercase hex characters. */
  hex(): string {
    return hashHex(this.hi, this.lo)
  }
}

let defaultHasher: Fr64Hasher | undefined
const redactingHashers = /* @__PURE__ */ new WeakMap<Redactor, Fr64Hasher>()

/**
 * The fr64 hash of `value`'s JSON projection (after redaction, if a redactor is given), as 16
 * lowercase hex characters. Containers already hashed (same reference) are not walked again.
 */
export function stateHash(value: unknown, redactor?: Redactor | null): string {
  let hasher = (defaultHasher ??= new Fr64Hasher())
  if (redactor) {
    let h = redactingHashers.get(redactor)
    if (h === undefined) redactingHashers.set(redactor, (h = new Fr64Hasher(redactor)))
    hasher = h
  }
  hasher.hash(value)
  return hashHex(hasher.hi, hasher.lo)
}
