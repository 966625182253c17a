import { configureStore } from '@reduxjs/toolkit'
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest'
import { createFlightRecorder, memorySink } from 'redux-flight-recorder'
import { replay } from 'redux-flight-recorder/replay'

// A value under a `redact` path is "[redacted]" before anything is hashed or written (DESIGN.md,
// `redact`). A getter there that throws, or an object whose `toJSON` throws (a class wrapping a
// secret that refuses serialisation on purpose), is no exception: "[redacted]", with the hash a
// plain value there gives, no fault, no warning, no lossy value, and replay (which redacts the
// plain value its reducer gives) verifies. Before, such a getter was left out as `getter-threw`
// (listed in `lossy`, warned about, hashed as a state without the key: replay diverged), and in an
// action it made the entry `recordable: false`.

const refusing = <T extends object>(base: T, key: string): T =>
  Object.defineProperty(base, key, {
    enumerable: true,
    get: () => {
      throw new Error('refused')
    },
  })
class Secret {
  toJSON(): never {
    throw new Error('refused toJSON')
  }
}
type Kind = 'getter' | 'toJSON'
/** `base` with `key` holding a plain value, or (hostile) a getter or a toJSON that throws. */
function secret(kind: Kind, base: Record<string, unknown>, key: string, hostile: boolean): Record<string, unknown> {
  if (hostile && kind === 'getter') return refusing(base, key)
  base[key] = hostile ? new Secret() : 'plain'
  return base
}

type Make = (kind: Kind, hostile: boolean, n: number) => Record<string, unknown>
// Each state is a new version of the one before (the hash steps from it): containers of 5 keys (its
// aligned step), of more than 1,020 (its step of a large map) and of 64 or more (the full-state
// writer's chunks). A Date beside the secret is a lossy value, listed as it is with a plain value.
const cases: [string, string, Make][] = [
  ['an exact path', 'auth.token', (kind, h, n) => ({ n, auth: secret(kind, { user: 'u', a: 1, b: 2, n, since: new Date(0) }, 'token', h) })],
  ['a `*` path', 'users.*.password', (kind, h, n) => ({ n, users: [0, 1, 2].map((i) => secret(kind, { name: `u${i}`, n }, 'password', h)) })],
  ['a `**` path', '**.password', (kind, h, n) => ({ n, deep: { a: { b: secret(kind, { name: 'b', n }, 'password', h) } } })],
  [
    'a `*` path over a large map',
    'vault.*',
    (kind, h, n) => {
      const vault: Record<string, unknown> = { n }
      for (let i = 0; i < 1100; i++) secret(kind, vault, `k${i}`, h)
      return { n, vault }
    },
  ],
  [
    'a `**` path in a map of 100 entities',
    '**.password',
    (kind, h, n) => {
      const entities: Record<string, unknown> = {}
      for (let i = 0; i < 100; i++) entities[`e${i}`] = secret(kind, { id: i, n: i === 7 ? n : 0 }, 'password', h)
      return { n, users: { entities } }
    },
  ],
  ['an array element (`*`)', 'codes.*', (kind, h, n) => ({ n, codes: secret(kind, ['a', 'b'] as unknown as Record<string, unknown>, '1', h) })],
]

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const parse = (text: string) => text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>)

async function record(path: string, make: Make, kind: Kind, hostile: boolean) {
  const errors: unknown[] = []
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], redact: { state: [path] }, checkpointEvery: 2, onError: (e) => errors.push(e) })
  const reducer = (s = make(kind, hostile, 0), a: { type: string }) => (a.type === 'step' ? make(kind, hostile, (s.n as number) + 1) : s)
  const store = configureStore({
    reducer,
    middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
    enhancers: (g) => g().concat(recorder.enhancer),
  })
  for (let i = 0; i < 5; i++) store.dispatch({ type: 'step' })
  await recorder.close()
  return { errors, text: sink.text() }
}

let warn: MockInstance
beforeEach(() => void (warn = vi.spyOn(console, 'warn').mockImplementation(() => {})))
afterEach(() => warn.mockRestore())
/** What the recorder warned about a value it could not read. */
const unreadableWarnings = () => warn.mock.calls.map((c) => String(c[0])).filter((m) => /threw|refused|getter/i.test(m))

