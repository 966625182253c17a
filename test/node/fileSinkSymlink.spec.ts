// fileSink through symbolic links. A new log is written under a temporary name and renamed into
// place; renamed over a link, it took the link's place (the link was gone: a log kept on another
// volume became a file of its own; /dev/stdout, when a shell sent standard output to a file, became
// a regular file on the machine). A link to a log file is followed: the file it leads to is replaced
// as a file named directly is (one session per file), and the link stays. Standard output named as
// a file is appended to, as a pipe or a device is.
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { FIXTURES, requireDist, ROOT, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

const counter = createSlice({
  name: 'counter',
  initialState: { n: 0 },
  reducers: { added: (state, action: { payload: number }) => void (state.n += action.payload) },
})

async function session(path: string, values: number[], options: Parameters<typeof fileSink>[1] = {}): Promise<void> {
  const recorder = createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false, ...options })] })
  const store = configureStore({
    reducer: counter.reducer,
    middleware: (gdm) => gdm().prepend(recorder.middleware),
    enhancers: (gde) => gde().concat(recorder.enhancer),
  })
  for (const v of values) {
    store.dispatch(counter.actions.added(v))
    await recorder.flush()
  }
  await recorder.close()
}

describe('fileSink through a symbolic link', () => {
  it('replaces the file a link leads to (here in another directory, by a relative link) with the new session, and leaves the link in place', async () => {
    const dir = tempDir()
    const logs = join(dir, 'volume')
    const target = join(logs, 'current.jsonl')
    const link = join(dir, 'session.jsonl')
    await session(target, [1, 1, 1])
    symlinkSync('volume/current.jsonl', link)
    await session(link, [2, 3])

    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe('volume/current.jsonl')
    const log = parseRecording(readFileSync(target, 'utf8'), { strict: true })
    expect(log.entries.map((e) => ('action' in e ? e.action?.payload : e.kind))).toEqual([2, 3])
    expect(replay(log, { reducer: counter.reducer }).ok).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['session.jsonl', 'volume'])
    expect(readdirSync(logs)).toEqual(['current.jsonl'])
  })

  it('creates the file a dangling link names', async () => {
    const dir = tempDir()
    const link = join(dir, 'session.jsonl')
    symlinkSync(join(dir, 'later.jsonl'), link)
    await session(link, [4])
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(parseRecording(readFileSync(join(dir, 'later.jsonl'), 'utf8'), { strict: true }).entries).toHaveLength(1)
  })

  it.each(['/dev/fd/1', '/proc/self/fd/1', '/proc/thread-self/fd/1', '/proc/self/task/{pid}/fd/1'])("appends to standard output named as %s when a shell's >> sends it to a file", (target) => {
    const dir = tempDir()
    const out = join(dir, 'out.log')
    writeFileSync(out, 'started\n')
    const child = spawnSync('sh', ['-c', '"$0" "$1" >> "$2"', process.execPath, join(FIXTURES, 'stdoutSinkChild.mjs'), out], {
      cwd: ROOT,
      env: { ...process.env, TARGET: target, NODE_OPTIONS: '' },
      encoding: 'utf8',
    })
    expect(child.stderr).toBe('')
    expect(child.status).toBe(0)
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('started\n{"kind":"@@session"')).toBe(true)
    const log = parseRecording(text.slice('started\n'.length), { strict: true })
    expect(log.entries).toHaveLength(3)
    expect(log.end).toMatchObject({ kind: '@@end', count: 3 })
    expect(readdirSync(dir)).toEqual(['out.log'])
  })

  it.each(['stdout', 'stderr'])('says to use streamSink(process.%s) when it is a socket (a parent Node process, systemd), which cannot be opened by name', (stream) => {
    // A child process's own 'pipe' stdio is a socket.
    const child = spawnSync(process.execPath, [join(FIXTURES, 'stdoutSinkChild.mjs')], {
      cwd: ROOT,
      env: { ...process.env, TARGET: `/dev/${stream}`, NODE_OPTIONS: '' },
      encoding: 'utf8',
    })
    expect(child.status).toBe(0)
    expect(child.stdout).toBe('')
    expect(child.stderr).toMatch(new RegExp(`Could not write \\d+ lines to /dev/${stream} \\(ENXIO\\)`))
    expect(child.stderr).toContain(`It is a socket here, which cannot be opened by name: use \`streamSink(process.${stream})\`.`)
  })

  it("appends to a link to /dev/stdout (Docker's convention) when a shell's >> sends standard output to a file, and leaves that file in place", () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'logs'))
    const link = join(dir, 'logs', 'flight.jsonl')
    symlinkSync('/dev/stdout', link)
    const out = join(dir, 'out.log')
    writeFileSync(out, 'started\n')
    const inode = statSync(out).ino
    const child = spawnSync('sh', ['-c', '"$0" "$1" >> "$2"', process.execPath, join(FIXTURES, 'stdoutSinkChild.mjs'), out], {
      cwd: ROOT,
      env: { ...process.env, TARGET: link, NODE_OPTIONS: '' },
      encoding: 'utf8',
    })
    expect(child.stderr).toBe('')
    expect(statSync(out).ino).toBe(inode)
    const text = readFileSync(out, 'utf8')
    expect(text.startsWith('started\n{"kind":"@@session"')).toBe(true)
    expect(parseRecording(text.slice('started\n'.length), { strict: true }).entries).toHaveLength(3)
    expect(readdirSync(dir).sort()).toEqual(['logs', 'out.log'])
  })

  it('rotates and prunes (maxFileBytes, maxFiles) beside the file a link leads to, and the link stays', async () => {
    const dir = tempDir()
    mkdirSync(join(dir, 'vol'))
    const link = join(dir, 'session.jsonl')
    symlinkSync('vol/current.jsonl', link)
    await session(link, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { maxFileBytes: 1500, maxFiles: 2 })
    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readdirSync(dir).sort()).toEqual(['session.jsonl', 'vol'])
    const kept = readdirSync(join(dir, 'vol')).sort()
    expect(kept).toHaveLength(2)
    for (const name of kept) expect(name).toMatch(/^current(\.\d+)?\.jsonl$/)
  })

  it('says so when a second recorder writes the same file through a link', async () => {
    const dir = tempDir()
    const target = join(dir, 'log.jsonl')
    const link = join(dir, 'link.jsonl')
    symlinkSync(target, link)
    const errors: string[][] = [[], []]
    const recorders = [target, link].map((path, i) => createFlightRecorder({ sinks: [fileSink(path, { processLifecycle: false })], onError: (e) => void errors[i].push(e.message) }))
    for (const recorder of recorders) {
      const store = configureStore({ reducer: counter.reducer, middleware: (gdm) => gdm().prepend(recorder.middleware), enhancers: (gde) => gde().concat(recorder.enhancer) })
      store.dispatch(counter.actions.added(1))
    }
    expect(errors[0]).toEqual([])
    expect(errors[1].join('\n')).toContain(`Another fileSink in this process writes ${target} for another recorder`)
    await Promise.all(recorders.map((r) => r.close()))
  })
})
