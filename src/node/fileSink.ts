import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  statSync,
  unlinkSync,
  writev as fsWritev,
  writevSync as fsWritevSync,
  writeSync as fsWriteSync,
} from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { basename, dirname, extname, join, resolve } from 'node:path'
import { escapeRegExp } from '../internal/escapeRegExp'
import type { FlightRecorder, Sink, SinkContext } from 'redux-flight-recorder'
import { recordProcessLifecycle, type ProcessLifecycleOptions } from './processLifecycle'
import { followLinks } from '../internal/followLinks'
import { lineSeq } from '../internal/lineSeq'
import { rotatedPath } from '../internal/rotatedPath'
import { partsOf } from '../internal/lineParts'
import { carriedCount, droppedSeq, reportLoss } from '../internal/ownDropped'
import { inSlice } from '../slices'
import { realSetTimeout } from '../internal/realTimers'
import { positiveOption } from '../internal/numbers'
import { describe } from '../internal/describe'
import { errorMessage } from '../internal/errorText'

export interface FileSinkOptions {
  /**
   * Start a new file when the current one would grow past this many bytes. Each new file starts
   * with a header whose `state` is the state before its first entry, so it replays on its own.
   * Files are named `session.jsonl`, `session.1.jsonl`, `session.2.jsonl`, … A file only grows past
   * the limit when a single flush is larger than it, when its header's and `@@end`'s full states
   * alone are (each holds the whole state), or on the synchronous flush at exit.
   * @default no rotation
   */
  maxFileBytes?: number
  /**
   * With `maxFileBytes`: keep at most this many files of the session, deleting the oldest. The
   * oldest is at first the path given (`session.jsonl`): the newest file has the highest number, as
   * winston's file transport numbers them; `sink.path` names the file being written.
   * @default no limit
   */
  maxFiles?: number
  /**
   * Calls `recordProcessLifecycle(recorder)` when the recorder starts: signals and uncaught
   * exceptions are recorded and the log is flushed synchronously before the process ends. `false`
   * turns it off (the file is still flushed synchronously on `exit`); an object passes options.
   * @default true
   */
  processLifecycle?: boolean | ProcessLifecycleOptions
  /**
   * After a failed write the next attempt waits `minDelayMs`, doubling up to `maxDelayMs`. The
   * lines stay queued meanwhile (bounded by the recorder's `sinkQueueBytes`).
   * @default { minDelayMs: 250, maxDelayMs: 5000 }
   */
  retry?: { minDelayMs?: number; maxDelayMs?: number }
}

export interface FileSink extends Sink {
  /** The file being written now (after the recorder starts, with `{session}` etc. filled in). */
  readonly path: string
  /** Every file this sink has created in this session, oldest first (minus those `maxFiles` deleted). */
  readonly files: readonly string[]
}

interface Op {
  path: string
  /** Create (or truncate) the file instead of writing at `pos`. */
  create: boolean
  /** The header line (with its newline) or `''`, then the lines, each written with a newline. */
  header: string
  body: readonly string[]
  /** Lines of `body` in parts (src/internal/lineParts.ts), written part by part. */
  parts: ReadonlyMap<number, readonly string[]> | undefined
  lines: number
  /** Bytes written, once written. */
  bytes: number
  /**
   * Bytes an append (a pipe, a device: no position) has handed to the system so far: a synchronous
   * flush that takes over writes only what follows, since appending them again would put them in
   * the log twice.
   */
  sent: number
  done: boolean
}

/**
 * Characters encoded per piece: a write of a large batch (a 10 MB checkpoint line) is encoded
 * and written piece by piece, one piece per task, instead of one long task for the whole batch.
 */
const PIECE = 1 << 20
/** Bytes of the buffer short lines are written into (grown for a longer one). */
const BUFFER_BYTES = 64 * 1024
/**
 * A write system call takes the pieces of short lines encoded in one go, up to this many bytes
 * (~4-8 ms of encoding). Each system call ends in a turn of the event loop; a process that turns it
 * seldom (a batch job yielding every 200 ms) wrote a 64 KB piece per turn and fell behind its own
 * log (a third of a 250,000-action session dropped from a full queue).
 */
