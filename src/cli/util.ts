import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs'
import { fileByteStream, gzipFault, gzipFaultMessage, gzipFaultOf } from '../internal/gzipFile'
import { cutFileWarnings, hasCutLine } from '../internal/gzipCut'
import { rotatedPath, rotationOf } from '../internal/rotatedPath'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { EndEntry, Entry, Recording } from 'redux-flight-recorder'
import { LineParser, type ReplayOptions } from 'redux-flight-recorder/replay'
import { StringDecoder } from 'node:string_decoder'
// The CLI is one bundle of its own (dist/cli.js, not an entry): its copy of the splitter is inside it.
import { LineSplitter, splitLines, type LineTarget } from '../internal/lineSplitter'
import { describe, jsonLine } from '../internal/describe'
import { REDACTED_REHASH_HINT, REHASH_HINT } from '../replay/hints'

/** Exit codes: 0 ok, 1 the check failed (divergence, difference), 2 unusable input or usage. */
export const EXIT_OK = 0
export const EXIT_FAIL = 1
export const EXIT_USAGE = 2

/** An error the command line prints as one line (never a stack trace) before exiting. */
export class CliError extends Error {
  readonly exitCode: number
  constructor(message: string, exitCode = EXIT_USAGE) {
    super(message)
    this.exitCode = exitCode
  }
}

export interface Io {
  out: (text: string) => void
  err: (text: string) => void
  /** Whether stderr is a terminal (progress bars go there). */
  tty: boolean
  columns: number
  cwd: string
}

/**
 * Text for a terminal: control characters from a log (ESC, BEL, a carriage return, C1 codes) are
 * shown as `\u001b` and the like instead of acting on the terminal (clearing it, printing over
 * a line). JSON text stays equivalent: raw control characters only occur inside its strings,
 * where `\u00XX` means the same. `progress`: the progress bar's own `\r` (leading) and erase-line
 * sequence pass.
 */
export function terminalSafe(text: string, progress = false): string {
  return text.replace(/\x1b\[2K|[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c, at: number) =>
    progress && (c === '\x1b[2K' || (c === '\r' && at === 0)) ? c : c.length > 1 ? '\\u001b' + c.slice(1) : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'),
  )
}

/** One line: the package prefix and newlines go, so the message fits a terminal line. */
export function oneLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.replace(/^\[redux-flight-recorder\]\s*/, '').replace(/\s*\n\s*/g, ' ').trim()
}

export function parse<T extends ParseArgsConfig['options']>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options: { help: { type: 'boolean', short: 'h' }, ...options }, allowPositionals: true, strict: true })
  } catch (error) {
    // Node's own text goes on about positionals after '--', with a quote it never closes: its first sentence says it all.
    const text = (error as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? oneLine(error).replace(/(Unknown option '[^']*'\.).*/, '$1') : oneLine(error)
    throw new CliError(`${text}\n${usage}`)
  }
}

export function display(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel && !rel.startsWith('..') ? rel : path
}

/** Checks that a file exists and is a file; one clear line otherwise. */
/**
 * `fileSink` writes a new file as `<path>.<pid>.tmp` and renames it once its first write is done:
 * a process killed during that write leaves only the temporary file, named here.
 */
function unfinished(abs: string, cwd: string): string {
  try {
    const base = basename(abs)
    const found = readdirSync(dirname(abs)).filter((f) => f.startsWith(base + '.') && /^\.\d+\.tmp$/.test(f.slice(base.length)))
    if (found.length === 0) return ''
    return `; ${display(join(dirname(abs), found[0]), cwd)} is there: fileSink's first write to it, unfinished (the process ended before it was done). It reads as a log cut short.`
  } catch {
    return ''
  }
}

export function existingFile(path: string, cwd: string, what = 'file'): { path: string; size: number } {
  const abs = resolve(cwd, path)
  let size: number
  try {
    const st = statSync(abs)
    if (st.isDirectory()) throw new CliError(`${display(abs, cwd)} is a directory, not a ${what}.`)
    size = st.size
  } catch (error) {
    if (error instanceof CliError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new CliError(`No such ${what}: ${path}${unfinished(abs, cwd)}`)
    if (code === 'EACCES' || code === 'EPERM') throw new CliError(`Cannot read ${path}: permission denied.`)
    throw new CliError(`Cannot read ${path}: ${oneLine(error)}`)
  }
  return { path: abs, size }
}

/**
 * The bytes of a file, streamed, with the bytes of it read so far (for progress). A gzip file is
 * decompressed as it is read (progress counts its compressed bytes).
 */
async function* fileChunks(path: string, progress?: (bytes: number) => void): AsyncGenerator<Buffer> {
  let opened: Awaited<ReturnType<typeof fileByteStream>>
  try {
    opened = await fileByteStream(path)
  } catch (error) {
    throw new CliError(`Cannot read ${path}: ${oneLine(error)}`)
  }
  const { stream, source } = opened
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      yield chunk
      progress?.(source.bytesRead)
    }
  } catch (error) {
    // A damaged .gz file's error is said of the file by the caller (`gzipReadError`), as it is shown.
    if (gzipFaultOf(error)) throw error
    throw new CliError(`Cannot read ${path}: ${oneLine(error)}`)
  } finally {
    stream.destroy()
  }
}

