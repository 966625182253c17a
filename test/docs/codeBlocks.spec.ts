// The docs check as Vitest tests, so `npm test` and .ci/run count it: one test per code block of
// README.md and docs/**/*.md that it type-checks against the built package (dist/, resolved through
// package.json `exports` as a consumer resolves it), and one per block it runs. The conventions
// (```ts no-run, file=…, expect-fail) are in scripts/check-docs.mjs and docs/CONTRIBUTING.md.
import { beforeAll, describe, expect, it } from 'vitest'
import { allBlocks, prepare, runPage, typecheck, type Block, type Outcome } from '../../scripts/check-docs.mjs'

const blocks: Block[] = allBlocks()
const docs = [...new Set(blocks.map((b) => b.doc))]
let types: Map<string, string>

beforeAll(async () => {
  prepare(blocks)
  types = await typecheck(blocks)
}, 300_000)

describe('docs code blocks', () => {
  it('finds the blocks of the README and of the getting-started page', () => {
    expect(blocks.filter((b) => b.doc === 'README.md' && b.run).length).toBeGreaterThanOrEqual(2)
    expect(blocks.some((b) => b.doc === 'docs/getting-started.md' && b.expectFail)).toBe(true)
  })

  for (const doc of docs) {
    describe(doc, () => {
      const page = blocks.filter((b) => b.doc === doc)
      let runs: Promise<Map<string, Outcome>> | undefined
      const pageRuns = () => (runs ??= runPage(page))
      for (const b of page) {
        const what = b.file ? `the module ${b.file} at line ${b.line}` : `the block at line ${b.line}`
        it(`${what} type-checks against dist/`, () => {
          const errors = types.get(b.path)
          expect(errors, `${doc}:${b.line} does not type-check:\n${errors}`).toBe('')
        })
        if (b.run) {
          it(`${what} runs${b.expectFail ? ', and its test fails with a divergence report as the page says' : b.vitest ? ' as a Vitest test file and passes' : ''}`, async () => {
            const r = (await pageRuns()).get(b.path)
            expect(r, `${doc}:${b.line} was not run`).toBeDefined()
            expect(r!.ok, `${doc}:${b.line} failed:\n${r!.output}`).toBe(true)
          }, 300_000)
        }
      }
    })
  }
})
