import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { requireDist, ROOT, runNode, tempDir } from './helpers'

beforeAll(() => requireDist(), 70_000)

/**
 * Where `MessageChannel` exists but `setImmediate` does not (Jest's jsdom environment with a
 * MessageChannel polyfill), the recorder's turns are scheduled through a MessageChannel
 * (src/slices.ts). Its port kept the Node process alive for good once used: after `close()` the
 * process never exited (active resources: MessagePort). It must keep the process alive only while
 * a turn that asks for it is coming (`close()` waiting for the hashes), and let it exit after.
 */
const rtk = createRequire(join(ROOT, 'package.json')).resolve('@reduxjs/toolkit')
const child = (close: boolean) => `
delete globalThis.setImmediate
const { configureStore, createSlice } = await import(${JSON.stringify(pathToFileURL(rtk).href)})
const { createFlightRecorder, memorySink } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/index.js')).href)})
const s = createSlice({ name: 's', initialState: { n: 0 }, reducers: { inc: (x) => void x.n++ } })
const sink = memorySink()
const recorder = createFlightRecorder({ sinks: [sink] })
const store = configureStore({ reducer: s.reducer, middleware: (g) => g().prepend(recorder.middleware), enhancers: (g) => g().concat(recorder.enhancer) })
store.dispatch(s.actions.inc())
store.dispatch(s.actions.inc())
${close ? `await recorder.close()
console.log(JSON.stringify(sink.lines.map((l) => JSON.parse(l)).map((e) => ({ kind: e.kind, hashed: typeof e.hash === 'string' }))))` : `console.log('left open')`}
`

/** Runs the child program (closing the recorder or not) in a fresh Node process. */
function runChild(close: boolean) {
  const file = join(tempDir('fr-mc-'), close ? 'closed.mjs' : 'open.mjs')
  writeFileSync(file, child(close))
  return runNode(file, [], { cwd: ROOT })
}

describe('turns through a MessageChannel in Node (no setImmediate)', () => {
  it('the process exits on its own after close(), with every line written and hashed', () => {
    const r = runChild(true)
    expect(r.stderr).toBe('')
    expect({ code: r.code, signal: r.signal }).toEqual({ code: 0, signal: null })
    expect(JSON.parse(r.stdout)).toEqual([
      { kind: '@@session', hashed: true },
      { kind: 's/inc', hashed: true },
      { kind: 's/inc', hashed: true },
      { kind: '@@end', hashed: true },
    ])
  })

  it('the process exits on its own with a recorder left open', () => {
    const r = runChild(false)
    expect(r.stderr).toBe('')
    expect({ code: r.code, signal: r.signal, stdout: r.stdout.trim() }).toEqual({ code: 0, signal: null, stdout: 'left open' })
  })
})
