/**
 * A large line (one with a full state) in parts, beside the lines a sink gets:
 * `partsOf(lines)?.get(i)` is line i's text in parts (the state's chunks as they were
 * stringified). The package's own sinks write the parts one by one, so a 10 MB state is never
 * flattened into one string (~30 ms); any other sink sees only the strings. `Symbol.for`, because
 * `redux-flight-recorder/node` and `/browser` bundle their own copy of this module.
 */
const LINE_PARTS = Symbol.for('redux-flight-recorder.lineParts')

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
