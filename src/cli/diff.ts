import { stateHash, type ActionEntry, type Recording } from 'redux-flight-recorder'
import { diffStates, isActionEntry, replay, type StateDifference } from 'redux-flight-recorder/replay'
import { CliError, EXIT_FAIL, EXIT_OK, display, existingFile, loadStoreModule, parse, plural, readLog, short, type Io } from './util'

/**
 * Action key paths `diff` leaves out of comparisons unless --no-default-ignore: Redux Toolkit makes
 * `meta.requestId` random per dispatch, and RTK Query stamps its thunks' actions with the clock.
 */
export const DEFAULT_IGNORE = ['meta.requestId', 'meta.startedTimeStamp', 'meta.fulfilledTimeStamp']

/** RTK Query's thunks' actions, `<reducerPath>/executeQuery/pending` and the like. */
const RTKQ_THUNK = /^(.+)\/(executeQuery|executeMutation)\/(pending|fulfilled|rejected)$/

/** RTK Query's `upsertQueryEntries` action: stamped with a request id and the clock (`meta.timestamp`) as its thunks' are. */
const RTKQ_UPSERTED = /^(.+)\/queries\/cacheEntriesUpserted$/
/** That action's clock reading: left out of its comparison by default (too common a name to leave out of every action's). */
const UPSERTED_TIMESTAMP = 'meta.timestamp'

/** The api slice and the action key paths of RTK Query's per-run values (which its reducer keeps in the slice's state) at an action of `kind`. */
function rtkQueryPerRunPaths(kind: string): { api: string; paths: string[] } | undefined {
  const thunk = RTKQ_THUNK.exec(kind)
  if (thunk !== null) return { api: thunk[1], paths: DEFAULT_IGNORE }
  const upserted = RTKQ_UPSERTED.exec(kind)
  return upserted === null ? undefined : { api: upserted[1], paths: ['meta.requestId', UPSERTED_TIMESTAMP] }
}

export const DIFF_HELP = `Usage: flight-recorder diff <a> <b> [--store <module>] [--ignore <path>]… [--no-default-ignore] [--json]

Finds the first step where two logs of the same app differ. Steps are the action entries of each
log, in order (two copies of one session are paired by seq, and what only one holds is named,
exit 1). Two steps are the same when they have the same action type and, when both logs
carry hashes of the same algorithm, the same resulting state hash; without comparable hashes the
actions themselves are compared. The report shows both entries, what differs in the actions, and
with --store the state each log's actions lead to there (replayed, no side effects).

Options:
  --store <module>  replay both logs up to the first difference and show how the states differ
  --ignore <path>   an action key path to leave out when actions are compared (repeatable),
                    besides the defaults: meta.requestId, which Redux Toolkit makes random per
                    dispatch, and RTK Query's clock readings meta.startedTimeStamp and
                    meta.fulfilledTimeStamp (and meta.timestamp of its upsertQueryEntries
                    action)
  --no-default-ignore
                    compare those too (only the --ignore paths are left out)
  --json            print the result as JSON: {"ok","exitCode","a","b","agree","difference"};
                    ok is true exactly when the exit code is 0; difference.at is 'start',
                    'action', 'length', 'end' or 'missing'; each difference is
                    {"path","a","b"}: the value in a and in b (left out where that log has
                    none), as the text's "a → b"
  -h, --help        show this help

Exit codes: 0 no difference, 1 the logs differ, 2 no such file or not a log.`

function stripPaths(value: unknown, paths: string[][]): unknown {
  if (paths.length === 0) return value
  const copy = JSON.parse(JSON.stringify(value ?? null)) as Record<string, unknown>
  for (const path of paths) {
    let node: unknown = copy
    for (let i = 0; i < path.length - 1 && node && typeof node === 'object'; i++) node = (node as Record<string, unknown>)[path[i]]
    if (node && typeof node === 'object') delete (node as Record<string, unknown>)[path[path.length - 1]]
  }
  return copy
}