const GROUP_BYTES = 4 << 20

const FRESH_FILE = 'fresh-file'

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z').replace(/[-:]/g, '')
}


function errnoCode(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return typeof code === 'string' ? code : undefined
}



function headerFromSeq(header: string): number | undefined {
  const m = /"from_seq":(\d+)/.exec(header)
  return m ? Number(m[1]) : undefined
}

/** The base path of each fileSink writing in this process, held weakly: two on one path overwrite each other's log. */
const inUse = new Map<string, WeakRef<FileSinkImpl>>()

class FileSinkImpl implements FileSink {
  private readonly template: string
  private readonly maxFileBytes: number | undefined
  private readonly maxFiles: number | undefined
  private readonly lifecycle: boolean | ProcessLifecycleOptions
  private readonly minDelay: number
  private readonly maxDelay: number

  private ctx: SinkContext | undefined
  private basePath: string
  private current: string
  private readonly written: string[] = []
  private index = 0
  /** Bytes of the current file this sink has written (the file may hold a torn tail beyond). */
  private pos = 0
  /** Lines in the current file. */
  private linesInFile = 0
  /** The next write creates (or truncates) the file. */
  private fresh = true
  /** …and must start it with a header from the recorder (rotation, a vanished file). */
  private needHeader = false
  /** The header computed for a new file whose first write failed, reused for the same lines. */
  private pendingHeader: { forLine: string; header: string } | undefined
  /** The path names standard output (`/dev/stdout`, through links or not): appended to, never replaced. */
  private stdio = false
  /** Whether the file is a regular file (positional writes) or a device, pipe, standard output, … (appends). */
  private regular = true
  private op: Op | undefined
  private failures = 0
  private retryAt = 0
  /** This sink in the shared exit writer's set, held weakly (see `atExit`). */
  private exitRef: WeakRef<FileSinkImpl> | undefined
  private closed = false