describe('redact.state over a value that throws when read', () => {
  describe.each(cases)('%s (%s)', (_, path, make) => {
    it.each(['getter', 'toJSON'] as const)('hashes and writes a %s that throws as "[redacted]", as a plain value there', async (kind) => {
      const hostile = await record(path, make, kind, true)
      const plain = await record(path, make, kind, false)
      expect(hostile.errors).toEqual([])
      expect(unreadableWarnings()).toEqual([])
      const lines = parse(hostile.text)
      const expected = parse(plain.text)
      expect(lines.map((l) => l.kind)).toEqual(expected.map((l) => l.kind))
      // Header, checkpoints and @@end: the state a plain value there gives, its lossy values too.
      const full = lines.filter((l) => 'state' in l)
      expect(full.length).toBeGreaterThanOrEqual(4)
      expect(full.map((l) => [l.state, l.lossy])).toEqual(expected.filter((l) => 'state' in l).map((l) => [l.state, l.lossy]))
      expect(JSON.stringify(full.at(-1)!.state)).toContain('"[redacted]"')
      expect(hostile.text).not.toContain('getter-threw')
      // Every hash is the one of the same state with a plain value there; the entries' notes too.
      expect(lines.map((l) => [l.hash, l.stateLossy, l.recordable])).toEqual(expected.map((l) => [l.hash, l.stateLossy, l.recordable]))
      // Replay, whose reducer gives a plain value there, checks every step.
      const reducer = (s: any, a: any) => (a.type === 'step' ? make(kind, false, s.n + 1) : s)
      const result = replay(hostile.text, { reducer })
      // (A Date's, as with a plain value there.)
      expect(result.warnings).toEqual(replay(plain.text, { reducer }).warnings)
      expect(result.divergence).toBeUndefined()
      expect(result.ok).toBe(true)
      expect(result.verified).toBe(true)
      // And with the app's own reducer, whose states hold the value that throws.
      const own = replay(hostile.text, { reducer: (s: any, a: any) => (a.type === 'step' ? make(kind, true, s.n + 1) : s) })
      expect([own.ok, own.verified, own.divergence]).toEqual([true, true, undefined])
    })
  })

  it('keeps its lossy values (a Map) and its hashes where the secret is the only unreadable value', async () => {
    const make: Make = (kind, h, n) => ({ n, tags: n % 2 === 0 ? new Map([['a', n]]) : [n], auth: secret(kind, { user: 'u', n }, 'token', h) })
    const hostile = parse((await record('auth.token', make, 'getter', true)).text)
    const plain = parse((await record('auth.token', make, 'getter', false)).text)
    expect(hostile.map((l) => [l.hash, l.state, l.lossy, l.stateLossy])).toEqual(plain.map((l) => [l.hash, l.state, l.lossy, l.stateLossy]))
    expect(plain.some((l) => l.stateLossy !== undefined)).toBe(true)
  })
})

describe('redact.actions over a value that throws when read', () => {
  it.each([
    ['payload.card', 'getter', { pin: '[redacted]', amount: 5, card: '[redacted]' }],
    ['payload.card', 'toJSON', { pin: '[redacted]', amount: 5, card: '[redacted]' }],
    ['payload.*', 'getter', { pin: '[redacted]', amount: '[redacted]', card: '[redacted]' }],
    ['**.card', 'getter', { pin: '[redacted]', amount: 5, card: '[redacted]' }],
    ['**.card', 'toJSON', { pin: '[redacted]', amount: 5, card: '[redacted]' }],
  ] as const)('writes %s holding a %s that throws as "[redacted]", the action recordable', async (path, kind, payload) => {
    const errors: unknown[] = []
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: [path, 'payload.pin'] }, onError: (e) => errors.push(e) })
    const store = configureStore({
      reducer: (s: number = 0) => s + 1,
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    // The secret alone (redaction's copy is begun at it), then after a key redacted too (the copy is begun before it).
    store.dispatch({ type: 'pay', payload: secret(kind, {}, 'card', true) })
    store.dispatch({ type: 'pay', payload: secret(kind, { pin: '1234', amount: 5 }, 'card', true) })
    await recorder.close()
    expect(errors).toEqual([])
    expect(unreadableWarnings()).toEqual([])
    const entries = parse(sink.text()).filter((l) => l.kind === 'pay')
    expect(entries).toHaveLength(2)
    expect(entries[0].action).toEqual({ type: 'pay', payload: { card: '[redacted]' } })
    expect(entries[1].action).toEqual({ type: 'pay', payload })
    for (const entry of entries) {
      expect(entry.recordable).toBeUndefined()
      expect(entry.omitted).toBeUndefined()
    }
  })
})

describe('redact.actions beside a getter that throws under no redaction path', () => {
  it('writes the action redacted, the getter left out and listed (before: the type alone, as unredactable)', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], redact: { actions: ['payload.pin'] }, onError: () => {} })
    const store = configureStore({
      reducer: (s: number = 0) => s + 1,
      middleware: (g) => g({ serializableCheck: false, immutableCheck: false }).prepend(recorder.middleware),
      enhancers: (g) => g().concat(recorder.enhancer),
    })
    store.dispatch({ type: 'pay', payload: refusing({ pin: '1234', amount: 5 }, 'bad') })
    await recorder.close()
    const entry = parse(sink.text()).find((l) => l.kind === 'pay')!
    expect(entry.action).toEqual({ type: 'pay', payload: { pin: '[redacted]', amount: 5 } })
    expect(entry.recordable).toBe(false)
    expect(entry.omitted).toEqual([{ path: 'payload.bad', kind: 'getter-threw' }])
    expect(sink.text()).not.toContain('1234')
  })
})
