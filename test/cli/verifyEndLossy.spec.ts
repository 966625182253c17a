import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'

// Acceptance run (session 30), P2: a log that ends with @@end was said, in `verify --json`, to end
// without it ("whatever it recorded after seq 3 is not in it") when the replay stopped early (a
// reducer that throws): the note was of the last line the replay read, not of the log.
// P3: lossy values made `verify` print "NOT fully verified (lossy values)", but `--json` had
// `notFullyVerified: null` (with --strict: ok false, report null, so no reason at all) and text
// mode left out the `warning: not fully verified: …` line it prints for the other reasons.

let dir: string
const cli = (...args: string[]) => runNode(CLI, args, { cwd: dir })

// A session of five `add` actions, closed (@@end at seq 6) — the tester's clean.jsonl.
const HEADER = `{"kind":"@@session","v":1,"session":"97be73e7-6dd2-4a08-b8e6-ba0d695f0878","ts":"2026-12-06T05:53:51.570Z","hash_alg":"fr64","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":{"items":[],"at":null},"hash":"b023ae22ae1577f5","sink":0}`
const STEPS = [
  `{"seq":1,"ts":"2026-12-06T05:53:51.572Z","t":2.768,"turn":"t1","kind":"add","action":{"type":"add","item":0},"hash":"22bfbe73781841b9"}`,
  `{"seq":2,"ts":"2026-12-06T05:53:51.573Z","t":3.166,"turn":"t2","kind":"add","action":{"type":"add","item":1},"hash":"b43fb8d68ee8fb94"}`,
  `{"seq":3,"ts":"2026-12-06T05:53:51.573Z","t":3.215,"turn":"t3","kind":"add","action":{"type":"add","item":2},"hash":"4f7c4fdec1c4e0ed"}`,
  `{"seq":4,"ts":"2026-12-06T05:53:51.573Z","t":3.251,"turn":"t4","kind":"add","action":{"type":"add","item":3},"hash":"e4855a4c51134671"}`,
  `{"seq":5,"ts":"2026-12-06T05:53:51.574Z","t":4.247,"turn":"t5","kind":"add","action":{"type":"add","item":4},"hash":"15dfb7fc26169814"}`,
]
const END = `{"kind":"@@end","seq":6,"ts":"2026-12-06T05:53:51.578Z","t":8.41,"count":5,"dropped":0,"state":{"items":[0,1,2,3,4],"at":null},"hash":"15dfb7fc26169814"}`
// The reducer the log was recorded with, and one that throws on the third action.
const STORE = `export const reducer = (s = { items: [], at: null }, a) => a.type === 'add' ? { items: [...s.items, a.item], at: a.at ?? s.at } : s\n`
const THROWS = `export const reducer = (s = { items: [], at: null }, a) => { if (a.type === 'add' && a.item === 2) throw new TypeError('kaboom'); return a.type === 'add' ? { items: [...s.items, a.item], at: a.at ?? s.at } : s }\n`