  constructor(path: string, options: FileSinkOptions) {
    if (typeof path !== 'string' || path === '') {
      throw new TypeError(`[redux-flight-recorder] Expected \`fileSink\` to receive a file path. Instead, received: ${describe(path)}.`)
    }
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`[redux-flight-recorder] Expected the \`fileSink\` options to be an object. Instead, received: ${describe(options)}.`)
    }
    this.template = resolve(path)
    this.maxFileBytes = positiveOption('maxFileBytes', options.maxFileBytes, 'finite')
    this.maxFiles = positiveOption('maxFiles', options.maxFiles, 'integer')
    const lifecycle = options.processLifecycle ?? true
    if (typeof lifecycle !== 'boolean' && (typeof lifecycle !== 'object' || lifecycle === null)) {
      throw new TypeError(`[redux-flight-recorder] Expected \`processLifecycle\` to be a boolean or options. Instead, received: ${describe(lifecycle)}.`)
    }
    this.lifecycle = lifecycle
    this.minDelay = positiveOption('retry.minDelayMs', options.retry?.minDelayMs, 'finite') ?? 250
    this.maxDelay = Math.max(this.minDelay, positiveOption('retry.maxDelayMs', options.retry?.maxDelayMs, 'finite') ?? 5000)
    this.basePath = this.template
    this.current = this.template
  }

  get path(): string {
    return this.current
  }

  get files(): readonly string[] {
    return this.written.slice()
  }

  attach(ctx: SinkContext, recorder?: FlightRecorder): void {
    // Closed, it has let go of `ctx` (see `close`) but is no one else's either.
    if ((this.ctx || this.closed) && this.ctx !== ctx) {
      throw new Error(`[redux-flight-recorder] This fileSink (${this.template}) already writes another recorder's log. Create one fileSink per recorder.`)
    }
    this.ctx = ctx
    const now = Date.now()
    const named = this.template
      .replace(/\{session\}/g, ctx.session)
      .replace(/\{pid\}/g, String(process.pid))
      .replace(/\{time\}/g, stamp(now))
    // A link to a log file: the file it leads to is the log (replaced, rotated beside, pruned), the
    // link stays; standard output named as a file, through links or not, is appended to.
    const { target, stdio } = followLinks(named)
    this.stdio = stdio
    this.basePath = stdio ? named : target
    this.current = this.basePath
    if (this.lifecycle !== false && recorder) {
      recordProcessLifecycle(recorder, this.lifecycle === true ? {} : this.lifecycle)
    } else {
      // Still never lose the tail on a normal exit.
      atExit((this.exitRef = new WeakRef(this)), true)
    }
    // Another recorder's fileSink on the same path (a recorder per store or per test with one file
    // name): each truncates the file and writes over the other. Said at once (the recorder reports
    // it: `onError`, the console, an `@@error` entry), since the symptoms (a log cut or replaced) do not say why.
    const other = inUse.get(this.basePath)?.deref()
    // (Sinks never closed, a recorder per request with `{session}` paths, leave entries: pruned now and then.)
    if (inUse.size >= 256) for (const [path, ref] of inUse) if (ref.deref()?.closed !== false) inUse.delete(path)
    inUse.set(this.basePath, new WeakRef(this))
    if (other !== undefined && other !== this && !other.closed) {
      throw new Error(
        `Another fileSink in this process writes ${this.basePath} for another recorder: the two logs overwrite each other. Give each recorder its own file, for example fileSink('logs/{session}.jsonl'), or close the other recorder first.`,
      )
    }
  }

  /** The process is exiting: whatever is pending, synchronously. */
  writeAtExit(): void {
    const ctx = this.ctx!
    const lines = ctx.drain()
    try {
      this.writeSync(lines, ctx)
    } catch {
      // The process is ending: the lines are lost, but not in silence (`onError`; the `@@dropped`
      // entry itself can only reach the recorder's other sinks).
      try {
        ctx.reportDropped(lines.length, 'write-failed-at-exit')
      } catch {
        // nothing else can be done
      }
    }
  }

  // ------------------------------------------------------------------ writing

  write(lines: string[], ctx: SinkContext): Promise<void> | void {
    if (lines.length === 0) return
    this.ctx ??= ctx
    const op = this.prepare(lines, ctx, false)
    if (!op) return
    this.op = op
    return this.runAsync(op)
  }

  writeSync(lines: string[], ctx: SinkContext): void {
    this.ctx ??= ctx
    // An asynchronous write still in progress goes first (the same bytes at the same place, so
    // it does not matter whether its own system call lands before or after this one).
    const pending = this.op
    if (pending && !pending.done) {
      this.performSync(pending)
      this.succeeded(pending)
    }
    if (lines.length === 0) return
    const op = this.prepare(lines, ctx, true)
    if (!op) return
    try {
      this.performSync(op)
    } catch (error) {
      this.failed(error)
      throw this.wrap(op, error, false)
    }
    this.succeeded(op)
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (inUse.get(this.basePath)?.deref() === this) inUse.delete(this.basePath)
    if (this.exitRef) atExit(this.exitRef, false)
    this.exitRef = undefined
    // Whatever the final flush could not write: one last synchronous attempt.
    const ctx = this.ctx
    if (!ctx) return
    const left = ctx.drain()
    try {
      if (left.length === 0 && !(this.op && !this.op.done)) return
      this.writeSync(left, ctx)
    } catch (error) {
      throw new Error(
        `[redux-flight-recorder] ${left.length} lines could not be written to ${this.current} when the recorder closed and are lost: ${errorMessage(error)}`,
        { cause: error },
      )
    } finally {
      // Closed, the sink lets go of its recorder: an app that keeps the sink (for `path` or
      // `files`) does not keep the recorder and its store alive.
      this.ctx = undefined
    }
  }

  private prepare(lines: string[], ctx: SinkContext, sync: boolean): Op | undefined {
    let body: readonly string[] = lines
    let parts = partsOf(lines)
    if (!this.fresh && this.maxFileBytes !== undefined && this.regular && !sync && this.linesInFile > 0) {
      let bytes = this.pos
      for (let i = 0; i < lines.length; i++) {
        const inParts = parts?.get(i)
        if (inParts === undefined) bytes += Buffer.byteLength(lines[i]) + 1
        else {
          for (const p of inParts) bytes += Buffer.byteLength(p)
          bytes++
        }
      }
      if (bytes > this.maxFileBytes) this.startNextFile()
    }
    let header = ''
    if (this.fresh && this.needHeader) {
      const first = lines[0]
      header = this.pendingHeader?.forLine === first ? this.pendingHeader.header : ctx.header()
      this.pendingHeader = { forLine: first, header }
      // The recorder describes the state before the first line of the write in progress. Outside
      // one (a synchronous flush) it can only describe the state after everything it handed over:
      // lines before `from_seq` cannot go into this file.
      const from = headerFromSeq(header)
      if (from !== undefined) {
        const kept = lines.filter((l) => {
          const seq = lineSeq(l)
          return seq === undefined || seq >= from
        })
        if (kept.length !== lines.length) {
          body = kept
          parts = undefined
          // The sink's own @@dropped entries among them carry their counts into this report.
          const reports: number[] = []
          for (const l of lines) {
            const seq = droppedSeq(l)
            if (seq > 0 && seq < from) reports.push(seq)
          }
          this.reportLost(ctx, lines.length - kept.length, carriedCount(ctx, reports))
        }
      }
      header += '\n'
    }
    return { path: this.current, create: this.fresh, header, body, parts, lines: body.length, bytes: 0, sent: 0, done: false }
  }

  private reportLost(ctx: SinkContext, count: number, carried: number): void {
    try {
      reportLoss(ctx, count, carried, 'file-replaced')
    } catch {
      // reporting is best effort
    }
  }

  private startNextFile(): void {
    this.index++
    this.current = rotatedPath(this.basePath, this.index)
    this.fresh = true
    this.needHeader = true
    this.pendingHeader = undefined
  }

  private async runAsync(op: Op): Promise<void> {
    try {
      const wait = this.retryAt - Date.now()
      if (wait > 0) await sleep(wait)
      if (op.done) return
      try {
        await this.performAsync(op)
      } catch (error) {
        if (op.done) return
        this.failed(error)
        throw this.wrap(op, error, true)
      }
      if (!op.done) this.succeeded(op)
    } finally {
      if (this.op === op) this.op = undefined
    }
  }

  private wrap(op: Op, error: unknown, retry: boolean): Error {
    const code = errnoCode(error)
    if ((error as { code?: string }).code === FRESH_FILE) return error as Error
    const delay = Math.max(0, this.retryAt - Date.now())
    // A socket (a parent Node process's 'pipe' stdio, systemd's journal) cannot be opened by name.
    const socket = code === 'ENXIO' && this.stdio ? ` It is a socket here, which cannot be opened by name: use \`streamSink(process.${/err|\/2$/.test(this.basePath) ? 'stderr' : 'stdout'})\`.` : ''
    return new Error(
      `Could not write ${op.lines} lines to ${op.path}${code ? ` (${code})` : ''}: ${errorMessage(error)}.${socket}` +
        (retry ? ` They stay queued; the next attempt is in ${delay} ms.` : ''),
      { cause: error },
    )
  }

  private failed(error: unknown): void {
    this.failures++
    this.retryAt = Date.now() + Math.min(this.maxDelay, this.minDelay * 2 ** Math.min(this.failures - 1, 20))
    if ((error as { code?: string }).code === FRESH_FILE) {
      // The file was truncated, replaced or removed by something else: start it again with a
      // header, at once.
      this.retryAt = 0
    }
  }

  private succeeded(op: Op): void {
    op.done = true
    if (op.create) {
      this.fresh = false
      this.needHeader = false
      this.pendingHeader = undefined
      this.pos = 0
      this.linesInFile = 0
      if (!this.written.includes(op.path)) this.written.push(op.path)
      if (this.index === 0 && this.maxFileBytes !== undefined) this.removeStaleRotations()
      this.pruneOldFiles()
    }
    this.pos += op.bytes
    this.linesInFile += op.lines
    this.failures = 0
    this.retryAt = 0
  }

  /** Rotated files an earlier session left at the same path would mix two sessions. */
  private removeStaleRotations(): void {
    const dir = dirname(this.basePath)
    const base = basename(this.basePath)
    const ext = extname(base)
    const stem = ext ? base.slice(0, -ext.length) : base
    let names: string[]
    try {
      names = readdirSync(dir)
    } catch {
      return
    }
    const pattern = new RegExp(`^${escapeRegExp(stem)}\\.\\d+${escapeRegExp(ext)}$`)
    for (const name of names) {
      if (!pattern.test(name)) continue
      try {
        unlinkSync(join(dir, name))
      } catch {
        // not ours to insist on
      }
    }
  }

  private pruneOldFiles(): void {
    if (this.maxFiles === undefined) return
    while (this.written.length > this.maxFiles) {
      const old = this.written.shift()!
      try {
        unlinkSync(old)
      } catch {
        // already gone
      }
    }
  }

  private freshFileNeeded(path: string, why: string): Error {
    this.fresh = true
    this.needHeader = true
    this.pendingHeader = undefined
    this.pos = 0
    this.linesInFile = 0
    const error = new Error(`The log file ${path} ${why}; the next write starts it again with a header.`)
    ;(error as { code?: string }).code = FRESH_FILE
    return error
  }

  /**
   * Writes to a file run asynchronously. Every system call that can still be in flight when the
   * process exits is harmless to the synchronous flush that takes over: opening, `fstat`, and
   * writing the same bytes at the same place. Creating a file and cutting a torn tail happen
   * synchronously. Where there is no place (a pipe, a device, standard output), each group of
   * pieces is appended synchronously, one group per turn (as Node writes `process.stdout` to a pipe
   * on Linux), so no call is in flight at exit and the takeover writes exactly what follows the
   * bytes handed to the system (`sent`). (An asynchronous append still in flight then, held back by
   * a slow reader, was finished among the takeover's writes and tore lines.)
   */
  private async performAsync(op: Op): Promise<void> {
    if (op.create) return this.create(op, true)
    let fh: FileHandle
    try {
      fh = await open(op.path, this.regular ? 'r+' : 'a')
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw this.freshFileNeeded(op.path, 'was removed')
      throw error
    }
    try {
      if (op.done) return
      let at: number | null = null
      if (this.regular) {
        const { size } = await fh.stat()
        if (op.done) return
        if (size < this.pos) throw this.freshFileNeeded(op.path, 'was truncated or replaced')
        // A torn tail from an earlier failed write goes; the same lines are written again.
        if (size > this.pos) ftruncateSync(fh.fd, this.pos)
        at = this.pos
      }
      let off = 0
      const it = pieces(op)
      const big = isBig(op)
      for (let g = await nextGroup(it, big); g.length > 0; g = await nextGroup(it, big)) {
        if (op.done) return
        off += at === null ? appendGroupSync(fh.fd, g, op) : await writeGroupAsync(fh, g, at + off, op)
        if (op.done) return
      }
      op.bytes = off
    } finally {
      await fh.close().catch(() => {})
    }
  }

  private performSync(op: Op): void {
    if (op.create) return void this.create(op, false)
    let fd: number
    try {
      fd = openSync(op.path, this.regular ? 'r+' : 'a')
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') throw this.freshFileNeeded(op.path, 'was removed')
      throw error
    }
    try {
      let at: number | null = null
      if (this.regular) {
        const { size } = fstatSync(fd)
        if (size < this.pos) throw this.freshFileNeeded(op.path, 'was truncated or replaced')
        if (size > this.pos) ftruncateSync(fd, this.pos)
        at = this.pos
      }
      op.bytes = writePiecesSync(fd, op, at)
    } finally {
      closeQuietly(fd)
    }
  }

  /**
   * A new file appears whole: written under a temporary name and renamed, so a crash (even
   * SIGKILL) never leaves an empty file or one without its header. A device or pipe (`/dev/full`),
   * and standard output or error named as a file (`/dev/stdout`, whatever it leads to: a shell's
   * `> out.log` makes it a regular file), are appended to directly. (A symbolic link to a log file
   * was followed when the sink attached: `op.path` is the file it leads to.)
   */
  private create(op: Op, async: boolean): Promise<void> | undefined {
    let special = this.stdio
    try {
      special ||= !statSync(op.path).isFile()
    } catch {
      // does not exist yet
    }
    this.regular = !special
    if (special) {
      const fd = openSync(op.path, 'a')
      try {
        op.bytes = writePiecesSync(fd, op, null)
      } finally {
        closeQuietly(fd)
      }
      return
    }
    const tmp = tempName(op.path)
    let fd: number
    try {
      fd = openSync(tmp, 'w')
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error
      mkdirSync(dirname(op.path), { recursive: true })
      fd = openSync(tmp, 'w')
    }
    const handle = { fd, open: true }
    const fail = (error: unknown) => {
      if (handle.open) closeQuietly(fd)
      try {
        unlinkSync(tmp)
      } catch {
        // already gone
      }
      throw error
    }
    if (async) return this.createInPieces(op, handle, tmp).catch((error) => (op.done ? undefined : fail(error)))
    try {
      op.bytes = writePiecesSync(fd, op, 0)
      handle.open = false
      closeSync(fd)
      renameSync(tmp, op.path)
    } catch (error) {
      fail(error)
    }
  }

  /**
   * The new file's bytes a group of pieces at a time (`nextGroup`), then the rename. Should the
   * synchronous flush (exit, signal) take over meanwhile, it writes the same bytes at the same
   * places and renames the file itself; this stops at the next group.
   */
  private async createInPieces(op: Op, handle: { fd: number; open: boolean }, tmp: string): Promise<void> {
    let off = 0
    const it = pieces(op)
    const big = isBig(op)
    for (let g = await nextGroup(it, big); g.length > 0; g = await nextGroup(it, big)) {
      if (!op.done) off += await writeGroupFd(handle.fd, g, off, op)
      if (op.done) {
        handle.open = false
        return closeQuietly(handle.fd)
      }
    }
    handle.open = false
    closeSync(handle.fd)
    op.bytes = off
    renameSync(tmp, op.path)
  }
}

