import { applyMiddleware, compose, legacy_createStore, type Reducer } from 'redux'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, subtreeHashes, type FlightRecorderOptions, type Sink } from 'redux-flight-recorder'
import { asyncTurns } from 'redux-flight-recorder/node'
import { devToolsInstrument } from 'redux-flight-recorder/devtools'

// The option checks of createFlightRecorder (src/recorder/options.ts). They run in development
// builds only (behind the literal `process.env.NODE_ENV !== 'production'`); Vitest runs with
// NODE_ENV=test, and the last tests stub NODE_ENV=production.

const counter: Reducer<number> = (state = 0, action) => (action.type === 'inc' ? state + 1 : state)
const create = (options: unknown) => () => createFlightRecorder(options as FlightRecorderOptions)
const LIMIT = 2_147_483_647
const RANGE = `a positive number of milliseconds, at most ${LIMIT} (about 24.8 days, the longest delay timers take).`

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('createFlightRecorder timer options', () => {
  it.each(['flushIntervalMs', 'sinkTimeoutMs'])('rejects `%s` outside 1..2147483647 ms, naming the option, the value and the range', (name) => {
    expect(create({ [name]: Infinity })).toThrow(`[redux-flight-recorder] Expected \`${name}\` to be ${RANGE} Instead, received: number Infinity.`)
    expect(create({ [name]: 2 ** 31 })).toThrow(`[redux-flight-recorder] Expected \`${name}\` to be ${RANGE} Instead, received: number 2147483648.`)
    expect(create({ [name]: 0 })).toThrow(`Expected \`${name}\` to be ${RANGE} Instead, received: number 0.`)
    expect(create({ [name]: -1 })).toThrow(`Instead, received: number -1.`)
    expect(create({ [name]: NaN })).toThrow(`Instead, received: number NaN.`)
    expect(create({ [name]: '1000' })).toThrow(`Expected \`${name}\` to be ${RANGE} Instead, received: '1000'.`)
    for (const ok of [1, 0.5, 60_000, LIMIT]) expect(create({ [name]: ok })).not.toThrow()
  })

  it('runs the flush timer at the longest accepted interval without a timer overflow', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error) => void warnings.push(w)
    process.on('warning', onWarning)
    let writes = 0
    const recorder = createFlightRecorder({ sinks: [{ write: () => void writes++ }], flushIntervalMs: LIMIT })
    const store = legacy_createStore(counter, recorder.enhancer)
    for (let i = 0; i < 5; i++) {
      store.dispatch({ type: 'inc' })
      await new Promise((r) => setTimeout(r, 10))
    }
    process.off('warning', onWarning)
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning')
    expect(writes).toBe(0) // no interval flush within 50 ms
    await recorder.close()
    expect(writes).toBeGreaterThan(0)
  })

  it('waits for a slow sink at the longest accepted sinkTimeoutMs and still writes @@end', async () => {
    const lines: string[] = []
    const slow: Sink = { write: (batch) => new Promise<void>((r) => setTimeout(() => (lines.push(...batch), r()), 30)) }
    const onError = vi.fn()
    const recorder = createFlightRecorder({ sinks: [slow], sinkTimeoutMs: LIMIT, onError })
    legacy_createStore(counter, recorder.enhancer).dispatch({ type: 'inc' })
    await recorder.close()
    expect(lines.map((l) => JSON.parse(l).kind)).toEqual(['@@session', 'inc', '@@end'])
    expect(onError).not.toHaveBeenCalled()
  })
})

describe('createFlightRecorder boolean options', () => {
  it.each(['enabled', 'checkDeterminism'])('rejects `%s` when it is not a boolean', (name) => {
    expect(create({ [name]: 'false' })).toThrow(`[redux-flight-recorder] Expected \`${name}\` to be a boolean. Instead, received: 'false'.`)
    expect(create({ [name]: 'yes' })).toThrow(`Expected \`${name}\` to be a boolean. Instead, received: 'yes'.`)
    expect(create({ [name]: 0 })).toThrow(`Expected \`${name}\` to be a boolean. Instead, received: number 0.`)
    expect(create({ [name]: null })).toThrow(`Expected \`${name}\` to be a boolean. Instead, received: null.`)
    for (const ok of [true, false, undefined]) expect(create({ [name]: ok })).not.toThrow()
  })
})

