import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI, requireDist, runNode, tempDir } from '../node/helpers'

// Acceptance run (session 31): a Redux DevTools export given where a log is read failed with "the
// first line has no `kind`" and did not say to convert it. The log reader says so now, so `verify`
// and `inspect` do too; and the command it names converts the file.

let dir: string
const cli = (...args: string[]) => runNode(CLI, args, { cwd: dir })
const HINT =
  'dt.json is not a usable flight-recorder log: Line 1 of the recording is not valid: expected the @@session header first. Instead, the first line looks like a Redux DevTools export: convert it with `flight-recorder convert dt.json --from devtools` (or `fromDevToolsExport` from redux-flight-recorder/devtools).'

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-devtools-hint-')
  writeFileSync(join(dir, 'store.mjs'), `export const reducer = (s = { n: 0 }, a) => (a.type === 'inc' ? { n: s.n + 1 } : s)\n`)
  // The file Redux DevTools' Export button writes: { payload, preloadedState }, one line.
  writeFileSync(join(dir, 'dt.json'), JSON.stringify({ payload: JSON.stringify([{ type: 'inc' }, { type: 'inc' }]), preloadedState: JSON.stringify({ n: 0 }) }))
})

describe('a Redux DevTools export given to verify and inspect', () => {
  it('names the file itself in the convert command (quoted for the shell where it must be)', () => {
    writeFileSync(join(dir, 'my export.json'), readFileSync(join(dir, 'dt.json')))
    expect(cli('inspect', 'my export.json').stderr).toContain("convert it with `flight-recorder convert 'my export.json' --from devtools`")
  })

  it('says it is one and how to convert it, in text and in --json', () => {
    const verify = cli('verify', 'dt.json', '--store', './store.mjs')
    expect(verify.code).toBe(2)
    expect(verify.stderr).toBe(`flight-recorder: ${HINT}\n`)
    const inspect = cli('inspect', 'dt.json')
    expect(inspect.code).toBe(2)
    expect(inspect.stderr).toBe(`flight-recorder: ${HINT}\n`)
    const json = cli('verify', 'dt.json', '--store', './store.mjs', '--json')
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, exitCode: 2, error: HINT })
  })

  it('the command it names converts the file into a log that verifies', () => {
    const converted = cli('convert', 'dt.json', '--from', 'devtools', '-o', 'dt.jsonl')
    expect(converted.code).toBe(0)
    expect(readFileSync(join(dir, 'dt.jsonl'), 'utf8')).toMatch(/^\{"kind":"@@session"/)
    const verify = cli('verify', 'dt.jsonl', '--store', './store.mjs')
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/^ok {2}dt\.jsonl: 2 actions replayed/)
  })
})
