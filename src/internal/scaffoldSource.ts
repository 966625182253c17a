// The text of the test file `flight-recorder scaffold-test` writes (Vitest, or Jest), built without
// touching the file system so that the devtools panel's "Copy as test" gives the very same file.
import { INCOMPLETE, isActionEntry, type CheckpointEntry, type LossyValue, type Recording } from '../format/types'
import { allowLossyPath, shapePath } from '../lossy'
import { shrunkWithoutBaseline } from './shrunk'

/** A lossy value found in a log, as replay lists them. */
interface FoundLossy extends LossyValue {
  where: 'action' | 'state'
}

/** Lossy paths a generated test names; more, and it accepts them all. */
const MAX_LOSSY_PATHS = 8

/** The log and store module as a scaffolded test's comment names them (the CLI's; the panel has none). */
export interface ShownFiles {
  log: string
  store: string
}

/**
 * Why a test of a log whose steps carry no hash this replay can check passes `allowUnverified`:
 * it can only check that the reducer replays them without throwing (and the full states it holds).
 * `noneChecked`: not one step could be checked, and no full state compared.
 */
function unverifiedReason(header: { hash_alg?: string; meta?: unknown; shrunk?: unknown } | undefined, noneChecked: boolean, shown?: ShownFiles): string {
  if (header?.hash_alg === 'none') {
    return (header.meta as { source?: unknown } | null | undefined)?.source === 'redux-devtools'
      ? 'The log was converted from a Redux DevTools export without computed states, so its steps carry no hashes: the test checks that the reducer replays it without throwing, and the full states it holds.'
      : 'The log was recorded with `hash: false`, so its steps carry no hashes: the test checks that the reducer replays it without throwing, and the full states it holds.'
  }
  if (!noneChecked) return 'Not every step of the log carries a hash this replay can check: the test checks the steps that do and that the reducer replays the rest without throwing.'
  // (`shrink` without a baseline leaves the hashes out: the reducer it ran reached wrong states.)
  if (shrunkWithoutBaseline(header)) {
    return (
      'The log was shrunk without `--baseline`, so it has no state hashes and no full state: the test checks that the reducer replays it without throwing. ' +
      `To check the states too once the reducer is fixed: flight-recorder rehash ${shown?.log ?? '<log>'} --store ${shown?.store ?? '<module>'} --in-place (then drop \`allowUnverified\`).`
    )
  }
  return 'The log has no state hashes to check (shrunk without `--baseline`?) and no full state: the test checks that the reducer replays it without throwing.'
}

/**
 * What a test of this log must accept to pass on the app as it is today: a log with entries
 * missing (`allowIncomplete`) and values held in another form (`allowLossy`, by path, array
 * indexes as `*`). `verify` accepts such a log with a note; a generated test that failed on its
 * first run for them would only teach people to delete it. Each allowance comes with its reason.
 */
export function allowancesFor(
  found: {
    warnings: readonly string[]
    lossy: readonly FoundLossy[]
    /** From a replay of the log (absent when the store module could not run it). */
    ok?: boolean
    verified?: boolean
    steps?: number
    checked?: number
    header?: { hash_alg?: string; meta?: unknown; shrunk?: unknown }
  },
  shown?: ShownFiles,
): Pick<ScaffoldSourceInput, 'allowIncomplete' | 'allowLossy' | 'allowUnverified'> {
  const out: Pick<ScaffoldSourceInput, 'allowIncomplete' | 'allowLossy' | 'allowUnverified'> = {}
  const incomplete = found.warnings.filter((w) => INCOMPLETE.test(w))
  if (incomplete.length > 0) out.allowIncomplete = incomplete
  // A complete log that replays but whose steps carry no hash this replay can check (`hash: false`,
  // shrunk without a baseline, a custom hash function): the test can only check that it replays.
  // (One that diverges today: see `unverifiedInLog`.)
  else if (found.ok === true && !found.verified && (found.steps ?? 0) > 0) out.allowUnverified = unverifiedReason(found.header, found.checked === 0, shown)
  if (found.lossy.length > 0) {
    const paths = new Set(found.lossy.map((l) => shapePath(allowLossyPath(l))))
    out.allowLossy = [...paths].slice(0, MAX_LOSSY_PATHS)
    if (paths.size > MAX_LOSSY_PATHS) out.allowLossy = true
  }
  return out
}

