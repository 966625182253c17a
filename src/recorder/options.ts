import { describe } from '../internal/describe'
import { isPositiveNumber } from '../internal/numbers'
import type { LossyOptions } from '../lossy'
import { compileRedactor, redactFormatVersion, validateRedactPaths, type Redactor } from '../redact'
import type { AsyncTurns, DevToolsSupport, FlightRecorderOptions, HashFunction, RedactOptions, Sink, SubtreeHashes } from './types'

/** The options with their defaults filled in. */
export interface Settings {
  readonly enabled: boolean
  readonly maxEntries: number
  readonly maxBytes: number
  readonly maxEntryBytes: number
  readonly flushIntervalMs: number
  readonly checkpointEvery: number
  readonly sinkQueueBytes: number
  readonly sinkTimeoutMs: number
  /** `'fr64'`, `'none'`, or the custom hash function. */
  readonly hash: 'fr64' | 'none' | HashFunction
  /** What the header's `hash_alg` says. */
  readonly hashAlg: string
  readonly redactPaths: { state: string[]; actions: string[] }
  /** The header's `v`: 1.1 when a redaction path names a key in brackets (see redactFormatVersion). */
  readonly formatVersion: number
  readonly stateRedactor: Redactor | null
  readonly actionRedactor: Redactor | null
  readonly serializeState: ((state: unknown) => unknown) | undefined
  readonly meta: Record<string, string>
  readonly clock: (() => number) | undefined
  readonly onError: FlightRecorderOptions['onError']
  readonly checkDeterminism: boolean
  /** Write the `changed` key: only with fr64 and no `serializeState` (whose output fr64 cannot reuse). */
  readonly subtreeHashes: SubtreeHashes | undefined
  readonly lossy: LossyOptions | undefined
  readonly sinks: readonly Sink[]
  readonly turns: AsyncTurns | undefined
  readonly devtools: DevToolsSupport | undefined
}

const fail = (message: string, value: unknown): never => {
  throw new TypeError(`[redux-flight-recorder] ${message} Instead, received: ${describe(value)}.`)
}

/** Every option `createFlightRecorder` knows; typed, so an option added to `FlightRecorderOptions` but not here fails to compile. */
const OPTION_NAMES: Record<keyof FlightRecorderOptions, 0> = {
  sinks: 0, maxEntries: 0, maxBytes: 0, maxEntryBytes: 0, flushIntervalMs: 0, checkpointEvery: 0, hash: 0, redact: 0, serializeState: 0, meta: 0,
  checkDeterminism: 0, subtreeHashes: 0, lossy: 0, clock: 0, onError: 0, enabled: 0, turns: 0, devtools: 0, sinkTimeoutMs: 0, sinkQueueBytes: 0,
}
const REDACT_KEYS: Record<keyof RedactOptions, 0> = { state: 0, actions: 0 }

/** The longest delay Node's and browsers' timers take; past it (Infinity too) they fire after 1 ms. */
const MAX_TIMER_MS = 2_147_483_647

/** Levenshtein distance, for "did you mean". */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    previous = row
  }
  return previous[b.length]
}

/** The one known name within two edits of `name` (ignoring case), if exactly one is closest. */
function suggestion(name: string, known: readonly string[]): string {
  const distances = known.map((k) => editDistance(name.toLowerCase(), k.toLowerCase()))
  const best = Math.min(...distances)
  return best <= 2 && distances.indexOf(best) === distances.lastIndexOf(best) ? ` Did you mean \`${known[distances.indexOf(best)]}\`?` : ''
}

/** Throws for the first own key of `object` that is not in `known`. */
function rejectUnknownKeys(object: object, known: object, expected: string, received: string): void {
  const names = Object.keys(known)
  const unknown = Object.keys(object).find((key) => !names.includes(key))
  if (unknown !== undefined) throw new TypeError(`[redux-flight-recorder] ${expected} Instead, received ${received} \`${unknown}\`.${suggestion(unknown, names)}`)
}

/**
 * Development only: throws a `TypeError` naming the first option that is not what it should be.
 * Production builds drop it (and its messages); there, options are taken as given.
 */
