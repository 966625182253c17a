import { createRequire } from 'node:module'
import { join } from 'node:path'
import { afterEach, beforeAll, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { recordProcessLifecycle } from 'redux-flight-recorder/node'
import { requireDist, ROOT } from './helpers'

// The ESM and CommonJS copies of the package share one set of process listeners and one count of
// open recorders (src/node/processLifecycle.ts): the warning that 1,000 are open at once is given
// once for the process, not once per copy that reaches the count.

afterEach(() => vi.restoreAllMocks())

// The CommonJS copy a `require` in the same process gets (dist: built by `npx tsup`).
type Copy = { createFlightRecorder: typeof createFlightRecorder; memorySink: typeof memorySink; recordProcessLifecycle: typeof recordProcessLifecycle }
let other: Copy
beforeAll(async () => {
  await requireDist()
  const cjs = createRequire(join(ROOT, 'package.json'))
  other = { ...cjs('redux-flight-recorder'), ...cjs('redux-flight-recorder/node') }
})

it('the many-open warning is given once although both copies reach 1,000 open recorders', async () => {
  expect(other.recordProcessLifecycle).not.toBe(recordProcessLifecycle)
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  const ours = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => m.includes('recorders with process listeners'))
  for (const copy of [{ createFlightRecorder, memorySink, recordProcessLifecycle }, other]) {
    const open: ReturnType<typeof createFlightRecorder>[] = []
    try {
      for (let i = 0; i < 1_000; i++) {
        const recorder = copy.createFlightRecorder({ sinks: [copy.memorySink()] })
        copy.recordProcessLifecycle(recorder)
        open.push(recorder)
      }
    } finally {
      await Promise.all(open.map((r) => r.close()))
    }
  }
  expect(ours()).toHaveLength(1)
})
