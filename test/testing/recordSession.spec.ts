import { describe, expect, it } from 'vitest'
import { session } from './shared'
import { memorySink } from 'redux-flight-recorder'
import { recordSession } from 'redux-flight-recorder/testing'
import { added, makeStore } from '../helpers/todoApp'

describe('recordSession', () => {
  it('returns the closed recording of the session', async () => {
    const rec = await session({ meta: { app: 'test' } })
    expect(rec.header.meta).toEqual({ app: 'test' })
    expect(rec.entries.map((e) => e.kind)).toEqual(['todos/added', 'todos/toggled'])
    expect(rec.end).toMatchObject({ count: 2 })
    expect(rec.entries[0].turn).toBe('t1')
  })

  it('closes the recorder (final @@end written) and rethrows when the script throws', async () => {
    const sink = memorySink()
    await expect(
      recordSession(
        makeStore,
        (store) => {
          store.dispatch(added({ id: 'a', title: 'x', done: false }))
          throw new Error('script failed')
        },
        { sinks: [sink] },
      ),
    ).rejects.toThrow('script failed')
    expect(JSON.parse(sink.lines[sink.lines.length - 1])).toMatchObject({ kind: '@@end', count: 1 })
  })

  it('rejects bad arguments', async () => {
    await expect(recordSession(null as never, null as never)).rejects.toThrow(/Expected recordSession\(build, script\)/)
  })
})
