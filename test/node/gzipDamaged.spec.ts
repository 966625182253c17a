// A .gz log whose compressed data is damaged (bytes changed in a copy, a download or on disk) or
// cut off before its first line was whole was reported as what that read as: a line that is not
// JSON (corrupt data decompresses to garbage before gzip's check at its end fails), an empty log,
// "its first line is not JSON", or zlib's own words ("Cannot read /abs/path: incorrect data
// check", "invalid block type"). Every reader now says of the file that its gzip is damaged or
// truncated, in one line (the CLI: exit 2). (Session 31, helper.)
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder, FlightRecorderError } from 'redux-flight-recorder'
import { fileSink, loadRecording, readRecording, replayFile } from 'redux-flight-recorder/node'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { added, makeStore, rootReducer, toggled } from '../helpers/todoApp'
import { CLI, requireDist, runNode, TODO_STORE, tempDir } from './helpers'

let dir: string
let text: string
let whole: Buffer

/** Writes `bytes` as `name` in the test's folder; its path. */
function file(name: string, bytes: Buffer): string {
  const path = join(dir, name)
  writeFileSync(path, bytes)
  return path
}

/** `bytes` with `count` bytes at `at` inverted. */
function flipped(bytes: Buffer, at: number, count = 8): Buffer {
  const copy = Buffer.from(bytes)
  for (let i = at; i < at + count; i++) copy[i] ^= 0xff
  return copy
}

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-gzip-damaged-')
  const plain = join(dir, 'session.jsonl')
  const recorder = createFlightRecorder({ sinks: [fileSink(plain, { processLifecycle: false })] })
  const store = makeStore(recorder)
  for (let i = 0; i < 400; i++) store.dispatch(added({ id: `a${i}`, title: `todo ${i} ${'é'.repeat(i % 5)}`, done: false }))
  store.dispatch(toggled('a2'))
  await recorder.close()
  text = readFileSync(plain, 'utf8')
  whole = gzipSync(text)
  file('whole.jsonl.gz', whole)
  // Stored (level 0): the text is in the file as it is, so bytes changed in its middle decompress
  // to a line that is not JSON, long before gzip's check at the end fails.
  const stored = gzipSync(text, { level: 0 })
  const middle = Math.floor(stored.length / 2)
  expect(stored.subarray(middle, middle + 8).toString('latin1')).toMatch(/^[\x20-\x7e]+$/)
  file('garbled.jsonl.gz', flipped(stored, middle))
  // Compressed: bytes changed in the middle, and in the trailer's checksum alone.
  file('flipped.jsonl.gz', flipped(whole, Math.floor(whole.length / 2)))
  file('checksum.jsonl.gz', flipped(whole, whole.length - 6, 1))
  // A valid gzip header (10 bytes) followed by bytes that are not deflate data.
  file('garbage.jsonl.gz', Buffer.concat([whole.subarray(0, 10), Buffer.from(Array.from({ length: 4000 }, (_, i) => (i * 131 + 7) & 0xff))]))
  // Truncated inside the gzip header, and before the first line (the header, with the state) is whole.
  file('cut5.jsonl.gz', whole.subarray(0, 5))
  file('cut40.jsonl.gz', whole.subarray(0, 40))
}, 70_000)

const DAMAGED = (name: string) =>
  `${name} is a damaged .gz file: its compressed data is corrupt (it fails gzip's own checks), so it cannot be read. Fetch or copy the file again (\`gzip -t\` reports a damaged file).`
const TRUNCATED = (name: string) =>
  `${name} is a truncated .gz file: its compressed data ends early (e.g. an interrupted download or copy), before its first line, the @@session header, is whole, so it holds no entry to read. Fetch the whole file again (\`gzip -t\` reports a file cut off).`

const damaged = ['garbled', 'flipped', 'checksum', 'garbage']
const truncated = ['cut5', 'cut40']

/** The error `run` rejects with. */
async function rejection(run: () => Promise<unknown>): Promise<FlightRecorderError> {
  try {
    await run()
  } catch (error) {
    return error as FlightRecorderError
  }
  throw new Error('expected a rejection')
}

const lines = async (path: string) => {
  const all: string[] = []
  for await (const line of readRecording(path)) all.push(line)
  return all
}