export function validate(o: FlightRecorderOptions): void {
  if (typeof o !== 'object' || o === null) fail('Expected the options to be an object.', o)
  // A misspelt option would otherwise be ignored without a word.
  const names = Object.keys(OPTION_NAMES).map((name) => `\`${name}\``).join(', ')
  rejectUnknownKeys(o, OPTION_NAMES, `Expected only options that \`createFlightRecorder\` knows: ${names}.`, 'the unknown option')
  const counts = ['maxEntries', 'maxBytes', 'maxEntryBytes', 'sinkQueueBytes', 'checkpointEvery'] as const
  for (const name of counts) {
    const value = o[name]
    const zero = name === 'checkpointEvery'
    if (value !== undefined && !isPositiveNumber(value, zero)) fail(`Expected \`${name}\` to be a ${zero ? 'non-negative' : 'positive'} number.`, value)
    // Counts of entries: a fraction would be rounded down without a word (Infinity: no bound).
    if ((name === 'maxEntries' || zero) && Number.isFinite(value) && !Number.isInteger(value)) fail(`Expected \`${name}\` to be a whole number of entries.`, value)
  }
  // Timer delays. 0 is not allowed: a flush on every tick of the event loop, or a flush() that
  // reports every sink still writing as timed out, is never what was meant.
  for (const name of ['flushIntervalMs', 'sinkTimeoutMs'] as const) {
    const value = o[name]
    if (value !== undefined && !(isPositiveNumber(value) && value <= MAX_TIMER_MS)) {
      fail(`Expected \`${name}\` to be a positive number of milliseconds, at most ${MAX_TIMER_MS} (about 24.8 days, the longest delay timers take).`, value)
    }
  }
  for (const name of ['enabled', 'checkDeterminism'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'boolean') fail(`Expected \`${name}\` to be a boolean.`, o[name])
  }
  if (o.hash !== undefined && o.hash !== 'fr64' && o.hash !== false && typeof o.hash !== 'function') fail("Expected `hash` to be 'fr64', false or a function.", o.hash)
  if (o.redact !== undefined && (typeof o.redact !== 'object' || o.redact === null || Array.isArray(o.redact))) fail('Expected `redact` to be { state?: string[], actions?: string[] }.', o.redact)
  // A misspelt key here would leave its paths unredacted: a leak, not a typo.
  if (o.redact) rejectUnknownKeys(o.redact, REDACT_KEYS, 'Expected `redact` to have only the keys `state` and `actions`: paths under any other key redact nothing.', 'the unknown key')
  for (const name of ['serializeState', 'clock', 'onError'] as const) {
    if (o[name] !== undefined && typeof o[name] !== 'function') fail(`Expected \`${name}\` to be a function.`, o[name])
  }
  if (o.subtreeHashes !== undefined && (typeof o.subtreeHashes !== 'object' || o.subtreeHashes === null || typeof o.subtreeHashes.column !== 'function')) {
    fail("Expected `subtreeHashes` to be `subtreeHashes()` from 'redux-flight-recorder'.", o.subtreeHashes)
  }
  const lossy = o.lossy
  if (lossy !== undefined) {
    if (typeof lossy !== 'object' || lossy === null) fail('Expected `lossy` to be { ignoredPaths?, ignoredActionPaths?, warn? }.', lossy)
    for (const name of ['ignoredPaths', 'ignoredActionPaths'] as const) {
      const paths = lossy[name]
      if (paths !== undefined && (!Array.isArray(paths) || paths.some((p) => typeof p !== 'string' && !(p instanceof RegExp)))) {
        fail(`Expected \`lossy.${name}\` to be an array of key paths (strings) or regular expressions.`, paths)
      }
    }
    if (lossy.warn !== undefined && typeof lossy.warn !== 'boolean') fail('Expected `lossy.warn` to be a boolean.', lossy.warn)
  }
  const meta = o.meta
  if (meta !== undefined && (typeof meta !== 'object' || meta === null)) fail('Expected `meta` to be an object of strings.', meta)
  for (const [key, value] of Object.entries(meta ?? {})) {
    if (typeof value !== 'string') fail(`Expected \`meta\` to be an object of strings: \`meta.${key}\` is not one.`, value)
  }
  const turns = o.turns
  if (turns !== undefined && (typeof turns !== 'object' || turns === null || typeof turns.run !== 'function' || typeof turns.current !== 'function')) {
    fail("Expected `turns` to be an async turn context such as `asyncTurns()` from 'redux-flight-recorder/node'.", turns)
  }
  if (o.devtools !== undefined && (typeof o.devtools !== 'object' || o.devtools === null || typeof o.devtools.attach !== 'function')) {
    fail("Expected `devtools` to be `devToolsInstrument()` from 'redux-flight-recorder/devtools'.", o.devtools)
  }
  if (o.sinks !== undefined && !Array.isArray(o.sinks)) fail('Expected `sinks` to be an array.', o.sinks)
  for (const [i, sink] of (o.sinks ?? []).entries()) {
    if (!sink || typeof sink.write !== 'function') fail(`Expected every sink to have a \`write(lines, ctx)\` method: \`sinks[${i}]\` has none.`, sink)
    // Listed twice, a sink would get every line twice: its log, two sessions interleaved.
    const first = o.sinks!.indexOf(sink)
    if (first < i) throw new TypeError(`[redux-flight-recorder] Expected each sink once in \`sinks\`: \`sinks[${i}]\` is \`sinks[${first}]\` again, and would get every line twice (its log would hold the session twice, interleaved).`)
  }
}

