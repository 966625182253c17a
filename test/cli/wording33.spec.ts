import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { run } from '../../src/cli/run'

// The log tools' wording on hand-made logs (session 33, F11): `diff --json` named its two sides
// `recorded`/`replayed` where the text says "a → b".

let dir: string
const fixture = readFileSync(join(__dirname, '../fixtures/v1/basic.jsonl'), 'utf8')

// test/fixtures/v1/reducer.ts, as the JavaScript module the CLI loads.
const STORE = `export function reducer(state = { todos: { ids: [], entities: {} }, filter: 'all', auth: { token: null } }, action) {
  switch (action.type) {
    case 'todos/added': {
      const t = action.payload
      return { ...state, todos: { ids: [...state.todos.ids, t.id], entities: { ...state.todos.entities, [t.id]: { id: t.id, title: t.title, done: false } } } }
    }
    case 'todos/toggled': {
      const t = state.todos.entities[action.payload]
      if (!t) return state
      return { ...state, todos: { ...state.todos, entities: { ...state.todos.entities, [t.id]: { ...t, done: !t.done } } } }
    }
    case 'todos/removed': {
      const { [action.payload]: _gone, ...rest } = state.todos.entities
      return { ...state, todos: { ids: state.todos.ids.filter((id) => id !== action.payload), entities: rest } }
    }
    case 'filter/set':
      return { ...state, filter: action.payload }
    default:
      return state
  }
}
`

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fr-wording-33-'))
  writeFileSync(join(dir, 'store.mjs'), STORE)
  writeFileSync(join(dir, 'basic.jsonl'), fixture)
})

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = []
  const err: string[] = []
  const code = await run(args, { out: (t) => void out.push(t), err: (t) => void err.push(t), tty: false, columns: 100, cwd: dir })
  return { code, out: out.join(''), err: err.join('') }
}

describe('diff --json', () => {
  it('names the two sides of every difference a and b, as the text does ("a → b")', async () => {
    // b toggles another todo at seq 4, with the hashes its reducer gives (rehash).
    writeFileSync(join(dir, 'other.jsonl'), fixture.replace('"payload":"a"},"hash"', '"payload":"b"},"hash"'))
    const rehashed = await cli(['rehash', 'other.jsonl', '--store', 'store.mjs', '--in-place'])
    expect(rehashed.code, rehashed.err).toBe(0)

    const text = await cli(['diff', 'basic.jsonl', 'other.jsonl', '--store', 'store.mjs'])
    expect(text.code).toBe(1)
    expect(text.out).toContain('  action differences (a → b):\n    payload: "a" → "b"\n')
    expect(text.out).toContain('  replayed states after this step (a → b):\n    todos.entities.a.done: true → false\n    todos.entities.b.done: false → true\n')

    const json = await cli(['diff', 'basic.jsonl', 'other.jsonl', '--store', 'store.mjs', '--json'])
    expect(json.code).toBe(1)
    const d = JSON.parse(json.out).difference
    expect(d.actionDifferences).toEqual([{ path: 'payload', a: 'a', b: 'b' }])
    expect(d.replayed.stateDifferences).toEqual([
      { path: 'todos.entities.a.done', a: true, b: false },
      { path: 'todos.entities.b.done', a: false, b: true },
    ])
    expect(json.out).not.toContain('"recorded"')

    // A todo only b has, at the start: its side is b's, as the text's "inserted".
    writeFileSync(
      join(dir, 'start.jsonl'),
      fixture.replace('"state":{"todos":{"ids":[],"entities":{}}', '"state":{"todos":{"ids":["z"],"entities":{"z":{"id":"z","title":"extra","done":false}}}').replace('"hash":"7c36f9816df85636"', '"hash":null'),
    )
    const start = await cli(['diff', 'basic.jsonl', 'start.jsonl'])
    expect(start.out).toContain('  state differences (a → b):\n    todos.ids.0: inserted "z"\n    todos.entities.z: (missing) → {"id":"z","title":"extra","done":false}\n')
    const startJson = JSON.parse((await cli(['diff', 'basic.jsonl', 'start.jsonl', '--json'])).out).difference
    expect(startJson).toEqual({
      at: 'start',
      stateDifferences: [
        { path: 'todos.ids.0', b: 'z', element: 'inserted' },
        { path: 'todos.entities.z', b: { id: 'z', title: 'extra', done: false } },
      ],
    })
  })
})

