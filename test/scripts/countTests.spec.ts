// The final line of `npm test` and .ci/run comes from scripts/count-tests.mjs; when a test fails,
// the lines above it name the test and the first line of its message, so the tail of a CI log says
// what failed without the whole log.
import { describe, expect, it } from 'vitest'
import { countReport, countReports, printSummary } from '../../scripts/count-tests.mjs'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const report = {
  numPassedTests: 1,
  numFailedTests: 1,
  numTotalTests: 2,
  testResults: [
    {
      name: join(process.cwd(), 'test/x/a.spec.ts'),
      status: 'failed',
      assertionResults: [
        { status: 'passed', title: 'works', fullName: 'a works' },
        { status: 'failed', title: 'breaks', fullName: 'a breaks', failureMessages: ['\u001b[31mAssertionError: expected 1 to be 2\u001b[39m\n    at x.spec.ts:3'] },
      ],
    },
  ],
}

describe('count-tests', () => {
  it('names each failed test with its file and the first line of its message', () => {
    const c = countReport(report, { ci: true })
    expect(c).toMatchObject({ passed: 1, failed: 1 })
    expect(c.failedTests).toEqual(['test/x/a.spec.ts > a breaks: AssertionError: expected 1 to be 2'])
  })

  it('prints the failed tests above the final line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rfr-count-'))
    const file = join(dir, 'r.json')
    writeFileSync(file, JSON.stringify(report))
    const lines: string[] = []
    const log = console.log
    console.log = (line: string) => lines.push(line)
    try {
      printSummary(countReports([file, join(dir, 'missing.json')], { ci: true }))
    } finally {
      console.log = log
    }
    expect(lines).toEqual([
      `failed: ${file}: test/x/a.spec.ts > a breaks: AssertionError: expected 1 to be 2`,
      `no report: ${join(dir, 'missing.json')} (counted as one failure)`,
      '1 passed, 2 failed',
    ])
  })
})
