// docs/cli.md's transcripts are real: every `$ …` command of its console blocks runs, in page
// order, in one work directory holding the files test/cli/docsSessions.ts records (a real todo
// session, two sessions that differ, a cut log, store.mjs, store.ts), and what it prints (stdout and
// stderr, as a terminal shows them) must be the lines the page shows. Only what changes from run to
// run is normalised: session ids, dates and times, durations and sizes.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { fences, normalizeOutput } from '../../scripts/check-docs.mjs'
import { CLI, ROOT, requireDist, tempDir } from '../node/helpers'
import { makeDocsSessions, writeStore } from './docsSessions'

const PAGE = 'docs/cli.md'
/** Words a console block of the page may carry after `console`: the setup it runs under. */
const SETUPS = new Set(['broken-toggle'])

interface Command {
  line: number
  command: string
  expected: string[]
}

interface ConsoleBlock {
  line: number
  setup: string | undefined
  commands: Command[]
}

function consoleBlocks(text: string): ConsoleBlock[] {
  return fences(text)
    .filter((f: { lang: string }) => f.lang === 'console')
    .map((f: { info: string[]; body: string; line: number }) => {
      const unknown = f.info.filter((w) => !SETUPS.has(w))
      if (unknown.length > 0) throw new Error(`[redux-flight-recorder] ${PAGE}:${f.line}: expected a console block's words among ${[...SETUPS].join(', ')}, but found '${unknown.join(' ')}'.`)
      const commands: Command[] = []
      f.body.split('\n').forEach((l, i) => {
        if (l.startsWith('$ ')) commands.push({ line: f.line + 1 + i, command: l.slice(2), expected: [] })
        else if (commands.length === 0) throw new Error(`[redux-flight-recorder] ${PAGE}:${f.line + 1 + i}: expected a console block to start with a \`$ \` command, but found: ${l}`)
        else commands.at(-1)!.expected.push(l)
      })
      return { line: f.line, setup: f.info[0], commands }
    })
}

/** What changes from run to run, on top of the docs check's session ids and ISO times. */
function normalize(text: string): string[] {
  return normalizeOutput(text)
    .replace(/\d{4}-\d\d-\d\d/g, '<date>')
    .replace(/\d+(?:\.\d+)? (?:ms|s)\b/g, '<duration>')
    .replace(/\d+ min <duration>/g, '<duration>')
    .replace(/\d+(?:\.\d+)? (?:B|KB|MB)\b/g, '<size>')
    .split('\n')
}

let dir: string
const blocks = consoleBlocks(readFileSync(join(ROOT, PAGE), 'utf8'))

beforeAll(async () => {
  await requireDist()
  dir = tempDir('fr-cli-docs-')
  await makeDocsSessions(dir)
}, 60_000)

describe(`${PAGE} transcripts`, () => {
  it('has console blocks, each of commands the test knows how to run', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5)
    const commands = blocks.flatMap((b) => b.commands.map((c) => c.command))
    for (const c of commands) expect(c, `${PAGE}: a command this test cannot run`).toMatch(/^(?:npx flight-recorder .+|echo \$\?|cat \S+)$/)
    // The page shows every subcommand that works on files.
    for (const sub of ['--help', 'inspect', 'verify', 'convert', 'diff', 'scaffold-test']) expect(commands.some((c) => c.startsWith(`npx flight-recorder ${sub}`)), sub).toBe(true)
  })

  it('prints, for every command of the page run in page order, exactly the lines the page shows', () => {
    let last: number | null = null
    let ran = 0
    for (const block of blocks) {
      writeStore(dir, block.setup === 'broken-toggle')
      for (const { line, command, expected } of block.commands) {
        let actual: string
        if (command === 'echo $?') {
          expect(last, `${PAGE}:${line}: \`echo $?\` with no command before it`).not.toBeNull()
          actual = `${last}\n`
        } else if (command.startsWith('cat ')) {
          actual = readFileSync(join(dir, command.slice(4)), 'utf8')
        } else {
          const args = command.replace(/^npx flight-recorder /, '').split(/\s+/)
          // Both streams in one, in the order written, as a terminal shows them.
          const quoted = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
          const r = spawnSync('sh', ['-c', `${quoted} 2>&1`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 })
          last = r.status
          actual = r.stdout
        }
        ran++
        expect(normalize(actual), `${PAGE}:${line}: \`${command}\` printed:\n${actual}`).toEqual(normalize(expected.join('\n')))
      }
    }
    expect(ran).toBe(blocks.reduce((n, b) => n + b.commands.length, 0))
  })
})
