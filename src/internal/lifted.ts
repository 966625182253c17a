/**
 * Whether a state looks like Redux DevTools' lifted state (instrument's history: `computedStates`
 * and `actionsById`): the recorder warns when it records one without the opt-in, and replay names
 * it when a log holds one. (The devtools entry checks the full shape before it reads one.)
 */
export function looksLifted(state: unknown): boolean {
  const s = state as { computedStates?: unknown; actionsById?: unknown } | null
  return typeof s === 'object' && s !== null && Array.isArray(s.computedStates) && typeof s.actionsById === 'object' && s.actionsById !== null
}
