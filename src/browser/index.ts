export { downloadRecording } from './downloadRecording'
