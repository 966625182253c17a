import type { Entry, Recording, RedactOptions } from 'redux-flight-recorder'
import { FlightRecorderError } from '../errors'
import { FORMAT_VERSION } from '../format/types'
import { Fr64Hasher } from '../hash'
import { safeString } from '../internal/errorText'
import { hashHex } from '../hash/hashHex'
import { describe } from '../internal/describe'
import { isActionEntry } from '../format/types'
import { applyRedaction, compileRedactor, redactFormatVersion, validateRedactPaths } from '../redact'

/** The file Redux DevTools' Import button reads. */
export interface DevToolsExport {
  /** JSON text of the action list. */
  payload: string
  /** JSON text of the state the actions start from. */
  preloadedState?: string
}

/**
 * The Redux DevTools Import file for a recording: its actions (in order, every action entry) and
 * the state they start from. A state set without an action (a DevTools toggle or jump recorded as
 * `@@lifecycle`, a `resume` checkpoint, a gap) is not in it: the DevTools recompute from the
 * actions alone (`flight-recorder convert --to devtools` warns when a log has one).
 */
export function toDevToolsExport(recording: Recording): DevToolsExport {
  if (typeof recording !== 'object' || recording === null || !Array.isArray(recording.entries) || typeof recording.header !== 'object') {
    throw new TypeError(`[redux-flight-recorder] Expected a Recording to export. Instead, received: ${describe(recording)}.`)
  }
  const actions = recording.entries.filter(isActionEntry).map((e) => e.action)
  const out: DevToolsExport = { payload: JSON.stringify(actions) }
  if (recording.header.state !== undefined) out.preloadedState = JSON.stringify(recording.header.state)
  return out
}

interface LiftedState {
  actionsById: Record<string, { action?: { type: unknown }; type?: unknown; timestamp?: number }>
  stagedActionIds: number[]
  skippedActionIds?: number[]
  computedStates?: { state: unknown; error?: string }[]
  committedState?: unknown
  currentStateIndex?: number
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new FlightRecorderError('bad-devtools-export', `The ${what} is not JSON: ${(error as Error).message}`, { cause: error })
  }
}

/** Options of `fromDevToolsExport`. */
export interface FromDevToolsOptions {
  /**
   * Paths to redact in the imported log, as the recorder's `redact` option takes them: the values
   * there become `"[redacted]"` before the states are hashed and in the log (the export itself is
   * not changed). The log's header lists them, so replay and the helpers treat the log as one the
   * recorder redacted.
   */
  redact?: RedactOptions
}

/**
 * Reads a Redux DevTools export (`{ payload, preloadedState }`, the payload an action list or a
 * lifted state) or a lifted state itself (`actionsById`, `computedStates`, …) into a `Recording`.
 * When the export holds computed states, entries get fr64 hashes, so the replay is verified.
 */
export function fromDevToolsExport(input: string | object, options: FromDevToolsOptions = {}): Recording {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`[redux-flight-recorder] Expected fromDevToolsExport options { redact? }. Instead, received: ${describe(options)}.`)
  }
  const redact = options.redact
  if (redact !== undefined && (typeof redact !== 'object' || redact === null || Array.isArray(redact) || Object.keys(redact).some((k) => k !== 'state' && k !== 'actions'))) {
    // A misspelt key would leave its paths unredacted: a leak, not a typo.
    throw new TypeError(`[redux-flight-recorder] Expected \`redact\` to be { state?: string[], actions?: string[] }. Instead, received: ${describe(redact)}.`)
  }
  const paths = { state: validateRedactPaths(redact?.state, 'redact.state'), actions: validateRedactPaths(redact?.actions, 'redact.actions') }
  try {
    return readDevToolsExport(input, paths)
  } catch (error) {
    if (error instanceof FlightRecorderError) throw error
    // An export is a file someone sent: whatever else it holds is reported as ours, with the cause.
    throw new FlightRecorderError('bad-devtools-export', `The DevTools export could not be read: ${(error as Error)?.message ?? safeString(error)}`, { cause: error })
  }
}

/** Milliseconds `Date` can represent (±8.64e15). */
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15

