import { safeString } from '../internal/errorText'
import { FORMAT_VERSION, missingEntries } from './types'
import { positiveOption } from '../internal/numbers'
import { tooLongReason } from '../internal/lineSplitter'
import { RecordingFormatError } from '../errors'
import type { EndEntry, Entry, Recording, RecordingHeader } from 'redux-flight-recorder'

/** What a reader accepts in a header's `redact` lists (docs/FORMAT.md). */
const MAX_REDACT_PATHS = 1000
const MAX_REDACT_PATH_LENGTH = 1024

export interface ParseOptions {
  /**
   * Strict mode throws at the first bad line. Tolerant mode also accepts a truncated last line
   * (a crash mid-write) and notes it in `warnings`.
   * @default true for `parseRecording`, false for files
   */
  strict?: boolean
  /**
   * Longest line accepted, in UTF-16 code units (about bytes for JSON of ASCII).
   * @default 64 MiB
   */
  maxLineBytes?: number
}

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024

export type ParsedLine =
  | { type: 'header'; header: RecordingHeader }
  | { type: 'entry'; entry: Entry }
  | { type: 'end'; end: EndEntry }

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k)
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

/**
 * An action line as the recorder writes it: `{"seq":N,"ts":"…","t":N,"turn":"…"|null,"kind":"…",
 * "action":{…}[,"hash":"…"|null]}`, these keys in this order, no whitespace around them, strings
 * without escapes or control characters (their text is their value), `seq` of at most 15 digits,
 * `t` without exponent. Captures: seq, ts, t, turn (undefined for null), kind, the action's text,
 * hash (a string), `null` (a null hash).
 */
const ACTION_LINE =
  /^\{"seq":([1-9][0-9]{0,14}),"ts":"([^"\\\x00-\x1f]*)","t":(-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?),"turn":(?:"([^"\\\x00-\x1f]*)"|null),"kind":"([^"\\\x00-\x1f]*)","action":(\{[^]*\})(?:,"hash":(?:"([^"\\\x00-\x1f]*)"|(null)))?\}$/

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15]

/**
 * The value of a JSON number without exponent (`-?(0|[1-9][0-9]*)(\.[0-9]+)?`), as JSON.parse
 * reads it. With at most 15 digits, the digits as an integer and the power of ten are exact, and
 * their quotient is rounded once, to the nearest double: the correctly rounded value JSON.parse
 * gives. Longer ones go to Number(), which reads JSON's number syntax the same way.
 */
function decimal(s: string): number {
  const len = s.length
  let i = 0
  const negative = s.charCodeAt(0) === 45
  if (negative) i = 1
  let m = 0
  let digits = 0
  let scale = -1
  for (; i < len; i++) {
    const c = s.charCodeAt(i)
    if (c === 46) scale = 0
    else {
      m = m * 10 + (c - 48)
      digits++
      if (scale >= 0) scale++
    }
  }
  if (digits > 15) return Number(s)
  const v = scale > 0 ? m / POW10[scale] : m
  return negative ? -v : v
}

/**
 * Reads a log one line at a time; `parseRecording`, the streaming readers and `replayStream` all
 * use it, so every reader applies the same rules.
 */
export class LineParser {
  readonly strict: boolean
  readonly maxLineBytes: number
  readonly warnings: string[] = []
  header: RecordingHeader | undefined
  end: EndEntry | undefined
  lineNo = 0
  private lastSeq = 0
  private pending: RecordingFormatError | undefined
  /** Why the pending line is not JSON (`JSON.parse`'s message). */
  private pendingReason = ''
  /** Whether a newline followed the pending line (another line, a blank one, came after it). */
  private pendingEnded = false
  /**
   * Reads action lines as the recorder writes them without `JSON.parse` of the whole line (see
   * `fastEntry`). Off by default: the strings of such entries share the memory of the line they
   * came from, which a caller keeping entries for long (`parseRecording`) should not pay for.
   * @internal
   */
  fast = false

  constructor(options: ParseOptions = {}) {
    positiveOption('maxLineBytes', options.maxLineBytes)
    this.strict = options.strict ?? true
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES
  }