/**
 * Why a test of this log must pass `allowUnverified`, told from the log alone, for a store that
 * does not replay it today (or could not be run): actions without a state hash (`hash: false`,
 * shrunk without `--baseline`) are never checked, whatever the reducer, so once the reducer is
 * fixed the test would fail on them for good. `undefined` when every action carries a hash.
 */
export function unverifiedInLog(recording: Pick<Recording, 'header' | 'entries' | 'end'>, shown?: ShownFiles): string | undefined {
  let actions = 0
  let unhashed = 0
  let fullState = recording.end !== undefined && recording.end.state !== undefined
  for (const e of recording.entries) {
    if (isActionEntry(e)) {
      actions++
      if (typeof e.hash !== 'string') unhashed++
    } else if (e.kind === '@@checkpoint' && (e as CheckpointEntry).state != null) fullState = true
  }
  const alg = recording.header.hash_alg
  if (actions === 0 || (alg !== 'none' && unhashed === 0)) return undefined
  return unverifiedReason(recording.header, unhashed === actions && !fullState, shown)
}

/** The lossy values a recording's lines name (for a store module that cannot be run). */
export function lossyOf(entries: readonly Record<string, unknown>[], headerLossy: unknown): FoundLossy[] {
  const out: FoundLossy[] = []
  const add = (list: unknown, where: 'action' | 'state') => {
    if (Array.isArray(list)) for (const l of list as LossyValue[]) if (l && typeof l.path === 'string') out.push({ ...l, where })
  }
  add(headerLossy, 'state')
  for (const e of entries) {
    add(e.lossy, Object.prototype.hasOwnProperty.call(e, 'action') ? 'action' : 'state')
    add(e.stateLossy, 'state')
  }
  return out
}

export interface ScaffoldSourceInput {
  /** The log's file name, e.g. `session.jsonl`. */
  logName: string
  /** The log's path relative to the test file, e.g. `./session.jsonl`. */
  logUrl: string
  /** How the test imports the store module, e.g. `./store`. */
  storeSpecifier: string
  /** What the store module exports that replay uses: `reducer` and/or `createStore`. */
  names: string[]
  /** The module has a default export holding them rather than named exports. */
  viaDefault: boolean
  /** The log as shown in the generated comment's command line. */
  shownLog: string
  /** The `--store` argument as shown in the generated comment's command line. */
  shownStore: string
  /** Action entries in the log. */
  actions: number
  /** The header's `ts`, if any. */
  recordedAt?: string
  /** The log is incomplete: these warnings say where (the test passes `allowIncomplete: true`). */
  allowIncomplete?: string[]
  /** Lossy paths the test accepts (`true`: all). */
  allowLossy?: string[] | true
  /** Why the test accepts steps it cannot check (it passes `allowUnverified: true`). */
  allowUnverified?: string
  /** The test runner (default `vitest`): a Jest test takes `it` from Jest's globals. */
  runner?: 'vitest' | 'jest'
  /**
   * How a Jest test is written (a Vitest test is always an ES module): `cjs`, with `require` and
   * `__dirname`; `ts`, with `import` and `__dirname` (a TypeScript test that ts-jest or Babel
   * compiles to CommonJS); `ts-esm`, TypeScript in an ES module package (ts-jest's ESM preset:
   * no `__dirname`, so the test file's folder from Jest's `expect.getState().testPath`); `esm`, an
   * ES module (Jest runs those with `--experimental-vm-modules`).
   */
  moduleKind?: 'esm' | 'cjs' | 'ts' | 'ts-esm'
  /** The log's path relative to the test file, not escaped (for `join(__dirname, …)`). */
  logPath?: string
}

/** A single-quoted JavaScript string literal: every line terminator and control character escaped (text from a log may hold any). */
export function quote(text: string): string {
  return `'${text.replace(/[\\'\u0000-\u001f\u007f\u2028\u2029]/g, (c) => (c === '\\' || c === "'" ? '\\' + c : c === '\n' ? '\\n' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')))}'`
}

/** Text for a `//` comment: a line terminator in it (`\r`, U+2028 and U+2029 end a comment too) would let the rest run as code. */
function commentText(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]/g, ' ')
}