// A session holding a Date (seq 1) and a NaN (seq 2), closed — the tester's lossy.jsonl.
const LOSSY = [
  `{"kind":"@@session","v":1,"session":"af5f4274-4f1c-4553-85f5-d86ab1fcd55f","ts":"2026-12-06T05:53:51.581Z","hash_alg":"fr64","meta":{},"redact":{"state":[],"actions":[]},"from_seq":1,"state":{"items":[],"at":null},"hash":"b023ae22ae1577f5","sink":0}`,
  `{"seq":1,"ts":"2026-12-06T05:53:51.581Z","t":0.963,"turn":"t1","kind":"add","action":{"type":"add","item":1,"at":"1970-01-01T00:00:00.000Z"},"hash":"fb7f617bd2147e6d","lossy":[{"path":"at","kind":"date"}],"stateLossy":[{"path":"at","kind":"date"}]}`,
  `{"seq":2,"ts":"2026-12-06T05:53:51.582Z","t":1.175,"turn":"t2","kind":"add","action":{"type":"add","item":null},"hash":"f9b7fcc9b3a7ec5c","lossy":[{"path":"item","kind":"non-finite","detail":"NaN"}],"stateLossy":[{"path":"items.1","kind":"non-finite","detail":"NaN"}]}`,
  `{"kind":"@@end","seq":3,"ts":"2026-12-06T05:53:51.587Z","t":6.067,"count":2,"dropped":0,"state":{"items":[1,null],"at":"1970-01-01T00:00:00.000Z"},"lossy":[{"path":"items.1","kind":"non-finite","detail":"NaN"},{"path":"at","kind":"date"}],"hash":"f9b7fcc9b3a7ec5c"}`,
]

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-endlossy-')
  writeFileSync(join(dir, 'store.mjs'), STORE)
  writeFileSync(join(dir, 'throws.mjs'), THROWS)
  writeFileSync(join(dir, 'clean.jsonl'), [HEADER, ...STEPS, END].join('\n') + '\n')
  // Without @@end (the recorder not closed).
  writeFileSync(join(dir, 'open.jsonl'), [HEADER, ...STEPS].join('\n') + '\n')
  // Without @@end, its last line cut short (the writer stopped mid-line).
  writeFileSync(join(dir, 'cut.jsonl'), [HEADER, ...STEPS].join('\n') + '\n' + END.slice(0, 40))
  writeFileSync(join(dir, 'lossy.jsonl'), LOSSY.join('\n') + '\n')
  // Lossy and cut short: its @@end line was cut mid-line.
  writeFileSync(join(dir, 'lossy-cut.jsonl'), LOSSY.slice(0, 3).join('\n') + '\n' + LOSSY[3].slice(0, 50))
})

type Json = { ok: boolean; exitCode: number; replayOk: boolean; ended: boolean; endNote: string | null; notFullyVerified: string | null; report: string | null }
const json = (log: string, store: string, ...args: string[]) => {
  const r = cli('verify', log, '--store', store, '--json', ...args)
  return { code: r.code, result: JSON.parse(r.stdout) as Json }
}

describe('verify --json: ended/endNote are the log\'s, whatever the replay did (P2)', () => {
  it('a log that ends with @@end is ended, with no note, when the reducer throws during replay', () => {
    const { code, result } = json('clean.jsonl', 'throws.mjs')
    expect(code).toBe(1)
    expect(result.replayOk).toBe(false)
    expect(result.report).toMatch(/reducer threw: TypeError: kaboom/)
    expect(result.ended).toBe(true)
    expect(result.endNote).toBeNull()
    // as inspect says of the same file
    const inspected = JSON.parse(cli('inspect', 'clean.jsonl', '--json').stdout) as { ended: { clean: boolean } }
    expect(inspected.ended.clean).toBe(true)
    // and as verify says when the replay passes
    expect(json('clean.jsonl', 'store.mjs').result).toMatchObject({ ok: true, ended: true, endNote: null })
  })

  it('a log without @@end that diverges gets the note of its own last line, not of where the replay stopped', () => {
    const { result } = json('open.jsonl', 'throws.mjs')
    expect(result.replayOk).toBe(false)
    expect(result.ended).toBe(false)
    expect(result.endNote).toMatch(/^The log ends without @@end, so it may be incomplete: .*whatever it recorded after seq 5 is not in it\.$/)
    expect(json('open.jsonl', 'store.mjs').result.endNote).toBe(result.endNote)
  })

  it('a last line cut short after where the replay stopped is left out, as the reader leaves it out', () => {
    const { result } = json('cut.jsonl', 'throws.mjs')
    expect(result.replayOk).toBe(false)
    expect(result.ended).toBe(false)
    expect(result.endNote).toMatch(/whatever it recorded after seq 5 is not in it\.$/)
    // the same note as when the replay reads the whole log
    expect(json('cut.jsonl', 'store.mjs').result.endNote).toBe(result.endNote)
  })
})

