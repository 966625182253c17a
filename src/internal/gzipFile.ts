// Logs compressed with gzip (`gzip session.jsonl`, a panel report saved compressed) are read as
// they are: every file reader of the package looks at the first two bytes. Node only.
import { closeSync, createReadStream, openSync, readSync, type ReadStream } from 'node:fs'
import { readFile, stat } from 'node:fs/promises'
import { constants as bufferConstants } from 'node:buffer'
import { promisify } from 'node:util'
import { constants, createGunzip, gunzip, gzipSync } from 'node:zlib'
import { isGzip } from './isGzip'
import { writeAtomic } from './writeAtomic'
import { Readable } from 'node:stream'

/**
 * A file cut short while it was written (a crash, an interrupted download) gives what it holds
 * instead of an error: the log reader then leaves out the cut last line with a warning, as it does
 * for a plain file.
 */
const tolerant = () => ({ finishFlush: constants.Z_SYNC_FLUSH })

/**
 * The most a file read whole may hold, decompressed: the longest string JavaScript can make
 * (512 MiB in Node 20). Past it the text could not be made anyway, and a small gzip file (a "bomb")
 * would first be inflated to gigabytes.
 */
const maxWholeBytes = (): number => bufferConstants.MAX_STRING_LENGTH
// (Read when used, not at import: 'redux-flight-recorder/testing' imports this module, and its
// pure helpers work in a browser test runner, where node:* modules are empty stand-ins.)

/** Thrown by `readFileBytes` for a file too large to read whole; `code` is `'too-large'`. */
function tooLarge(gzip: boolean): Error {
  const mib = Math.round(maxWholeBytes() / (1024 * 1024))
  return Object.assign(new RangeError(`it holds more than ${mib} MiB${gzip ? ' once decompressed' : ''}, too much to read whole`), { code: 'too-large' })
}

/**
 * A file's bytes, decompressed when they are gzip (read and decompressed off the event loop). A
 * file that holds more than a string can (decompressed) is refused (`code: 'too-large'`) before it
 * is read, or as soon as decompressing passes the bound.
 */
export async function readFileBytes(path: string): Promise<Buffer> {
  if ((await stat(path)).size > maxWholeBytes() && !fileIsGzip(path)) throw tooLarge(false)
  const bytes = await readFile(path)
  if (!isGzip(bytes)) return bytes
  try {
    return await promisify(gunzip)(bytes, { ...tolerant(), maxOutputLength: maxWholeBytes() })
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(true)
    throw error
  }
}

/**
 * A file's bytes as a stream, decompressed when they are gzip; `source` is the file's own stream
 * (its `bytesRead` counts the bytes of the file, for progress). Fails as `createReadStream` does
 * (ENOENT…) when the file cannot be opened.
 */
export async function fileByteStream(path: string): Promise<{ stream: Readable; source: ReadStream }> {
  const source = createReadStream(path)
  const head = await new Promise<Buffer | null>((resolve, reject) => {
    const onError = (error: unknown) => {
      source.off('readable', onReadable)
      reject(error)
    }
    const onReadable = () => {
      source.off('error', onError)
      source.off('readable', onReadable)
      const chunk = source.read() as Buffer | null
      resolve(chunk)
    }
    source.once('error', onError)
    source.on('readable', onReadable)
  })
  // An empty file has ended already (its 'end' went before anyone listened): an empty stream instead.
  if (head === null) return { stream: Readable.from([]), source }
  source.unshift(head)
  if (!isGzip(head)) return { stream: source, source }
  const gunzip = createGunzip(tolerant())
  source.once('error', (error) => gunzip.destroy(error))
  gunzip.once('close', () => source.destroy())
  source.pipe(gunzip)
  return { stream: gunzip, source }
}

/**
 * What is wrong with a .gz file's compressed data: `'damaged'`, it fails gzip's own checks (bytes
 * changed in a copy, a download or on disk: it may decompress to garbage before the check at its
 * end fails), or `'cut-off'`, it ends early (a truncated file).
 */
export type GzipFault = 'damaged' | 'cut-off'

/** The fault a zlib error reports; `undefined` for any other error. */
export function gzipFaultOf(error: unknown): GzipFault | undefined {
  const e = error as { code?: unknown; message?: unknown } | null | undefined
  if (typeof e?.code !== 'string' || !e.code.startsWith('Z_')) return undefined
  return e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(String(e.message)) ? 'cut-off' : 'damaged'
}

/**
 * Decompresses the file at `path` strictly (no output kept; readers decompress tolerantly): its
 * fault, or `undefined` when it is whole, not gzip, or cannot be read.
 */
export async function gzipFault(path: string): Promise<GzipFault | undefined> {
  if (!fileIsGzip(path)) return undefined
  return new Promise((done) => {
    const source = createReadStream(path)
    const gunzip = createGunzip()
    source.once('error', () => done(undefined))
    gunzip.once('error', (error) => {
      source.destroy()
      done(gzipFaultOf(error) ?? 'damaged')
    })
    gunzip.on('data', () => {})
    gunzip.once('end', () => done(undefined))
    source.pipe(gunzip)
  })
}

/**
 * One line for a .gz log whose fault kept it from being read (`name`: the file as shown; `cutOff`:
 * what a file cut off lacks, a log's by default).
 */
export function gzipFaultMessage(name: string, fault: GzipFault, cutOff = 'before its first line, the @@session header, is whole, so it holds no entry to read'): string {
  return fault === 'damaged'
    ? `${name} is a damaged .gz file: its compressed data is corrupt (it fails gzip's own checks), so it cannot be read. Fetch or copy the file again (\`gzip -t\` reports a damaged file).`
    : `${name} is a truncated .gz file: its compressed data ends early (e.g. an interrupted download or copy), ${cutOff}. Fetch the whole file again (\`gzip -t\` reports a file cut off).`
}

/** Whether the file at `path` is gzip (false when there is none). */
export function fileIsGzip(path: string): boolean {
  let fd: number | undefined
  try {
    fd = openSync(path, 'r')
    const head = Buffer.alloc(2)
    return isGzip(head.subarray(0, readSync(fd, head, 0, 2, 0)))
  } catch {
    return false
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/**
 * Writes a log whole or not at all (`writeAtomic`), compressed with gzip when `path` ends in `.gz`
 * or the file it replaces is gzip (a log updated in place keeps its form).
 */
export function writeLogFile(path: string, text: string): void {
  writeAtomic(path, /\.gz$/i.test(path) || fileIsGzip(path) ? gzipSync(text) : text)
}
