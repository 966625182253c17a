import type { ActionEntry, LossyValue, Omission } from 'redux-flight-recorder'
import { safeString } from '../internal/errorText'
import { REDACTED } from '../redact'
import { missingAdapterHint, type ReplayAdapter } from './adapters'
import type { StateDifference } from './diff'

/**
 * The divergence report's last line for a reducer that changed on purpose. The testing helpers
 * say it for what they were given: a log file by its name, a recording held in memory (which
 * `-u` cannot update) otherwise.
 */
export const REHASH_HINT = '  if the reducer changed on purpose, update the log: flight-recorder rehash <log> --store <module> --in-place, or run the tests with -u'

/** In replay's warning for a step whose reducer threw again, as it did when recorded (the testing helpers say it on success too). */
export const THREW_AS_RECORDED = 'as it did when recorded'

/**
 * In replay's warning for a step whose reducer threw when recorded and no longer does, reaching the
 * recorded state all the same, or a state the log has no hash to check (`-u` updates the log on it).
 */
export const NO_LONGER_THROWS = 'replayed, it no longer throws'

/** What replay dispatched for an action with values the log redacts (`paths`). */
export const redactedReplayed = (paths: string[]): string => `Replay dispatched the action's values redacted when recording (${paths.join(', ')}) as "${REDACTED}"`

/** How many of a diverging action's redacted paths `Divergence.redacted` lists. */
export const MAX_REDACTED_NAMED = 10

/** The end of the hint for a step whose state depends on the action's redacted values (see `redactedDecides`). */
export const REDACTED_DECIDES = 'so this step depends on them (a reducer that stores, sorts or branches on them) and the log cannot check it'

/**
 * The hint for a step whose reducer, run again with other texts in place of the action's redacted
 * values (`paths`), reaches another state: the difference may come from the placeholder alone, so
 * the report does not advise updating the log, and -u does not.
 */
export const redactedDecides = (paths: string[]): string =>
  `${redactedReplayed(paths.slice(0, 3))}: run again with other texts there, the reducer reaches another state, ${REDACTED_DECIDES}. Redact the state they decide too (\`redact.state\`), or do not redact values the reducer sorts or branches on; updating the log (rehash) would write what the reducer makes of "${REDACTED}" into it.`

/**
 * The report's last line in place of REHASH_HINT for a step whose action had values redacted (no
 * other cause named): replay gave the reducer the placeholder, so neither the report nor -u can
 * tell a changed reducer from it.
 */
export const REDACTED_REHASH_HINT = `  replay gave this step's reducer "${REDACTED}" for the action's redacted values, so the difference may come from that and not from a change of the reducer, and -u leaves the log as it is; if the reducer did change on purpose here (the step's effect above shows that change), update the log: flight-recorder rehash <log> --store <module> --in-place (its states are then what the reducer makes of "${REDACTED}")`

/**
 * In `redactedThrowNote` (a warning or a divergence hint): the testing helpers' `-u` does not
 * rewrite a log it is said of (the rewrite would drop the crash for the placeholder alone).
 */
export const REDACTED_MAY_BE_WHY = ', not the action the app dispatched, which may be why.'

/**
 * After NO_LONGER_THROWS, for a step whose action has values the log redacts: replay dispatched
 * the placeholder, not the value the reducer threw on, so a fix is not the only reason.
 */
export const redactedThrowNote = (paths: string[]): string => `${redactedReplayed(paths)}${REDACTED_MAY_BE_WHY} If the reducer was fixed,`

/** Actions of Redux DevTools' lifted store: recorded outside DevTools without the opt-in. */
export const LIFTED_HINT =
  "This log holds Redux DevTools' lifted store (its actions are `PERFORM_ACTION`, its state DevTools' history): the store had DevTools' instrument outside the recorder, which needs `devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools' when recording. Record again with that option."

/** Instrument inside the recorder without the opt-in: its recomputations and its `@@INIT` became entries. */
export const INSTRUMENT_INIT_HINT =
  "`@@INIT` is Redux DevTools' instrument's own action: the store had DevTools' instrument inside the recorder, recorded without `devtools: devToolsInstrument()` from 'redux-flight-recorder/devtools', so DevTools' recomputations (a toggle, a jump, a commit, a reset, a rollback) were recorded as actions. Record again with that option."