/**
 * Why two equal actions (but for the default ignored paths) of RTK Query lead to states that hash
 * otherwise: its reducer keeps the request id and the clock readings of each run in the api
 * slice's state. `undefined` for any other action, or when those values are the same.
 */
function rtkQueryPerRun(x: ActionEntry, y: ActionEntry): string | undefined {
  const perRun = rtkQueryPerRunPaths(x.kind)
  if (perRun === undefined) return undefined
  const at = (v: unknown, path: string) => path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), v)
  const differ = perRun.paths.filter((p) => !sameJson(at(x.action, p) ?? null, at(y.action, p) ?? null))
  if (differ.length === 0) return undefined
  return `the actions are equal but for RTK Query's per-run values (${differ.join(', ')}), which its reducer keeps in the state of '${perRun.api}' (each query's and mutation's requestId and time stamps), so two runs of one session hash otherwise from here on, whatever else differs: that is no difference of the app`
}

/** Seqs as spans: `6–8, 12`. */
function spans(seqs: number[]): string {
  const out: string[] = []
  for (let i = 0; i < seqs.length; i++) {
    let j = i
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j] + 1) j++
    out.push(j > i ? `${seqs[i]}–${seqs[j]}` : String(seqs[i]))
    i = j
  }
  return out.join(', ')
}

/** Two hashes that differ only in case (a log edited by hand: recorders write lowercase hex). */
function caseOnly(x: string, y: string): boolean {
  return x !== y && x.toLowerCase() === y.toLowerCase()
}

/** Says which log's hash (of `where`) is written in uppercase, and what that means. */
function upperCased(x: string, y: string, where: string): string {
  const side = x !== x.toLowerCase() ? (y !== y.toLowerCase() ? 'a and b' : 'a') : 'b'
  return `${side === 'a and b' ? "both logs' hashes of the" : `${side}'s ${where} hash is`} ${side === 'a and b' ? `${where} have uppercase letters` : 'written in uppercase'} (a log edited by hand: hashes are compared as strings, docs/FORMAT.md)`
}

function sameJson(a: unknown, b: unknown): boolean {
  return stateHash(a) === stateHash(b)
}

function describeEntry(e: ActionEntry): string {
  return `seq ${e.seq}${e.turn ? ` (turn ${e.turn})` : ''} ${short(e.action, 110)}${typeof e.hash === 'string' ? ` → ${e.hash}` : ''}`
}

/** An action entry in `--json` output. */
function entryJson(e: ActionEntry): { seq: number; turn: string | null; kind: string; action: unknown; hash: string | null } {
  return { seq: e.seq, turn: e.turn ?? null, kind: e.kind, action: e.action, hash: typeof e.hash === 'string' ? e.hash : null }
}

/**
 * A difference as `--json` prints it: its two sides named `a` and `b`, as the logs are (the text
 * says "a → b"), not `recorded`/`replayed` (whose names would have b's values "replayed").
 * `element`: `'removed'` (in a only), `'inserted'` (in b only).
 */
type SideDifference = Omit<StateDifference, 'recorded' | 'replayed' | 'shortened'> & {
  a: unknown
  b: unknown
  shortened?: { from?: number; at?: number; aLength?: number; bLength?: number }
}

function sides(diffs: StateDifference[]): SideDifference[] {
  return diffs.map(({ path, recorded, replayed, shortened, ...rest }) => {
    const out: SideDifference = { path, a: recorded, b: replayed, ...rest }
    if (shortened) {
      const { recordedLength, replayedLength, ...at } = shortened
      out.shortened = { ...at, ...(recordedLength !== undefined ? { aLength: recordedLength } : {}), ...(replayedLength !== undefined ? { bLength: replayedLength } : {}) }
    }
    return out
  })
}

