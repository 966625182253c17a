import { describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { mountFlightRecorderPanel } from 'redux-flight-recorder/panel'

// Where there is no page (Node, server-side rendering), mounting the panel says what it needs,
// as downloadRecording does, instead of a bare "document is not defined".
describe('mountFlightRecorderPanel without a document', () => {
  it('throws an error that says it needs a browser page, and leaves the recorder working', () => {
    expect(typeof document).toBe('undefined')
    const recorder = createFlightRecorder()
    expect(() => mountFlightRecorderPanel(recorder, { reducer: (s: number = 0) => s })).toThrow(
      new Error('[redux-flight-recorder] mountFlightRecorderPanel needs a browser page: it adds a launcher button to the document. Call it in the browser (with server-side rendering, from code that runs on the client only, such as an effect).'),
    )
    // The argument checks come first: a wrong call is told what is wrong with it.
    expect(() => mountFlightRecorderPanel({} as never, { reducer: (s: number = 0) => s })).toThrow(TypeError)
    expect(recorder.stats()).toMatchObject({ entries: 0 })
  })
})
