/** Redux DevTools instrument's lifted state, the parts the recorder reads. */
export interface LiftedState {
  computedStates: { state: unknown }[]
  currentStateIndex: number
  isPaused?: boolean
}

export function isLiftedState(value: unknown): value is LiftedState {
  const v = value as Partial<LiftedState> & { actionsById?: unknown; stagedActionIds?: unknown }
  return (
    typeof v === 'object' &&
    v !== null &&
    Array.isArray(v.computedStates) &&
    typeof v.currentStateIndex === 'number' &&
    typeof v.actionsById === 'object' &&
    Array.isArray(v.stagedActionIds)
  )
}

/** The app's state DevTools currently shows. */
export function unliftState(lifted: unknown): unknown {
  const l = lifted as LiftedState
  return l.computedStates[l.currentStateIndex]?.state
}
