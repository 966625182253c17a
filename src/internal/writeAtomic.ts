import { chmodSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { followLinks } from './followLinks'

/**
 * Writes a file whole or not at all: to a temporary file beside it, then renamed over it, so a
 * reader (or a crash halfway) never sees half a log. A symbolic link is followed: the file it
 * leads to is rewritten and the link stays (renamed over, the link itself became the new file);
 * the file keeps its mode. Standard output named as a file (`/dev/stdout`) is written to as it is.
 */
export function writeAtomic(path: string, text: string | Uint8Array): void {
  // (As fileSink follows them: one way to learn where a path leads.)
  const { target, stdio } = followLinks(path)
  // Standard output named as a file (`-o /dev/stdout`): written to, never renamed over.
  if (stdio) return writeFileSync(path, text)
  let mode: number | undefined
  try {
    mode = statSync(target).mode & 0o7777
  } catch {
    // a new file: the default mode
  }
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`
  try {
    writeFileSync(tmp, text)
    // The file keeps its permissions (a log shared read-only with a group stays so).
    if (mode !== undefined) chmodSync(tmp, mode)
    renameSync(tmp, target)
  } catch (error) {
    rmSync(tmp, { force: true })
    throw error
  }
}
