/** Runs each of `cleanups` once (one that throws does not stop the others) and empties the set. */
export function runCleanups(cleanups: Set<() => void>): void {
  for (const cleanup of [...cleanups]) {
    try {
      cleanup()
    } catch {
      // a cleanup that throws must not stop the others
    }
  }
  cleanups.clear()
}
