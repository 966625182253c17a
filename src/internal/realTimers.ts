/**
 * `setTimeout` and `clearTimeout` as the runtime has them, also under a test framework's fake
 * timers (Vitest's and Jest's modern ones: @sinonjs/fake-timers keeps each original on its clock as
 * `_setTimeout`, `_clearTimeout`). For a sink's waits that must pass in real time: a retry's
 * backoff, a request's timeout or a Blob built over several tasks, scheduled on a faked timer,
 * never fired unless the test advanced the clock, so `flush()` and `close()` waited forever and
 * the lines never arrived. (Jest's legacy fake timers keep no original: the faked one is used.)
 */
type Faked<F> = F & { clock?: Record<string, F | undefined> }

export function realSetTimeout(fn: () => void, ms: number): ReturnType<typeof setTimeout> {
  return ((setTimeout as Faked<typeof setTimeout>).clock?._setTimeout ?? setTimeout)(fn, ms)
}

export function realClearTimeout(timer: ReturnType<typeof setTimeout> | undefined): void {
  ;((clearTimeout as Faked<typeof clearTimeout>).clock?._clearTimeout ?? clearTimeout)(timer)
}
