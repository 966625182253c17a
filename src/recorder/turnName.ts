// What an action says of its turn, read without throwing. Its own file: the recorder's core (the
// line writer) reads `meta.turn` too, and must not bring the turns (the shell's, loaded with the
// page: dist/recorder-turns.js) into its chunk.

export interface ActionMeta {
  requestId?: unknown
  requestStatus?: unknown
  turn?: unknown
}

/**
 * An action's `meta`, or undefined. Reading it may throw (a getter, a Proxy's trap): the action then
 * has none for the recorder, and the app's dispatch goes on as without it.
 */
export function metaOf(action: unknown): ActionMeta | undefined {
  if (typeof action !== 'object' || action === null) return undefined
  try {
    const meta = (action as { meta?: unknown }).meta
    return typeof meta === 'object' && meta !== null ? (meta as ActionMeta) : undefined
  } catch {
    return undefined
  }
}

/** The turn an action names for itself (`meta.turn`, a string), or undefined. */
export function turnName(action: unknown): string | undefined {
  const meta = metaOf(action)
  if (meta === undefined) return undefined
  try {
    const turn = meta.turn
    return typeof turn === 'string' ? turn : undefined
  } catch {
    return undefined
  }
}