/**
 * The UTF-8 bytes of `header + body.join('\n') + '\n'` (nothing for no lines), the same bytes as
 * `Buffer.from` of that string, in pieces of about `PIECE` characters: short lines are joined, a
 * longer line is cut, never between the two halves of a surrogate pair. `null` comes before a long
 * line's pieces (no bytes: where a group stops).
 */
function* pieces(op: Op): Generator<Buffer | null> {
  // Lines are written into a buffer as they come (no string of the whole batch to build, flatten
  // and encode: ~3x less CPU for a batch of small action lines); a long one is cut first. A line
  // in parts is written part by part: its text is never flattened into one string.
  let buf: Buffer | undefined
  let off = 0
  let chars = 0
  for (let n = -1; n < op.body.length; n++) {
    const parts = n < 0 ? undefined : op.parts?.get(n)
    const count = parts === undefined ? 1 : parts.length
    for (let k = 0; k < count; k++) {
      let line = parts !== undefined ? parts[k] : n < 0 ? op.header : op.body[n]
      if (line.length >= PIECE) {
        if (buf !== undefined && off > 0) yield buf.subarray(0, off)
        buf = undefined
        // (null: a long line's first piece, slow to make, comes next; `group` stops before it.)
        yield null
        let a = 0
        while (line.length - a >= PIECE) {
          let b = a + PIECE
          const c = line.charCodeAt(b - 1)
          if (c >= 0xd800 && c <= 0xdbff) b--
          yield Buffer.from(line.slice(a, b))
          a = b
        }
        line = line.slice(a)
      }
      // At most 3 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2).
      const need = 3 * line.length + 1
      if (buf !== undefined && (off + need > buf.length || chars + line.length >= PIECE)) {
        yield buf.subarray(0, off)
        buf = undefined
      }
      if (buf === undefined) {
        buf = Buffer.allocUnsafe(Math.max(need, BUFFER_BYTES))
        off = 0
        chars = 0
      }
      off += buf.write(line, off)
      chars += line.length
    }
    // The header comes with its newline.
    if (n >= 0) {
      buf![off++] = 10
      chars++
    }
  }
  if (buf !== undefined && off > 0) yield buf.subarray(0, off)
}