describe('inspect of a log whose @@end gives no count (FORMAT.md: optional, read as 0)', () => {
  it('says the line gives no count, and --json leaves `count` out, rather than "0 actions in the session"', async () => {
    writeFileSync(join(dir, 'no-count.jsonl'), fixture.replace('"count":6,', ''))
    const text = await cli(['inspect', 'no-count.jsonl'])
    expect(text.code, text.err).toBe(0)
    expect(text.out).toContain('entries   seq 1–11: 6 actions in 6 turns, 2 checkpoints\n')
    expect(text.out).toContain('ended     cleanly (@@end at seq 11: no count of the actions in the session, 0 dropped)\n')
    const json = JSON.parse((await cli(['inspect', 'no-count.jsonl', '--json'])).out)
    expect(json.ended).toEqual({ clean: true, dropped: 0, seq: 11 })

    // A count that is there is said as it is, 0 too; one that is not a number is none.
    const withCount = await cli(['inspect', 'basic.jsonl'])
    expect(withCount.out).toContain('ended     cleanly (@@end at seq 11: 6 actions in the session, 0 dropped)\n')
    expect(JSON.parse((await cli(['inspect', 'basic.jsonl', '--json'])).out).ended).toEqual({ clean: true, count: 6, dropped: 0, seq: 11 })
    writeFileSync(join(dir, 'zero-count.jsonl'), fixture.replace('"count":6,', '"count":0,'))
    expect((await cli(['inspect', 'zero-count.jsonl'])).out).toContain('(@@end at seq 11: 0 actions in the session, 0 dropped)')
    writeFileSync(join(dir, 'text-count.jsonl'), fixture.replace('"count":6,', '"count":"6",'))
    expect((await cli(['inspect', 'text-count.jsonl'])).out).toContain('(@@end at seq 11: no count of the actions in the session, 0 dropped)')
    // Nor "0 dropped" for an @@end without `dropped` (the review, session 33).
    writeFileSync(join(dir, 'no-dropped.jsonl'), fixture.replace('"dropped":0,', ''))
    expect((await cli(['inspect', 'no-dropped.jsonl'])).out).toContain('ended     cleanly (@@end at seq 11: 6 actions in the session)\n')
    expect(JSON.parse((await cli(['inspect', 'no-dropped.jsonl', '--json'])).out).ended).toEqual({ clean: true, count: 6, seq: 11 })
  })
})

describe('verify of a log with a hash written in uppercase (FORMAT.md: a mismatch, not an error of format)', () => {
  it('says the recorded hash is the replayed one in uppercase, naming its line, in the text and in --json', async () => {
    // Line 2 is seq 1; a blank line before it counts as a line of the file.
    const step = fixture.replace('"hash":"2d1e8be4acf189b7"', '"hash":"2D1E8BE4ACF189B7"').replace('\n', '\n\n')
    writeFileSync(join(dir, 'upper-step.jsonl'), step)
    const r = await cli(['verify', 'upper-step.jsonl', '--store', 'store.mjs'])
    expect(r.code).toBe(1)
    expect(r.out).toContain(
      '  expected hash: 2D1E8BE4ACF189B7 (recorded)\n' +
        '  actual hash:   2d1e8be4acf189b7 (replayed)\n' +
        '  the recorded hash is the replayed one in uppercase (line 3, seq 1): hashes are compared as strings and fr64 writes them in lowercase (docs/FORMAT.md), so the line was edited by hand; write its hash in lowercase.\n',
    )
    const json = JSON.parse((await cli(['verify', 'upper-step.jsonl', '--store', 'store.mjs', '--json'])).out)
    expect(json).toMatchObject({ ok: false, exitCode: 1, divergence: { seq: 1, expectedHash: '2D1E8BE4ACF189B7', actualHash: '2d1e8be4acf189b7' } })
    expect(json.report).toContain('  the recorded hash is the replayed one in uppercase (line 3, seq 1): ')

    // The header's hash: the header is named.
    writeFileSync(join(dir, 'upper-header.jsonl'), fixture.replace('"hash":"7c36f9816df85636"', '"hash":"7C36F9816DF85636"'))
    const h = await cli(['verify', 'upper-header.jsonl', '--store', 'store.mjs'])
    expect(h.code).toBe(1)
    expect(h.out).toContain('  actual hash:   7c36f9816df85636 (replayed)\n  the recorded hash is the replayed one in uppercase (line 1, the @@session header): ')

    // A store's own hash that writes uppercase, against a log that holds lowercase: not the
    // recorded hash edited by hand (the review, session 33).
    writeFileSync(join(dir, 'store-upper.mjs'), `${STORE}\nexport const hash = Object.assign((s) => 'H' + JSON.stringify(s).length, { algorithm: 'upper' })\n`)
    const header = JSON.parse(fixture.split('\n')[0])
    writeFileSync(join(dir, 'lower-log.jsonl'), JSON.stringify({ ...header, hash_alg: 'upper', hash: 'h' + JSON.stringify(header.state).length }) + '\n')
    const u = await cli(['verify', 'lower-log.jsonl', '--store', 'store-upper.mjs'])
    expect(u.code).toBe(1)
    expect(u.out).toContain('  actual hash:   H')
    expect(u.out).not.toContain('uppercase')

    // A hash that differs otherwise gets no such line.
    writeFileSync(join(dir, 'other-hash.jsonl'), fixture.replace('"hash":"2d1e8be4acf189b7"', '"hash":"2d1e8be4acf189b8"'))
    const o = await cli(['verify', 'other-hash.jsonl', '--store', 'store.mjs'])
    expect(o.code).toBe(1)
    expect(o.out).toContain('  expected hash: 2d1e8be4acf189b8 (recorded)\n')
    expect(o.out).not.toContain('uppercase')
  })
})

