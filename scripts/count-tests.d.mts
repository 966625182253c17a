// Types of scripts/count-tests.mjs, for test/scripts/countTests.spec.ts.
export const LISTED: string
export interface Count {
  passed: number
  failed: number
  notRun: number
  brokenFiles: string[]
  /** `file > full name: first line of the message`, one per failed test. */
  failedTests: string[]
}
export interface Sum extends Count {
  missing: string[]
}
export function countReport(report: unknown, options?: { ci?: boolean }): Count
export function countReports(files: string[], options?: { ci?: boolean }): Sum
export function printSummary(sum: Sum): void