describe('a damaged .gz log (node API)', () => {
  it('the whole .gz file reads (the damaged ones are copies of it)', async () => {
    expect((await loadRecording(join(dir, 'whole.jsonl.gz'))).entries.length).toBeGreaterThan(400)
    expect(readFileSync(join(dir, 'garbled.jsonl.gz')).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
  })

  for (const name of damaged) {
    it(`${name}: loadRecording, replayFile, readRecording and expectReplayFile throw gzip-damaged naming the file`, async () => {
      const path = join(dir, `${name}.jsonl.gz`)
      for (const run of [() => loadRecording(path), () => replayFile(path, { reducer: rootReducer }), () => lines(path), () => expectReplayFile(path, { reducer: rootReducer })]) {
        const error = await rejection(run)
        expect(error).toBeInstanceOf(FlightRecorderError)
        expect(error.code).toBe('gzip-damaged')
        expect(error.message).toBe(`[redux-flight-recorder] ${DAMAGED(path)}`)
      }
    })
  }

  for (const name of truncated) {
    it(`${name}: loadRecording and replayFile throw gzip-cut-off, not "the log is empty"`, async () => {
      const path = join(dir, `${name}.jsonl.gz`)
      for (const run of [() => loadRecording(path), () => replayFile(path, { reducer: rootReducer })]) {
        const error = await rejection(run)
        expect(error).toBeInstanceOf(FlightRecorderError)
        expect(error.code).toBe('gzip-cut-off')
        expect(error.message).toBe(`[redux-flight-recorder] ${TRUNCATED(path)}`)
      }
    })
  }

  it('a replay that diverges before the damage in a stored .gz is not reported as a divergence', async () => {
    const path = join(dir, 'garbled.jsonl.gz')
    // A regression at the fourth action, long before the damage in the middle of the file.
    const broken = (state: ReturnType<typeof rootReducer> | undefined, action: { type: string; payload?: { id?: string } }) => {
      const next = rootReducer(state, action)
      return action.type === 'todos/added' && action.payload?.id === 'a3' ? { ...next, todos: { ...next.todos, syncing: !next.todos.syncing } } : next
    }
    expect((await replayFile(join(dir, 'whole.jsonl.gz'), { reducer: broken })).ok).toBe(false)
    const error = await rejection(() => replayFile(path, { reducer: broken }))
    expect(error.code).toBe('gzip-damaged')
  })
})

describe('a damaged .gz log (CLI): one line naming the file, exit 2', () => {
  const commands = (name: string): string[][] => [
    ['inspect', name],
    ['inspect', name, '--json'],
    ['verify', name, '--store', TODO_STORE, '--no-progress'],
    ['diff', name, 'whole.jsonl.gz'],
    ['convert', name, '--to', 'devtools'],
    ['rehash', name, '--store', TODO_STORE, '-o', 'out.jsonl'],
  ]

  for (const name of damaged) {
    it(`${name}`, () => {
      for (const args of commands(`${name}.jsonl.gz`)) {
        const r = runNode(CLI, args, { cwd: dir })
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `flight-recorder: ${DAMAGED(`${name}.jsonl.gz`)}\n` })
      }
    })
  }

  for (const name of truncated) {
    it(`${name}`, () => {
      for (const args of commands(`${name}.jsonl.gz`)) {
        const r = runNode(CLI, args, { cwd: dir })
        expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 2, stderr: `flight-recorder: ${TRUNCATED(`${name}.jsonl.gz`)}\n` })
      }
    })
  }

  it('verify: a replay that fails before the damage says the file is damaged, not the divergence', () => {
    writeFileSync(
      join(dir, 'throws.mjs'),
      `import { reducer as base } from ${JSON.stringify(TODO_STORE)}\nexport function reducer(state, action) {\n  if (action.type === 'todos/added' && action.payload.id === 'a3') throw new Error('boom')\n  return base(state, action)\n}\n`,
    )
    const ok = runNode(CLI, ['verify', 'whole.jsonl.gz', '--store', 'throws.mjs', '--no-progress'], { cwd: dir })
    expect(ok.code).toBe(1)
    const r = runNode(CLI, ['verify', 'garbled.jsonl.gz', '--store', 'throws.mjs', '--no-progress'], { cwd: dir })
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 2, stdout: '', stderr: `flight-recorder: ${DAMAGED('garbled.jsonl.gz')}\n` })
  })

  it('convert --from devtools: a damaged or truncated .gz export is said to be one', () => {
    const exported = gzipSync(JSON.stringify({ payload: JSON.stringify([{ type: 'a' }, { type: 'b' }].map((action) => ({ type: 'PERFORM_ACTION', action, timestamp: 1 }))), preloadedState: JSON.stringify({ n: 0 }) }).repeat(1))
    file('export.json.gz', exported)
    expect(runNode(CLI, ['convert', 'export.json.gz', '--from', 'devtools'], { cwd: dir }).code).toBe(0)
    file('export-cut.json.gz', exported.subarray(0, exported.length - 12))
    const cut = runNode(CLI, ['convert', 'export-cut.json.gz', '--from', 'devtools'], { cwd: dir })
    expect(cut.code).toBe(2)
    expect(cut.stderr).toMatch(/^flight-recorder: export-cut\.json\.gz is a truncated \.gz file: its compressed data ends early .*, so the export in it is not whole\. .*\n$/)
    file('export-bad.json.gz', flipped(exported, exported.length - 6, 1))
    const bad = runNode(CLI, ['convert', 'export-bad.json.gz', '--from', 'devtools'], { cwd: dir })
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({ code: 2, stderr: `flight-recorder: ${DAMAGED('export-bad.json.gz')}\n` })
  })
})