  /** Parses the next line. Returns `undefined` for a blank line. */
  line(text: string): ParsedLine | undefined {
    this.lineNo++
    // A byte order mark before the first line (editors on Windows add one) is not part of the log.
    if (this.lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1)
    if (this.fast && this.header !== undefined && this.end === undefined && this.pending === undefined && text.length <= this.maxLineBytes) {
      const entry = this.fastEntry(text)
      if (entry !== undefined) return { type: 'entry', entry }
    }
    if (text.endsWith('\r')) text = text.slice(0, -1)
    if (text.trim() === '') {
      if (this.pending) this.pendingEnded = true
      return undefined
    }
    if (this.pending) throw this.pending
    const n = this.lineNo
    if (text.length > this.maxLineBytes) {
      return this.fail('line-too-long', n, `it is ${text.length} characters long, over the limit of ${this.maxLineBytes} (\`maxLineBytes\`).`)
    }
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch (error) {
      // A first line that begins as a header does but does not parse: a log cut inside its header.
      const cut = !this.header && text.startsWith('{"kind":"@@session"')
      const err = new RecordingFormatError('bad-json', n, `it is not JSON (${(error as Error).message})${cut ? ': the log is cut short inside its @@session header (an interrupted write or download)' : ''}.`, { cause: error })
      if (!this.strict) {
        // Only the last line may be cut short; we find out when (and if) another line follows.
        this.pending = err
        this.pendingReason = (error as Error).message
        return undefined
      }
      throw err
    }
    if (!isObject(value)) return this.fail('bad-line', n, 'expected a JSON object.')
    if (this.end) return this.fail('after-end', n, 'the log already ended with an @@end line.')
    if (!this.header) {
      this.header = this.readHeader(value, n)
      return { type: 'header', header: this.header }
    }
    if (value.kind === '@@session') return this.fail('unexpected-header', n, 'a second @@session header inside one log.')
    if (value.kind === '@@end' && !has(value, 'action')) {
      const end = this.readEnd(value, n)
      this.end = end
      return { type: 'end', end }
    }
    return { type: 'entry', entry: this.readEntry(value, n) }
  }

  /**
   * `count` empty lines (as many `line('')` calls, at once: a run of them read by `LineSplitter`).
   * @internal
   */
  blankLines(count: number): void {
    this.lineNo += count
    if (this.pending && count > 0) this.pendingEnded = true
  }

  /**
   * The next line is longer than `maxLineBytes`, and its reader stopped before its end (see
   * `LineSplitter`): throws the error `line` would have thrown for it.
   * @internal
   */
  lineTooLong(): never {
    this.lineNo++
    if (this.pending) throw this.pending
    return this.fail('line-too-long', this.lineNo, tooLongReason(this.maxLineBytes))
  }

  /**
   * Call after the last line: a last line that is not JSON becomes a warning (tolerant mode). It
   * was cut short (a crash mid-write) when no newline followed it: `lastLineEnded` says whether
   * one did, for a reader that does not pass the nothing after a last newline on as a line.
   */
  finish(lastLineEnded = false): void {
    // A single unreadable line is not "a log cut short": say what is wrong with it.
    if (this.pending && !this.header) throw this.pending
    if (this.pending) {
      // A line that ends with a newline was written whole: it is not JSON, not cut short. (Both
      // texts are recognised by LAST_LINE_LEFT_OUT, src/format/types.ts.)
      this.warnings.push(
        lastLineEnded || this.pendingEnded
          ? `Line ${this.pending.line} is not valid JSON (${this.pendingReason}); it was left out.`
          : `Line ${this.pending.line} was cut short (the writer stopped mid-line); it was left out.`,
      )
      this.pending = undefined
    }
    if (!this.header) throw new RecordingFormatError('empty', Math.max(this.lineNo, 1), 'the log is empty: expected an @@session header line.')
  }

  private fail(code: string, line: number, reason: string): never {
    throw new RecordingFormatError(code, line, reason)
  }