describe('createFlightRecorder unknown keys', () => {
  it('rejects an unknown key in `redact`, naming it and the allowed keys, with the key it is close to', () => {
    expect(create({ redact: { stat: ['auth.token'] } })).toThrow(
      '[redux-flight-recorder] Expected `redact` to have only the keys `state` and `actions`: paths under any other key redact nothing. Instead, received the unknown key `stat`. Did you mean `state`?',
    )
    expect(create({ redact: { state: ['auth.token'], action: ['payload.card'] } })).toThrow('Instead, received the unknown key `action`. Did you mean `actions`?')
    expect(create({ redact: { paths: ['auth.token'] } })).toThrow(/Instead, received the unknown key `paths`\.$/)
    expect(create({ redact: ['auth.token'] })).toThrow('Expected `redact` to be { state?: string[], actions?: string[] }. Instead, received: an array.')
    expect(create({ redact: { state: ['auth.token'], actions: ['payload.card'] } })).not.toThrow()
  })

  it('rejects an unknown option, with a "did you mean" when one option is close', () => {
    expect(create({ maxEntrys: 5 })).toThrow(/^\[redux-flight-recorder\] Expected only options that `createFlightRecorder` knows: `sinks`, `maxEntries`, .*`sinkQueueBytes`\. Instead, received the unknown option `maxEntrys`\. Did you mean `maxEntries`\?$/)
    expect(create({ flushInterval: 50 })).toThrow('Instead, received the unknown option `flushInterval`. Did you mean `flushIntervalMs`?')
    expect(create({ onerror: () => {} })).toThrow('Instead, received the unknown option `onerror`. Did you mean `onError`?')
    expect(create({ reducer: counter })).toThrow(/Instead, received the unknown option `reducer`\.$/)
    // An unknown option is named even when it is undefined (a spread of a misspelt key).
    expect(create({ sinks: [], redacted: undefined })).toThrow(/unknown option `redacted`\. Did you mean `redact`\?$/)
  })

  it('names the `meta` key and the sink that are not what they should be', () => {
    expect(create({ meta: { app: 'shop', v: 1 } })).toThrow('[redux-flight-recorder] Expected `meta` to be an object of strings: `meta.v` is not one. Instead, received: number 1.')
    expect(create({ meta: 'shop' })).toThrow("Expected `meta` to be an object of strings. Instead, received: 'shop'.")
    expect(create({ sinks: [{ write: () => {} }, {}] })).toThrow('Expected every sink to have a `write(lines, ctx)` method: `sinks[1]` has none. Instead, received: an object.')
    const sink = memorySink()
    expect(create({ sinks: [memorySink(), sink, sink] })).toThrow(
      '[redux-flight-recorder] Expected each sink once in `sinks`: `sinks[2]` is `sinks[1]` again, and would get every line twice (its log would hold the session twice, interleaved).',
    )
  })

  it('accepts every documented option at once', () => {
    const options: Required<FlightRecorderOptions> = {
      sinks: [memorySink()],
      maxEntries: 100,
      maxBytes: 1024 * 1024,
      maxEntryBytes: 4096,
      flushIntervalMs: 1000,
      checkpointEvery: 10,
      hash: 'fr64',
      redact: { state: ['auth.token'], actions: ['payload.card'] },
      serializeState: (s) => s,
      meta: { app: 'options@1' },
      checkDeterminism: false,
      subtreeHashes: subtreeHashes(),
      lossy: { ignoredPaths: ['ui.at'], warn: false },
      clock: () => 0,
      onError: () => {},
      enabled: true,
      turns: asyncTurns(),
      devtools: devToolsInstrument(),
      sinkTimeoutMs: 10_000,
      sinkQueueBytes: 1024 * 1024,
    }
    expect(create(options)).not.toThrow()
  })
})

describe('createFlightRecorder without options', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
  ])('records with the defaults when the options are %s', (_name, options) => {
    const recorder = createFlightRecorder(options as never)
    const store = legacy_createStore(counter, recorder.enhancer)
    store.dispatch({ type: 'inc' })
    expect(recorder.snapshot().entries.map((e) => e.kind)).toEqual(['inc'])
  })

  it('still rejects options that are not an object', () => {
    expect(create('x')).toThrow("[redux-flight-recorder] Expected the options to be an object. Instead, received: 'x'.")
  })
})

