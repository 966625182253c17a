import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { describe, expect, it, vi } from 'vitest'
import { createFlightRecorder, memorySink, subtreeHashes, type Sink } from 'redux-flight-recorder'
import { encodeRecording, parseRecording, replay } from 'redux-flight-recorder/replay'

const dir = fileURLToPath(new URL('../fixtures/v1/', import.meta.url))

/** A recorder log with every kind of line the recorder writes, and the reducer it replays on. */
async function everyKind(options: Parameters<typeof createFlightRecorder>[0] = {}) {
  const slice = createSlice({
    name: 'todos',
    initialState: { items: [] as string[], at: null as unknown },
    reducers: {
      added: (s, a: { payload: string }) => void s.items.push(a.payload),
      dated: (s, a: { payload: unknown }) => void (s.at = a.payload),
    },
  })
  // A sink that reports losing its first batch (@@dropped, then a requested checkpoint), then fails once (@@error).
  let batch = 0
  const flaky: Sink = {
    write(lines, ctx) {
      batch++
      if (batch === 1) ctx.reportDropped(lines.length, 'disk full')
      if (batch === 2) throw new Error('disk full')
    },
  }
  const recorder = createFlightRecorder({ sinks: [flaky, memorySink()], meta: { app: 'encode@1' }, onError: () => {}, checkpointEvery: 3, maxEntries: 50, ...options })
  const store = configureStore({ reducer: slice.reducer, enhancers: (gDE) => gDE().concat(recorder.enhancer), middleware: (gDM) => gDM({ serializableCheck: false }).prepend(recorder.middleware) as never })
  const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
  try {
    store.dispatch(slice.actions.added('a'))
    recorder.mark('note', { n: 1 })
    recorder.mark('bare')
    recorder.lifecycle('pagehide', { persisted: false })
    store.dispatch({ type: 'todos/added', payload: 'b', meta: { callback: () => {} } })
    store.dispatch(slice.actions.dated(new Date(0)))
    store.dispatch({ type: 'todos/added', payload: 'c', meta: { turn: 'explicit' } })
    await recorder.flush()
    store.dispatch(slice.actions.added('d'))
    await recorder.flush()
    recorder.pause()
    recorder.resume()
    store.replaceReducer(slice.reducer)
    for (let i = 0; i < 10; i++) store.dispatch(slice.actions.added(`n${i}`))
    await recorder.flush()
    const text = recorder.toJSONL()
    // The buffer (maxEntries 50) trims its front: the header says how many entries it lost.
    for (let i = 0; i < 50; i++) store.dispatch(slice.actions.added(`m${i}`))
    const trimmed = recorder.toJSONL()
    await recorder.close()
    return { text, trimmed, reducer: slice.reducer }
  } finally {
    warn.mockRestore()
  }
}

describe('encodeRecording', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.jsonl') && f !== 'truncated.jsonl'))('writes the frozen fixture %s back byte for byte', (name) => {
    const text = readFileSync(dir + name, 'utf8')
    expect(encodeRecording(parseRecording(text))).toBe(text)
  })

  it.each([
    ['fr64', {}],
    ['fr64 with subtree hashes', { subtreeHashes: subtreeHashes() }],
    ['no hash', { hash: false as const }],
    ['a custom hash', { hash: (s: unknown) => String(JSON.stringify(s).length) }],
  ])('writes a recorder log with every kind of line back byte for byte (%s)', async (_, options) => {
    const { text, trimmed, reducer } = await everyKind(options)
    const rec = parseRecording(text)
    const kinds = new Set(rec.entries.map((e) => e.kind))
    for (const k of ['@@mark', '@@lifecycle', '@@error', '@@dropped', '@@checkpoint', '@@replaceReducer', 'todos/added', 'todos/dated']) expect(kinds).toContain(k)
    expect(parseRecording(trimmed).header.trimmed).toBeGreaterThan(0)
    expect(encodeRecording(parseRecording(trimmed))).toBe(trimmed)
    expect(text).toContain('"recordable":false,"omitted":[{"path":"meta.callback","kind":"function"}]')
    expect(text).toContain('"lossy":[{"path":"payload","kind":"date"}]')
    expect(encodeRecording(rec)).toBe(text)
    if (!('hash' in options)) expect(replay(encodeRecording(rec), { reducer, onReplaceReducer: () => reducer })).toMatchObject({ ok: true })
  })

  it('writes a closed log (with @@end) back byte for byte', async () => {
    const sink = memorySink()
    await everyKind({ sinks: [sink] })
    const text = sink.text()
    expect(text).toMatch(/\n\{"kind":"@@end","seq":\d+,"ts":"[^"]+","t":[\d.]+,"count":\d+,"dropped":0,"state":\{/)
    expect(encodeRecording(parseRecording(text))).toBe(text)
  })

  it('writes the format\'s keys in the format\'s order, then other keys in their own order', () => {
    const rec = parseRecording(
      [
        '{"from_seq":1,"state":{"n":0},"kind":"@@session","v":1,"session":"s","ts":"2026-01-01T00:00:00.000Z","hash_alg":"fr64","meta":{},"redact":{"state":[],"actions":[]},"hash":null,"x":1}',
        '{"kind":"inc","action":{"type":"inc"},"later":[1],"seq":1,"ts":"2026-01-01T00:00:00.001Z","t":1,"turn":"t1"}',
        '{"reason":"interval","state":{"n":1},"seq":2,"kind":"@@checkpoint","hash":null,"ts":"2026-01-01T00:00:00.002Z","t":2,"turn":null}',
        '{"x":{"y":2},"kind":"@@future","seq":3,"ts":"2026-01-01T00:00:00.003Z","t":3,"turn":null}',
      ].join('\n'),
    )
    expect(encodeRecording(rec).split('\n')).toEqual([
      '{"kind":"@@session","v":1,"session":"s","ts":"2026-01-01T00:00:00.000Z","hash_alg":"fr64","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":{"n":0},"hash":null,"x":1}',
      '{"seq":1,"ts":"2026-01-01T00:00:00.001Z","t":1,"turn":"t1","kind":"inc","action":{"type":"inc"},"later":[1]}',
      '{"seq":2,"ts":"2026-01-01T00:00:00.002Z","t":2,"turn":null,"kind":"@@checkpoint","state":{"n":1},"reason":"interval","hash":null}',
      '{"seq":3,"ts":"2026-01-01T00:00:00.003Z","t":3,"turn":null,"kind":"@@future","x":{"y":2}}',
      '',
    ])
  })

  it('leaves out keys JSON cannot write, as JSON.stringify does, and escapes odd key names', () => {
    const rec = parseRecording('{"kind":"@@session","v":1,"session":"s","ts":"","hash_alg":"none","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":null,"hash":null}\n')
    rec.entries.push({ seq: 1, ts: '', t: 0, turn: null, kind: '@@mark', label: 'x', body: undefined, 'a"b': () => 1, 'c\n': 2 })
    expect(encodeRecording(rec).split('\n')[1]).toBe('{"seq":1,"ts":"","t":0,"turn":null,"kind":"@@mark","label":"x","c\\n":2}')
    expect(JSON.parse(encodeRecording(rec).split('\n')[1])).toEqual(JSON.parse(JSON.stringify(rec.entries[0])))
  })
})