/**
 * For an error reading the log at `path` (a .gz file): one line saying the file is damaged, or cut
 * off before its first line was whole, instead of what that read as (zlib's own words, a line that
 * is not JSON, an empty log); `undefined` for any other error or file.
 */
export async function gzipReadError(path: string, shown: string, error: unknown): Promise<CliError | undefined> {
  if (error instanceof CliError) return undefined
  const fault = gzipFaultOf(error) ?? (error instanceof Error && typeof (error as { code?: unknown }).code === 'string' ? await gzipFault(path) : undefined)
  const firstLine = (error as { code?: unknown }).code === 'empty' || (error as { line?: unknown }).line === 1
  return fault === 'damaged' || (fault === 'cut-off' && firstLine) ? new CliError(gzipFaultMessage(shown, fault)) : undefined
}

/**
 * Splits a file's text into lines as `LineSplitter` does (bounded by `maxLineBytes`, a run of
 * empty lines at once) for `target`.
 */
async function splitFile(path: string, target: LineTarget, max: number, progress?: (bytes: number) => void): Promise<{ lastLineEnded: boolean }> {
  const splitter = new LineSplitter(max, target)
  const decoder = new StringDecoder('utf8')
  for await (const chunk of fileChunks(path, progress)) if (!splitter.push(decoder.write(chunk))) return splitter
  if (splitter.push(decoder.end())) splitter.end()
  return splitter
}

/**
 * The lines of a file with the bytes of it read so far (for progress), streamed. A run of empty
 * lines comes as one item of newlines, each of which separates two of them (an item holding
 * newlines is several whole lines, as `replayStream` reads it). A line over `max` characters
 * (`maxLineBytes`) throws `line-too-long` as soon as it passes the limit: the rest of it is not
 * read. A gzip file is decompressed as it is read (progress counts its compressed bytes).
 */
export async function* fileLines(path: string, progress?: (bytes: number) => void, max = new LineParser().maxLineBytes): AsyncGenerator<string> {
  const ended = yield* splitLines(fileChunks(path, progress), new StringDecoder('utf8'), max, (count) => ['\n'.repeat(count - 1)])
  // The nothing after a last newline, as splitting the text gives it: the parser then knows the
  // last line was written whole.
  if (ended) yield ''
}

/**
 * The error for a file whose first line is not JSON: a log cut short inside its header (a header
 * begins `{"kind":"@@session"`; a large state makes it the longest line) is said to be one.
 */
export async function notALog(path: string, shown: string): Promise<CliError> {
  let first = ''
  try {
    for await (const line of fileLines(path)) {
      first = line
      break
    }
  } catch {
    // unreadable now: the plain message
  }
  return new CliError(
    first.startsWith('{"kind":"@@session"')
      ? `${shown} is cut short inside its first line, the @@session header (the file ends there: an interrupted write or download), so it holds no entry to read.`
      : `${shown} is not a flight-recorder log: its first line is not JSON.`,
  )
}

/**
 * Whether `path` is gzip whose compressed data ends early (a download or copy interrupted): every
 * reader decompresses tolerantly, so such a file reads as a log cut short, which readers would
 * blame on the recorder. Decompressed again here, strictly (no output kept); callers ask only when
 * the log looks cut (a last line cut short, no `@@end`).
 */
async function gzipCutOff(path: string): Promise<boolean> {
  return (await gzipFault(path)) === 'cut-off'
}

/**
 * A log read from `path` that looks cut (a last line cut short, or `ended` false: no `@@end`),
 * checked for a .gz file cut off (`gzipCutOff`): whether it is, whether its last line was cut, and
 * the reader's `warnings` with a line cut short said of the file instead of the writer.
 */
export async function checkGzipCut(path: string, shown: string, warnings: string[], ended: boolean): Promise<{ cut: boolean; cutLine: boolean; warnings: string[] }> {
  const cutLine = hasCutLine(warnings)
  const cut = (cutLine || !ended) && (await gzipCutOff(path))
  return { cut, cutLine, warnings: cut ? cutFileWarnings(warnings, shown) : warnings }
}

