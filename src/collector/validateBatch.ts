/**
 * Strict validation of one batch as `httpSink` sends it: JSONL lines, each a complete format-1 line,
 * whose seq span is exactly the `from`–`to` the request names (the header line counts as
 * `from_seq - 1`). Nothing of a batch is stored unless every line passes.
 */

/** What the collector keeps of a session's header for listing and filtering. */
export interface HeaderSummary {
  ts: string
  meta: Record<string, string>
  from_seq: number
  hash_alg: string
}

export interface ValidBatch {
  /** The header line's summary, when the batch holds the header. */
  header: HeaderSummary | undefined
  /** Whether the batch ends with the session's `@@end` line. */
  ended: boolean
  lines: number
  /**
   * When the header is followed by entries that do not start at its `from_seq` (httpSink gave up
   * the chunk in between and carried the header on): where the entries start in the text, and
   * their first seq. The collector stores the header apart, so the span in between is a gap.
   */
  split: { at: number; from: number } | undefined
}

export class BatchError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`[redux-flight-recorder] ${message}`)
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k)
const isSeq = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 1
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string')

/** Keeps quoted input short in messages. */
function preview(text: string): string {
  const t = text.length > 60 ? text.slice(0, 60) + '…' : text
  return JSON.stringify(t)
}

function fail(code: string, line: number, reason: string): never {
  throw new BatchError(code, `Line ${line} of the batch is not a valid log line: ${reason}`)
}

function checkHeader(v: Record<string, unknown>, n: number, session: string): HeaderSummary {
  if (typeof v.v !== 'number' || Math.floor(v.v) !== 1) fail('bad-header', n, `expected format version \`v\` 1. Instead, received: ${JSON.stringify(v.v ?? null)}.`)
  if (v.session !== session) {
    fail('bad-header', n, `the header's \`session\` is ${JSON.stringify(v.session ?? null)}, but the request is for session ${JSON.stringify(session)}.`)
  }
  if (!isSeq(v.from_seq)) fail('bad-header', n, '`from_seq` must be a positive integer.')
  if (v.ts !== undefined && typeof v.ts !== 'string') fail('bad-header', n, '`ts` must be a string.')
  if (v.hash !== undefined && v.hash !== null && typeof v.hash !== 'string') fail('bad-header', n, '`hash` must be a string or null.')
  if (v.hash_alg !== undefined && typeof v.hash_alg !== 'string') fail('bad-header', n, '`hash_alg` must be a string.')
  if (v.meta !== undefined && !(isObject(v.meta) && Object.values(v.meta).every((x) => typeof x === 'string'))) {
    fail('bad-header', n, '`meta` must be an object of strings.')
  }
  if (v.redact !== undefined) {
    const r = v.redact
    if (!isObject(r) || (r.state !== undefined && !isStringArray(r.state)) || (r.actions !== undefined && !isStringArray(r.actions))) {
      fail('bad-header', n, '`redact` must be { state?: string[], actions?: string[] }.')
    }
  }
  if (v.trimmed !== undefined && !(typeof v.trimmed === 'number' && Number.isSafeInteger(v.trimmed) && v.trimmed >= 0)) {
    fail('bad-header', n, '`trimmed` must be a non-negative integer.')
  }
  if (!has(v, 'state')) fail('bad-header', n, 'the header has no `state`.')
  return {
    ts: typeof v.ts === 'string' ? v.ts : '',
    meta: (v.meta as Record<string, string> | undefined) ?? {},
    from_seq: v.from_seq as number,
    hash_alg: (v.hash_alg as string | undefined) ?? 'fr64',
  }
}

