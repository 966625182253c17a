// Session files in and out of the panel: a gzip file (`.jsonl.gz`) is read as the log it holds,
// and with the `gzip` option reports and downloads are saved compressed (JSON logs shrink about 8×).
import { isGzip } from '../internal/isGzip'

/** The file to save: `text` as `name`, or compressed as `name.gz` (where the browser can compress). */
export async function logFile(text: string, name: string, gzip: boolean): Promise<File> {
  const plain = new Blob([text], { type: 'application/x-ndjson' })
  if (!gzip || typeof CompressionStream !== 'function') return new File([plain], name, { type: plain.type })
  const packed = await new Response(plain.stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
  return new File([packed], `${name}.gz`, { type: 'application/gzip' })
}

/**
 * The text of a log file, decompressed when it is gzip. A compressed file cut short gives the lines
 * it holds (the log reader then says the last one was cut), and `cutOff` says that its compressed
 * data ends early (a truncated file, e.g. an interrupted download). Data that fails gzip's own
 * checks is not said to be cut off.
 */
export async function logText(file: Blob): Promise<{ text: string; cutOff: boolean }> {
  if (!isGzip(new Uint8Array(await file.slice(0, 2).arrayBuffer()))) return { text: await file.text(), cutOff: false }
  if (typeof DecompressionStream !== 'function') throw new Error('it is compressed (gzip), and this browser cannot decompress it; decompress it first (gunzip).')
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader()
  const decoder = new TextDecoder()
  let text = ''
  let cutOff = false
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    // Cut short (or damaged) after some lines: keep them. Nothing readable at all is an error.
    if (text === '') throw new Error(`it is not readable gzip data (${(error as Error)?.message ?? String(error)}).`)
    cutOff = await endsEarly(file)
  }
  return { text: text + decoder.decode(), cutOff }
}

/**
 * Whether a gzip file that failed to decompress is cut off: all of it is taken in without an error,
 * and only its end fails (no gzip trailer). Damaged data fails while it is taken in. (A second pass,
 * its output dropped: the reading pass cannot tell, and an error there drops what it had queued.)
 */
async function endsEarly(file: Blob): Promise<boolean> {
  const inflate = new DecompressionStream('gzip')
  const drained = inflate.readable.pipeTo(new WritableStream()).catch(() => {})
  const writer = inflate.writable.getWriter()
  const cut = await writer.write(new Uint8Array(await file.arrayBuffer())).then(
    () => writer.close().then(() => false, () => true),
    () => false,
  )
  await drained
  return cut
}