describe('diff of a log with a hash written in uppercase', () => {
  it('says the hashes are the same but for case, not that the states differ', async () => {
    writeFileSync(join(dir, 'upper-1.jsonl'), fixture.replace('"hash":"2d1e8be4acf189b7"', '"hash":"2D1E8BE4ACF189B7"'))
    const r = await cli(['diff', 'basic.jsonl', 'upper-1.jsonl'])
    expect(r.code).toBe(1)
    expect(r.out).toContain(
      "They differ at action 1: the actions are equal, and so are their hashes but for case: b's step hash is written in uppercase (a log edited by hand: hashes are compared as strings, docs/FORMAT.md).\n",
    )
    expect(r.out).not.toContain('states they led to differ')
    expect(JSON.parse((await cli(['diff', 'basic.jsonl', 'upper-1.jsonl', '--json'])).out).difference).toMatchObject({ at: 'action', index: 1, reason: expect.stringContaining('but for case') })
    // The actions differ too: said, not "the actions are equal" (the review, session 33).
    const edited = fixture.split('\n').map((line) => (line.startsWith('{"seq":1,') ? line.replace('"action":{', '"action":{"source":"keyboard",').replace('"hash":"2d1e8be4acf189b7"', '"hash":"2D1E8BE4ACF189B7"') : line))
    writeFileSync(join(dir, 'upper-edited.jsonl'), edited.join('\n'))
    const ed = await cli(['diff', 'basic.jsonl', 'upper-edited.jsonl'])
    expect(ed.out).toContain("They differ at action 1: the actions differ; their hashes are the same but for case: b's step hash is written in uppercase")
    expect(ed.out).toContain('source: (missing) → "keyboard"')

    writeFileSync(join(dir, 'upper-head.jsonl'), fixture.replace('"hash":"7c36f9816df85636"', '"hash":"7C36F9816DF85636"'))
    const h = await cli(['diff', 'upper-head.jsonl', 'basic.jsonl'])
    expect(h.out).toContain("\nThe logs' headers hold the same hash but for case: a's header hash is written in uppercase (a log edited by hand: hashes are compared as strings, docs/FORMAT.md).\n")
    expect(h.out).not.toContain('start from different states')

    const end = fixture.trimEnd().split('\n')
    end[end.length - 1] = end[end.length - 1].replace('"hash":"a3b38eb6c0d78bde"', '"hash":"A3B38EB6C0D78BDE"')
    writeFileSync(join(dir, 'upper-end.jsonl'), end.join('\n') + '\n')
    const e = await cli(['diff', 'basic.jsonl', 'upper-end.jsonl'])
    expect(e.out).toContain("\nThe logs agree on all 6 actions; their @@end lines hold the same hash but for case: b's @@end hash is written in uppercase (a log edited by hand: hashes are compared as strings, docs/FORMAT.md).\n")
  })
})

describe('inspect of a log with a hash written in uppercase', () => {
  it('warns, naming the first such line and how many others, as verify will find a mismatch there', async () => {
    writeFileSync(join(dir, 'upper-inspect.jsonl'), fixture.replace('"hash":"2d1e8be4acf189b7"', '"hash":"2D1E8BE4ACF189B7"').replace('\n', '\n\n'))
    const r = await cli(['inspect', 'upper-inspect.jsonl'])
    expect(r.code).toBe(0)
    expect(r.out).toContain(
      '\nwarning: line 3 (seq 1) holds its hash in uppercase (2D1E8BE4ACF189B7): fr64 writes hashes in lowercase and they are compared as strings (docs/FORMAT.md), so verify reports a mismatch there (a log edited by hand: write it in lowercase).\n',
    )
    expect(JSON.parse((await cli(['inspect', 'upper-inspect.jsonl', '--json'])).out).warnings).toEqual([expect.stringMatching(/^line 3 \(seq 1\) holds its hash in uppercase/)])

    // The header first, in file order, and the count of the others (a step and @@end).
    const lines = fixture.trimEnd().split('\n')
    const all = lines.map((l, i) => (i === 0 || i === 1 || i === lines.length - 1 ? l.replace(/"hash":"([0-9a-f]{16})"/, (_, x: string) => `"hash":"${x.toUpperCase()}"`) : l))
    writeFileSync(join(dir, 'upper-three.jsonl'), all.join('\n') + '\n')
    expect((await cli(['inspect', 'upper-three.jsonl'])).out).toContain('\nwarning: the @@session header holds its hash in uppercase (7C36F9816DF85636), and 2 other lines too: ')

    // A log with lowercase hashes: no such warning.
    expect((await cli(['inspect', 'basic.jsonl'])).out).not.toContain('uppercase')
  })
})
