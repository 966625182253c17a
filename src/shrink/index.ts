export { shrinkRecording } from './shrink'
export type { ShrinkBaseline, ShrinkFailure, ShrinkOptions, ShrinkProgress, ShrinkReport, ShrunkRecording } from './shrink'