  private readHeader(v: Record<string, unknown>, n: number): RecordingHeader {
    if (v.kind !== '@@session') {
      // A Redux DevTools export (its `payload`, or a lifted state's `actionsById`/`computedStates`, as
      // `fromDevToolsExport` reads them) is said to be one, with how to convert it.
      const devtools = v.kind === undefined && (typeof v.payload === 'string' || isObject(v.actionsById) || Array.isArray(v.computedStates))
      this.fail(
        'missing-header',
        n,
        `expected the @@session header first. Instead, the first line ${
          devtools
            ? 'looks like a Redux DevTools export: convert it with `flight-recorder convert <file> --from devtools` (or `fromDevToolsExport` from redux-flight-recorder/devtools)'
            : v.kind === undefined
              ? 'has no `kind`: it is not a flight-recorder log line'
              : `has kind ${shownKind(v.kind)}`
        }.`,
      )
    }
    if (typeof v.v !== 'number' || !Number.isFinite(v.v)) this.fail('bad-header', n, 'the header has no numeric format version `v`.')
    if (Math.floor(v.v as number) !== FORMAT_VERSION) {
      this.fail(
        'unsupported-version',
        n,
        `this log is format version ${String(v.v)}; this version of redux-flight-recorder reads version ${FORMAT_VERSION}. Use a version of the package that supports format ${String(v.v)}.`,
      )
    }
    if (typeof v.session !== 'string') this.fail('bad-header', n, 'the header has no `session` string.')
    const fromSeq = v.from_seq === undefined ? 1 : v.from_seq
    if (!isSeq(fromSeq)) this.fail('bad-header', n, '`from_seq` must be a positive integer.')
    if (v.hash !== undefined && v.hash !== null && typeof v.hash !== 'string') this.fail('bad-header', n, '`hash` must be a string or null.')
    // Without `state` replay starts from `undefined` (the reducer's initial state), as a DevTools
    // export without a preloaded state converts; a `hash` beside no state is of a state the log lost.
    if (typeof v.hash === 'string' && !has(v, 'state')) {
      this.fail('bad-header', n, `the header has a \`hash\` but no \`state\` (the state the log starts from, which \`hash\` is the hash of). Write the starting state as \`state\`: only a header without \`hash\` (or with \`"hash":null\`) may leave it out, and replay then starts from the reducer's initial state.`)
    }
    if (v.hash_alg !== undefined && typeof v.hash_alg !== 'string') this.fail('bad-header', n, '`hash_alg` must be a string.')
    if (v.meta !== undefined && !isObject(v.meta)) this.fail('bad-header', n, '`meta` must be an object.')
    const redact = v.redact === undefined ? {} : v.redact
    if (!isObject(redact)) this.fail('bad-header', n, '`redact` must be an object.')
    const r = redact as Record<string, unknown>
    if (r.state !== undefined && !isStringArray(r.state)) this.fail('bad-header', n, '`redact.state` must be an array of strings.')
    if (r.actions !== undefined && !isStringArray(r.actions)) this.fail('bad-header', n, '`redact.actions` must be an array of strings.')
    // Replay applies `redact.state` to every state: a hostile list must not make it run for minutes.
    for (const key of ['state', 'actions'] as const) {
      const paths = r[key] as string[] | undefined
      if (paths !== undefined && (paths.length > MAX_REDACT_PATHS || paths.some((p) => p.length > MAX_REDACT_PATH_LENGTH))) {
        this.fail('bad-header', n, `\`redact.${key}\` holds more than ${MAX_REDACT_PATHS} paths or a path longer than ${MAX_REDACT_PATH_LENGTH} characters: no recorder writes that.`)
      }
    }
    if (v.trimmed !== undefined && !(typeof v.trimmed === 'number' && Number.isSafeInteger(v.trimmed) && v.trimmed >= 0)) {
      this.fail('bad-header', n, '`trimmed` must be a non-negative integer.')
    }
    this.lastSeq = (fromSeq as number) - 1
    const header = {
      ...v,
      kind: '@@session',
      v: v.v as number,
      session: v.session as string,
      ts: typeof v.ts === 'string' ? v.ts : '',
      hash_alg: (v.hash_alg as string | undefined) ?? 'fr64',
      meta: (v.meta as Record<string, string> | undefined) ?? {},
      redact: { state: (r.state as string[] | undefined) ?? [], actions: (r.actions as string[] | undefined) ?? [] },
      from_seq: fromSeq as number,
      state: v.state,
      hash: (v.hash as string | null | undefined) ?? null,
    } satisfies RecordingHeader
    return header
  }

