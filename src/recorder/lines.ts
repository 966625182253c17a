import type { Action } from 'redux'
import { FORMAT_VERSION } from '../format/types'
import type { FaultSource } from '../errors'
import { lossyField } from '../lossy'
import { hashField, projectAction, stateText, timeFields, utf8Length } from '../serialize'
import { StateJson } from '../stateJson'
import type { Clock } from './clock'
import type { FaultBody } from './faults'
import type { HashQueue } from './hashQueue'
import type { Settings } from './options'
import { F_ACTION, F_HASHED, F_STATE, TURN_EXPLICIT, type EntryRing } from './ring'
import type { CheckpointReason } from './types'

/** What the ring holds for an entry that is not an action; `lines` writes each as its kind says. */
export type SpecialEntry =
  | { readonly kind: '@@mark'; readonly label: string; readonly body?: unknown }
  | { readonly kind: '@@lifecycle'; readonly body: Record<string, unknown>; readonly state?: unknown }
  | { readonly kind: '@@error'; readonly body: FaultBody }
  | { readonly kind: '@@dropped'; readonly count: number; readonly reason: string }
  | { readonly kind: '@@checkpoint'; readonly state: unknown; readonly reason: CheckpointReason }
  | { readonly kind: '@@replaceReducer' }
  | { readonly kind: '@@end'; readonly state: unknown; readonly count: number }

function safeJson(value: unknown): string {
  return value === undefined ? 'null' : projectAction(value, null).json
}

/** `,"kind":<JSON of String(type)>,"action":`, for the last few hundred action types. */
const kindCache = new Map<string, string>()
let lastKindType: string | undefined
let lastKindField = ''
function kindField(type: unknown): string {
  // Runs of one action type are common: the last one is checked before the map.
  if (typeof type === 'string' && type === lastKindType) return lastKindField
  const kind = String(type)
  let json = kindCache.get(kind)
  if (json === undefined) {
    json = ',"kind":' + JSON.stringify(kind) + ',"action":'
    if (kindCache.size >= 512) kindCache.clear()
    kindCache.set(kind, json)
  }
  if (typeof type === 'string') {
    lastKindType = type
    lastKindField = json
  }
  return json
}

/**
 * The one writer of the log format (docs/FORMAT.md): the header and every entry as a JSONL line,
 * written exactly as `JSON.stringify` would write the same object.
 */
export class Lines {
  /** Full states written incrementally and off the dispatch path (fr64 only: see stateJson.ts). */
  readonly states: StateJson | null
  constructor(
    private readonly settings: Settings,
    private readonly session: string,
    private readonly clock: Clock,
    private readonly ring: EntryRing,
    private readonly hashes: HashQueue,
    private readonly fault: (source: FaultSource, error: unknown, seq: number | null) => void,
    /** Lines lost so far, for `@@end`. */
    private readonly dropped: () => number,
    /** The recorder is closed (the `@@end` line is being written). */
    private readonly closed: () => boolean,
  ) {
    this.states = settings.hash === 'fr64' && !settings.serializeState ? new StateJson(settings.stateRedactor, settings.lossy) : null
  }

  /** The JSON of a full state with its `lossy` key (`stateText`). */
  private fullState(state: unknown, onUnwritable: (error: unknown) => void): string {
    const s = this.settings
    return this.states ? this.states.text(state, onUnwritable) : stateText(s.serializeState ? s.serializeState(state) : state, s.stateRedactor, s.lossy, onUnwritable)
  }

  /**
   * The state as JSON (projected, redacted) with its `lossy` key; when it cannot be written,
   * `null,"unwritable":…`, the entry's hash dropped (replay can neither check nor restart from
   * it) and a fault.
   */
  private stateJson(state: unknown, seq: number): string {
    const unwritable = (error: unknown) => {
      // No live hash beside a `null` state; on `@@end` the line itself says why.
      const i = this.ring.index(seq)
      if (i >= 0) this.ring.flags[i] &= ~F_HASHED
      if (!this.closed()) this.fault('serialize', error, seq)
    }
    try {
      return this.fullState(state, unwritable)
    } catch (error) {
      unwritable(error)
      return 'null,"unwritable":' + JSON.stringify(error instanceof Error ? `${error.name}: ${error.message}` : 'serializeState threw')
    }
  }