function readDevToolsExport(input: string | object, redact: { state: string[]; actions: string[] }): Recording {
  let data: unknown = typeof input === 'string' ? parseJson(input, 'DevTools export') : input
  let preloaded: unknown = undefined
  if (isObject(data) && typeof data.payload === 'string') {
    if (typeof data.preloadedState === 'string') preloaded = parseJson(data.preloadedState, '`preloadedState` of the DevTools export')
    else if (data.preloadedState !== undefined) preloaded = data.preloadedState
    data = parseJson(data.payload, '`payload` of the DevTools export')
  }
  let actions: { action: { type: unknown }; ts?: number }[]
  let states: unknown[] | undefined
  /** What the log does not hold as the DevTools showed it (the Recording's warnings). */
  const notes: string[] = []
  if (Array.isArray(data)) {
    actions = data.map((a, i) => {
      if (!isObject(a) || !('type' in a)) {
        throw new FlightRecorderError('bad-devtools-export', `Action ${i} of the DevTools export has no \`type\`.`)
      }
      return { action: a as { type: unknown } }
    })
  } else if (isObject(data) && isObject(data.actionsById) && Array.isArray(data.stagedActionIds)) {
    const lifted = data as unknown as LiftedState
    const skipped = new Set(Array.isArray(lifted.skippedActionIds) ? lifted.skippedActionIds : [])
    if (preloaded === undefined) preloaded = lifted.committedState !== undefined ? lifted.committedState : lifted.computedStates?.[0]?.state
    // Actions toggled off are left out: instrument computed the states after the others without
    // them (a skipped action's own computed state is the one before it), so those still hash.
    const canHash =
      Array.isArray(lifted.computedStates) &&
      lifted.computedStates.length === lifted.stagedActionIds.length &&
      lifted.computedStates.every((c) => isObject(c))
    actions = []
    states = canHash ? [] : undefined
    lifted.stagedActionIds.forEach((id, index) => {
      if (index === 0 || skipped.has(id)) return
      const key = safeString(id)
      const lifted1 = Object.prototype.hasOwnProperty.call(lifted.actionsById, key) ? lifted.actionsById[key] : undefined
      const action = lifted1?.action ?? (lifted1 as { type: unknown } | undefined)
      if (!isObject(action) || !('type' in action)) {
        throw new FlightRecorderError('bad-devtools-export', `Action ${key} of the lifted state has no \`type\`.`)
      }
      actions.push({ action: action as { type: unknown }, ts: lifted1?.timestamp })
      states?.push(lifted.computedStates![index].state)
    })
    const left = lifted.stagedActionIds.filter((id, index) => index > 0 && skipped.has(id)).length
    if (left > 0) notes.push(`${left} action${left === 1 ? ' was' : 's were'} toggled off in the DevTools and ${left === 1 ? 'is' : 'are'} left out: the log holds the actions the app's state was computed from.`)
    const last = lifted.stagedActionIds.length - 1
    const current = lifted.currentStateIndex
    if (typeof current === 'number' && current >= 0 && current < last) {
      notes.push(`The DevTools showed an earlier state (step ${current} of ${last}, after a jump): the log goes on to the last action, past the state the app showed.`)
    }
  } else {
    throw new FlightRecorderError(
      'bad-devtools-export',
      'Expected a Redux DevTools export: { payload, preloadedState } or a lifted state with `actionsById` and `stagedActionIds`.',
    )
  }
  const stateRedactor = compileRedactor(redact.state)
  const actionRedactor = compileRedactor(redact.actions, true, true)
  if (preloaded !== undefined) preloaded = applyRedaction(preloaded, stateRedactor)
  const hasher = states ? new Fr64Hasher(stateRedactor) : undefined
  const hashOf = (s: unknown) => {
    hasher!.hash(s)
    return hashHex(hasher!.hi, hasher!.lo)
  }
  // States nested deeper than the hash can recurse: import without hashes (replay is then unverified).
  let hashes: string[] | undefined
  let preloadedHash: string | null = null
  if (states) {
    try {
      hashes = states.map(hashOf)
      if (preloaded !== undefined) preloadedHash = hashOf(preloaded)
    } catch {
      hashes = undefined
      preloadedHash = null
    }
  }
  const firstTs = actions.find((a) => isTime(a.ts))?.ts ?? Date.now()
  const entries: Entry[] = actions.map((a, i) => ({
    seq: i + 1,
    ts: new Date(isTime(a.ts) ? a.ts : firstTs).toISOString(),
    t: isTime(a.ts) ? a.ts - firstTs : 0,
    turn: `t${i + 1}`,
    kind: safeString(a.action.type),
    action: applyRedaction(a.action, actionRedactor) as { type: unknown },
    ...(hashes ? { hash: hashes[i] } : {}),
  }))
  return {
    header: {
      kind: '@@session',
      v: Math.max(FORMAT_VERSION, redactFormatVersion([...redact.state, ...redact.actions])),
      session: 'devtools-import',
      ts: new Date(firstTs).toISOString(),
      hash_alg: hashes ? 'fr64' : 'none',
      meta: { source: 'redux-devtools' },
      redact: { state: redact.state, actions: redact.actions },
      from_seq: 1,
      state: preloaded,
      hash: hashes ? preloadedHash : null,
    },
    entries,
    // A lifted state holds every computed state: the last one ends the log as a recorder's @@end
    // does, so that a divergence is diffed there (replay had no full state to compare with).
    ...(states && states.length > 0 && entries.length > 0
      ? {
          end: {
            kind: '@@end' as const,
            seq: entries.length + 1,
            ts: entries[entries.length - 1].ts,
            t: entries[entries.length - 1].t,
            count: entries.length,
            dropped: 0,
            state: applyRedaction(states[states.length - 1], stateRedactor),
            hash: hashes ? hashes[hashes.length - 1] : null,
          },
        }
      : {}),
    warnings: notes,
  }
}
