import type { Entry, LossyValue } from 'redux-flight-recorder'
import { isActionEntry } from 'redux-flight-recorder/replay'
import { crashText } from '../internal/errorText'
import { describeLossy } from '../lossy'
import { redactPathUnder } from '../redact'
import { processEnd } from '../internal/openEnd'
import { shrunkWithoutBaseline } from '../internal/shrunk'
import { CliError, EXIT_OK, display, existingFile, formatBytes, formatMs, parse, plural, rotatedContinuation, scanLog, short, type Io } from './util'

export const INSPECT_HELP = `Usage: flight-recorder inspect <log> [--json] [--top <n>]

Summarises a log without replaying it: the header (session, start time, hash, meta, redaction),
the duration, counts of actions by type and by turn, values the log could not carry or holds in
another form (lossy: a Date as its ISO string, a Map as {}), drops and gaps, lifecycle events (signals, exits, uncaught errors), errors and marks, and whether the log
ended cleanly. Reads the file as a stream, so any size works.

Options:
  --json       print the summary as JSON (for scripts)
  --top <n>    how many action types and turns to list (default 15)
  -h, --help   show this help

Exit codes: 0 the log was read, 2 no such file or not a log.`

/** A letter a hash in lowercase hex never holds. */
const UPPER = /[A-Z]/

/** Distinct action types (and omission kinds) listed at most; past them, counted. */
const MAX_TYPES = 10_000
/** Distinct turns followed at most; past them, a turn not seen before is not followed. */
const MAX_TURNS = 100_000

interface Listed {
  seq: number
  t: number
  [key: string]: unknown
}

const MAX_LISTED = 200

export interface InspectSummary {
  file: string
  bytes: number
  lines: number
  session: string
  startedAt: string
  hashAlgorithm: string
  meta: Record<string, string>
  redact: { state: string[]; actions: string[] }
  fromSeq: number
  lastSeq: number | null
  /** The time of the last entry, since the header's. */
  durationMs: number
  /** The time of the first entry after the header (`null`: none): past 0 in a log `shrink` wrote, whose entries keep the times they had in the log it was shrunk from. */
  firstEntryMs: number | null
  /** Action entries that carry a state hash: none in a log `shrink` wrote without `--baseline` (its header's hash is of the starting state only). */
  hashedSteps: number
  /** The header's `shrunk` (docs/FORMAT.md): a log written by `shrink`, and from what. */
  shrunk?: Record<string, unknown>
  entries: number
  actions: number
  turns: number
  /**
   * Past 100,000 turns (or 10,000 action types) the rest are counted, not listed one by one, so
   * that a log of millions of distinct ones stays within memory: `turns` is then a lower bound.
   * `threw`, `lifecycle`, `errors`, `marks`: the entries past the 200 listed in the list of that
   * name (counted, not listed). `omissions`: the values the log could not carry past the first
   * 10,000 kinds (path and kind) listed in `omissions`.
   */
  capped?: { turns?: true; types?: number; threw?: number; lifecycle?: number; errors?: number; marks?: number; omissions?: number }
  actionsByType: { type: string; count: number }[]
  largestTurns: { turn: string; actions: number; first: string; last: string }[]
  nonRecordable: number
  omissions: { path: string; kind: string; count: number; firstSeq: number }[]
  /** Values the log holds in another form than the app had them (docs/FORMAT.md, "Lossy values"). */
  lossy: { where: 'action' | 'state'; path: string; kind: string; detail?: string; count: number; firstSeq: number; text: string }[]
  /** The `@@dropped` entries of this log's own sink: entries missing from it. */
  dropped: { seq: number; count: number; reason: string }[]
  droppedTotal: number
  /** Those of the session's other sinks (named by their place in `sinks`): this log holds what they lost. */
  droppedElsewhere: { seq: number; count: number; reason: string; sink: number }[]
  gaps: string[]
  lifecycle: Listed[]
  /** Actions the reducer threw on when recorded (their entries' `threw`): the crash a bug report is about. */
  threw: { seq: number; t: number; type: string; name: string; message: string }[]
  errors: Listed[]
  marks: Listed[]
  checkpoints: number
  replaceReducer: number
  /**
   * Without @@end: `gzip-cut-off`, a .gz file whose compressed data ends early (a truncated
   * download), `shrunk`, a log written by `shrink` (its header's `shrunk`) without `--baseline`, which has none by design,
   * or `snapshot`, the recorder's buffer (no `sink` in its header) ending with its `'snapshot'` checkpoint (`toJSONL`/`snapshot`: a "Report a problem" file),
   * or `process-ended`, a log whose last entry is `recordProcessLifecycle`'s exit (`code`) or signal (`signal`) entry: the process ended without closing the recorder, after writing every line before it.
   * `count`: the @@end line's count of the session's actions; absent when that line gives none (a log made by hand).
   */
  ended: { clean: boolean; count?: number; dropped?: number; seq?: number; lastKind?: string; why?: 'gzip-cut-off' | 'shrunk' | 'snapshot' | 'process-ended'; code?: number; signal?: string }
  /** Without @@end: the rotated file the session goes on in (`fileSink`'s `maxFileBytes`), when it is there. */
  continuesIn?: string
  warnings: string[]
}

