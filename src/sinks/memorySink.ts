import type { Sink } from '../recorder/types'

export interface MemorySink extends Sink {
  /** Every line written, in order (without newlines). */
  readonly lines: string[]
  /** The lines as JSONL text (each line ends with `\n`). */
  text(): string
}

/** A sink that keeps every line in memory; for tests. */
export function memorySink(): MemorySink {
  const lines: string[] = []
  return {
    lines,
    write(batch) {
      for (const line of batch) lines.push(line)
    },
    writeSync(batch) {
      for (const line of batch) lines.push(line)
    },
    text() {
      return lines.length === 0 ? '' : lines.join('\n') + '\n'
    },
  }
}