describe('verify (text): after a failed replay, the end note is the log\'s, as --json\'s endNote', () => {
  const notes = (stderr: string) => stderr.split('\n').filter((l) => l.startsWith('note: '))

  it('a log without @@end that diverges gets the note --json gives it', () => {
    const r = cli('verify', 'open.jsonl', '--store', 'throws.mjs')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL {2}open\.jsonl does not replay on throws\.mjs$/m)
    const { result } = json('open.jsonl', 'throws.mjs')
    expect(result.endNote).not.toBeNull()
    expect(notes(r.stderr)).toEqual([`note: ${result.endNote}`])
    // the same note as when the replay passes
    expect(notes(cli('verify', 'open.jsonl', '--store', 'store.mjs').stderr)).toEqual([`note: ${result.endNote}`])
  })

  it('a last line cut short after where the replay stopped: the note of the last whole line', () => {
    const r = cli('verify', 'cut.jsonl', '--store', 'throws.mjs')
    expect(r.code).toBe(1)
    expect(notes(r.stderr)).toEqual([`note: ${json('cut.jsonl', 'throws.mjs').result.endNote}`])
    expect(r.stderr).toMatch(/^note: .*whatever it recorded after seq 5 is not in it\.$/m)
  })

  it('a log that ends with @@end gets no note', () => {
    const r = cli('verify', 'clean.jsonl', '--store', 'throws.mjs')
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/reducer threw: TypeError: kaboom/)
    expect(notes(r.stderr)).toEqual([])
  })
})

describe('verify: lossy values are a reason the log is not fully verified (P3)', () => {
  const LOSSY_WHY = /the log holds lossy values \(values in another form than the app had them: see the warnings\), so the replay checked those forms, not the values\./

  it('--json names them in notFullyVerified, and exits 0 without --strict', () => {
    const { code, result } = json('lossy.jsonl', 'store.mjs')
    expect(code).toBe(0)
    expect(result).toMatchObject({ ok: true, exitCode: 0, replayOk: true, report: null })
    expect(result.notFullyVerified).toMatch(LOSSY_WHY)
  })

  it('--json --strict says why it failed', () => {
    const { code, result } = json('lossy.jsonl', 'store.mjs', '--strict')
    expect(code).toBe(1)
    expect(result).toMatchObject({ ok: false, exitCode: 1, replayOk: true, report: null })
    expect(result.notFullyVerified).toMatch(LOSSY_WHY)
  })

  it('text mode prints the `warning: not fully verified:` line, as for the other reasons', () => {
    const r = cli('verify', 'lossy.jsonl', '--store', 'store.mjs')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ok {2}lossy\.jsonl: .*, NOT fully verified \(lossy values\)$/m)
    expect(r.stderr).toContain('warning: at was a Date, logged as its ISO string (seq 1')
    expect(r.stderr.split('\n').filter((l) => l.startsWith('warning: not fully verified: '))).toEqual([
      'warning: not fully verified: the log holds lossy values (values in another form than the app had them: see the warnings), so the replay checked those forms, not the values.',
    ])
    const strict = cli('verify', 'lossy.jsonl', '--store', 'store.mjs', '--strict')
    expect(strict.code).toBe(1)
    expect(strict.stdout).toMatch(/^FAIL {2}lossy\.jsonl: .*NOT fully verified \(lossy values\) \(--strict\)$/m)
    expect(strict.stderr).toMatch(LOSSY_WHY)
  })

  it('with another reason (a last line cut short), both are said', () => {
    const { result } = json('lossy-cut.jsonl', 'store.mjs')
    expect(result.notFullyVerified).toMatch(/^the log is incomplete, so the steps lost there were not checked: .*cut short.* And the log holds lossy values/)
    const r = cli('verify', 'lossy-cut.jsonl', '--store', 'store.mjs')
    expect(r.stderr).toMatch(/^warning: not fully verified: the log is incomplete \(see the warning above\), so the steps lost there were not checked\. And the log holds lossy values .*not the values\.$/m)
  })
})
