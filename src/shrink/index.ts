export { shrinkRecording } from './shrink'
export { rehashRecording } from './rehash'
export type { ShrinkBaseline, ShrinkFailure, ShrinkOptions, ShrinkProgress, ShrinkReport, ShrunkRecording } from './shrink'
export type { RehashReport, RehashedRecording } from './rehash'