  private checkSeq(seq: unknown, n: number): number {
    if (!isSeq(seq)) this.fail('bad-seq', n, '`seq` must be a positive integer.')
    if (seq <= this.lastSeq) {
      this.fail('seq-order', n, `\`seq\` ${seq} does not follow ${this.lastSeq} (lines are duplicated or out of order).`)
    }
    if (seq > this.lastSeq + 1) {
      this.warnings.push(`${missingEntries(this.lastSeq + 1, seq - 1)} before line ${n} (lost in writing).`)
    }
    this.lastSeq = seq
    return seq
  }

  private readEntry(v: Record<string, unknown>, n: number): Entry {
    const seq = this.checkSeq(v.seq, n)
    if (v.ts !== undefined && typeof v.ts !== 'string') this.fail('bad-entry', n, '`ts` must be a string.')
    if (v.t !== undefined && typeof v.t !== 'number') this.fail('bad-entry', n, '`t` must be a number.')
    if (v.turn !== undefined && v.turn !== null && typeof v.turn !== 'string') this.fail('bad-entry', n, '`turn` must be a string or null.')
    if (v.hash !== undefined && v.hash !== null && typeof v.hash !== 'string') this.fail('bad-entry', n, '`hash` must be a string or null.')
    // The entry is the parsed object itself, completed in place (no copy: this runs once per line).
    // Assigning keys it lacks appends them, as a spread would; `__proto__` stays an own data key.
    const base = v as Record<string, unknown> & { seq: number; ts: string; t: number; turn: string | null }
    base.seq = seq
    if (v.ts === undefined) base.ts = ''
    if (v.t === undefined) base.t = 0
    if (v.turn === undefined) base.turn = null
    if (has(v, 'action')) {
      const action = v.action
      if (!isObject(action) || !has(action, 'type')) this.fail('bad-action', n, '`action` must be an object with a `type`.')
      if (v.omitted !== undefined && !(Array.isArray(v.omitted) && v.omitted.every((o) => isObject(o) && typeof o.path === 'string' && typeof o.kind === 'string'))) {
        this.fail('bad-entry', n, '`omitted` must be an array of { path, kind }.')
      }
      if (v.kind !== undefined && typeof v.kind !== 'string') this.fail('bad-entry', n, '`kind` must be a string.')
      if (v.kind === undefined) base.kind = safeString((action as { type: unknown }).type)
      return base as Entry
    }
    if (typeof v.kind !== 'string') this.fail('bad-entry', n, 'a line without `action` must have a string `kind`.')
    const kind = v.kind as string
    if (!kind.startsWith('@@')) this.fail('bad-entry', n, `kind ${JSON.stringify(kind)} has no \`action\` key (only @@ kinds may omit it).`)
    switch (kind) {
      case '@@checkpoint':
        if (!has(v, 'state')) this.fail('bad-entry', n, 'a @@checkpoint needs `state`.')
        if (v.hash === undefined) base.hash = null
        return base as Entry
      case '@@dropped':
        if (!(typeof v.count === 'number' && Number.isSafeInteger(v.count) && v.count >= 0)) this.fail('bad-entry', n, 'a @@dropped needs a non-negative integer `count`.')
        if (typeof v.reason !== 'string') base.reason = 'unknown'
        return base as Entry
      case '@@mark':
        if (typeof v.label !== 'string') base.label = ''
        return base as Entry
      case '@@lifecycle':
      case '@@error':
        if (!isObject(v.body)) this.fail('bad-entry', n, `a ${kind} needs an object \`body\`.`)
        return base as Entry
      default:
        return base as Entry
    }
  }

