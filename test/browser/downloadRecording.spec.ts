import { readFile } from 'node:fs/promises'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { downloadRecording } from 'redux-flight-recorder/browser'
import { describe, expect, it } from 'vitest'
import { rootReducer } from '../helpers/todoApp'
import { describeInChromium } from './chromium'
import { setupBrowserSuite } from './suite'

describeInChromium('downloadRecording (Chromium)', () => {
  const suite = setupBrowserSuite()

  it('downloads the session as .jsonl from a devtools button; Node parses it and replay verifies it', async () => {
    const page = await suite.openApp()
    for (let i = 0; i < 3; i++) await page.click('#add')
    await page.click('#toggle')
    // A thunk across an await, so turns and async actions are in the file too.
    await page.evaluate(() => (window as any).app.store.dispatch((window as any).app.actions.syncTodos(2)))
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')])

    expect(download.suggestedFilename()).toBe('todo-session.jsonl')
    const text = await readFile((await download.path())!, 'utf8')
    const recording = parseRecording(text)
    expect(recording.header.meta).toEqual({ app: 'browser-fixture' })
    expect(recording.entries.map((e) => e.kind)).toEqual([
      'todos/added',
      'todos/added',
      'todos/added',
      'todos/toggled',
      'todos/sync/pending',
      'todos/sync/fulfilled',
      // downloads end with a checkpoint of the current state, so a late divergence gets a diff
      '@@checkpoint',
    ])
    expect(recording.entries.at(-1)).toMatchObject({ reason: 'snapshot' })
    const result = replay(recording, { reducer: rootReducer })
    expect(result.divergence).toBeUndefined()
    expect(result).toMatchObject({ ok: true, verified: true, steps: 6 })
    expect(result.state).toEqual(await page.evaluate(() => (window as any).app.store.getState()))
  })

  it('names the file after the session when no name is given, and takes a Recording too', async () => {
    const page = await suite.openApp()
    await page.click('#add')
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => (window as any).app.downloadRecording((window as any).app.recorder)),
    ])
    const session = await page.evaluate(() => (window as any).app.recorder.session as string)
    expect(download.suggestedFilename()).toMatch(new RegExp(`^session-${session.slice(0, 8)}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.jsonl$`))

    const [again] = await Promise.all([
      page.waitForEvent('download'),
      page.evaluate(() => {
        const { app } = window as any
        return app.downloadRecording(app.recorder.snapshot(), 'copy')
      }),
    ])
    expect(again.suggestedFilename()).toBe('copy.jsonl')
    const a = parseRecording(await readFile((await download.path())!, 'utf8'))
    const b = parseRecording(await readFile((await again.path())!, 'utf8'))
    expect(b.entries).toEqual(a.entries)
    expect(replay(b, { reducer: rootReducer }).ok).toBe(true)
  })
})

describe('downloadRecording', () => {
  it('explains that it needs a page when called without a document', () => {
    expect(() => downloadRecording('{"kind":"@@session","v":1,"session":"s"}\n')).toThrow(/needs a browser page/)
  })

  it('rejects what is neither a recorder, a Recording nor text', () => {
    expect(() => downloadRecording({} as never)).toThrow(/Expected a recorder from createFlightRecorder\(\), a Recording or JSONL text/)
  })
})
