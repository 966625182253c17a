// A recording's entries narrow as users write it (acceptance run, session 31): `entry.action !==
// undefined` tells an action's line from every other kind (every other kind has no `action`).
// (`'action' in entry` cannot: an entry's unknown keys are typed by an index signature.)
import type { ActionEntry, Entry, MarkEntry, Recording } from 'redux-flight-recorder'

declare const recording: Recording

export const actions: ActionEntry[] = []
export const labels: string[] = []
for (const entry of recording.entries) {
  if (entry.action !== undefined) {
    const action: ActionEntry = entry
    actions.push(action)
    const type: unknown = entry.action.type
    void type
  } else if (entry.kind === '@@mark') {
    // (A kind this version does not know is an `UnknownEntry`: a mark's fields are read as unknown.)
    const mark = entry as MarkEntry
    labels.push(mark.label)
  }
}

export function firstAction(entries: readonly Entry[]): ActionEntry | undefined {
  for (const e of entries) if (e.action) return e
  return undefined
}

// A line without an action has no action to read.
declare const other: Exclude<Entry, ActionEntry>
// @ts-expect-error not an action's line
export const noAction: ActionEntry['action'] = other.action