/**
 * The next pieces for one system call (none: the end), encoded in one of the recorder's shared
 * slices (src/slices.ts) when the batch is large: the first piece of a long line flattens the whole
 * string (~30 ms for 10 MB), which then does not run in the same turn as a hashing or JSON slice,
 * nor in the flush tick's own task, and such a piece goes in a group of its own; pieces of short
 * lines (~0.1 ms each) go together, up to `GROUP_BYTES`.
 */
function nextGroup(it: Generator<Buffer | null>, big: boolean): Buffer[] | Promise<Buffer[]> {
  return big ? inSlice(() => group(it)) : group(it)
}

function group(it: Generator<Buffer | null>): Buffer[] {
  const out: Buffer[] = []
  let bytes = 0
  while (bytes < GROUP_BYTES) {
    // A long line's pieces each go alone, in a group (and a slice) of their own: the first one
    // flattens the line (~30 ms for 10 MB), and the pieces of short lines wait for the next group.
    if (out.length > 0 && out[out.length - 1].length > BUFFER_BYTES) break
    const r = it.next()
    if (r.done) break
    if (r.value === null) {
      if (out.length > 0) break
      continue
    }
    out.push(r.value)
    bytes += r.value.length
  }
  return out
}

/** More than one piece's worth of characters. */
function isBig(op: Op): boolean {
  let n = op.header.length
  for (const line of op.body) if ((n += line.length + 1) >= PIECE) return true
  return false
}