/**
 * The step depends on RTK Query's `meta.baseQueryMeta`, which the recorder leaves out: updating the
 * log would not make it verify (the report leaves that advice out).
 */
export const BASE_QUERY_META_HINT =
  "The reducer reads RTK Query's `meta.baseQueryMeta` at this action, which the recorder leaves out of the log (a `Request`/`Response`): replay gave it `undefined`, so the log cannot verify this step, and updating the log would not change that. Keep what the reducer needs in the payload (the endpoint's `transformResponse(response, meta)`)."

/** What a state mutated in place means for the report. */
export function mutationNote(m: { seq: number; after: number }, freshMatches: boolean): string {
  const since = m.after >= 0 && m.after < m.seq ? `, after seq ${m.after}` : ''
  return `The reducer mutated the state in place (at or before seq ${m.seq}${since}): the replayed state's hash cached by reference is stale, so the actual hash above is the state hashed afresh${freshMatches ? ', which is as recorded: the values are right, but an object was changed instead of copied' : ''}. Redux reducers must return new objects; the step's before → after cannot be shown (both are the same objects).`
}

/**
 * A step whose reducer changed the state it was given and returned it (or an object holding the
 * changed parts): its hash moved, but before and after are the same objects.
 */
export function stepMutationNote(seq: number): string {
  return `The reducer mutated the state in place at seq ${seq}: the replayed state hashes otherwise than before this step, but the step's before and after are the same objects, so its effect cannot be shown here (the state differences below show it). Redux reducers must return new objects instead of changing the state they are given.`
}

/**
 * The state a diverging step started from was changed in place by an earlier step: it hashed as
 * recorded when that step was checked (its hash cached by reference), and otherwise now.
 */
export function earlierMutationNote(m: { seq: number; after: number }): string {
  const since = m.after >= 0 && m.after < m.seq ? `, after seq ${m.after}` : ''
  return `The reducer mutated the state in place (at or before seq ${m.seq}${since}): the state this step started from hashed as recorded when it was checked, and hashes otherwise now, so the difference may start at an earlier step. Redux reducers must return new objects instead of changing the state they are given.`
}

/**
 * A mutation first seen somewhere in a stretch of steps (`m`), narrowed by replaying that stretch
 * again with every step hashed afresh: `seq` is the first step that changed its state in place.
 */
export function narrowedMutationNote(seq: number, action: string, m: { seq: number; after: number }): string {
  const found = seq === m.seq ? '' : ` the hashes cached by reference did not show it until seq ${m.seq}, and`
  return `The reducer mutated the state in place at seq ${seq}${action}:${found} replayed again with every step hashed afresh, seq ${seq} is the first step whose state was changed in place. Redux reducers must return new objects instead of changing the state they are given.`
}

/** In the replayer's warning about an action over `maxEntryBytes` (the test helpers' advice looks for it). */
export const TOO_LARGE_WHEN_RECORDED = 'was larger than `maxEntryBytes` when recorded'

/** The end of the replayer's warning about a gap. */
export const RESUMES = '; replay resumes at the next full state (a checkpoint, or @@end).'

/**
 * One warning per gap: the reader's ("Entries 3–4 are missing before line 4 (…).") takes the
 * replayer's "replay resumes …" instead of standing beside a second warning about the same entries.
 */
export function mergeGapWarnings(warnings: string[]): string[] {
  if (!warnings.some((w) => w.endsWith(RESUMES))) return warnings
  const out = warnings.slice()
  for (let i = out.length - 1; i >= 0; i--) {
    const w = out[i]
    if (!w.endsWith(RESUMES)) continue
    const prefix = w.slice(0, w.length - RESUMES.length) + ' before line '
    const j = out.findIndex((o) => o.startsWith(prefix) && o.endsWith('.'))
    if (j < 0) continue
    out[j] = out[j].slice(0, -1) + RESUMES
    out.splice(i, 1)
  }
  return out
}

/** A key path as a report shows it: one thousands of levels deep (`too-deep`) keeps its two ends. */
export function shortPath(path: string): string {
  return path.length <= 120 ? path : `${path.slice(0, 50)}…(${path.length - 100} characters)…${path.slice(-50)}`
}

/** One value an action entry lost, as the log lists it. */
export const omissionText = (o: Omission): string => `${shortPath(o.path)}: ${o.kind}${o.detail !== undefined ? ` (${safeString(o.detail)})` : ''}`

