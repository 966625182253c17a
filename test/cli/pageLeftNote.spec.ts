// Acceptance run, helper-174 (Low): `verify` on a page's session that ends with its `pagehide`
// entry (recordPageLifecycle's, written before the sinks' own page-hide writes, so everything
// recorded before it goes with it) said "may be incomplete … a page closed before its last lines
// were sent", where the panel says "ended when the page was left" of the same session read from
// IndexedDB. verify (dist/cli.js) and the panel's timeline, for a log read from a file, now say the
// panel's words. Real store, real recorder with a fileSink, real files.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildTimeline } from '../../src/panel/timeline'
import { actionAt, makeStore, reducer } from '../fixtures/cli/todoStore.mjs'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

let dir: string
beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-pageleft-')
})

/** 8 actions, then the page's lifecycle entries `events` as recordPageLifecycle writes them; flushed, never closed (the page was left). */
async function pageSession(name: string, events: [string, Record<string, unknown>][]): Promise<string> {
  const file = join(dir, name)
  const recorder = createFlightRecorder({ sinks: [fileSink(file)] })
  const store = makeStore(recorder)
  for (let i = 0; i < 8; i++) store.dispatch(actionAt(i))
  for (const [event, body] of events) recorder.lifecycle(event, body)
  await recorder.flush()
  return file
}

const verify = (file: string, ...flags: string[]) => runNode(CLI, ['verify', file, '--store', TODO_STORE, '--no-progress', ...flags])
const timeline = (text: string) => buildTimeline('session.jsonl', text, reducer, () => new Promise((r) => setImmediate(r)), () => false)
const lastSeq = (file: string, back = 1) => JSON.parse(readFileSync(file, 'utf8').trimEnd().split('\n').at(-back)!).seq as number

describe('verify: a page session that ends with its pagehide entry', () => {
  it('says the session ended when the page was left, as the panel does, not that it may be incomplete', async () => {
    const file = await pageSession('left.jsonl', [['pagehide', { persisted: false }]])
    const seq = lastSeq(file)
    expect(readFileSync(file, 'utf8')).toContain('"kind":"@@lifecycle","body":{"event":"pagehide","persisted":false}')
    const note = `The session ended when the page was left (a reload, a closed tab), after seq ${seq}: everything recorded up to then was stored.`
    const r = verify(file)
    expect(r.code).toBe(0)
    expect(r.stderr).toContain(`note: ${note}`)
    expect(r.stderr).not.toMatch(/may be incomplete|a page closed before/)
    expect(JSON.parse(verify(file, '--json').stdout)).toMatchObject({ ended: false, endNote: note })
    // The panel, given the same file (not from IndexedDB, so with no ending of its own), says the same.
    expect((await timeline(readFileSync(file, 'utf8')))!.summary).toContain(note)
  })

  it('the page hidden after it (the order Chromium writes them in when a tab closes) is the same ending', async () => {
    const file = await pageSession('left-hidden.jsonl', [['pagehide', { persisted: false }], ['visibilitychange', { state: 'hidden' }]])
    const r = verify(file)
    expect(r.stderr).toContain(`note: The session ended when the page was left (a reload, a closed tab), after seq ${lastSeq(file, 2)}: everything recorded up to then was stored.`)
  })

  it('entries missing before it: not said to be all stored', async () => {
    const file = await pageSession('left-gap.jsonl', [['pagehide', { persisted: false }]])
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n')
    writeFileSync(file, `${lines.filter((_, i) => i !== 4).join('\n')}\n`)
    const r = verify(file)
    expect(r.stderr).toMatch(/is missing|are missing/)
    expect(r.stderr).toContain(`note: The session ended when the page was left (a reload, a closed tab), after seq ${lastSeq(file)}: entries pending then were not all stored (the warnings name them).`)
  })

  it('a page hidden but not left (no pagehide last) is still said to be possibly incomplete', async () => {
    const file = await pageSession('hidden.jsonl', [['visibilitychange', { state: 'hidden' }]])
    expect(verify(file).stderr).toContain('note: The log ends without @@end, so it may be incomplete')
  })
})