/**
 * Writes `op`'s bytes at `at`; returns how many it holds. `null`: appends all but the bytes already
 * handed to the system (`op.sent`), counting what it hands on.
 */
function writePiecesSync(fd: number, op: Op, at: number | null): number {
  const skip = at === null ? op.sent : 0
  let off = 0
  for (const piece of pieces(op)) {
    if (piece === null) continue
    const from = Math.min(Math.max(skip - off, 0), piece.length)
    if (from < piece.length) writeAllSync(fd, from === 0 ? piece : piece.subarray(from), at === null ? null : at + off + from, at === null ? op : undefined)
    off += piece.length
  }
  return off
}

/** The bytes left of `group` after the first `done` of them (a system call that wrote part). */
function rest(group: Buffer[], done: number): Buffer[] {
  let i = 0
  while (i < group.length && done >= group[i].length) done -= group[i++].length
  return i < group.length ? [group[i].subarray(done), ...group.slice(i + 1)] : []
}

function groupBytes(group: Buffer[]): number {
  let n = 0
  for (const b of group) n += b.length
  return n
}

/** Writes every byte of `group` at `at` (one system call unless one writes part); returns how many. */
function writeGroupFd(fd: number, group: Buffer[], at: number, op: Op): Promise<number> {
  const total = groupBytes(group)
  return new Promise((resolve, reject) => {
    const next = (off: number): void => {
      if (off >= total || op.done) return resolve(total)
      fsWritev(fd, off === 0 ? group : rest(group, off), at + off, (error, n) => (error ? reject(error) : next(off + n)))
    }
    next(0)
  })
}

