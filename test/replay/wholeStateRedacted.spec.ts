// A log whose `redact.state` covers every value of the state ('**', '*', '**.*') hashes
// '[redacted]' placeholders only: its hashes match whatever the reducer does. Replay says so and
// verifies nothing; the recorder warns in development when it is made with such paths.
import { legacy_createStore as createStore, type Reducer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'
import { expectReplay } from 'redux-flight-recorder/testing'

type S = { n: number; user: { name: string } | null }
const good: Reducer<S> = (s = { n: 0, user: { name: 'a' } }, a) => (a.type === 'inc' ? { ...s, n: s.n + 1 } : s)
const broken: Reducer<S> = (s = { n: 0, user: { name: 'a' } }, a) => (a.type === 'inc' ? { ...s, n: s.n - 100, user: null } : s)

async function record(paths: string[]): Promise<string> {
  const sink = memorySink()
  const rec = createFlightRecorder({ sinks: [sink], redact: { state: paths } })
  const store = createStore(good, rec.enhancer)
  for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc' })
  await rec.close()
  return sink.text()
}

afterEach(() => vi.restoreAllMocks())

describe('a state redaction that covers the whole state', () => {
  it.each([['**'], ['*'], ['**.*']])('%s: replay on a broken reducer is not verified, and says why', async (path) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = await record([path])
    expect(warn.mock.calls.map((c) => String(c[0])).join('\n')).toContain(`\`redact.state\` ('${path}') redacts every value of the state`)
    const r = replay(log, { reducer: broken })
    expect(r.verified).toBe(false)
    expect(r.warnings.join('\n')).toContain(`The log's \`redact.state\` ('${path}') redacts every value of the state, so its hashes say nothing about what the reducer did`)
    expect(() => expectReplay(log, { reducer: broken })).toThrow(/redacts every value of the state/)
  })

  it('a redaction of some paths, even with wildcards below the root, still verifies (and fails a broken reducer)', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const log = await record(['user.*', '*.name'])
    expect(warn).not.toHaveBeenCalled()
    expect(replay(log, { reducer: good })).toMatchObject({ ok: true, verified: true })
    expect(replay(log, { reducer: broken }).ok).toBe(false)
  })
})
