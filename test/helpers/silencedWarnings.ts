import { afterEach, beforeEach, vi, type MockInstance } from 'vitest'

/**
 * `console.warn` spied on and silenced for each test of the file (environment stubs undone after
 * each); `warnings()` is the spy of the test running.
 */
export function silencedWarnings(): () => MockInstance<typeof console.warn> {
  let warn: MockInstance<typeof console.warn>
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  })
  afterEach(() => {
    warn.mockRestore()
    vi.unstubAllEnvs()
  })
  return () => warn
}