function tempName(path: string): string {
  return `${path}.${process.pid}.tmp`
}

/** As `writeGroupFd`, through a file handle. */
async function writeGroupAsync(fh: FileHandle, group: Buffer[], at: number, op: Op): Promise<number> {
  const total = groupBytes(group)
  let off = 0
  while (off < total && !op.done) off += (await fh.writev(off === 0 ? group : rest(group, off), at + off)).bytesWritten
  return total
}

/** Appends every byte of `group` where the file's offset is (a pipe, a device), counting each call's bytes in `op.sent`. */
function appendGroupSync(fd: number, group: Buffer[], op: Op): number {
  const total = groupBytes(group)
  let off = 0
  while (off < total) {
    const n = fsWritevSync(fd, off === 0 ? group : rest(group, off))
    if (n === 0) throw new Error('The write took no bytes.')
    off += n
    op.sent += n
  }
  return total
}

/**
 * One process `exit` listener for every fileSink without `recordProcessLifecycle`: a listener per
 * sink passes Node's MaxListeners (10) at the 11th request in flight of a server that records
 * each request.
 *
 * It holds each sink weakly: held strongly, a recorder nobody closed (a store per request) stayed
 * in memory with its states until the process exited (38 MB per 1,000 requests). A sink with
 * lines still to write is kept anyway: its recorder's flush timer holds the recorder (and through
 * its sink queue, the sink) from a new entry until its sinks have every line, also while a write
 * fails and is retried (`keep` in src/recorder/recorder.ts). So at exit every sink with pending
 * lines is still here; one that is gone had nothing left to write.
 */