/** What `diff --json` prints under `difference` (null when the logs agree). */
type DiffFinding =
  | { at: 'start'; stateDifferences: SideDifference[] }
  | { at: 'end'; stateDifferences: SideDifference[]; hashes: { a: string; b: string } }
  | { at: 'length'; longer: 'a' | 'b'; more: number; next: ReturnType<typeof entryJson> }
  /** Two copies of one session: they agree where both hold a seq; these seqs are in one only (`"6–8, 12"`). */
  | { at: 'missing'; onlyA: string; onlyB: string }
  | {
      at: 'action'
      index: number
      reason: string
      a: ReturnType<typeof entryJson>
      b: ReturnType<typeof entryJson>
      actionDifferences: SideDifference[]
      replayed?: { stateDifferences: SideDifference[] } | { error: string }
    }

function differences(title: string, diffs: StateDifference[]): string {
  if (diffs.length === 0) return ''
  let out = `  ${title}:\n`
  // An element only one side has is said as verify says it (`removed {…}`, `inserted {…}`), not `→ undefined`.
  // A key one side lacks is "(missing)" there, as verify says it (not `undefined`, a value JSON has not).
  const side = (v: unknown) => (v === undefined ? '(missing)' : short(v, 60))
  for (const d of diffs.slice(0, 20)) out += `    ${d.path}: ${d.element ? `${d.element} ${short(d.element === 'inserted' ? d.replayed : d.recorded, 60)}` : `${side(d.recorded)} → ${side(d.replayed)}`}\n`
  if (diffs.length > 20) out += `    … ${diffs.length - 20} more\n`
  return out
}

