// scripts/check-docs.mjs itself: what it extracts from a page and how it judges a Vitest block, so
// a block cannot be skipped by a typo or counted as passing when it failed for the wrong reason.
import { describe, expect, it } from 'vitest'
import { docFiles, extractBlocks, fences, judgeVitest, normalizeOutput, NOT_CHECKED } from '../../scripts/check-docs.mjs'

const page = [
  '# A page',
  '```ts',
  "import { stateHash } from 'redux-flight-recorder'",
  '```',
  '```sh',
  'npm i redux-flight-recorder',
  '```',
  '```ts no-run',
  "document.title = 'x'",
  '```',
  '```ts file=todos.ts',
  'export const x = 1',
  '```',
  '```ts expect-fail',
  "import { it } from 'vitest'",
  '```',
  '  ```js',
  '  console.log(1)',
  '  ```',
].join('\n')

describe('extractBlocks', () => {
  const blocks = extractBlocks('docs/page.md', page)

  it('takes the ts, tsx and js blocks with their line, and leaves the other languages', () => {
    expect(blocks.map((b) => [b.line, b.lang])).toEqual([[2, 'ts'], [8, 'ts'], [11, 'ts'], [14, 'ts'], [17, 'js']])
    expect(blocks[0].code).toBe("import { stateHash } from 'redux-flight-recorder'")
    expect(blocks[4].code).toBe('console.log(1)')
  })

  it('reads the conventions of the info string', () => {
    expect(blocks.map((b) => ({ run: b.run, vitest: b.vitest, expectFail: b.expectFail, file: b.file }))).toEqual([
      { run: true, vitest: false, expectFail: false, file: undefined },
      { run: false, vitest: false, expectFail: false, file: undefined },
      { run: false, vitest: false, expectFail: false, file: 'todos.ts' },
      { run: true, vitest: true, expectFail: true, file: undefined },
      { run: true, vitest: false, expectFail: false, file: undefined },
    ])
    expect(blocks[2].path).toBe('todos.ts')
    expect(blocks[3].path).toMatch(/\.test\.ts$/)
  })

  it('attaches a `console output` block to the runnable block before it, and refuses one after anything else', () => {
    const withOutput = extractBlocks('docs/p.md', '```ts\nconsole.log(1)\n```\n\nIt prints:\n\n```console output\n1\n```')
    expect(withOutput).toHaveLength(1)
    expect(withOutput[0].expectedOutput).toBe('1')
    expect(() => extractBlocks('docs/p.md', '```ts no-run\nconsole.log(1)\n```\n```console output\n1\n```')).toThrow(/docs\/p\.md:4: expected a `console output` block to follow a runnable/)
    expect(() => extractBlocks('docs/p.md', '```console output\n1\n```')).toThrow(/no checked block comes before it/)
  })

  it('refuses an unknown flag, naming the page and line', () => {
    expect(() => extractBlocks('docs/x.md', 'text\n```ts no-runn\nconst a = 1\n```')).toThrow(/^\[redux-flight-recorder\] docs\/x\.md:2: expected a code block flag among no-run, expect-fail or file=<name>, but found 'no-runn'\.$/)
  })
})

describe('judgeVitest', () => {
  const normal = { expectFail: false } as Parameters<typeof judgeVitest>[0]
  const failing = { expectFail: true } as Parameters<typeof judgeVitest>[0]
  const report = "ReplayDivergenceError: Replay diverged at seq 5 (turn t5), action 'todos/toggled'"

  it('passes a block whose tests all passed, and fails one that declared none', () => {
    expect(judgeVitest(normal, { passed: 2, failed: 0, total: 2, output: '' }).ok).toBe(true)
    expect(judgeVitest(normal, { passed: 1, failed: 1, total: 2, output: 'boom' })).toEqual({ ok: false, output: 'boom' })
    expect(judgeVitest(normal, { passed: 0, failed: 0, total: 0, output: '' }).ok).toBe(false)
  })

  it('passes an expect-fail block only when every test failed with a divergence report', () => {
    expect(judgeVitest(failing, { passed: 0, failed: 1, total: 1, output: report }).ok).toBe(true)
    expect(judgeVitest(failing, { passed: 1, failed: 0, total: 1, output: '' }).ok).toBe(false)
    expect(judgeVitest(failing, { passed: 0, failed: 1, total: 1, output: "Error: ENOENT: no such file or directory, open 'sessions/first.jsonl'" }).ok).toBe(false)
  })
})

describe('the pages checked', () => {
  it('are every page: none is left out of the check (NOT_CHECKED is empty), docs/panel.md included', () => {
    expect(NOT_CHECKED).toEqual({})
    expect(docFiles()).toEqual(expect.arrayContaining(['README.md', 'docs/getting-started.md', 'docs/panel.md']))
  })
})

describe('fences', () => {
  it('lists every fenced block in any language, with its info words, line and the prose before it', () => {
    const found = fences(page)
    expect(found.map((f) => [f.line, f.lang, f.info])).toEqual([[2, 'ts', []], [5, 'sh', []], [8, 'ts', ['no-run']], [11, 'ts', ['file=todos.ts']], [14, 'ts', ['expect-fail']], [17, 'js', []]])
    expect(found[0].before).toBe('# A page')
    expect(found[1].body).toBe('npm i redux-flight-recorder')
  })
})

describe('normalizeOutput', () => {
  it('leaves out session ids, times and trailing spaces, nothing else', () => {
    expect(normalizeOutput('  session:  0a2524c0-f4b2-46b0-b397-220f9308c92f (recorded 2026-12-03T00:02:10.463Z)  \n')).toBe('session:  <session> (recorded <time>)')
    expect(normalizeOutput('hash f77cbf6c046b8eb9')).not.toBe(normalizeOutput('hash f77cbf6c046b8eb0'))
  })
})
