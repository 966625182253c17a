import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CHILD, CLI, TODO_STORE, requireDist, runNode, startChild, tempDir } from '../node/helpers'

let dir: string

/** A child records `n` actions with a fileSink (processLifecycle on) and ends without closing it. */
function recordAndExit(name: string, env: Record<string, string> = {}): string {
  const log = join(dir, name)
  const exit = runNode(CHILD, [], { env: { LOG: log, MODE: 'exit', N: '5', ...env } })
  expect(exit.signal).toBeNull()
  return log
}

const verify = (log: string) => runNode(CLI, ['verify', log, '--store', TODO_STORE], { cwd: dir })
const inspect = (log: string, json = false) => runNode(CLI, ['inspect', log, ...(json ? ['--json'] : [])], { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-exit-')
})

describe('verify: a log whose last entry is the process exit', () => {
  it('says the process exited without closing the recorder, not that it may have been killed', () => {
    const log = recordAndExit('exit0.jsonl')
    const last = JSON.parse(readFileSync(log, 'utf8').trimEnd().split('\n').pop()!)
    expect(last).toMatchObject({ kind: '@@lifecycle', body: { event: 'exit', code: 0 } })
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      `note: The log ends without @@end: the process exited (code 0) without closing the recorder; everything it recorded up to the exit (seq ${last.seq}) is in the log.`,
    )
    expect(r.stderr).not.toMatch(/killed|may be incomplete/)
  })

  it('gives the exit code', () => {
    const log = recordAndExit('exit3.jsonl', { EXIT_CODE: '3' })
    const r = verify(log)
    expect(r.stderr).toMatch(/note: The log ends without @@end: the process exited \(code 3\) without closing the recorder;/)
    // inspect says the same (acceptance run, session 36: "the recorder was not closed; last entry: @@lifecycle").
    const i = inspect(log)
    expect(i.code).toBe(0)
    expect(i.stdout).toMatch(/ended\s+without @@end: the process exited \(code 3\) without closing the recorder; everything it recorded up to then is in the log\n/)
    expect(JSON.parse(inspect(log, true).stdout).ended).toMatchObject({ clean: false, why: 'process-ended', code: 3, lastKind: '@@lifecycle' })
  })

  it('says the process ended on a signal when its last entry is the signal recordProcessLifecycle wrote (acceptance run, session 32)', async () => {
    const log = join(dir, 'term.jsonl')
    const child = startChild(CHILD, { MODE: 'signal', N: '5', LOG: log })
    await child.waitFor(/ready/)
    child.proc.kill('SIGTERM')
    const exit = await child.exited
    expect(exit.signal).toBe('SIGTERM')
    const last = JSON.parse(readFileSync(log, 'utf8').trimEnd().split('\n').pop()!)
    expect(last).toMatchObject({ kind: '@@lifecycle', body: { event: 'signal', signal: 'SIGTERM' } })
    const r = verify(log)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(
      `note: The log ends without @@end: the process received SIGTERM without closing the recorder; everything it recorded up to the signal (seq ${last.seq}) is in the log (anything recorded after it, if the process went on, is not).`,
    )
    expect(r.stderr).not.toMatch(/killed|may be incomplete/)
    expect(inspect(log).stdout).toMatch(/ended\s+without @@end: the process received SIGTERM without closing the recorder; everything it recorded up to then is in the log \(if it went on after the signal, what it recorded after is not\)\n/)
    expect(JSON.parse(inspect(log, true).stdout).ended).toMatchObject({ why: 'process-ended', signal: 'SIGTERM' })
  })

  it('a log that stops before the exit entry (a killed process) keeps the may-be-incomplete note', () => {
    const lines = readFileSync(recordAndExit('cut.jsonl'), 'utf8').trimEnd().split('\n')
    const killed = join(dir, 'killed.jsonl')
    writeFileSync(killed, lines.slice(0, -1).join('\n') + '\n')
    const r = verify(killed)
    expect(r.stderr).toContain('note: The log ends without @@end, so it may be incomplete: the recorder was not closed (a page closed before its last lines were sent, a process killed')
    expect(inspect(killed).stdout).toMatch(/ended\s+without @@end \(the recorder was not closed; last entry: /)
  })
})
