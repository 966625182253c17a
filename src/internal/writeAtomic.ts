import { renameSync, rmSync, writeFileSync } from 'node:fs'

/**
 * Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a
 * reader (or a crash halfway) never sees half a log.
 */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
  try {
    writeFileSync(tmp, text)
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
