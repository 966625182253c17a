// Types of scripts/check-docs.mjs, for test/docs/codeBlocks.spec.ts.
export interface Block {
  doc: string
  line: number
  lang: string
  flags: string[]
  file?: string
  code: string
  id: string
  path: string
  vitest: boolean
  run: boolean
  expectFail: boolean
  /** The `console output` block after it: what it must print. */
  expectedOutput?: string
}
export interface Outcome {
  ok: boolean
  output: string
}
export const root: string
export const scratch: string
export const NOT_CHECKED: Record<string, string>
export function docFiles(): string[]
export interface Fence {
  lang: string
  info: string[]
  body: string
  line: number
  before: string
}
export function fences(text: string): Fence[]
export function extractBlocks(doc: string, text: string): Block[]
export function allBlocks(): Block[]
export function prepare(blocks: Block[]): void
export function typecheck(blocks: Block[]): Promise<Map<string, string>>
export function normalizeOutput(text: string): string
export function runBlock(block: Block, cwd: string): Promise<Outcome>
export function runVitestBlocks(blocks: Block[], cwd: string): Promise<Map<string, Outcome>>
export function judgeVitest(block: Block, r: { passed: number; failed: number; total: number; output: string }): Outcome
export function runPage(blocks: Block[]): Promise<Map<string, Outcome>>
