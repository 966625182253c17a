// fileSink to a symbolic link (as /dev/stdout is: a shell's `> out.log` makes it lead to a regular
// file). A new log is written under a temporary name and renamed into place; renamed over a link,
// it took the link's place: the link was gone and its file never saw the log.
import { lstatSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { configureStore, createSlice } from '@reduxjs/toolkit'
import { createFlightRecorder } from 'redux-flight-recorder'
import { fileSink } from 'redux-flight-recorder/node'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { requireDist, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

const counter = createSlice({
  name: 'counter',
  initialState: { n: 0 },
  reducers: { added: (state, action: { payload: number }) => void (state.n += action.payload) },
})

describe('fileSink to a symbolic link', () => {
  it('appends the log to the file the link leads to, and leaves the link in place', async () => {
    const dir = tempDir()
    const target = join(dir, 'out.log')
    const link = join(dir, 'stdout')
    writeFileSync(target, 'started\n')
    symlinkSync(target, link)
    const recorder = createFlightRecorder({ sinks: [fileSink(link, { processLifecycle: false })] })
    const store = configureStore({
      reducer: counter.reducer,
      middleware: (gdm) => gdm().prepend(recorder.middleware),
      enhancers: (gde) => gde().concat(recorder.enhancer),
    })
    store.dispatch(counter.actions.added(2))
    await recorder.flush()
    store.dispatch(counter.actions.added(3))
    await recorder.close()

    expect(lstatSync(link).isSymbolicLink()).toBe(true)
    expect(readlinkSync(link)).toBe(target)
    const text = readFileSync(target, 'utf8')
    expect(text.startsWith('started\n{"kind":"@@session"')).toBe(true)
    const log = parseRecording(text.slice('started\n'.length))
    expect(log.entries.map((e) => ('action' in e ? e.action?.type : e.kind))).toEqual(['counter/added', 'counter/added'])
    expect(replay(log, { reducer: counter.reducer }).ok).toBe(true)
  })
})