/** A path or name as one shell word (quoted when it needs to be), for a command line to copy. */
export function shellArg(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

/** A divergence report's rehash line (`REHASH_HINT`, `REDACTED_REHASH_HINT`) with the log and the store module in place of its placeholders (`log` undefined: kept). */
export function fillRehashLine(line: string, log: string | undefined, store: string): string {
  return line === REHASH_HINT || line === REDACTED_REHASH_HINT ? line.replace('rehash <log> --store <module>', `rehash ${log === undefined ? '<log>' : shellArg(log)} --store ${shellArg(store)}`) : line
}

/**
 * For a reader's error of a second `@@session` header (two logs in one file: `cat a.jsonl b.jsonl`),
 * where the second begins and how to split the file there; '' for any other error.
 */
export async function secondSession(error: unknown, path: string): Promise<string> {
  // (Read again only for these errors: the line the reader stopped at.)
  const at = (error as { code?: string; line?: unknown }).line
  // A second header, or one after the first log's @@end (a closed recording: `after-end`).
  if (!['unexpected-header', 'after-end'].includes(String((error as { code?: string }).code)) || typeof at !== 'number') return ''
  let header: { kind?: unknown; session?: unknown } | undefined
  let n = 0
  try {
    for await (const item of fileLines(path)) {
      // A run of empty lines is one item of newlines, each of which separates two lines.
      n += item !== '' && item.trim() === '' ? item.length + 1 : 1
      if (n === at) {
        header = JSON.parse(item) as typeof header
        break
      }
      if (n > at) break
    }
  } catch {
    // the line number alone
  }
  if (header?.kind !== '@@session') return ''
  const id = typeof header.session === 'string' ? ` (the header of session ${header.session})` : ''
  return ` The file holds two logs: a second session begins at line ${at}${id}; split the file there (head -n ${at - 1} and tail -n +${at}) and read each log on its own.`
}

export interface ScannedLog {
  header: Recording['header']
  end: EndEntry | undefined
  warnings: string[]
  lines: number
  /** A .gz file whose compressed data ends early (`gzipCutOff`): its warnings say so. */
  gzipCut: boolean
  /**
   * Whether the `@@end` line holds a number as `count` (the reader takes it as 0 otherwise: a
   * hand-made log may leave it out, and "0 actions in the session" would be the reader's, not the log's).
   */
  endCount: boolean
  /** The same for its `dropped`. */
  endDropped: boolean
}

/** Streams a log through the tolerant parser, calling `onEntry` for every entry (with its line number in the file). */
export async function scanLog(path: string, shown: string, onEntry: (entry: Entry, line: number) => void): Promise<ScannedLog> {
  const parser = new LineParser({ strict: false })
  let lines = 0
  let lastSeq: number | undefined
  let endCount = false
  let endDropped = false
  try {
    const split = await splitFile(
      path,
      {
        line: (text) => {
          lines++
          const parsed = parser.line(text)
          if (parsed?.type === 'entry') {
            lastSeq = parsed.entry.seq
            onEntry(parsed.entry, lines)
          } else if (parsed?.type === 'end') {
            // A 0 may be the reader's (the key missing): the line is read again only then.
            const given = (value: number, key: string) => value !== 0 || (text.includes(`"${key}"`) && hasNumber(text, key))
            endCount = given(parsed.end.count, 'count')
            endDropped = given(parsed.end.dropped, 'dropped')
          }
          return true
        },
        blank: (count) => {
          lines += count
          parser.blankLines(count)
        },
        tooLong: () => {
          lines++
          return parser.lineTooLong()
        },
      },
      parser.maxLineBytes,
    )
    parser.finish(split.lastLineEnded)
  } catch (error) {
    const gzip = await gzipReadError(path, shown, error)
    if (gzip) throw gzip
    if (error instanceof CliError) throw error
    if (!parser.header && ['empty', 'bad-json'].includes(String((error as { code?: string }).code)) && lines > 0) {
      // No header yet and the first line is not JSON (tolerant reading takes a lone bad line for
      // a cut-short last line): the file is not a log, or one cut inside its header.
      throw await notALog(path, shown)
    }
    throw await unusableLog(shown, path, error)
  }
  // A .gz cut off reads as a log cut short: said of the file, not of the recorder.
  const { cut: gzipCut, cutLine, warnings } = await checkGzipCut(path, shown, parser.warnings, parser.end !== undefined)
  if (gzipCut && !cutLine) warnings.push(`${shown} is cut short: its compressed data ends early (a truncated .gz file, e.g. an interrupted download), at the end of a line; whatever followed ${lastSeq === undefined ? 'the header' : `seq ${lastSeq}`} is not in it.`)
  return { header: parser.header!, end: parser.end, warnings, lines, gzipCut, endCount, endDropped }
}

/** Whether the JSON object on `line` has a number as `key`. */
function hasNumber(line: string, key: string): boolean {
  try {
    return typeof (JSON.parse(line) as Record<string, unknown>)[key] === 'number'
  } catch {
    return false
  }
}

/** The one line for a file the log reader refused (`error`): what it said, of this file. */
export async function unusableLog(shown: string, path: string, error: unknown): Promise<CliError> {
  // (The reader's convert command names `<file>`: here it is this one.)
  const message = oneLine(error).replace('flight-recorder convert <file> ', `flight-recorder convert ${shellArg(shown)} `)
  return new CliError(`${shown} is not a usable flight-recorder log: ${message}${await secondSession(error, path)}`)
}

/** Reads a whole log (tolerant, like every file reader); one clear line when it is not a log. */
export async function readLog(path: string, shown: string): Promise<Recording> {
  const entries: Entry[] = []
  const scanned = await scanLog(path, shown, (e) => entries.push(e))
  const recording: Recording = { header: scanned.header, entries, warnings: scanned.warnings }
  if (scanned.end) recording.end = scanned.end
  return recording
}

export const TS_EXTENSIONS = /\.(?:ts|mts|cts|tsx)$/

/** Option names a store module may export, passed on to replay. */
export const STORE_EXPORTS = ['reducer', 'createStore', 'hash', 'serializeState', 'adapters', 'onNonRecordable', 'onReplaceReducer'] as const

export interface StoreModule {
  path: string
  options: ReplayOptions
  /** Which names it exports (for scaffold-test): named, or properties of the default export. */
  names: string[]
  viaDefault: boolean
}

/**
 * A module the store module imports as `./todos.js` is missing, but `todos.ts` is there (the
 * getting-started layout): Node needs a loader for it. The hint, or ''.
 */
function typeScriptBeside(error: unknown, command: string): string {
  if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') return ''
  const missing = /Cannot find module '([^']+)\.(?:m?js)'/.exec(String((error as Error).message))?.[1]
  const ts = missing === undefined ? undefined : ['.ts', '.mts', '.tsx'].map((ext) => missing + ext).find((f) => existsSync(f))
  return ts === undefined ? '' : ` (${basename(ts)} is there: it is TypeScript, which Node cannot import by itself; run the command through a loader: NODE_OPTIONS="--import tsx" flight-recorder ${command} …)`
}

