// `redux-flight-recorder/fast-check`: property tests from recorded sessions. The only entry that
// imports fast-check (an optional peer dependency).
export { actionsFrom, checkInvariants, InvariantViolationError } from './property'

export type { ActionsFromOptions, CheckInvariantsOptions, CheckInvariantsReport, Invariant, InvariantStep, InvariantViolation, RecordingSource } from './property'