  /**
   * The action line the recorder writes, read without `JSON.parse` of the whole line (see
   * `ACTION_LINE`); only the action itself goes through `JSON.parse`. Any other line returns
   * `undefined` before anything is changed, and the full path reads it. For the lines it accepts,
   * the entry is the one the full path gives (same keys in the same order, same values) and `seq`
   * is checked the same way.
   */
  private fastEntry(line: string): Entry | undefined {
    const m = ACTION_LINE.exec(line)
    if (m === null || m[5] === '@@session') return undefined
    // The captured action is one JSON value filling its place exactly; JSON values are
    // self-delimiting, so the line is then exactly this envelope around it, whatever the regular
    // expression matched inside.
    let action: unknown
    try {
      action = JSON.parse(m[6])
    } catch {
      return undefined
    }
    if (!isObject(action) || !has(action, 'type')) return undefined
    const seq = decimal(m[1])
    this.checkSeq(seq, this.lineNo)
    const ts = m[2]
    const t = decimal(m[3])
    const turn = m[4] === undefined ? null : m[4]
    const kind = m[5]
    if (m[7] !== undefined) return { seq, ts, t, turn, kind, action, hash: m[7] } as Entry
    if (m[8] !== undefined) return { seq, ts, t, turn, kind, action, hash: null } as Entry
    return { seq, ts, t, turn, kind, action } as Entry
  }

  private readEnd(v: Record<string, unknown>, n: number): EndEntry {
    const seq = this.checkSeq(v.seq, n)
    const count = typeof v.count === 'number' ? v.count : 0
    const dropped = typeof v.dropped === 'number' ? v.dropped : 0
    if (v.hash !== undefined && v.hash !== null && typeof v.hash !== 'string') this.fail('bad-entry', n, '`hash` must be a string or null.')
    return {
      ...v,
      kind: '@@end',
      seq,
      ts: typeof v.ts === 'string' ? v.ts : '',
      t: typeof v.t === 'number' ? v.t : 0,
      count,
      dropped,
      state: v.state,
      hash: (v.hash as string | null | undefined) ?? null,
    }
  }
}

/**
 * Parses JSONL text into a `Recording`. Strict by default: the first bad line throws a
 * `RecordingFormatError` with its `code` and `line`.
 */
export function parseRecording(text: string, options: ParseOptions = {}): Recording {
  return parseText(text, options, false)
}

/**
 * Gives every line of `text` to `parser` and what each one yields to `each` (without splitting the
 * whole text into an array first).
 * @internal
 */
export function eachLine(parser: LineParser, text: string, each: (parsed: ParsedLine) => void): void {
  let start = 0
  const length = text.length
  while (start <= length) {
    let nl = text.indexOf('\n', start)
    if (nl === -1) nl = length
    const parsed = parser.line(text.slice(start, nl))
    start = nl + 1
    if (parsed !== undefined) each(parsed)
  }
}

/**
 * `parseRecording`, optionally with the parser's fast path for action lines (for callers that drop
 * the entries soon, such as `replay`).
 * @internal
 */
export function parseText(text: string, options: ParseOptions, fast: boolean): Recording {
  if (typeof text !== 'string') {
    throw new TypeError(`[redux-flight-recorder] Expected the recording to be JSONL text. Instead, received: ${text === null ? 'null' : typeof text}.`)
  }
  const parser = new LineParser(options)
  parser.fast = fast
  const entries: Entry[] = []
  eachLine(parser, text, (parsed) => {
    if (parsed.type === 'entry') entries.push(parsed.entry)
  })
  parser.finish()
  const recording: Recording = { header: parser.header!, entries, warnings: parser.warnings }
  if (parser.end) recording.end = parser.end
  return recording
}

/** A first line's `kind` in a message: its JSON, cut; one nested too deeply for JSON says so. */
function shownKind(kind: unknown): string {
  try {
    const text = JSON.stringify(kind) ?? String(kind)
    return text.length > 80 ? text.slice(0, 79) + '…' : text
  } catch {
    return '(a value JSON cannot show)'
  }
}
