// docs/divergence-before-after.md: the bookshop report of issue 15 before and after its work. The
// "after" reports on the page are what this build prints now (scripts/bookshop-report.mjs against
// dist/), the report leads with the real change at seq 15, and the script's session is the test
// suite's bookshop session (test/helpers/bookshop.ts), action for action and hash for hash.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseRecording } from 'redux-flight-recorder/replay'
import { describe, expect, it } from 'vitest'
import { bookshopReport, loadBuild, recordBookshop } from '../../scripts/bookshop-report.mjs'
import { fences } from '../../scripts/check-docs.mjs'
import { recordBookshop as recordInSuite } from '../helpers/bookshop'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const page = readFileSync(join(root, 'docs/divergence-before-after.md'), 'utf8')
/** The console block under the heading `## title`. */
function report(title: string): string {
  const start = page.indexOf(`\n## ${title}\n`)
  expect(start, `no heading "## ${title}"`).toBeGreaterThanOrEqual(0)
  const next = page.indexOf('\n## ', start + 1)
  const line = (offset: number) => page.slice(0, offset).split('\n').length
  const block = fences(page).find((f) => f.lang === 'console' && f.line > line(start) && (next < 0 || f.line < line(next)))
  expect(block, `no console block under "## ${title}"`).toBeDefined()
  return block!.body
}

describe('docs/divergence-before-after.md', () => {
  it('shows the report this build prints for the bookshop session', async () => {
    expect(report('After')).toBe(await bookshopReport())
  })

  it('shows the report this build prints when the session was recorded with subtree hashes', async () => {
    expect(report('After, recorded with subtree hashes')).toBe(await bookshopReport(undefined, { subtrees: true }))
  })

  it('the report leads with the real change at seq 15, says cart/cleared erased it, and blames no hash input', async () => {
    const text = await bookshopReport()
    const lines = text.split('\n')
    expect(lines[0]).toBe("Replay diverged at seq 15 (turn t15), action 'cart/removedFromCart': the replayed state hashes differently from the recorded one.")
    // The first path printed is the step's own change, ahead of anything about later states.
    expect(lines.find((l) => /^ {4}\S/.test(l))).toBe('    cart.entities.b1.n: 1 → 0')
    expect(lines.findIndex((l) => l.includes('cart.entities.b1.n'))).toBeLessThan(lines.findIndex((l) => l.includes('@@end')))
    expect(text).toContain("after seq 21 ('cart/cleared') the replayed state hashes as recorded again")
    expect(text).not.toContain('hash input only')
    // With subtree hashes, what the recording had at the step: the entity removed.
    expect(await bookshopReport(undefined, { subtrees: true })).toContain('cart.entities.b1: (missing) → {"id":"b1","n":0}')
  })

  it('keeps the old report as the issue quoted it: the right step, the wrong diagnosis', () => {
    const before = report('Before')
    expect(before.split('\n')[0]).toBe(report('After').split('\n')[0])
    expect(before).toContain('The states at seq 22 (@@end) are equal as JSON: the difference is in the hash input only')
    expect(before).not.toContain('cart.entities.b1')
    expect(page).toContain('`0a66e97`')
  })

  it("the script's session is the suite's bookshop session: the same actions, turns and hashes", async () => {
    const strip = (log: string) => {
      const r = parseRecording(log)
      return { start: r.header.hash, entries: r.entries.map((e) => ({ seq: e.seq, kind: e.kind, action: 'action' in e ? e.action : undefined, turn: 'turn' in e ? e.turn : undefined, hash: 'hash' in e ? e.hash : undefined })), end: r.end?.hash }
    }
    const fromScript = strip(await recordBookshop(await loadBuild()))
    expect(fromScript.entries).toHaveLength(21)
    expect(fromScript).toEqual(strip(await recordInSuite()))
  })
})