function checkEntry(v: Record<string, unknown>, n: number): void {
  if (v.ts !== undefined && typeof v.ts !== 'string') fail('bad-entry', n, '`ts` must be a string.')
  if (v.t !== undefined && typeof v.t !== 'number') fail('bad-entry', n, '`t` must be a number.')
  if (v.turn !== undefined && v.turn !== null && typeof v.turn !== 'string') fail('bad-entry', n, '`turn` must be a string or null.')
  if (v.hash !== undefined && v.hash !== null && typeof v.hash !== 'string') fail('bad-entry', n, '`hash` must be a string or null.')
  if (v.kind !== undefined && typeof v.kind !== 'string') fail('bad-entry', n, '`kind` must be a string.')
  if (has(v, 'action')) {
    if (!isObject(v.action) || !has(v.action, 'type')) fail('bad-action', n, '`action` must be an object with a `type`.')
    if (v.omitted !== undefined && !(Array.isArray(v.omitted) && v.omitted.every((o) => isObject(o) && typeof o.path === 'string' && typeof o.kind === 'string'))) {
      fail('bad-entry', n, '`omitted` must be an array of { path, kind }.')
    }
    return
  }
  const kind = v.kind
  if (typeof kind !== 'string' || !kind.startsWith('@@')) {
    fail('bad-entry', n, `a line without \`action\` must have a \`kind\` starting with @@. Instead, its kind is ${JSON.stringify(kind ?? null)}.`)
  }
  switch (kind) {
    case '@@checkpoint':
      if (!has(v, 'state')) fail('bad-entry', n, 'a @@checkpoint needs `state`.')
      return
    case '@@dropped':
      if (!(typeof v.count === 'number' && Number.isSafeInteger(v.count) && v.count >= 0)) fail('bad-entry', n, 'a @@dropped needs a non-negative integer `count`.')
      return
    case '@@lifecycle':
    case '@@error':
      if (!isObject(v.body)) fail('bad-entry', n, `a ${kind} needs an object \`body\`.`)
      return
    case '@@end':
      if (v.count !== undefined && !(typeof v.count === 'number' && Number.isSafeInteger(v.count) && v.count >= 0)) fail('bad-entry', n, '`count` of @@end must be a non-negative integer.')
      return
    default:
      return
  }
}

/**
 * Checks a batch body line by line. `from` and `to` are the span the request names.
 * Throws `BatchError` with the first problem, naming the line.
 */
export function validateBatch(text: string, session: string, from: number, to: number, maxLineBytes: number): ValidBatch {
  if (text.length === 0) throw new BatchError('empty-batch', 'The batch is empty: expected at least one JSONL line.')
  if (text.charCodeAt(text.length - 1) !== 10) {
    throw new BatchError('partial-line', 'The batch does not end with a newline: its last line was cut short, so nothing of it was stored.')
  }
  let header: HeaderSummary | undefined
  let ended = false
  let last = -1
  let n = 0
  let start = 0
  let split: ValidBatch['split']
  const end = text.length - 1
  while (start <= end) {
    let nl = text.indexOf('\n', start)
    if (nl === -1) nl = text.length
    const line = text.slice(start, nl)
    const at = start
    start = nl + 1
    n++
    if (line.length === 0) fail('blank-line', n, 'it is empty (lines are separated by exactly one \\n).')
    if (line.length > maxLineBytes) fail('line-too-long', n, `it is ${line.length} characters long, over the limit of ${maxLineBytes}.`)
    if (ended) fail('after-end', n, 'nothing may follow the @@end line.')
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (error) {
      fail('bad-json', n, `it is not JSON (${(error as Error).message}): ${preview(line)}.`)
    }
    if (!isObject(value)) fail('bad-line', n, `expected a JSON object. Instead, received: ${preview(line)}.`)
    let seq: number
    if (value.kind === '@@session' && !has(value, 'action')) {
      if (n !== 1) fail('unexpected-header', n, 'a @@session header may only be the first line of a batch.')
      header = checkHeader(value, n, session)
      seq = header.from_seq - 1
    } else {
      if (!isSeq(value.seq)) fail('bad-seq', n, `\`seq\` must be a positive integer. Instead, received: ${JSON.stringify(value.seq ?? null)}.`)
      seq = value.seq
      checkEntry(value, n)
      if (value.kind === '@@end' && !has(value, 'action')) ended = true
    }
    if (n === 1 && seq !== from) {
      throw new BatchError('bad-range', `The batch's first line has seq ${seq}${header ? ' (the header counts as from_seq - 1)' : ''}, but the request says \`from\`=${from}.`)
    }
    if (n > 1 && seq <= last) fail('seq-order', n, `\`seq\` ${seq} does not follow ${last} (lines are duplicated or out of order).`)
    if (n === 2 && header && seq > header.from_seq) split = { at, from: seq }
    last = seq
  }
  if (last !== to) throw new BatchError('bad-range', `The batch's last line has seq ${last}, but the request says \`to\`=${to}.`)
  return { header, ended, lines: n, split }
}