const exitWriters = new Set<WeakRef<FileSinkImpl>>()
let gone: FinalizationRegistry<WeakRef<FileSinkImpl>> | undefined
function writeAllAtExit(): void {
  for (const ref of exitWriters) ref.deref()?.writeAtExit()
}
function atExit(ref: WeakRef<FileSinkImpl>, add: boolean): void {
  if (add) {
    exitWriters.add(ref)
    // A sink collected without close() leaves the set (and the last one, the listener).
    ;(gone ??= new FinalizationRegistry((r) => atExit(r, false))).register(ref.deref()!, ref)
  } else exitWriters.delete(ref)
  process.off('exit', writeAllAtExit)
  if (exitWriters.size > 0) process.on('exit', writeAllAtExit)
}

function writeAllSync(fd: number, data: Buffer, at: number | null, appending: Op | undefined): void {
  let off = 0
  while (off < data.length) {
    const n = fsWriteSync(fd, data, off, data.length - off, at === null ? null : at + off)
    if (n === 0) throw new Error('The write took no bytes.')
    off += n
    if (appending !== undefined) appending.sent += n
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd)
  } catch {
    // ignore
  }
}

/**
 * The wait before a retry keeps the process alive (a `ref`'d timer): someone may be awaiting
 * `flush()` or `close()`, and an unref'd timer would let the process end in the middle of it.
 * At most `retry.maxDelayMs`. A real timer also under a test's fake timers (src/internal/realTimers.ts).
 */
function sleep(ms: number): Promise<void> {
  return new Promise((r) => realSetTimeout(r, ms))
}

/**
 * A sink that writes the log to a file through one ordered write queue: the recorder hands it new
 * lines every `flushIntervalMs`, and on process exit and signals every pending line is written
 * synchronously (see `recordProcessLifecycle`, which this sink installs unless
 * `processLifecycle: false`). Writes never happen on the dispatch path.
 *
 * The path may contain `{session}`, `{pid}` and `{time}` (the start time, `20261121T220324Z`). A
 * file holds exactly one session (its first line is the header), so an existing file at the path
 * is replaced when the session starts; put `{session}` or `{time}` in the path to keep every
 * session. The parent directory is created if needed. A device, a pipe or standard output
 * (`/dev/stdout`, also through a link) is not replaced: the log is appended to it (use it only where
 * nothing else writes, and a shell's `>>`), synchronously, up to 4 MB per turn of the event loop
 * after the first write (the header and what was pending then, at once), as
 * Node writes `process.stdout` to a pipe: a reader that falls behind holds the app back, and no
 * line is torn when the process exits. (Standard output that is a socket, as under a parent Node
 * process's `'pipe'` or systemd, cannot be opened by name: use `streamSink(process.stdout)`.) A symbolic link to a log file is followed when the
 * recorder starts: the file it leads to is the log (replaced, rotated beside it, pruned; `path`
 * names it), and the link stays.
 *
 * A failing write (EACCES, ENOSPC, a removed directory) is reported through the recorder's
 * `onError` and written as an `@@error` entry; the lines stay queued and are written again, after
 * a delay that doubles from 250 ms up to 5 s. If the file is truncated, replaced or removed
 * meanwhile, it starts again with a header so it still replays on its own.
 *
 * @example
 * const recorder = createFlightRecorder({ sinks: [fileSink('logs/{session}.jsonl', { maxFileBytes: 8e6 })] })
 */
export function fileSink(path: string, options: FileSinkOptions = {}): FileSink {
  return new FileSinkImpl(path, options)
}