describe('createFlightRecorder options in production', () => {
  it('takes null options as no options, and leaves the development checks out', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const recorder = createFlightRecorder(null)
    legacy_createStore(counter, recorder.enhancer).dispatch({ type: 'inc' })
    expect(recorder.snapshot().entries.map((e) => e.kind)).toEqual(['inc'])
    // By design (issue 14): the checks and their messages are development-only code.
    expect(create({ maxEntrys: 5, enabled: true })).not.toThrow()
  })

  it('a `turns` that is no AsyncTurns does not make dispatch throw (unchecked there, it is left unused)', () => {
    vi.stubEnv('NODE_ENV', 'production')
    const recorder = createFlightRecorder({ turns: {} as never })
    const store = legacy_createStore(counter, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as never)
    expect(() => store.dispatch({ type: 'inc' })).not.toThrow()
    expect(recorder.snapshot().entries.map((e) => e.turn)).toEqual(['t1'])
  })

  it('holds timer delays within what timers take (Infinity would fire at once)', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { resolveOptions } = await import('../../src/recorder/options')
    const settings = resolveOptions({ flushIntervalMs: Infinity, sinkTimeoutMs: 1e12 })
    expect([settings.flushIntervalMs, settings.sinkTimeoutMs]).toEqual([2_147_483_647, 2_147_483_647])
    expect(resolveOptions(null).flushIntervalMs).toBe(1000)
  })

  it('a `meta` JSON cannot write, or a misspelt `hash`, still records a log that reads back and verifies', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const meta: Record<string, unknown> = { app: 'shop', n: 1 }
    meta.self = meta
    const errors: unknown[] = []
    const sink = memorySink()
    const recorder = createFlightRecorder({ meta: meta as never, hash: 'sha256' as never, sinks: [sink], onError: (e) => errors.push(e) })
    const store = legacy_createStore(counter, compose(applyMiddleware(recorder.middleware), recorder.enhancer) as never)
    store.dispatch({ type: 'inc' })
    // A circular `meta` made every header throw: toJSONL(), flush() and close() rejected with a raw TypeError.
    const { parseRecording, replay } = await import('redux-flight-recorder/replay')
    const log = parseRecording(recorder.toJSONL())
    expect(log.header).toMatchObject({ hash_alg: 'fr64', meta: { app: 'shop' } })
    expect(log.header.meta).not.toHaveProperty('self')
    await recorder.flush()
    await recorder.close()
    expect(replay(sink.text(), { reducer: counter })).toMatchObject({ ok: true, verified: true, steps: 1 })
    expect(errors).toEqual([])
  })

  it('a count or delay that is no positive number (NaN from an unset environment variable, a string) is its default, and the app starts', async () => {
    vi.stubEnv('NODE_ENV', 'production')
    const { resolveOptions } = await import('../../src/recorder/options')
    const bad = { maxEntries: NaN, maxBytes: 'abc', maxEntryBytes: -1, flushIntervalMs: NaN, checkpointEvery: '5', sinkQueueBytes: NaN, sinkTimeoutMs: 0, sinks: 'x' } as never
    expect(resolveOptions(bad)).toMatchObject({ ...resolveOptions(null), hashAlg: 'fr64' })
    expect(resolveOptions({ checkpointEvery: 0, maxEntries: 3.7 })).toMatchObject({ checkpointEvery: 0, maxEntries: 3 })
    // Before, `maxEntries: NaN` threw a RangeError from the buffer's typed arrays, and `sinks: 'x'` a TypeError, at the app's start.
    const recorder = createFlightRecorder(bad)
    const store = legacy_createStore(counter, recorder.enhancer)
    for (let i = 0; i < 3; i++) store.dispatch({ type: 'inc' })
    expect(store.getState()).toBe(3)
    expect(recorder.snapshot().entries.map((e) => e.kind)).toEqual(['inc', 'inc', 'inc'])
    await recorder.close()
  })

  it('still checks redaction paths', () => {
    vi.stubEnv('NODE_ENV', 'production')
    expect(create({ redact: { state: ['auth..token'] } })).toThrow(/`redact\.state`.*'auth\.\.token'/)
  })
})
