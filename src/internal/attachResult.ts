/**
 * Gives `error` a `result` (the replay behind it) that is not an own property: test runners print
 * an error's own properties (Vitest every own name, enumerable or not), and a replay's result holds
 * whole states. `error.result` reads it, `instanceof` is unchanged.
 */
export function attachResult(error: Error, result: unknown): void {
  Object.setPrototypeOf(error, Object.create(Object.getPrototypeOf(error) as object, { result: { value: result, configurable: true } }))
}