/** Imports the `--store` module: JavaScript exporting `reducer` or `createStore`. */
export async function loadStoreModule(spec: string | undefined, cwd: string, command: string): Promise<StoreModule> {
  if (!spec) throw new CliError(`\`${command}\` needs --store <module>: a JavaScript module that exports \`reducer\` or \`createStore\`.`)
  const { path } = existingFile(spec, cwd, 'store module')
  let mod: Record<string, unknown>
  try {
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (error) {
    const code = (error as { code?: string }).code
    if (TS_EXTENSIONS.test(path) && (code === 'ERR_UNKNOWN_FILE_EXTENSION' || code === 'ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING')) {
      throw new CliError(
        `${spec} is TypeScript, which Node cannot import by itself. Compile it to JavaScript, or run the command through a loader: NODE_OPTIONS="--import tsx" flight-recorder ${command} … (npm i -D tsx).`,
      )
    }
    throw new CliError(`Cannot load the store module ${spec}: ${oneLine(error)}${typeScriptBeside(error, command)}`)
  }
  let source: Record<string, unknown> = mod
  let viaDefault = false
  const hasStore = (o: Record<string, unknown>) => typeof o.reducer === 'function' || typeof o.createStore === 'function'
  if (!hasStore(mod) && mod.default && typeof mod.default === 'object' && hasStore(mod.default as Record<string, unknown>)) {
    source = mod.default as Record<string, unknown>
    viaDefault = true
  }
  if (!hasStore(source)) {
    // `reducer` or `createStore` exported, but not as a function.
    const wrong = (['reducer', 'createStore'] as const).find((name) => source[name] !== undefined)
    if (wrong) {
      throw new CliError(
        `The store module ${spec} exports \`${wrong}\`, but it is ${describe(source[wrong])}, not a function. Export the ${wrong === 'reducer' ? 'root reducer function (`export const reducer = combineReducers({ … })`)' : 'function that builds the store (`export function createStore(preloadedState) { … }`)'}.`,
      )
    }
    // A root reducer under another name (`rootReducer`, `todosReducer`): name the one-line fix.
    // (A module's names come sorted: with several, `rootReducer` first, and every one named.)
    const others = Object.keys(source).filter((name) => /reducer$/i.test(name) && typeof source[name] === 'function')
    const other = others.includes('rootReducer') ? 'rootReducer' : others[0]
    // As a TypeScript module imports another: by its .js name (what tsc's node16/nodenext requires).
    const file = `./${basename(path).replace(/\.(m|c)?tsx?$/, (_, m: string | undefined) => `.${m ?? ''}js`)}`
    throw new CliError(
      `The store module ${spec} exports neither \`reducer\` nor \`createStore\`` +
        (other
          ? others.length > 1
            ? ` (it exports ${others.map((name) => `\`${name}\``).join(', ')}). Re-export the one the log was recorded with as \`reducer\`, for instance in a module beside it: export { ${other} as reducer } from '${file}'`
            : ` (it exports \`${other}\`). Re-export it as \`reducer\`, for instance in a module beside it: export { ${other} as reducer } from '${file}'`
          : `. Export the root reducer (\`export const reducer = …\`) or \`export function createStore(preloadedState) { … }\`.`),
    )
  }
  const options: Record<string, unknown> = {}
  const names: string[] = []
  for (const name of STORE_EXPORTS) {
    if (source[name] !== undefined) {
      options[name] = source[name]
      names.push(name)
    }
  }
  // With both, replay into the reducer alone: no middleware, so no side effects.
  if (typeof options.createStore === 'function' && typeof options.reducer === 'function') delete options.createStore
  return { path, options: options as ReplayOptions, names, viaDefault }
}

