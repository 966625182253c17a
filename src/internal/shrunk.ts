/**
 * Whether a header is a log written by `shrink` (`shrinkRecording`) without a baseline: its
 * `shrunk` field (docs/FORMAT.md) without `rehashed`. Such a log has no state hashes and ends at
 * its last kept action, without `@@end`, by design: readers do not take that for a recorder that
 * was not closed. (One shrunk with a baseline is rehashed and ends with `@@end`: without it, it
 * lost its tail like any log.)
 */
export function shrunkWithoutBaseline(header: object | undefined): boolean {
  const shrunk = (header as { shrunk?: unknown } | undefined)?.shrunk
  return typeof shrunk === 'object' && shrunk !== null && !Array.isArray(shrunk) && (shrunk as { rehashed?: unknown }).rehashed !== true
}