export async function inspect(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, top: { type: 'string' } }, INSPECT_HELP)
  if (values.help) {
    io.out(INSPECT_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 1) throw new CliError(`\`inspect\` takes one log file.\n${INSPECT_HELP}`)
  const top = values.top === undefined ? 15 : Number(values.top)
  if (!Number.isInteger(top) || top < 1) throw new CliError('`--top` must be a positive integer.')
  const file = existingFile(positionals[0], io.cwd, 'log file')
  const shown = display(file.path, io.cwd)
  const summary = await summarise(file.path, shown, file.size)
  if (!summary.ended.clean && summary.ended.why === undefined) {
    const next = rotatedContinuation(file.path, summary.session, summary.lastSeq, io.cwd)
    if (next !== undefined) summary.continuesIn = next
  }
  // `ok` as in every command's --json result: true exactly when the exit code is 0.
  if (values.json) io.out(JSON.stringify({ ok: true, exitCode: EXIT_OK, ...summary }) + '\n')
  else io.out(render(summary, top))
  return EXIT_OK
}

export async function summarise(path: string, shown: string, bytes: number): Promise<InspectSummary> {
  const byType = new Map<string, number>()
  // Bounds on what is kept per distinct name (a hostile or unusual log: millions of them).
  let typesOver = 0
  let turnsOver = false
  const byTurn = new Map<string, { actions: number; first: string; last: string }>()
  const omissions = new Map<string, { path: string; kind: string; count: number; firstSeq: number }>()
  const lossy = new Map<string, InspectSummary['lossy'][number]>()
  const noteLossy = (list: unknown, where: 'action' | 'state', seq: number) => {
    if (!Array.isArray(list)) return
    for (const l of list as LossyValue[]) {
      if (typeof l?.path !== 'string' || typeof l.kind !== 'string') continue
      const key = `${where}\u0000${l.path}\u0000${l.kind}`
      const found = lossy.get(key)
      if (found) found.count++
      else lossy.set(key, { where, path: l.path, kind: l.kind, ...(l.detail !== undefined ? { detail: l.detail } : {}), count: 1, firstSeq: seq, text: describeLossy(l, where) })
    }
  }
  const drops: { seq: number; count: number; reason: string; sink?: number }[] = []
  const lifecycle: Listed[] = []
  const errors: Listed[] = []
  const threw: InspectSummary['threw'] = []
  const marks: Listed[] = []
  let entries = 0
  let actions = 0
  let nonRecordable = 0
  let checkpoints = 0
  let replaceReducer = 0
  let lastSeq: number | null = null
  let lastT = 0
  let firstT: number | null = null
  let hashedSteps = 0
  let lastKind: string | undefined
  /** The last entry is `recordProcessLifecycle`'s exit or signal entry: how the process ended. */
  let lastExit: { code?: number; signal?: string } | undefined
  /** The last entry is the recorder's `'snapshot'` checkpoint (`toJSONL`/`snapshot`: a "Report a problem" file). */
  let snapshotEnd = false
  let lifecycleCount = 0
  let errorCount = 0
  let markCount = 0
  let threwCount = 0
  let omissionsOver = 0
  /** Hashes written in uppercase (a log edited by hand): the first, and how many. */
  let upper: { where: string; hash: string } | undefined
  let upperCount = 0
  const noteUpper = (hash: unknown, where: () => string) => {
    if (typeof hash !== 'string' || !UPPER.test(hash)) return
    upperCount++
    upper ??= { where: where(), hash }
  }
  const onEntry = (e: Entry, line: number) => {
    entries++
    if (e.kind !== '@@replaceReducer') noteUpper(e.hash, () => `line ${line} (seq ${e.seq})`)
    lastSeq = e.seq
    lastT = Math.max(lastT, e.t)
    if (typeof e.t === 'number') firstT = Math.min(firstT ?? e.t, e.t)
    lastKind = e.kind
    snapshotEnd = e.kind === '@@checkpoint' && (e as { reason?: unknown }).reason === 'snapshot'
    lastExit = e.kind === '@@lifecycle' ? processEnd((e as { body?: unknown }).body) : undefined
    if (isActionEntry(e)) {
      actions++
      if (typeof e.hash === 'string') hashedSteps++
      const n = byType.get(e.kind)
      if (n !== undefined) byType.set(e.kind, n + 1)
      else if (byType.size < MAX_TYPES) byType.set(e.kind, 1)
      else typesOver++
      if (e.turn !== null) {
        const t = byTurn.get(e.turn)
        if (t) {
          t.actions++
          t.last = e.kind
        } else if (byTurn.size < MAX_TURNS) byTurn.set(e.turn, { actions: 1, first: e.kind, last: e.kind })
        else turnsOver = true
      }
      if (e.recordable === false) nonRecordable++
      const crash = e.threw as { name?: unknown; message?: unknown } | undefined
      if (typeof crash === 'object' && crash !== null && ++threwCount <= MAX_LISTED) {
        threw.push({ seq: e.seq, t: e.t, type: e.kind, name: String(crash.name ?? 'Error'), message: typeof crash.message === 'string' ? crash.message : '' })
      }
      noteLossy(e.lossy, 'action', e.seq)
      noteLossy(e.stateLossy, 'state', e.seq)
      for (const o of e.omitted ?? []) {
        const key = `${o.path}\u0000${o.kind}`
        const found = omissions.get(key)
        if (found) found.count++
        else if (omissions.size < MAX_TYPES) omissions.set(key, { path: o.path, kind: o.kind, count: 1, firstSeq: e.seq })
        else omissionsOver++
      }
      return
    }
    const body = (e as { body?: Record<string, unknown> }).body
    noteLossy((e as { lossy?: unknown }).lossy, 'state', e.seq) // a checkpoint's or a lifecycle's state
    switch (e.kind) {
      case '@@lifecycle':
        if (++lifecycleCount <= MAX_LISTED) lifecycle.push({ seq: e.seq, t: e.t, ...body })
        break
      case '@@error':
        // The line's own seq; the body's `seq` (the entry the fault was about, or null) as `about`.
        if (++errorCount <= MAX_LISTED) {
          const { seq: about, ...rest } = body ?? {}
          errors.push({ ...rest, seq: e.seq, t: e.t, ...(typeof about === 'number' ? { about } : {}) })
        }
        break
      case '@@mark':
        if (++markCount <= MAX_LISTED) {
          const m = e as { label?: string; body?: unknown }
          marks.push({ seq: e.seq, t: e.t, label: m.label ?? '', ...(m.body !== undefined ? { body: m.body } : {}) })
        }
        break
      case '@@dropped': {
        const d = e as { count: number; reason: string; sink?: unknown }
        drops.push({ seq: e.seq, count: d.count, reason: d.reason, ...(typeof d.sink === 'number' ? { sink: d.sink } : {}) })
        break
      }
      case '@@checkpoint':
        checkpoints++
        break
      case '@@replaceReducer':
        replaceReducer++
        break
    }
  }
  const scanned = await scanLog(path, shown, onEntry)
  const h = scanned.header
  // A @@dropped names the sink that lost lines; in another sink's log those lines are all there.
  const ownSink = typeof h?.sink === 'number' ? h.sink : undefined
  const dropped = drops.filter((d) => d.sink === undefined || d.sink === ownSink).map(({ seq, count, reason }) => ({ seq, count, reason }))
  const droppedElsewhere = drops.filter((d): d is (typeof drops)[number] & { sink: number } => d.sink !== undefined && d.sink !== ownSink)
  const end = scanned.end
  // The header's state comes first in the log: list its values ahead of the entries'.
  const fromEntries = [...lossy.values()]
  lossy.clear()
  noteLossy(h.lossy, 'state', h.from_seq - 1)
  for (const l of fromEntries) {
    const key = `${l.where}\u0000${l.path}\u0000${l.kind}`
    const found = lossy.get(key)
    if (found) found.count += l.count
    else lossy.set(key, l)
  }
  if (end) noteLossy(end.lossy, 'state', end.seq)
  if (end) {
    lastSeq = end.seq
    lastT = Math.max(lastT, end.t)
  }
  const gaps = scanned.warnings.filter((w) => /missing/.test(w))
  // fr64 hashes are lowercase hex, compared as strings (docs/FORMAT.md): one written in uppercase
  // is said here, with its line, as verify says it at the mismatch it makes.
  const upperWarning: string[] = []
  if (h.hash_alg === 'fr64') {
    const isUpper = (x: unknown): x is string => typeof x === 'string' && UPPER.test(x)
    const found = [
      ...(isUpper(h.hash) ? [{ where: 'the @@session header', hash: h.hash }] : []),
      ...(upper ? [upper] : []),
      ...(end && isUpper(end.hash) ? [{ where: `the @@end line (seq ${end.seq})`, hash: end.hash }] : []),
    ]
    const count = upperCount + Number(isUpper(h.hash)) + Number(isUpper(end?.hash))
    if (found.length > 0) {
      upperWarning.push(
        `${found[0].where} holds its hash in uppercase (${found[0].hash})${count > 1 ? `, and ${plural(count - 1, 'other line')} too` : ''}: fr64 writes hashes in lowercase and they are compared as strings (docs/FORMAT.md), so verify reports a mismatch there (a log edited by hand: write it in lowercase).`,
      )
    }
  }
  // Each list past its cap: how many it left out (`capped`), so that a cut list says so.
  const over = {
    threw: threwCount - threw.length,
    lifecycle: lifecycleCount - lifecycle.length,
    errors: errorCount - errors.length,
    marks: markCount - marks.length,
    omissions: omissionsOver,
  }
  const listsOver = Object.fromEntries(Object.entries(over).filter(([, n]) => n > 0)) as Omit<NonNullable<InspectSummary['capped']>, 'turns' | 'types'>
  return {
    file: shown,
    bytes,
    lines: scanned.lines,
    session: h.session,
    startedAt: h.ts,
    hashAlgorithm: h.hash_alg,
    meta: h.meta,
    redact: h.redact,
    fromSeq: h.from_seq,
    lastSeq,
    durationMs: Math.round(lastT * 1000) / 1000,
    firstEntryMs: firstT === null ? null : Math.round(firstT * 1000) / 1000,
    hashedSteps,
    ...(typeof h.shrunk === 'object' && h.shrunk !== null && !Array.isArray(h.shrunk) ? { shrunk: h.shrunk as Record<string, unknown> } : {}),
    entries,
    actions,
    turns: byTurn.size,
    ...(turnsOver || typesOver > 0 || Object.keys(listsOver).length > 0
      ? { capped: { ...(turnsOver ? { turns: true as const } : {}), ...(typesOver > 0 ? { types: typesOver } : {}), ...listsOver } }
      : {}),
    actionsByType: [...byType].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || (a.type < b.type ? -1 : 1)),
    largestTurns: [...byTurn]
      .map(([turn, t]) => ({ turn, ...t }))
      .sort((a, b) => b.actions - a.actions)
      .slice(0, 50),
    nonRecordable,
    omissions: [...omissions.values()].sort((a, b) => b.count - a.count),
    lossy: [...lossy.values()],
    dropped,
    droppedTotal: dropped.reduce((n, d) => n + d.count, 0),
    droppedElsewhere,
    gaps,
    lifecycle,
    threw,
    errors,
    marks,
    checkpoints,
    replaceReducer,
    ended: end
      ? { clean: true, ...(scanned.endCount ? { count: end.count } : {}), ...(scanned.endDropped ? { dropped: end.dropped } : {}), seq: end.seq }
      : {
          clean: false,
          ...(lastKind ? { lastKind } : {}),
          ...(scanned.gzipCut
            ? { why: 'gzip-cut-off' as const }
            : h && shrunkWithoutBaseline(h)
              ? { why: 'shrunk' as const }
              : snapshotEnd && h.sink === undefined
                ? { why: 'snapshot' as const }
                : lastExit !== undefined
                  ? { why: 'process-ended' as const, ...lastExit }
                  : {}),
        },
    warnings: [...scanned.warnings.filter((w) => !gaps.includes(w)), ...upperWarning],
  }
}

