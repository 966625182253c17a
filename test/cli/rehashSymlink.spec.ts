// `rehash --in-place` (and `vitest -u`, `shrink`, `convert`: one writer, src/internal/writeAtomic.ts)
// on a log reached through a symbolic link, as a repository keeps fixtures shared with another
// package: the file the link leads to is rewritten and the link stays. (Before: the new file was
// renamed over the link, which became a copy, and the shared file kept its old hashes.)
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { actionAt, makeStore } from '../fixtures/cli/todoStore.mjs'
import { CLI, ROOT, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

beforeAll(() => requireDist(), 60_000)

describe('rehash --in-place through a symbolic link', () => {
  it('rewrites the file the link leads to, with its permissions, and keeps the link', async () => {
    const dir = tempDir('fr-rehash-link-')
    const shared = join(dir, 'shared')
    const tests = join(dir, 'tests')
    mkdirSync(shared)
    mkdirSync(tests)
    const target = join(shared, 'session.jsonl')
    const recorder = createFlightRecorder({ sinks: [fileSink(target, { processLifecycle: false })] })
    const store = makeStore(recorder)
    for (let i = 0; i < 30; i++) store.dispatch(actionAt(i))
    await recorder.close()
    const before = readFileSync(target, 'utf8')
    chmodSync(target, 0o640)
    symlinkSync(target, join(tests, 'session.jsonl'))

    const changed = { BUGGY_TOGGLE: '1' }
    expect(runNode(CLI, ['verify', 'session.jsonl', '--store', TODO_STORE], { cwd: tests, env: changed }).code).toBe(1)
    const r = runNode(CLI, ['rehash', 'session.jsonl', '--store', TODO_STORE, '--in-place'], { cwd: tests, env: changed })
    expect(r.code).toBe(0)

    expect(lstatSync(join(tests, 'session.jsonl')).isSymbolicLink()).toBe(true)
    expect(readlinkSync(join(tests, 'session.jsonl'))).toBe(target)
    expect(readFileSync(target, 'utf8')).not.toBe(before)
    // (The shared file keeps its permissions: a rewrite made it 0644.)
    expect(statSync(target).mode & 0o777).toBe(0o640)
    expect(runNode(CLI, ['verify', target, '--store', TODO_STORE], { cwd: tests, env: changed }).code).toBe(0)
    expect(readdirSync(tests)).toEqual(['session.jsonl'])
    expect(readdirSync(shared)).toEqual(['session.jsonl'])
  })

  it('writes -o /dev/fd/1 (standard output named as a file) as it is, instead of a temporary file renamed over it', () => {
    const input = join(ROOT, 'test/fixtures/v1/basic.jsonl')
    const r = spawnSync('sh', ['-c', '"$0" "$1" convert "$2" --to devtools -o /dev/fd/1 --force | cat', process.execPath, CLI, input], { cwd: tempDir('fr-convert-stdout-'), encoding: 'utf8' })
    expect(r.stderr).toBe('wrote /dev/fd/1 (6 actions)\n')
    expect(r.status).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ payload: expect.any(String) })
  })
})
