import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { added, makeStore, toggled } from '../helpers/todoApp'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

// A rotated file ends without @@end because the session went on in the next file: inspect and
// verify said "the recorder was not closed" (or a process may have been killed), and inspect said
// "ended cleanly" above a gap (acceptance run J).

let dir: string
const cli = (...args: string[]) => runNode(CLI, args, { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-rotated-')
})

async function rotatedSession(): Promise<string[]> {
  const sink = fileSink(join(dir, 'session.jsonl'), { maxFileBytes: 4000, processLifecycle: false })
  const recorder = createFlightRecorder({ sinks: [sink] })
  const store = makeStore(recorder)
  for (let round = 0; round < 12; round++) {
    for (let i = 0; i < 3; i++) store.dispatch(added({ id: `r${round}-${i}`, title: `todo ${round} ${i}`, done: false }))
    store.dispatch(toggled(`r${round}-0`))
    await recorder.flush()
  }
  await recorder.close()
  return sink.files.map((f) => f.slice(dir.length + 1))
}

describe('inspect and verify on the files of a rotated session', () => {
  it('say that a file without @@end goes on in the next one, and not that the recorder was not closed', async () => {
    const files = await rotatedSession()
    expect(files.slice(0, 3)).toEqual(['session.jsonl', 'session.1.jsonl', 'session.2.jsonl'])
    for (const [file, next] of [['session.jsonl', 'session.1.jsonl'], ['session.1.jsonl', 'session.2.jsonl']]) {
      const inspected = cli('inspect', file)
      expect(inspected.code).toBe(0)
      expect(inspected.stdout).toMatch(new RegExp(`ended\\s+without @@end: the file was rotated, the session goes on in ${next.replace(/\./g, '\\.')}`))
      expect(inspected.stdout).not.toMatch(/not closed/)
      expect(JSON.parse(cli('inspect', file, '--json').stdout)).toMatchObject({ continuesIn: next, ended: { clean: false } })
      const verified = cli('verify', file, '--store', TODO_STORE)
      expect(verified.code).toBe(0)
      expect(verified.stderr).toContain(`note: The log ends without @@end because its file was rotated: the session goes on in ${next} (verify it too; each file replays on its own).`)
      expect(verified.stderr).not.toMatch(/killed|may be incomplete/)
    }
    // The last file ends with @@end; a copy of a middle file elsewhere (no next file beside it)
    // keeps the may-be-incomplete wording.
    expect(cli('inspect', files[files.length - 1]).stdout).toMatch(/ended\s+cleanly \(@@end/)
    writeFileSync(join(dir, 'alone.jsonl'), readFileSync(join(dir, 'session.1.jsonl')))
    expect(cli('inspect', 'alone.jsonl').stdout).toMatch(/ended\s+without @@end \(the recorder was not closed/)
  })

  it('inspect does not call a log with a gap "ended cleanly"', async () => {
    const recorder = createFlightRecorder({ sinks: [fileSink(join(dir, 'whole.jsonl'), { processLifecycle: false })] })
    const store = makeStore(recorder)
    for (let i = 0; i < 6; i++) store.dispatch(added({ id: `g${i}`, title: `todo ${i}`, done: false }))
    await recorder.close()
    const lines = readFileSync(join(dir, 'whole.jsonl'), 'utf8').split('\n')
    lines.splice(3, 1)
    writeFileSync(join(dir, 'gap.jsonl'), lines.join('\n'))
    const out = cli('inspect', 'gap.jsonl').stdout
    expect(out).toMatch(/ended\s+closed \(@@end at seq 7: 6 actions in the session, 0 dropped\), but entries are missing from this log \(see below\)/)
    expect(out).toMatch(/gap: /)
    expect(cli('inspect', 'whole.jsonl').stdout).toMatch(/ended\s+cleanly \(@@end at seq 7/)
  })
})