/** The values an action entry lost, as the log lists them. */
export function describeOmitted(omitted: Omission[] | undefined): string {
  if (!omitted || omitted.length === 0) return 'unknown values'
  return omitted.map(omissionText).join(', ')
}

/** What to do about an action the log could not hold whole. */
export function hintFor(entry: ActionEntry, adapters: ReplayAdapter[]): string {
  const library = missingAdapterHint(entry.kind, adapters)
  if (library !== undefined) return library
  if (entry.omitted?.some((o) => o.kind === 'too-large')) {
    return 'The action was larger than `maxEntryBytes` when recorded; raise that option to keep such actions in full.'
  }
  return 'Pass `onNonRecordable: (entry) => action` to rebuild the missing values, or keep non-serializable values out of actions.'
}

/**
 * Why the steps of a log hashed with a custom function are not checked: the function is missing or
 * is another one. The recorder names one by its `algorithm`, else its name ('hash' for an inline
 * function given as the `hash` option, 'custom' for one without a name); replay matches the same way.
 */
export function hashFnHint(alg: string, given: string | undefined): string {
  const what =
    alg === 'hash' ? "a custom hash function (recorded as 'hash': an inline function given as the `hash` option)" : alg === 'custom' ? "a custom hash function without a name (recorded as 'custom')" : `'${alg}'`
  const match = `it is matched by its \`algorithm\` property, or else its name, which must be '${alg}'`
  const pass = given === undefined ? `pass the same function as \`hash\` (${match})` : `the \`hash\` function given is '${given}': pass the one the recorder used (${match})`
  return `The log was hashed with ${what}; ${pass} to verify every step. Only full states (checkpoints, @@end) are compared.`
}

/**
 * A `createStore` replay whose store changed an undo history of the log's starting state: redux-undo
 * with `ignoreInitialState` (`_latestUnfiltered: null`) takes Redux's INIT for an action of its own.
 */
export const UNDO_PRELOADED_HINT =
  "redux-undo's `ignoreInitialState`: a store built from this state takes Redux's INIT for an action (its `_latestUnfiltered: null` becomes the present), and one built without a state does not start here. Replay with `reducer` (or, for a log recorded from the store's creation, make the undoable reducer anew in `createStore`)."

/**
 * Only redux-persist's `_persist` differs in a starting state: the replay's reducer is wrapped in
 * `persistReducer` otherwise than the app's, or its store called `persistStore`.
 */
export const PERSIST_START_HINT =
  "Only redux-persist's `_persist` differs: wrap the replay's reducer in `persistReducer` as the app's was, and build the store without `persistStore` (replay dispatches the log's PERSIST)."

/** A redux-persist action replayed to a state without `_persist`: the replay's reducer is not wrapped in `persistReducer`. */
export const PERSIST_UNWRAPPED_HINT =
  "The replay's reducer is not wrapped in redux-persist's `persistReducer` (no `_persist` after this action): wrap it as the app's, with an in-memory storage and `timeout: 0`."

/** The recorded state is the replayed one without `_persist`: the app's reducer was not wrapped in `persistReducer`, the replay's is. */
export const PERSIST_UNEXPECTED_HINT =
  "The recorded state is the replayed one without `_persist`: replay with the app's reducer, which was not wrapped in redux-persist's `persistReducer`."

/** Hints that name how the replay is set up, not the reducer: the report leaves out the advice to update the log. */
export const SETUP_HINTS: readonly string[] = [UNDO_PRELOADED_HINT, PERSIST_START_HINT, PERSIST_UNWRAPPED_HINT, PERSIST_UNEXPECTED_HINT]

/** The start of the text for a reducer that keeps none of the log's top-level keys (`foreignState`). */
export const FOREIGN_HINT = "The reducer keeps none of the log's state"

/**
 * For a reducer that keeps none of the log's top-level keys (`recorded`) and makes keys of its own
 * (`replayed`): another app's, or the log is another app's. The start of the text that says so,
 * naming both; `undefined` otherwise. Updating the log would replace every state in it.
 */
