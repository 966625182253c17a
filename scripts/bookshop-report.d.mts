// Types of scripts/bookshop-report.mjs, for test/docs/divergenceBeforeAfter.spec.ts.
import type { Reducer } from 'redux'
export interface Build {
  createFlightRecorder: (options?: object) => unknown
  memorySink: () => unknown
  subtreeHashes?: () => unknown
  replay: (log: string, options: { reducer: Reducer }) => unknown
  formatDivergence: (result: unknown) => string
}
export function loadBuild(dir?: string): Promise<Build>
export function bookshopReducer(buggy?: boolean): Reducer
export function recordBookshop(build: Build, options?: { subtrees?: boolean }): Promise<string>
export function bookshopReport(dir?: string, options?: { subtrees?: boolean }): Promise<string>
