import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { instrument } from '@redux-devtools/instrument'
import { createStore } from 'redux'
import { beforeAll, describe, expect, it } from 'vitest'
import { added, renamed, rootReducer } from '../helpers/todoApp'
import { CLI, TODO_STORE, requireDist, runNode, tempDir } from '../node/helpers'

// `convert --from devtools` with redaction (acceptance, session 27: a DevTools export's secrets
// went into the converted log, with no way to leave them out).

let dir: string
const cli = (args: string[]) => runNode(CLI, args, { cwd: dir })

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-convert-redact-')
  // A lifted state from @redux-devtools/instrument, as the DevTools export it.
  const store = createStore(rootReducer, instrument() as never) as ReturnType<typeof createStore> & { liftedStore: { getState(): unknown } }
  store.dispatch(added({ id: 'a', title: 'Private title', done: false }))
  store.dispatch(renamed({ id: 'a', title: 'Another private title' }))
  writeFileSync(join(dir, 'session.devtools.json'), JSON.stringify(store.liftedStore.getState()))
})

describe('convert --from devtools --redact-state/--redact-action', () => {
  it('writes a log without those values, listing the paths, that verifies on the reducer', () => {
    const run = cli(['convert', 'session.devtools.json', '--from', 'devtools', '--redact-state', 'todos.entities.*.title', '--redact-action', 'payload.title', '-o', 'session.jsonl'])
    expect([run.code, run.stderr]).toEqual([0, 'wrote session.jsonl (2 actions, hashed with fr64, 2 paths redacted)\n'])
    const log = readFileSync(join(dir, 'session.jsonl'), 'utf8')
    expect(log).not.toMatch(/private title/i)
    expect(JSON.parse(log.split('\n')[0]).redact).toEqual({ state: ['todos.entities.*.title'], actions: ['payload.title'] })
    const verify = cli(['verify', 'session.jsonl', '--store', TODO_STORE])
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/2 steps' hashes checked/)
  })

  it('refuses a path that could match nothing, and redaction with --to devtools', () => {
    const bad = cli(['convert', 'session.devtools.json', '--from', 'devtools', '--redact-state', "todos['x']", '-o', 'bad.jsonl'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/redact\.state/)
    const to = cli(['convert', 'session.jsonl', '--to', 'devtools', '--redact-state', 'todos'])
    expect(to.code).toBe(2)
    expect(to.stderr).toContain('--redact-state and --redact-action apply to --from devtools')
  })
})