export function foreignState(recorded: unknown, replayed: unknown): string | undefined {
  const keys = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.keys(v) : [])
  const had = keys(recorded)
  const has = keys(replayed)
  if (had.length === 0 || has.length === 0 || had.some((k) => has.includes(k))) return undefined
  const list = (k: string[]) => `${k.slice(0, 5).join(', ')}${k.length > 5 ? ', …' : ''}`
  return `${FOREIGN_HINT} (the log has ${list(had)}; the reducer makes ${list(has)}): it looks like another app's, or the log is another app's`
}

/** The hint for a replay that starts in a state keeping none of the log's keys (`foreign`, from `foreignState`): the report leaves out the advice to update the log. */
export const foreignHint = (foreign: string): string =>
  `${foreign} (a wrong store module or import, a log in another app's folder). Replay the log on the reducer it was recorded with: updating it (rehash, -u) would replace every state in it, so neither does.`

/**
 * For a replay that starts in another state than the log's (the header's, or a full state it
 * starts over from): a hint when every difference is one a known library makes.
 */
export function startStateHint(diff: readonly StateDifference[], store: boolean): string | undefined {
  // `_persist` at the root or in a slice; `_latestUnfiltered` where the log has null.
  if (diff.every((x) => /^([^.]+\.)?_persist$/.test(x.path))) return PERSIST_START_HINT
  if (store && diff.every((x) => x.path.endsWith('_latestUnfiltered') && x.recorded === null && x.replayed != null)) return UNDO_PRELOADED_HINT
  return undefined
}

/**
 * The start of the hint for a step whose outcome depends on values the log holds in another form
 * (see `Replayer.lossyHint`): updating the log would not make it verify (the report leaves that
 * advice out).
 */
export const LOSSY_STEP_HINT = 'This step depends on values the log holds in another form'

/** The start of the hint for a `createStore` replay that starts over from a state, which its store's INIT action changed (see `storeInitHint`). */
export const STORE_INIT_HINT = 'Replay built its store from this state'

/**
 * A `createStore` replay starts over from a state of the log (a DevTools jump, a checkpoint after
 * `resume()`, a new store) by building a store from it: Redux's INIT action then reaches the
 * reducer, which the recorded store's reducer did not get there. Updating the log would not help
 * (the report leaves that advice out).
 */
export const storeInitHint = (label: string, seq: number): string =>
  `${STORE_INIT_HINT} (the ${label} at seq ${seq}), so Redux's INIT action reached its reducer, where the recorded one got no action; that reducer changes the state on any action it does not know (a count of actions). Replay this log with \`reducer\`.`

/** The start of the hint for a `createStore` replay store whose middleware dispatched within a step. */
export const STORE_DISPATCHED_HINT = "The replay store's middleware dispatched during replay"

/** The hint for a step whose replay store's reducer ran `runs` times, its middleware's actions changing `paths`. */
export const storeDispatchedHint = (runs: number, paths: string[]): string =>
  `${STORE_DISPATCHED_HINT}: its reducer ran ${runs} times for this action (the others changed ${paths.join(', ')}), and the log holds such actions as entries of their own. Build the replay store without that middleware, or replay with \`reducer\`.`

/**
 * `value` with the lossy value `l` (a path inside it) put back in its kind where it holds the log's
 * form: a Date from its ISO string, an empty Map or Set for `{}`, NaN or ±Infinity for null; only the
 * containers on the way are copied. `undefined` where it cannot be (another kind, or another form there).
 */
export function restoreForm(value: unknown, l: LossyValue, keys = l.path.split('.'), i = 0): unknown {
  const k = keys[i]
  if (typeof value !== 'object' || value === null || k === '__proto__' || !Object.prototype.hasOwnProperty.call(value, k)) return undefined
  const was = (value as Record<string, unknown>)[k]
  const empty = typeof was === 'object' && was !== null && Object.getPrototypeOf(was) === Object.prototype && Object.keys(was).length === 0
  const now =
    i < keys.length - 1
      ? restoreForm(was, l, keys, i + 1)
      : l.kind === 'date'
        ? typeof was === 'string' && Date.parse(was) === Date.parse(was)
          ? new Date(was)
          : undefined
        : l.kind === 'map' && empty
          ? new Map()
          : l.kind === 'set' && empty
            ? new Set()
            : l.kind === 'non-finite' && was === null
              ? Number(l.detail)
              : undefined
  if (now === undefined) return undefined
  const out = (Array.isArray(value) ? value.slice() : { ...value }) as Record<string, unknown>
  out[k] = now
  return out
}