  /** The `@@session` header of a log that starts at `fromSeq` from `state`. */
  headerLine(fromSeq: number, state: unknown, trimmed: number): string {
    const s = this.settings
    let stateJson = 'null'
    let hash: string | null = null
    try {
      let unwritable = false
      stateJson = this.fullState(state, (error) => {
        unwritable = true
        this.fault('serialize', error, null)
      })
      // A state that could not be written goes with no hash: replay cannot check or restart from it.
      if (!unwritable) hash = this.hashes.hashOf(state)
    } catch (error) {
      this.fault('serialize', error, null)
      stateJson = 'null'
    }
    return (
      '{"kind":"@@session","v":' + FORMAT_VERSION +
      ',"session":' + JSON.stringify(this.session) +
      ',"ts":' + JSON.stringify(new Date(this.clock.startEpoch).toISOString()) +
      ',"hash_alg":' + JSON.stringify(s.hashAlg) +
      ',"meta":' + JSON.stringify(s.meta) +
      ',"redact":' + JSON.stringify(s.redactPaths) +
      ',"from_seq":' + fromSeq +
      ',"state":' + stateJson +
      ',"hash":' + (hash === null ? 'null' : JSON.stringify(hash)) +
      (trimmed > 0 ? ',"trimmed":' + trimmed : '') +
      '}'
    )
  }

  /** The line of entry `seq`, which the ring holds. */
  entryLine(seq: number): string {
    const ring = this.ring
    const i = ring.index(seq)
    const t = ring.t[i]
    const flags = ring.flags[i]
    const time = timeFields(this.clock.startEpoch + t, t)
    if (flags & F_ACTION) return this.actionLine(i, seq, time, ring.refs[i] as Action & { meta?: { turn?: string } }, flags)
    const special = ring.refs[i] as SpecialEntry
    let line = '{"seq":' + seq + time + ',"turn":null,"kind":' + JSON.stringify(special.kind)
    switch (special.kind) {
      case '@@mark':
        line += ',"label":' + JSON.stringify(special.label)
        if (special.body !== undefined) line += ',"body":' + safeJson(special.body)
        break
      case '@@lifecycle':
        line += ',"body":' + safeJson(special.body)
        if (special.state !== undefined && flags & F_STATE) line += ',"state":' + this.stateJson(special.state, seq)
        break
      case '@@error':
        line += ',"body":' + safeJson(special.body)
        break
      case '@@dropped':
        line += ',"count":' + special.count + ',"reason":' + JSON.stringify(special.reason)
        break
      case '@@checkpoint':
        line += ',"state":' + this.stateJson(special.state, seq) + ',"reason":' + JSON.stringify(special.reason)
        break
      case '@@end':
        line = '{"kind":"@@end","seq":' + seq + time + ',"count":' + special.count + ',"dropped":' + this.dropped() + ',"state":' + this.stateJson(special.state, seq)
        break
    }
    if (flags & F_STATE && this.settings.hash !== 'none') {
      const h = this.hashes.hashText(i)
      line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
    }
    return line + '}'
  }

  private actionLine(i: number, seq: number, time: string, action: Action & { meta?: { turn?: string } }, flags: number): string {
    const ring = this.ring
    const s = this.settings
    const turnCol = ring.turn[i]
    const turn = turnCol >= 0 ? ',"turn":"t' + turnCol + '"' : turnCol === TURN_EXPLICIT ? ',"turn":' + JSON.stringify(action.meta!.turn) : ',"turn":null'
    let type: unknown
    try {
      type = action.type
    } catch {
      type = 'unknown'
    }
    let { json, omitted, lossy } = projectAction(typeof type === 'symbol' ? { ...action, type: String(type) } : action, s.actionRedactor, s.lossy)
    if (json.length > s.maxEntryBytes / 4 && utf8Length(json) > s.maxEntryBytes) {
      const bytes = utf8Length(json)
      json = '{"type":' + JSON.stringify(String(type)) + '}'
      omitted = [{ path: '<root>', kind: 'too-large', detail: bytes }]
      lossy = null
    }
    let line = '{"seq":' + seq + time + turn + kindField(type) + json
    if (s.hash === 'fr64') {
      if (flags & F_HASHED) {
        const changed = this.hashes.changed === null ? '' : this.hashes.changed.get(seq)
        // The closing brace comes with the hash when nothing follows it.
        if (!omitted && changed === '' && !lossy) return line + hashField(ring.hi[i], ring.lo[i], true)
        line += hashField(ring.hi[i], ring.lo[i], false) + changed
      } else line += ',"hash":null'
    } else if (s.hash !== 'none') {
      const h = this.hashes.hashText(i)
      line += ',"hash":' + (h === null ? 'null' : JSON.stringify(h))
    }
    if (omitted) line += ',"recordable":false,"omitted":' + JSON.stringify(omitted)
    if (lossy) line += lossyField(lossy)
    return line + '}'
  }
}