/**
 * Fills in the defaults; in development, first checks every option. `null` (like `undefined`)
 * means no options, in production too.
 */
export function resolveOptions(options: FlightRecorderOptions | null | undefined): Settings {
  const o = options ?? {}
  if (process.env.NODE_ENV !== 'production') validate(o)
  // (Unchecked in production: anything but false or a function is the default, so a typo such as
  // 'sha256' still hashes instead of writing a log with no hashes.)
  const hash = o.hash === false || typeof o.hash === 'function' ? o.hash : 'fr64'
  // Redaction paths are checked in production too: a path that silently matches nothing leaks.
  // So is `redact` itself (the development checks are left out there): one that is no object
  // (`redact: ['auth.token']`), or a key other than `state` and `actions` (`actons`), would leave
  // its paths unredacted without a word. Refused: the root entry throws, the lazy one's core
  // records nothing and says why to `onError` (as for a path).
  // (Refused by `validateRedactPaths`, for the root entry's bytes: "Invalid `redact`: 'actons'.",
  // or the value that is no object: "an array", "'auth.token'".)
  const r: unknown = o.redact
  const stray = Array.isArray(r) ? [r] : typeof r == 'object' && r ? Object.keys(r).find((k) => k != 'state' && k != 'actions') : r
  if (stray != null) validateRedactPaths(stray, 'redact')
  const redactPaths = {
    state: validateRedactPaths(o.redact?.state, 'redact.state'),
    actions: validateRedactPaths(o.redact?.actions, 'redact.actions'),
  }
  return {
    enabled: o.enabled ?? true,
    maxEntries: Math.max(1, Math.floor(count(o.maxEntries, 10_000))),
    maxBytes: count(o.maxBytes, 8 * 1024 * 1024),
    maxEntryBytes: count(o.maxEntryBytes, 256 * 1024),
    // (Unchecked in production: past 2^31-1 ms, Infinity too, timers fire at once.)
    flushIntervalMs: Math.min(count(o.flushIntervalMs, 1000), MAX_TIMER_MS),
    checkpointEvery: Math.floor(count(o.checkpointEvery, 0, true)),
    sinkQueueBytes: count(o.sinkQueueBytes, 32 * 1024 * 1024),
    sinkTimeoutMs: Math.min(count(o.sinkTimeoutMs, 10_000), MAX_TIMER_MS),
    hash: hash === false ? 'none' : hash,
    hashAlg: hash === false ? 'none' : hash === 'fr64' ? 'fr64' : (hash.algorithm ?? (hash.name || 'custom')),
    redactPaths,
    formatVersion: redactFormatVersion([...redactPaths.state, ...redactPaths.actions]),
    stateRedactor: compileRedactor(redactPaths.state),
    actionRedactor: compileRedactor(redactPaths.actions, true, true),
    serializeState: o.serializeState,
    // Strings only (development rejects the rest): a value JSON cannot write would break every header.
    meta: stringsOnly(o.meta),
    clock: o.clock,
    onError: o.onError,
    checkDeterminism: o.checkDeterminism === true,
    subtreeHashes: hash === 'fr64' && !o.serializeState ? o.subtreeHashes : undefined,
    lossy: o.lossy,
    sinks: Array.isArray(o.sinks) ? o.sinks : [],
    turns: o.turns,
    devtools: o.devtools,
  }
}

/**
 * A count or delay as given, or the default for what is not a positive number (a non-negative one
 * with `zero`): in production, where options are unchecked, `NaN` (as `Number()` of an unset
 * environment variable gives) or a string would otherwise throw at the app's start
 * (`maxEntries`) or leave the buffer without a bound.
 */
function count(value: unknown, fallback: number, zero = false): number {
  return typeof value === 'number' && (value > 0 || (zero && value === 0)) ? value : fallback
}

function stringsOnly(meta: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  if (typeof meta === 'object' && meta !== null) for (const [k, v] of Object.entries(meta)) if (typeof v === 'string') out[k] = v
  return out
}