export function scaffoldSource(input: ScaffoldSourceInput): string {
  const { names } = input
  const jest = input.runner === 'jest'
  const kind = jest ? (input.moduleKind ?? 'esm') : 'esm'
  const spec = quote(input.storeSpecifier)
  const importLine =
    kind === 'cjs'
      ? input.viaDefault
        ? `const storeModule = require(${spec})\nconst store = storeModule.default ?? storeModule`
        : `const { ${names.join(', ')} } = require(${spec})`
      : input.viaDefault
        ? `import store from ${spec}`
        : `import { ${names.join(', ')} } from ${spec}`
  const optionList = input.viaDefault ? names.map((n) => `${n}: store.${n}`) : names
  // Replay into the reducer alone when the module exports both (no middleware, no side effects).
  const options = optionList.filter((o) => !(names.includes('reducer') && o.startsWith('createStore')))
  const why: string[] = []
  if (input.allowIncomplete) {
    options.push('allowIncomplete: true')
    why.push(`// The log is incomplete, so the steps lost there cannot be checked: ${input.allowIncomplete.join(' ')}`)
  }
  if (input.allowUnverified) {
    options.push('allowUnverified: true')
    why.push(`// ${input.allowUnverified}`)
  }
  if (input.allowLossy) {
    options.push(`allowLossy: ${input.allowLossy === true ? 'true' : `[${input.allowLossy.map(quote).join(', ')}]`}`)
    why.push('// The log holds values in another form than the app had them (a Date as its ISO string, a Map as {}): the test checks those forms.')
  }
  const date = input.recordedAt ? input.recordedAt.slice(0, 10) : ''
  const count = `${input.actions} ${input.actions === 1 ? 'action' : 'actions'}`
  const title = `replays ${input.logName} (${count}${date ? `, recorded ${date}` : ''})`
  const command = `flight-recorder scaffold-test ${commentText(input.shownLog)} --store ${commentText(input.shownStore)}${jest ? ' --runner jest' : ''}`
  const logPath = quote(input.logPath ?? input.logUrl)
  const head =
    kind === 'cjs'
      ? [`const { join } = require('node:path')`, `const { expectReplayFile } = require('redux-flight-recorder/testing')`, importLine, '', `const log = join(__dirname, ${logPath})`]
      : kind === 'ts'
        ? [`import { join } from 'node:path'`, `import { expectReplayFile } from 'redux-flight-recorder/testing'`, importLine, '', `const log = join(__dirname, ${logPath})`]
        : kind === 'ts-esm'
          ? [`import { dirname, join } from 'node:path'`, `import { expectReplayFile } from 'redux-flight-recorder/testing'`, importLine, '', `const log = join(dirname(expect.getState().testPath!), ${logPath})`]
        : [
            `import { fileURLToPath } from 'node:url'`,
            ...(jest ? [] : [`import { it } from 'vitest'`]),
            `import { expectReplayFile } from 'redux-flight-recorder/testing'`,
            importLine,
            '',
            `const log = fileURLToPath(new URL(${quote(input.logUrl)}, import.meta.url))`,
          ]
  return `// Generated by \`${command}\`.
// Replays the recorded session and checks the state hash of every step: when a change makes the
// app reach a different state, the test fails with the first step that differs and what changed.
${jest && (kind === 'esm' || kind === 'ts-esm') ? '// An ES module: Jest runs it with NODE_OPTIONS=--experimental-vm-modules (jestjs.io/docs/ecmascript-modules).\n' : ''}${head.join('\n')}

it(${quote(title)}, async () => {
${why.map((w) => `  ${commentText(w)}\n`).join('')}  await expectReplayFile(log, { ${options.join(', ')} })
}${timeout(input.actions)})
`
}

/**
 * The test's timeout for a long session, as the third argument of `it` (Vitest and Jest): the
 * runners' 5 s default timed a 4,070-action session out (the app's reducer alone took 3.5-4 s).
 */
function timeout(actions: number): string {
  if (actions < 500) return ''
  const ms = Math.max(30, Math.ceil(actions / 1000) * 15) * 1000
  return `, ${String(ms).replace(/000$/, '_000')} /* ms: ${actions} actions replayed through the app's reducer */`
}