function describeLifecycle(e: Listed): string {
  const { seq: _s, t: _t, event, ...rest } = e
  if (event === 'signal') return `signal ${String(rest.signal)}`
  if (event === 'exit') return `exit, code ${String(rest.code)}`
  if (event === 'uncaughtException') return `uncaught ${String(rest.name ?? 'error')}: ${short(rest.message, 80).replace(/^"|"$/g, '')}${rest.origin && rest.origin !== 'uncaughtException' ? ` (${String(rest.origin)})` : ''}`
  delete rest.stack
  const detail = Object.keys(rest).length > 0 ? ' ' + short(rest, 80) : ''
  return `${String(event)}${detail}`
}

function table(rows: string[][], indent = '  '): string {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)))
  return rows.map((row) => indent + row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n') + '\n'
}

/** The line under a list cut at its first 200 entries: how many it left out. */
function notListed(more: number | undefined): string {
  return more ? `  … and ${more} more, past the first ${MAX_LISTED} (not listed)\n` : ''
}

function at(e: Listed): string {
  return `seq ${e.seq}`
}

function when(e: Listed): string {
  return `+${formatMs(e.t)}`
}

export function render(s: InspectSummary, top: number): string {
  let out = ''
  const kv: string[][] = []
  kv.push(['log', `${s.file} (${formatBytes(s.bytes)}, ${plural(s.lines, 'line')})`])
  kv.push(['session', s.session])
  kv.push(['started', s.startedAt || '(unknown)'])
  // A shrunk log's entries keep their times in the log it was shrunk from: not this log's length.
  const first = s.firstEntryMs === null ? '' : `+${formatMs(s.firstEntryMs)}`
  const last = `+${formatMs(s.durationMs)}`
  kv.push(['duration', s.shrunk && first ? `— (shrunk: its entries keep the times they had in the session it was shrunk from, ${first}${last === first ? '' : ` to ${last}`})` : formatMs(s.durationMs)])
  kv.push([
    'hash',
    s.hashAlgorithm === 'none'
      ? 'none (replays cannot be verified)'
      : s.actions > 0 && s.hashedSteps === 0
        ? `${s.hashAlgorithm}, of the starting state only: no step carries a hash${s.ended.why === 'shrunk' ? ' (shrunk without --baseline)' : ''}`
        : s.hashedSteps < s.actions
          ? `${s.hashAlgorithm} (${s.hashedSteps} of ${plural(s.actions, 'step')} carry a hash)`
          : s.hashAlgorithm,
  ])
  const meta = Object.entries(s.meta)
  if (meta.length > 0) kv.push(['meta', meta.map(([k, v]) => `${k}=${v}`).join(', ')])
  if (s.redact.state.length + s.redact.actions.length > 0) {
    // (A path may start with a key in brackets: `["a.b"].c`.)
    kv.push(['redacted', [...s.redact.state.map((p) => redactPathUnder('state', p)), ...s.redact.actions.map((p) => redactPathUnder('action', p))].join(', ')])
  }
  const range = s.lastSeq === null ? 'no entries' : `seq ${s.fromSeq}–${s.lastSeq}`
  const turns = `${s.capped?.turns ? 'more than ' : ''}${plural(s.turns, 'turn')}`
  kv.push(['entries', `${range}: ${plural(s.actions, 'action')} in ${turns}, ${plural(s.checkpoints, 'checkpoint')}`])
  // A sink that loses lines can lose the @@dropped lines that report it too; @@end counts them all.
  const lostElsewhere = s.droppedElsewhere.reduce((n, d) => n + d.count, 0)
  const unreported = (s.ended.dropped ?? 0) - s.droppedTotal - lostElsewhere
  const holes = s.dropped.length > 0 || s.gaps.length > 0 || unreported > 0
  // (An @@end written by hand may give no count: not read as "0 actions"; nor as "0 dropped".)
  const end = `@@end at seq ${s.ended.seq}: ${s.ended.count === undefined ? 'no count of the actions' : plural(s.ended.count, 'action')} in the session${s.ended.dropped === undefined ? '' : `, ${s.ended.dropped} dropped`}`
  kv.push([
    'ended',
    s.ended.clean
      ? holes
        ? `closed (${end}), but entries are missing from this log (see below)`
        : `cleanly (${end})`
      : s.ended.why === 'gzip-cut-off'
        ? `without @@end: the .gz file is cut off (its compressed data ends early: a truncated file, e.g. an interrupted download), not the recorder${s.ended.lastKind ? `; last entry read: ${s.ended.lastKind}` : ''}`
        : s.ended.why === 'shrunk'
          ? `without @@end, as \`shrink\` writes a log when not given --baseline (it ends at its last kept action${s.ended.lastKind ? `, ${s.ended.lastKind}` : ''}; with --baseline, shrink ends the log with @@end)`
          : s.ended.why === 'snapshot'
            ? `without @@end: a snapshot of a running session (a "Report a problem" file, a download: it ends with the snapshot's checkpoint; the recorder went on recording after it)`
          : s.ended.why === 'process-ended'
            ? `without @@end: the process ${s.ended.signal === undefined ? `exited${s.ended.code === undefined ? '' : ` (code ${s.ended.code})`}` : `received ${s.ended.signal}`} without closing the recorder; ${holes ? 'the log goes on up to then, but entries are missing from it (see below)' : `everything it recorded up to then is in the log${s.ended.signal === undefined ? '' : ' (if it went on after the signal, what it recorded after is not)'}`}`
          : s.continuesIn !== undefined
        ? `without @@end: the file was rotated, the session goes on in ${s.continuesIn}${s.ended.lastKind ? ` (last entry here: ${s.ended.lastKind})` : ''}`
        : `without @@end (the recorder was not closed${s.ended.lastKind ? `; last entry: ${s.ended.lastKind}` : ''})`,
  ])
  out += table(kv, '')
  if (s.actionsByType.length > 0) {
    out += `\nactions by type (${plural(s.actionsByType.length, 'type')})\n`
    out += table(s.actionsByType.slice(0, top).map((a) => [String(a.count).padStart(6), a.type]))
    if (s.actionsByType.length > top) out += `  … ${s.actionsByType.length - top} more (--top to show more)\n`
    if (s.capped?.types) out += `  and ${plural(s.capped.types, 'action')} of other types, past the first ${MAX_TYPES.toLocaleString('en-US')} types (not listed)\n`
  }
  const multi = s.largestTurns.filter((t) => t.actions > 1)
  if (multi.length > 0) {
    out += `\nlargest turns (${turns}; a turn is one dispatch from outside and what it caused)\n`
    out += table(multi.slice(0, top).map((t) => [t.turn, plural(t.actions, 'action'), t.first === t.last ? t.first : `${t.first} … ${t.last}`]))
  }
  if (s.nonRecordable > 0) {
    out += `\nvalues the log could not carry (${plural(s.nonRecordable, 'action')})\n`
    out += table(s.omissions.slice(0, top).map((o) => [String(o.count).padStart(6), `${o.path}: ${o.kind}`, `first at seq ${o.firstSeq}`]))
    if (s.omissions.length > top) out += `  … ${s.omissions.length - top} more (--top to show more)\n`
    if (s.capped?.omissions) out += `  and ${plural(s.capped.omissions, 'value')} of other kinds, past the first ${MAX_TYPES.toLocaleString('en-US')} kinds (not listed)\n`
  }
  if (s.lossy.length > 0) {
    out += `\nvalues held in another form than the app had them (lossy: replay sees them in that form)\n`
    out += table(s.lossy.slice(0, top).map((l) => [`seq ${l.firstSeq}`, l.text]))
    if (s.lossy.length > top) out += `  … ${s.lossy.length - top} more (--top to show more)\n`
  }
  if (holes) {
    out += s.dropped.length > 0 || unreported > 0 ? `\ndrops (${plural(s.droppedTotal + Math.max(0, unreported), 'entry', 'entries')} lost)\n` : `\ngaps\n`
    out += table(s.dropped.map((d) => [`seq ${d.seq}`, plural(d.count, 'entry', 'entries'), d.reason]))
    for (const g of s.gaps) out += `  gap: ${g}\n`
    if (unreported > 0) out += `  @@end counts ${s.ended.dropped} dropped in the session: the reports of ${unreported} of them were lost as well.\n`
  }
  if (s.droppedElsewhere.length > 0) {
    out += `\nlost by the session's other sinks (${plural(lostElsewhere, 'entry', 'entries')}; this log holds them)\n`
    out += table(s.droppedElsewhere.map((d) => [`seq ${d.seq}`, `sink ${d.sink}`, plural(d.count, 'entry', 'entries'), d.reason]))
  }
  if (s.lifecycle.length > 0) {
    out += `\nlifecycle\n`
    out += table(s.lifecycle.map((e) => [at(e), when(e), describeLifecycle(e)]))
    out += notListed(s.capped?.lifecycle)
  }
  if (s.threw.length > 0) {
    out += `\nthe reducer threw (the state stayed as it was; replay on a reducer that still throws goes on as recorded)\n`
    out += table(s.threw.map((e) => [`seq ${e.seq}`, when(e), `${e.type}: ${crashText(e.name, e.message)}`]))
    out += notListed(s.capped?.threw)
  }
  if (s.errors.length > 0) {
    out += `\nerrors recorded by the recorder\n`
    out += table(s.errors.map((e) => [at(e), when(e), `${String(e.source)}${typeof e.about === 'number' ? ` (at seq ${e.about})` : ''}: ${String(e.message)}`]))
    out += notListed(s.capped?.errors)
  }
  if (s.marks.length > 0) {
    out += `\nmarks\n`
    out += table(s.marks.map((e) => [at(e), when(e), String(e.label) + (e.body !== undefined ? ' ' + short(e.body, 60) : '')]))
    out += notListed(s.capped?.marks)
  }
  if (s.replaceReducer > 0) out += `\nthe reducer was replaced ${plural(s.replaceReducer, 'time')} (replay needs \`onReplaceReducer\`)\n`
  for (const w of s.warnings) out += `\nwarning: ${w}\n`
  return out
}
