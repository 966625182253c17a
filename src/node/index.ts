export { sha256JsonHash } from './sha256JsonHash'
export { readRecording, loadRecording, replayFile } from './read'
