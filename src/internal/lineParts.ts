import { utf8Length } from './utf8'

/**
 * A large line (one with a full state) in parts, beside the lines a sink gets:
 * `partsOf(lines)?.get(i)` is line i's text in parts (the state's chunks as they were
 * stringified). The package's own sinks write the parts one by one, so a 10 MB state is never
 * flattened into one string (~30 ms in Node; in Chromium, `fetch` of a 4 MB string body takes
 * 180-370 ms where a Blob of the parts built in slices takes none over ~10 ms); any other sink
 * sees only the strings. `Symbol.for`, because `redux-flight-recorder/node` and `/browser` bundle
 * their own copy of this module.
 */
/**
 * The shape of what these keys carry (a `Map` of line index to parts; a header function with a
 * `PartedText` result; a readiness function): raise it with any change to them. A sink from
 * another copy of the package (another version under node_modules) then sees no parts and writes
 * the lines' text, which is always whole, instead of reading parts of a shape it does not know.
 */
const SHAPE = 1
const LINE_PARTS = Symbol.for(`redux-flight-recorder.lineParts.${SHAPE}`)
/** On a sink context: `ctx.header()` with its parts (a `PartedText`). */
const HEADER_PARTS = Symbol.for(`redux-flight-recorder.headerParts.${SHAPE}`)
const HEADER_READY = Symbol.for(`redux-flight-recorder.headerReady.${SHAPE}`)

type Parts = ReadonlyMap<number, readonly string[]>

/** Attaches `parts` (by line index) to `lines`, unseen by anything that does not ask for them. */
export function attachParts(lines: string[], parts: Parts): string[] {
  Object.defineProperty(lines, LINE_PARTS, { value: parts })
  return lines
}

/** The parts of `lines`, when the recorder handed them over with some. */
export function partsOf(lines: readonly string[]): Parts | undefined {
  return (lines as { [LINE_PARTS]?: Parts })[LINE_PARTS]
}

/** The parts as one string (a rope: nothing is copied until someone reads it). */
export function joined(parts: readonly string[]): string {
  let s = ''
  for (const p of parts) s += p
  return s
}

/** A line as the recorder handed it over: its text, and its text in parts when it has them. */
export interface PartedText {
  readonly text: string
  readonly parts: readonly string[] | undefined
}

/** `lines` with their parts. */
export function withParts(lines: readonly string[]): PartedText[] {
  const parts = partsOf(lines)
  return lines.map((text, i) => ({ text, parts: parts?.get(i) }))
}

/** The start of a line (its first part): enough for its `seq` or its header fields, without reading the state. */
export const headOf = (l: PartedText): string => (l.parts === undefined ? l.text : l.parts[0])

/** A line's UTF-8 bytes with its newline, counted part by part. */
export const lineBytes = (l: PartedText): number => (l.parts === undefined ? utf8Length(l.text) : l.parts.reduce((n, p) => n + utf8Length(p), 0)) + 1

/** The JSONL of `lines` as strings to write one after the other: each line (or its parts), then a newline. */
export function jsonlPieces(lines: readonly PartedText[]): string[] {
  const out: string[] = []
  for (const l of lines) {
    if (l.parts === undefined) out.push(l.text)
    else for (const p of l.parts) out.push(p)
    out.push('\n')
  }
  return out
}

/**
 * Gives `ctx` (a sink context) a `header()` with parts: `header` returns the header's text and its
 * parts; `ready` resolves once the recorder has the state's JSON at hand (it is made in slices, off
 * the dispatch path), so a header asked for then costs no long task.
 */
export function attachHeaderParts(ctx: object, header: () => PartedText, ready: () => Promise<void>): void {
  Object.defineProperty(ctx, HEADER_PARTS, { value: header })
  Object.defineProperty(ctx, HEADER_READY, { value: ready })
}

/** Resolves when `headerOf(ctx)` is cheap (at once for a context without the recorder's help). */
export function headerReady(ctx: object): Promise<void> {
  const ready = (ctx as { [HEADER_READY]?: () => Promise<void> })[HEADER_READY]
  return ready ? ready() : Promise.resolve()
}

/** `ctx.header()`, with its parts when the recorder's context can give them. */
export function headerOf(ctx: { header(): string }): PartedText {
  const parted = (ctx as { [HEADER_PARTS]?: () => PartedText })[HEADER_PARTS]
  return parted ? parted() : { text: ctx.header(), parts: undefined }
}
