// What readers say of a .gz log whose compressed data ends early (a truncated file, e.g. an
// interrupted download): what it holds is read, and a line it cuts short or its missing end is
// said of the file, not of the recorder. The CLI (src/cli/util.ts, which finds such a file with
// zlib) and the panel (src/panel/gzip.ts, with DecompressionStream) say it in these words.

/** The log reader's warning for a last line cut short. */
const CUT_LINE = /^(Line \d+ was cut short) \(the writer stopped mid-line\); it was left out\.$/

/** Whether `warnings` (the log reader's) say that the last line was cut short. */
export function hasCutLine(warnings: readonly string[]): boolean {
  return warnings.some((w) => CUT_LINE.test(w))
}

/** `warnings` with a last line cut short said of the .gz file `shown`, cut off, instead of the writer. */
export function cutFileWarnings(warnings: readonly string[], shown: string): string[] {
  const said = `$1: ${shown} itself is cut off (its compressed data ends early: a truncated .gz, e.g. an interrupted download), not the recording; it was left out.`
  return warnings.map((w) => w.replace(CUT_LINE, said))
}

/** The note for a .gz log cut off, instead of "the recorder was not closed" (`lastSeq`: the last whole line's). */
export function cutGzipNote(shown: string, lastSeq: number | undefined): string {
  return `${shown} is cut off: its compressed data ends early (a truncated .gz file, e.g. an interrupted download or copy), so the log ends without @@end; what could be read (${lastSeq === undefined ? 'the header only' : `up to seq ${lastSeq}`}) was read, and the rest of the file is lost. Fetch the whole file again (\`gzip -t\` reports a file cut off).`
}
