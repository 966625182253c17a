import fs, { existsSync, readdirSync, readFileSync } from 'node:fs'
import { syncBuiltinESMExports } from 'node:module'
import { open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import { combineReducers, configureStore, createEntityAdapter, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder, type SinkContext } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { StateJson } from '../../src/stateJson'
import { requireDist, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

/** A sink context as the recorder gives it, for driving a sink by hand. */
function context(): SinkContext {
  return { session: 's1', header: () => '{"kind":"@@session"}', checkpoint: () => {}, reportDropped: () => {}, drain: () => [] }
}

const PIECE = 1 << 20
/** The key the recorder hands a line's parts over with (src/internal/lineParts.ts, shape 1). */
const LINE_PARTS = Symbol.for('redux-flight-recorder.lineParts.1')

/** A line of about `chars` characters with multi-byte text, and surrogate pairs straddling every piece boundary. */
function bigLine(chars: number, tag: string): string {
  const parts: string[] = ['{"tag":"' + tag + '","state":"']
  let n = parts[0].length
  const unit = 'abc\u00e9\u4e2d\ud83d\ude00xyz' // 1-, 2-, 3- and 4-byte UTF-8
  while (n < chars) {
    parts.push(unit)
    n += unit.length
  }
  let line = parts.join('') + '"}'
  // A pair whose high half is the last character of a piece, and a lone surrogate at a boundary.
  line = line.slice(0, PIECE - 1) + '\ud83d\ude01' + line.slice(PIECE - 1, 2 * PIECE - 1) + '\udc00' + line.slice(2 * PIECE - 1)
  return line
}

describe('fileSink: large lines in pieces', () => {
  it('writes a new file of a multi-megabyte batch after write() returns, piece by piece, and it appears whole with the same bytes as Buffer.from', async () => {
    const dir = tempDir()
    const path = join(dir, 'big.jsonl')
    const sink = fileSink(path, { processLifecycle: false })
    const ctx = context()
    const first = ['{"kind":"@@session","v":1}', bigLine(3.5 * PIECE, 'a'), '{"seq":2}']
    const pending = sink.write(first, ctx)
    // Nothing was encoded and written in the call itself: the file is not there yet (a
    // temporary file is being filled, renamed when complete).
    expect(existsSync(path)).toBe(false)
    await pending
    expect(readFileSync(path).equals(Buffer.from(first.join('\n') + '\n'))).toBe(true)
    // Appending another big batch, and then small ones.
    const second = [bigLine(2.2 * PIECE, 'b'), '{"seq":4,"x":"\u00e9"}']
    await sink.write(second, ctx)
    await sink.write(['{"seq":5}'], ctx)
    expect(readFileSync(path).equals(Buffer.from([...first, ...second, '{"seq":5}'].join('\n') + '\n'))).toBe(true)
    expect(readdirSync(dir)).toEqual(['big.jsonl'])
  })

  it('writes a batch of many short lines (more than one 64 KB buffer) with the same bytes as Buffer.from, whatever their characters', async () => {
    const dir = tempDir()
    const path = join(dir, 'short.jsonl')
    const sink = fileSink(path, { processLifecycle: false })
    const ctx = context()
    // 1- to 4-byte UTF-8, lone surrogates (written as U+FFFD), and lines of every length up to ~3 KB.
    const units = ['a', '\u00e9', '\u4e2d', '\ud83d\ude00', '\ud800', '\udfff', '"', '\\n']
    const lines = Array.from({ length: 3000 }, (_, i) => `{"seq":${i},"x":"${units[i % units.length].repeat(1 + ((i * 37) % 1000))}"}`)
    await sink.write(['{"kind":"@@session","v":1}', ...lines.slice(0, 1500)], ctx)
    await sink.write(lines.slice(1500), ctx)
    await sink.write([], ctx)
    expect(readFileSync(path).equals(Buffer.from(['{"kind":"@@session","v":1}', ...lines].join('\n') + '\n'))).toBe(true)
  })

  type Call = (...args: unknown[]) => unknown

  /**
   * A sink with a file begun (its header written), then `lines` written while FileHandle's `write`
   * and `writev` (the sink appends through a FileHandle) are `wrap(original, name)`: the real call,
   * watched or cut short. Returns the file's path.
   */
  async function appendWith(name: string, wrap: (original: Call, method: 'write' | 'writev') => Call, lines: string[]): Promise<string> {
    const path = join(tempDir(), name)
    const sink = fileSink(path, { processLifecycle: false })
    const ctx = context()
    await sink.write(['{"kind":"@@session","v":1}'], ctx)
    const fh = await open(path, 'r')
    await fh.close()
    const proto = Object.getPrototypeOf(fh) as Record<'write' | 'writev', Call>
    const originals = { write: proto.write, writev: proto.writev }
    for (const m of ['write', 'writev'] as const) proto[m] = wrap(originals[m], m)
    try {
      await sink.write(lines, ctx)
    } finally {
      Object.assign(proto, originals)
    }
    return path
  }

  /** What the file must hold after `appendWith`. */
  const appended = (lines: string[]) => Buffer.from(['{"kind":"@@session","v":1}', ...lines].join('\n') + '\n')

  it('appends a batch of many short lines (megabytes) with a system call or two, not one per 64 KB buffer', async () => {
    // Each system call ends in a turn of the event loop: a process that turns it seldom (a batch
    // job yielding every 200 ms) wrote 64 KB a turn and dropped a third of its log from a full queue.
    const lines = Array.from({ length: 30_000 }, (_, i) => `{"seq":${i + 1},"kind":"items/updated","action":{"type":"items/updated","payload":{"id":"e${i % 500}","note":"\u00e9t\u00e9 ${i}"}}}`)
    expect(Buffer.byteLength(lines.join('\n') + '\n')).toBeGreaterThan(3_000_000)
    let calls = 0
    const path = await appendWith('calls.jsonl', (original) =>
      function (this: FileHandle, ...args: unknown[]) {
        calls++
        return Reflect.apply(original, this, args)
      }, lines)
    expect(calls).toBeGreaterThan(0)
    expect(calls).toBeLessThanOrEqual(2)
    expect(readFileSync(path).equals(appended(lines))).toBe(true)
  })

  it("writes each piece of a long line in a call (and a slice) of its own, not with short lines' pieces", async () => {
    // Short lines, a long one (its first piece flattens it: the slow part), short lines again.
    const short = (from: number) => Array.from({ length: 3000 }, (_, i) => `{"seq":${from + i},"x":"${'ab'.repeat(1 + (i % 50))}"}`)
    const lines = [...short(1), bigLine(2.5 * PIECE, 'g'), ...short(3002)]
    const calls: number[][] = []
    const path = await appendWith('alone.jsonl', (original, method) =>
      function (this: FileHandle, ...args: unknown[]) {
        calls.push(method === 'writev' ? (args[0] as Buffer[]).map((b) => b.length) : [(args[0] as Buffer).length])
        return Reflect.apply(original, this, args)
      }, lines)
    expect(readFileSync(path).equals(appended(lines))).toBe(true)
    const long = calls.filter((sizes) => sizes.some((n) => n > 64 * 1024))
    expect(long.length).toBeGreaterThanOrEqual(3)
    for (const sizes of long) expect(sizes).toHaveLength(1)
  })

  it('goes on where a system call wrote only part of what it was given, with the same bytes', async () => {
    const lines = Array.from({ length: 8_000 }, (_, i) => `{"seq":${i + 1},"x":"${'\u4e2d\ud83d\ude00'.repeat(1 + (i % 40))}"}`)
    let calls = 0
    // A disk that takes at most 100,001 bytes a call (an odd number: cuts fall inside characters).
    const short = (original: Call, method: 'write' | 'writev'): Call =>
      method === 'write' ? original : function (this: FileHandle, buffers: unknown, position?: unknown) {
        calls++
        const cut: Buffer[] = []
        let left = 100_001
        for (const b of buffers as Buffer[]) {
          if (left === 0) break
          cut.push(b.subarray(0, Math.min(left, b.length)))
          left -= Math.min(left, b.length)
        }
        return Reflect.apply(original, this, [cut, position])
      }
    const path = await appendWith('partial.jsonl', short, lines)
    expect(calls).toBeGreaterThan(5)
    expect(readFileSync(path).equals(appended(lines))).toBe(true)
  })

  it('goes on where a system call wrote part of a new file (written by descriptor, then renamed), with the same bytes', async () => {
    const path = join(tempDir(), 'partial-new.jsonl')
    const sink = fileSink(path, { processLifecycle: false })
    const lines = ['{"kind":"@@session","v":1}', ...Array.from({ length: 8_000 }, (_, i) => `{"seq":${i + 1},"x":"${'\u4e2d\ud83d\ude00'.repeat(1 + (i % 40))}"}`)]
    const original = fs.writev
    let calls = 0
    // node:fs's writev, which the sink imports, taking at most 100,001 bytes a call.
    fs.writev = ((fd: number, buffers: Buffer[], position: number, callback: (...args: unknown[]) => void) => {
      calls++
      const cut: Buffer[] = []
      let left = 100_001
      for (const b of buffers) {
        if (left === 0) break
        cut.push(b.subarray(0, Math.min(left, b.length)))
        left -= Math.min(left, b.length)
      }
      return original(fd, cut, position, callback)
    }) as typeof fs.writev
    syncBuiltinESMExports()
    try {
      await sink.write(lines, context())
    } finally {
      fs.writev = original
      syncBuiltinESMExports()
    }
    expect(calls).toBeGreaterThan(5)
    expect(readFileSync(path).equals(Buffer.from(lines.join('\n') + '\n'))).toBe(true)
  })

  it('encodes the pieces of a large write in the recorder\'s shared slices (src/slices.ts), not in the flush tick or an I/O callback', async () => {
    const dir = tempDir()
    const path = join(dir, 'slices.jsonl')
    const sink = fileSink(path, { processLifecycle: false })
    const ctx = context()
    await sink.write(['{"kind":"@@session"}'], ctx)
    const line = bigLine(3.5 * PIECE, 'c')
    const from = Buffer.from
    const stacks: string[] = []
    const spy = vi.spyOn(Buffer, 'from').mockImplementation(((value: unknown, ...rest: unknown[]) => {
      if (typeof value === 'string' && value.length >= PIECE / 2) stacks.push(new Error().stack ?? '')
      return (from as (...args: unknown[]) => Buffer)(value, ...rest)
    }) as typeof Buffer.from)
    try {
      await sink.write([line, '{"seq":9}'], ctx)
    } finally {
      spy.mockRestore()
    }
    // Four pieces of about 1 Mi characters, each encoded by a slice's turn.
    expect(stacks.length).toBeGreaterThanOrEqual(3)
    for (const stack of stacks) expect(stack).toMatch(/\bturn\b/)
    expect(readFileSync(path).equals(Buffer.from(['{"kind":"@@session"}', line, '{"seq":9}'].join('\n') + '\n'))).toBe(true)
  })

  it('lets other tasks run between the pieces of one write', async () => {
    const dir = tempDir()
    const path = join(dir, 'turns.jsonl')
    const sink = fileSink(path, { processLifecycle: false })
    const ctx = context()
    await sink.write(['{"kind":"@@session"}'], ctx)
    let ticks = 0
    let done = false
    const tick = () => {
      ticks++
      if (!done) setImmediate(tick)
    }
    setImmediate(tick)
    await sink.write([bigLine(4.5 * PIECE, 'c')], ctx)
    done = true
    // Five pieces, each written by its own system call, with the event loop turning in between.
    expect(ticks).toBeGreaterThanOrEqual(4)
    expect(readFileSync(path).equals(Buffer.from('{"kind":"@@session"}\n' + bigLine(4.5 * PIECE, 'c') + '\n'))).toBe(true)
  })

  it('finishes a write still in pieces synchronously when writeSync takes over (exit), in order, without duplicates or a temporary file', async () => {
    for (const existing of [false, true]) {
      const dir = tempDir()
      const path = join(dir, 'exit.jsonl')
      const sink = fileSink(path, { processLifecycle: false })
      const ctx = context()
      const head = ['{"kind":"@@session"}']
      if (existing) await sink.write(head, ctx)
      const big = [bigLine(3.2 * PIECE, 'd'), '{"seq":7}']
      const inFlight = sink.write(existing ? big : [...head, ...big], ctx)
      // Let it get going: at least one piece is on its way.
      await new Promise((r) => setImmediate(r))
      sink.writeSync!(['{"seq":8}'], ctx)
      const expected = Buffer.from([...head, ...big, '{"seq":8}'].join('\n') + '\n')
      expect(readFileSync(path).equals(expected)).toBe(true)
      await inFlight
      // The asynchronous write saw that it was taken over and added nothing.
      expect(readFileSync(path).equals(expected)).toBe(true)
      expect(readdirSync(dir)).toEqual(['exit.jsonl'])
    }
  })

  it('writes a line the recorder hands over in parts from its parts (a full state is never flattened into one string), with the same bytes, also across files', async () => {
    const dir = tempDir()
    const path = join(dir, 'parts.jsonl')
    const sink = fileSink(path, { processLifecycle: false, maxFileBytes: 4 * PIECE })
    const ctx = context()
    // The parts a large state comes in (src/internal/lineParts.ts), one of them over a piece with
    // a surrogate pair at the piece boundary; the line's text says something else, so the file
    // shows which of the two was written.
    const parts = ['{"seq":1,"state":{"a":', bigLine(1.5 * PIECE, 'p'), ',"b":"\u00e9"', '}}']
    const lines = ['{"kind":"@@session","v":1}', 'X'.repeat(parts.join('').length), '{"seq":2}']
    Object.defineProperty(lines, LINE_PARTS, { value: new Map([[1, parts]]) })
    await sink.write(lines, ctx)
    const expected = ['{"kind":"@@session","v":1}', parts.join(''), '{"seq":2}'].join('\n') + '\n'
    expect(readFileSync(path).equals(Buffer.from(expected))).toBe(true)
    // The next batch would pass maxFileBytes by its parts' bytes (its text alone would not): a new file.
    const more = ['{"seq":3}', 'Y']
    Object.defineProperty(more, LINE_PARTS, { value: new Map([[1, [bigLine(2.6 * PIECE, 'q')]]]) })
    await sink.write(more, ctx)
    expect(readFileSync(path).equals(Buffer.from(expected))).toBe(true)
    expect(readdirSync(dir)).toHaveLength(2)
  })

  it('counts a line in parts with its newline against maxFileBytes, as a line given whole', async () => {
    for (const inParts of [false, true]) {
      const dir = tempDir()
      const head = '{"kind":"@@session","v":1}'
      // The head and its newline, then a 7-byte line and its newline: one byte past the limit.
      const sink = fileSink(join(dir, 'exact.jsonl'), { processLifecycle: false, maxFileBytes: head.length + 1 + 7 })
      const ctx = context()
      await sink.write([head], ctx)
      const lines = [inParts ? 'ignored' : '{"a":1}']
      if (inParts) Object.defineProperty(lines, LINE_PARTS, { value: new Map([[0, ['{"a":', '1}']]]) })
      await sink.write(lines, ctx)
      expect(readdirSync(dir)).toHaveLength(2)
    }
  })

  it('writes the log of a store with a large entity map (its header, checkpoint and @@end in parts) so that it replays and verifies', async () => {
    const dir = tempDir()
    const path = join(dir, 'store.jsonl')
    const adapter = createEntityAdapter<{ id: string; title: string; done: boolean }>()
    const todos = createSlice({
      name: 'todos',
      initialState: adapter.setAll(adapter.getInitialState(), Array.from({ length: 3000 }, (_, i) => ({ id: 't' + i, title: `T\u00e9 ${i} \ud83d\ude00`, done: false }))),
      reducers: { toggled: (s, a: { payload: string }) => void (s.entities[a.payload].done = !s.entities[a.payload].done), added: adapter.addOne },
    })
    // The state writer is a chunk of its own, loaded when the recorder starts: full states go in
    // parts once it is there, and it then prepares the header's state.
    const prepare = vi.spyOn(StateJson.prototype, 'prepare')
    const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], checkpointEvery: 20 })
    const store = configureStore({ reducer: { todos: todos.reducer }, enhancers: (d) => d().concat(recorder.enhancer) })
    await vi.waitFor(() => expect(prepare).toHaveBeenCalled())
    prepare.mockRestore()
    for (let i = 0; i < 40; i++) store.dispatch(i % 9 === 8 ? todos.actions.added({ id: 'n' + i, title: 'new', done: true }) : todos.actions.toggled('t' + ((i * 611) % 3000)))
    await recorder.flush()
    store.dispatch(todos.actions.toggled('t5'))
    await recorder.close()
    const text = readFileSync(path, 'utf8')
    const recording = parseRecording(text)
    expect(recording.entries.filter((e) => e.kind === '@@checkpoint')).toHaveLength(2)
    const result = replay(recording, { reducer: combineReducers({ todos: todos.reducer }) })
    expect(result.ok).toBe(true)
    expect(result.verified).toBe(true)
    expect(result.steps).toBe(41)
    // Every action's hash, and the checkpoints' and @@end's full states.
    expect(result.checked).toBe(44)
    // The final state in the file is the store's, byte for byte as JSON writes it.
    const end = text.trimEnd().split('\n').pop()!
    expect(JSON.parse(end).state).toEqual(JSON.parse(JSON.stringify(store.getState())))
  })
})
