import { afterAll, describe, expect, it } from 'vitest'
import { buggy, logDir } from './shared'
import { join } from 'node:path'
import { FlightRecorderError } from 'redux-flight-recorder'
import { expectReplayFile } from 'redux-flight-recorder/testing'
import { rootReducer } from '../helpers/todoApp'

const { dir, remove } = await logDir()
afterAll(remove)

describe('expectReplayFile', () => {
  it('streams a log file and throws with the file named in the message', async () => {
    const file = join(dir, 'one.jsonl')
    await expect(expectReplayFile(file, { reducer: rootReducer })).resolves.toMatchObject({ ok: true })
    await expect(expectReplayFile(file, { reducer: buggy })).rejects.toThrow(`The log ${file} did not replay:\nReplay diverged at seq 2 (turn t2)`)
    // The update hint names the file.
    await expect(expectReplayFile(file, { reducer: buggy })).rejects.toThrow(`update the log: flight-recorder rehash ${file} --store <module> --in-place, or run the tests with -u`)
  })

  it('says when the file does not exist', async () => {
    const missing = join(dir, 'missing.jsonl')
    await expect(expectReplayFile(missing, { reducer: rootReducer })).rejects.toBeInstanceOf(FlightRecorderError)
    await expect(expectReplayFile(missing, { reducer: rootReducer })).rejects.toThrow(/No log file at/)
  })
})
