import { describe } from '../internal/describe'
import { isPositiveNumber } from '../internal/numbers'
import type { LossyOptions } from '../lossy'
import { compileRedactor, validateRedactPaths, type Redactor } from '../redact'
import type { AsyncTurns, DevToolsSupport, FlightRecorderOptions, HashFunction, Sink, SubtreeHashes } from './types'

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

/**
 * Development only: throws a `TypeError` naming the first option that is not what it should be.
 * Production builds drop it (and its messages); there, options are taken as given.
 */
function validate(o: FlightRecorderOptions): void {
  if (typeof o !== 'object' || o === null) fail('Expected the options to be an object.', o)
  const counts = ['maxEntries', 'maxBytes', 'maxEntryBytes', 'flushIntervalMs', 'sinkQueueBytes', 'sinkTimeoutMs', 'checkpointEvery'] as const
  for (const name of counts) {
    const value = o[name]
    const zero = name === 'checkpointEvery'
    if (value !== undefined && !isPositiveNumber(value, zero)) fail(`Expected \`${name}\` to be a ${zero ? 'non-negative' : 'positive'} number.`, value)
  }
  if (o.hash !== undefined && o.hash !== 'fr64' && o.hash !== false && typeof o.hash !== 'function') fail("Expected `hash` to be 'fr64', false or a function.", o.hash)
  if (o.redact !== undefined && (typeof o.redact !== 'object' || o.redact === null)) fail('Expected `redact` to be { state?: string[], actions?: string[] }.', o.redact)
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
  if (meta !== undefined && (typeof meta !== 'object' || meta === null || Object.values(meta).some((v) => typeof v !== 'string'))) {
    fail('Expected `meta` to be an object of strings.', meta)
  }
  const turns = o.turns
  if (turns !== undefined && (typeof turns !== 'object' || turns === null || typeof turns.run !== 'function' || typeof turns.current !== 'function')) {
    fail("Expected `turns` to be an async turn context such as `asyncTurns()` from 'redux-flight-recorder/node'.", turns)
  }
  if (o.devtools !== undefined && (typeof o.devtools !== 'object' || o.devtools === null || typeof o.devtools.attach !== 'function')) {
    fail("Expected `devtools` to be `devToolsInstrument()` from 'redux-flight-recorder/devtools'.", o.devtools)
  }
  if (o.sinks !== undefined && !Array.isArray(o.sinks)) fail('Expected `sinks` to be an array.', o.sinks)
  for (const sink of o.sinks ?? []) {
    if (!sink || typeof sink.write !== 'function') fail('Expected every sink to have a `write(lines, ctx)` method.', sink)
  }
}

/** Fills in the defaults; in development, first checks every option. */
export function resolveOptions(o: FlightRecorderOptions): Settings {
  if (process.env.NODE_ENV !== 'production') validate(o)
  const hash = o.hash ?? 'fr64'
  // Redaction paths are checked in production too: a path that silently matches nothing leaks.
  const redactPaths = {
    state: validateRedactPaths(o.redact?.state, 'redact.state'),
    actions: validateRedactPaths(o.redact?.actions, 'redact.actions'),
  }
  return {
    enabled: o.enabled ?? true,
    maxEntries: Math.max(1, Math.floor(o.maxEntries ?? 10_000)),
    maxBytes: o.maxBytes ?? 8 * 1024 * 1024,
    maxEntryBytes: o.maxEntryBytes ?? 256 * 1024,
    flushIntervalMs: o.flushIntervalMs ?? 1000,
    checkpointEvery: Math.floor(o.checkpointEvery ?? 0),
    sinkQueueBytes: o.sinkQueueBytes ?? 32 * 1024 * 1024,
    sinkTimeoutMs: o.sinkTimeoutMs ?? 10_000,
    hash: hash === false ? 'none' : hash,
    hashAlg: hash === false ? 'none' : hash === 'fr64' ? 'fr64' : (hash.algorithm ?? (hash.name || 'custom')),
    redactPaths,
    stateRedactor: compileRedactor(redactPaths.state),
    actionRedactor: compileRedactor(redactPaths.actions),
    serializeState: o.serializeState,
    meta: { ...o.meta },
    clock: o.clock,
    onError: o.onError,
    checkDeterminism: o.checkDeterminism === true,
    subtreeHashes: hash === 'fr64' && !o.serializeState ? o.subtreeHashes : undefined,
    lossy: o.lossy,
    sinks: o.sinks ?? [],
    turns: o.turns,
    devtools: o.devtools,
  }
}
