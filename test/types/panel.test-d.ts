import { describe, expectTypeOf, it } from 'vitest'
import type { FlightRecorderPanelOptions } from 'redux-flight-recorder/panel'

describe('mountFlightRecorderPanel options', () => {
  it('takes the natural upload one-liner as onReport (acceptance, session 28: `(file) => fetch(…)` did not type-check)', () => {
    const upload = (file: File) => fetch('/bug-reports', { method: 'POST', body: file })
    const options: FlightRecorderPanelOptions = { reducer: (state: unknown = null) => state, onReport: upload }
    expectTypeOf(options.onReport).toEqualTypeOf<((file: File) => unknown) | undefined>()
  })
})