export async function diff(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parse(
    args,
    { store: { type: 'string' }, ignore: { type: 'string', multiple: true }, 'no-default-ignore': { type: 'boolean' }, json: { type: 'boolean' } },
    DIFF_HELP,
  )
  if (values.help) {
    io.out(DIFF_HELP + '\n')
    return EXIT_OK
  }
  if (positionals.length !== 2) throw new CliError(`\`diff\` takes two log files.\n${DIFF_HELP}`)
  const fa = existingFile(positionals[0], io.cwd, 'log file')
  const fb = existingFile(positionals[1], io.cwd, 'log file')
  const na = display(fa.path, io.cwd)
  const nb = display(fb.path, io.cwd)
  const a = await readLog(fa.path, na)
  const b = await readLog(fb.path, nb)
  // What reading a log noticed (a last line cut short, a gap): said before any verdict, which covers what is there only.
  for (const [name, r] of [[na, a], [nb, b]] as const) for (const w of r.warnings) io.err(`warning: ${name}: ${w}\n`)
  const store = values.store ? await loadStoreModule(values.store, io.cwd, 'diff') : undefined
  // --ignore adds to the defaults; --no-default-ignore drops them.
  const ignore = [...(values['no-default-ignore'] ? [] : DEFAULT_IGNORE), ...(values.ignore ?? [])].map((p) => p.split('.'))
  // RTK Query's upsertQueryEntries action also has its clock reading (UPSERTED_TIMESTAMP).
  const upsertedIgnore = values['no-default-ignore'] ? ignore : [...ignore, UPSERTED_TIMESTAMP.split('.')]
  /** An entry's action as it is compared: without the ignored paths. */
  const compared = (e: ActionEntry) => stripPaths(e.action, RTKQ_UPSERTED.test(e.kind) ? upsertedIgnore : ignore)

  const hashesComparable = a.header.hash_alg === b.header.hash_alg && a.header.hash_alg !== 'none'
  const logJson = (name: string, r: Recording) => ({ path: name, session: r.header.session, actions: r.entries.filter(isActionEntry).length, warnings: r.warnings })
  /** Prints the text report, or with --json one result whose `ok` agrees with the exit code. */
  const done = (code: number, agree: number, difference: DiffFinding | null): number => {
    if (values.json) io.out(JSON.stringify({ ok: code === EXIT_OK, exitCode: code, a: logJson(na, a), b: logJson(nb, b), agree, difference }) + '\n')
    else io.out(out)
    return code
  }
  let out = `a: ${na} (${plural(a.entries.filter(isActionEntry).length, 'action')}, session ${a.header.session})\n`
  out += `b: ${nb} (${plural(b.entries.filter(isActionEntry).length, 'action')}, session ${b.header.session})\n`

  const startSame =
    hashesComparable && typeof a.header.hash === 'string' && typeof b.header.hash === 'string'
      ? a.header.hash === b.header.hash
      : sameJson(a.header.state, b.header.state)
  if (!startSame) {
    const ha = a.header.hash
    const hb = b.header.hash
    out +=
      hashesComparable && typeof ha === 'string' && typeof hb === 'string' && caseOnly(ha, hb)
        ? `\nThe logs' headers hold the same hash but for case: ${upperCased(ha, hb, 'header')}.\n`
        : `\nThe logs start from different states (a from seq ${a.header.from_seq}, b from seq ${b.header.from_seq}).\n`
    const stateDifferences = diffStates(a.header.state, b.header.state)
    out += differences('state differences (a → b)', stateDifferences)
    return done(EXIT_FAIL, 0, { at: 'start', stateDifferences: sides(stateDifferences) })
  }

  let xs = a.entries.filter(isActionEntry)
  let ys = b.entries.filter(isActionEntry)
  // Two copies of one session (a file and the collector's, before and after a loss): steps pair by
  // seq, so entries only one of them holds are named, not taken for a difference of every step after.
  let only: { a: string; b: string } | undefined
  if (a.header.session === b.header.session && a.header.from_seq === b.header.from_seq) {
    const inA = new Set(xs.map((e) => e.seq))
    const inB = new Set(ys.map((e) => e.seq))
    // Up to the end of the shorter one; one log going on longer is a difference of its own.
    const end = Math.min(xs.at(-1)?.seq ?? 0, ys.at(-1)?.seq ?? 0)
    const onlyA = xs.filter((e) => e.seq <= end && !inB.has(e.seq)).map((e) => e.seq)
    const onlyB = ys.filter((e) => e.seq <= end && !inA.has(e.seq)).map((e) => e.seq)
    if (onlyA.length + onlyB.length > 0) {
      only = { a: spans(onlyA), b: spans(onlyB) }
      xs = xs.filter((e) => e.seq > end || inB.has(e.seq))
      ys = ys.filter((e) => e.seq > end || inA.has(e.seq))
      out += `\nBoth logs are session ${a.header.session}, so steps are paired by seq.${onlyA.length > 0 ? ` Only a has seq ${only.a}.` : ''}${onlyB.length > 0 ? ` Only b has seq ${only.b}.` : ''}\n`
    }
  }
  const n = Math.min(xs.length, ys.length)
  let i = 0
  let reason = ''
  for (; i < n; i++) {
    const x = xs[i]
    const y = ys[i]
    if (x.kind !== y.kind) {
      reason = 'the action types differ'
      break
    }
    const hx = typeof x.hash === 'string' ? x.hash : null
    const hy = typeof y.hash === 'string' ? y.hash : null
    if (hashesComparable && hx !== null && hy !== null) {
      if (hx !== hy) {
        const sameAction = sameJson(compared(x), compared(y))
        reason = caseOnly(hx, hy)
          ? `${sameAction ? 'the actions are equal, and so are their hashes' : 'the actions differ; their hashes are the same'} but for case: ${upperCased(hx, hy, 'step')}`
          : sameAction
          ? rtkQueryPerRun(x, y) ?? 'the actions are equal but the states they led to differ (a different reducer or app version, or an earlier change the logs do not show)'
          : 'the actions differ, and so do the states they led to'
        break
      }
    } else if (!sameJson(compared(x), compared(y))) {
      reason = 'the actions differ'
      break
    }
  }

  if (i === n && xs.length === ys.length) {
    const endA = a.end?.hash ?? null
    const endB = b.end?.hash ?? null
    if (hashesComparable && endA !== null && endB !== null && endA !== endB) {
      out += caseOnly(endA, endB)
        ? `\nThe logs agree on all ${plural(n, 'action')}; their @@end lines hold the same hash but for case: ${upperCased(endA, endB, '@@end')}.\n`
        : `\nThe logs agree on all ${plural(n, 'action')}, but their final states differ (@@end a: ${endA}, b: ${endB}).\n`
      const stateDifferences = diffStates(a.end!.state, b.end!.state)
      out += differences('state differences at @@end (a → b)', stateDifferences)
      return done(EXIT_FAIL, n, { at: 'end', stateDifferences: sides(stateDifferences), hashes: { a: endA, b: endB } })
    }
    if (only) {
      out += `\nThe logs agree on the ${plural(n, 'action')} both hold${hashesComparable ? ' and the states they led to' : ''}; the others are in one log only.\n`
      return done(EXIT_FAIL, n, { at: 'missing', onlyA: only.a, onlyB: only.b })
    }
    // With hashes, steps agree on their action types and resulting states: say when the actions themselves differ.
    let other = 0
    if (hashesComparable) for (let k = 0; k < n; k++) if (!sameJson(compared(xs[k]), compared(ys[k]))) other++
    out += hashesComparable
      ? `\nNo difference: the logs agree on all ${plural(n, 'action')}' types and the states they led to${other > 0 ? ` (${other} of them ${other === 1 ? 'carries' : 'carry'} other values, to the same effect)` : ''}.\n`
      : `\nNo difference: the logs agree on all ${plural(n, 'action')}.\n`
    return done(EXIT_OK, n, null)
  }

  out += i === 0 ? '\nThe logs differ from their first action on.\n' : `\nThe logs agree on the first ${plural(i, 'action')}.\n`
  if (i === n) {
    const [longer, name, other] = xs.length > ys.length ? ([xs, 'a', 'b'] as const) : ([ys, 'b', 'a'] as const)
    out += `Then ${other} ends; ${name} goes on with ${plural(longer.length - n, 'more action')}, starting at ${describeEntry(longer[n])}.\n`
    return done(EXIT_FAIL, n, { at: 'length', longer: name, more: longer.length - n, next: entryJson(longer[n]) })
  }
  const x = xs[i]
  const y = ys[i]
  out += `They differ at action ${i + 1}: ${reason}.\n`
  out += `  a: ${describeEntry(x)}\n`
  out += `  b: ${describeEntry(y)}\n`
  const actionDifferences = x.kind === y.kind ? diffStates(compared(x), compared(y)) : []
  out += differences('action differences (a → b)', actionDifferences)
  let replayed: { stateDifferences: SideDifference[] } | { error: string } | undefined
  if (store) {
    const sa = stateAfter(a, x.seq, store.options)
    const sb = stateAfter(b, y.seq, store.options)
    if (sa.error || sb.error) {
      replayed = { error: (sa.error ?? sb.error)! }
      out += `  (could not replay to this step: ${sa.error ?? sb.error})\n`
    } else {
      const diffs = diffStates(sa.state, sb.state)
      replayed = { stateDifferences: sides(diffs) }
      out +=
        diffs.length > 0
          ? differences(`replayed states after this step (a → b)`, diffs)
          : '  replayed on the store module, both steps lead to the same state.\n'
    }
  }
  return done(EXIT_FAIL, i, { at: 'action', index: i + 1, reason, a: entryJson(x), b: entryJson(y), actionDifferences: sides(actionDifferences), ...(replayed ? { replayed } : {}) })
}

function stateAfter(recording: Recording, seq: number, options: Parameters<typeof replay>[1]): { state?: unknown; error?: string } {
  try {
    const result = replay(recording, { ...options, until: seq })
    if (result.divergence?.error) return { error: `${result.divergence.error.name}: ${result.divergence.error.message}` }
    return { state: result.state }
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) }
  }
}