/** Refuses to write over an existing file unless `--force` was given (rehash, scaffold-test, shrink, convert). */
export function refuseOverwrite(out: string, force: boolean | undefined, cwd: string, input?: string): void {
  if (force || !existsSync(out)) return
  throw new CliError(`${display(out, cwd)} exists${out === input ? ' (it is the input)' : ''}; pass --force to overwrite it.`)
}

export { plural } from '../internal/plural'

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '?'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`
  const m = Math.floor(ms / 60_000)
  const s = Math.round((ms % 60_000) / 1000)
  return `${m} min ${s} s`
}

/** A value shortened for one line. */
export const short = (value: unknown, max = 100): string => jsonLine(value, max, 'undefined')

/**
 * One status line on stderr (callers create it only on a terminal): a bar and some text, redrawn
 * at most every 100 ms.
 */
export class StatusBar {
  private last = 0
  private drawn = false
  constructor(
    private readonly io: Io,
    private readonly maxWidth: number,
  ) {}

  /** Draws the bar filled to `ratio` (0–1) followed by `info`; skipped when drawn <100 ms ago. */
  draw(ratio: number, info: string, force = false): void {
    const now = Date.now()
    if (!force && now - this.last < 100) return
    this.last = now
    const width = Math.max(10, Math.min(this.maxWidth, this.io.columns - info.length - 3))
    const filled = Math.round(Math.min(1, Math.max(0, ratio)) * width)
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${info}`
    this.io.err(`\r${line.slice(0, Math.max(1, this.io.columns - 1))}`)
    this.drawn = true
  }

  clear(): void {
    if (this.drawn) this.io.err('\r\x1b[2K')
    this.drawn = false
  }
}

/**
 * The file a rotated session goes on in after `path` (`fileSink`'s `maxFileBytes`: `s.jsonl`,
 * `s.1.jsonl`, `s.2.jsonl`, …), when it exists and its header continues this log (the same
 * session, `from_seq` right after `lastSeq`); shown relative to `cwd`. Only the start of its
 * header is read (`from_seq` comes before the state).
 */
export function rotatedContinuation(path: string, session: string, lastSeq: number | null, cwd: string): string | undefined {
  if (lastSeq === null) return undefined
  const { base, index } = rotationOf(path)
  const next = rotatedPath(base, index + 1)
  let head = ''
  try {
    const fd = openSync(next, 'r')
    try {
      const buf = Buffer.alloc(64 * 1024)
      head = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8')
    } finally {
      closeSync(fd)
    }
  } catch {
    return undefined
  }
  const s = /^\{"kind":"@@session","v":\d+,"session":("(?:[^"\\]|\\.)*")/.exec(head)
  const from = /"from_seq":(\d+)/.exec(head)
  if (!s || !from || JSON.parse(s[1]) !== session || Number(from[1]) !== lastSeq + 1) return undefined
  return display(next, cwd)
}
