import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { runInNewContext } from 'node:vm'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { formatDivergence, replay, replayStream, type ReplayResult } from 'redux-flight-recorder/replay'
import { readRecording } from 'redux-flight-recorder/node'
import { added, filterSlice, makeReducer, makeStore, removed, renamed, rootReducer, toggled } from '../helpers/todoApp'

const dir = mkdtempSync(join(tmpdir(), 'fr-stream-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Cmd = { op: 'add' | 'toggle' | 'rename' | 'remove' | 'filter'; id?: string; title?: string; show?: 'all' | 'done' | 'open' }

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  fc.record({ op: fc.constantFrom('add', 'toggle', 'rename', 'remove'), id: fc.constantFrom('a', 'b', 'c', 'd'), title: fc.string({ maxLength: 6 }) }),
  fc.record({ op: fc.constant('filter' as const), show: fc.constantFrom('all', 'done', 'open') }),
)

async function record(cmds: Cmd[], checkpointEvery: number, close: boolean): Promise<string> {
  const recorder = createFlightRecorder({ checkpointEvery })
  const store = makeStore(recorder)
  for (const c of cmds) {
    const id = c.id ?? 'a'
    const title = c.title ?? ''
    if (c.op === 'add') store.dispatch(added({ id, title, done: false }))
    else if (c.op === 'toggle') store.dispatch(toggled(id))
    else if (c.op === 'rename') store.dispatch(renamed({ id, title }))
    else if (c.op === 'remove') store.dispatch(removed(id))
    else store.dispatch(filterSlice.actions.set(c.show ?? 'all'))
  }
  if (close) await recorder.close()
  return recorder.toJSONL()
}

/** The result without what legitimately differs between runs (stacks) or is the same object. */
function comparable(r: ReplayResult) {
  const d = r.divergence && { ...r.divergence, error: r.divergence.error && { name: r.divergence.error.name, message: r.divergence.error.message } }
  return { ok: r.ok, steps: r.steps, skipped: r.skipped, checked: r.checked, verified: r.verified, finalHash: r.finalHash, state: r.state, divergence: d, stopped: r.stopped }
}

function chunks(text: string, sizes: number[]): string[] {
  const out: string[] = []
  let i = 0
  let k = 0
  while (i < text.length) {
    const n = sizes.length ? sizes[k++ % sizes.length] : text.length
    out.push(text.slice(i, i + n))
    i += n
  }
  return out
}

async function* asyncOf<T>(items: T[]): AsyncGenerator<T> {
  for (const item of items) {
    await Promise.resolve()
    yield item
  }
}

describe('replayStream', () => {
  it('agrees with replay on generated sessions, whether fed lines, text chunks, bytes or entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmd, { maxLength: 25 }),
        fc.constantFrom(0, 1, 3),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 5 }),
        fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        async (cmds, checkpointEvery, close, buggy, sizes, until) => {
          const text = await record(cmds, checkpointEvery, close)
          const opts = { reducer: buggy ? makeReducer({ buggyToggle: true }) : rootReducer, until }
          const expected = comparable(replay(text, opts))
          const lines = text.split('\n').filter((l) => l !== '')
          expect(comparable(await replayStream(lines, opts))).toEqual(expected)
          expect(comparable(await replayStream(asyncOf(chunks(text, sizes)), { ...opts, input: 'text' }))).toEqual(expected)
          const bytes = new TextEncoder().encode(text)
          const parts: Uint8Array[] = []
          for (let i = 0, k = 0; i < bytes.length; k++) {
            const n = sizes[k % sizes.length]
            parts.push(bytes.subarray(i, i + n))
            i += n
          }
          expect(comparable(await replayStream(asyncOf(parts), opts))).toEqual(expected)
          expect(comparable(await replayStream(lines.map((l) => JSON.parse(l)), opts))).toEqual(expected)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('replays a log file read line by line and reports the same divergence as replay', async () => {
    const text = await record(
      [
        { op: 'add', id: 'a', title: 'x' },
        { op: 'add', id: 'b', title: 'y' },
        { op: 'toggle', id: 'a', title: '' },
        { op: 'remove', id: 'b', title: '' },
      ],
      0,
      true,
    )
    const file = join(dir, 'session.jsonl')
    writeFileSync(file, text)
    const ok = await replayStream(readRecording(file), { reducer: rootReducer })
    expect(ok).toMatchObject({ ok: true, verified: true, steps: 5 })
    const bad = await replayStream(readRecording(file), { reducer: makeReducer({ buggyToggle: true }) })
    expect(formatDivergence(bad)).toBe(formatDivergence(replay(text, { reducer: makeReducer({ buggyToggle: true }) })))
    expect(bad.divergence!.diff).toEqual([{ path: 'todos.entities.a.done', recorded: true, replayed: false }])
  })

  it("reads text whose first chunk holds no newline when told `input: 'text'` (a header longer than a chunk)", async () => {
    const recorder = createFlightRecorder()
    const store = makeStore(recorder)
    for (let i = 0; i < 40; i++) store.dispatch(added({ id: `t${i}`, title: 'x'.repeat(50), done: false }))
    recorder.clear() // the header now carries the 40 todos
    store.dispatch(toggled('t3'))
    await recorder.close()
    const text = recorder.toJSONL()
    expect(text.indexOf('\n')).toBeGreaterThan(2000)
    const result = await replayStream(asyncOf(chunks(text, [1000])), { reducer: rootReducer, input: 'text' })
    expect(result).toMatchObject({ ok: true, verified: true, steps: 1 })
  })

  it('stops reading the source once the replay is over', async () => {
    const text = await record(
      Array.from({ length: 30 }, (_, i) => ({ op: 'add' as const, id: `x${i}`, title: '' })),
      0,
      true,
    )
    const lines = text.split('\n').filter(Boolean)
    let pulled = 0
    let closed = false
    async function* source() {
      try {
        for (const l of lines) {
          pulled++
          yield l
        }
      } finally {
        closed = true
      }
    }
    const result = await replayStream(source(), { reducer: rootReducer, until: 5 })
    expect(result.steps).toBe(5)
    expect(pulled).toBe(7) // header, 5 actions, and the first line past `until`
    expect(closed).toBe(true)
  })

  it('accepts a truncated last line (a crash mid-write) with a warning, like the file readers', async () => {
    const text = await record([{ op: 'add', id: 'a', title: 'x' }, { op: 'toggle', id: 'a', title: '' }], 0, false)
    const cut = text.slice(0, text.length - 20)
    const result = await replayStream(asyncOf(chunks(cut, [64])), { reducer: rootReducer, input: 'text' })
    expect(result.ok).toBe(true)
    expect(result.steps).toBe(1)
    expect(result.warnings.join('\n')).toMatch(/cut short/)
  })

  it('rejects what it cannot read with clear errors', async () => {
    await expect(replayStream(42 as never, { reducer: rootReducer })).rejects.toThrow(/Expected an \(async\) iterable/)
    await expect(replayStream([], { reducer: rootReducer })).rejects.toThrow(/empty/)
    await expect(replayStream(['{"kind":"@@session","v":2,"session":"s"}'], { reducer: rootReducer })).rejects.toThrow(/version 2/)
    await expect(replayStream([], { reducer: rootReducer, input: 'json' as never })).rejects.toThrow(/`input`/)
    await expect(replayStream([42] as never, { reducer: rootReducer })).rejects.toThrow(/Expected lines, text chunks or entry objects/)
  })

  it("in line mode, reads an item holding newlines as several whole lines", async () => {
    const text = await record([{ op: 'add', id: 'a', title: 'x' }, { op: 'toggle', id: 'a' }], 0, true)
    const lines = text.split('\n').filter(Boolean)
    const items = [lines[0], lines[1] + '\n' + lines[2], lines[3]]
    expect(await replayStream(items, { reducer: rootReducer, input: 'lines' })).toMatchObject({ ok: true, verified: true, steps: 2 })
  })
})


describe('replayStream with bytes from another realm, without a global TextDecoder (Jest under jsdom)', () => {
  it('reads them as UTF-8 text, multi-byte characters split between chunks included', async () => {
    const text = await record(
      [
        { op: 'add', id: 'a', title: 'héllo ✓ 😀' },
        { op: 'rename', id: 'a', title: '日本語' },
        { op: 'toggle', id: 'a' },
      ],
      0,
      true,
    )
    const expected = comparable(replay(text, { reducer: rootReducer }))
    expect(expected.ok).toBe(true)
    const bytes = new TextEncoder().encode(text)
    // Chunks of 1 to 5 bytes, each a Uint8Array of another realm (as a Buffer is under jsdom).
    const parts: Uint8Array[] = []
    for (let i = 0, k = 0; i < bytes.length; k++) {
      const n = (k % 5) + 1
      parts.push(runInNewContext('(b) => new Uint8Array(b)')(Array.from(bytes.subarray(i, i + n))))
      i += n
    }
    expect(parts[0] instanceof Uint8Array).toBe(false)
    vi.stubGlobal('TextDecoder', undefined)
    try {
      expect(comparable(await replayStream(asyncOf(parts), { reducer: rootReducer }))).toEqual(expected)
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
