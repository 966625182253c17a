export { sha256JsonHash } from './sha256JsonHash'
export { readRecording, loadRecording, replayFile } from './read'
export { fileSink } from './fileSink'
export { streamSink } from './streamSink'
export { recordProcessLifecycle } from './processLifecycle'

export type { FileSink, FileSinkOptions } from './fileSink'
export type { StreamSinkOptions } from './streamSink'
export type { ProcessLifecycleOptions } from './processLifecycle'
