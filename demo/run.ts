// `npm run demo`: records a scripted session of a realistic Redux Toolkit app through the file
// sink, then shows what the flight recorder gives you: the session summary, a verified replay, and
// a regression caught by replaying the same session against a changed reducer.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFlightRecorder, subtreeHashes } from 'redux-flight-recorder'
import { formatDivergence } from 'redux-flight-recorder/replay'
import { fileSink, replayFile } from 'redux-flight-recorder/node'
import { reducer as regressedReducer } from './app/regressed'
import { startApi } from './app/server'
import { playSession } from './app/session'
import { makeStore, reducer } from './app/store'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
const out = join(here, 'out')
const logPath = join(out, 'session.jsonl')
const shown = relative(process.cwd(), logPath) || logPath
const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s)

async function main() {
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })

  console.log(bold('1. Recording a user session of the demo todo app'))
  const api = await startApi()
  const recorder = createFlightRecorder({
    sinks: [fileSink(logPath)],
    meta: { app: 'demo-todos@1.0.0', runtime: `node ${process.version}` },
    checkpointEvery: 10,
    subtreeHashes: subtreeHashes(),
  })
  const store = makeStore({ apiUrl: api.url, recorder })
  await playSession(store, () => new Promise((r) => setTimeout(r, 20)))
  await recorder.close()
  api.server.close()
  console.log(`   ${recorder.stats().actions} actions in ${recorder.stats().turns} turns written to ${shown}\n`)

  console.log(bold(`2. The session summary (flight-recorder inspect ${shown})`))
  const inspect = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'inspect', logPath], { encoding: 'utf8' })
  process.stdout.write(inspect.stdout.replace(/^/gm, '   '))
  if (inspect.status !== 0) throw new Error(`inspect failed: ${inspect.stderr}`)
  console.log()

  console.log(bold('3. Replaying the log into a fresh store (reducer only: no requests, no listeners)'))
  const ok = await replayFile(logPath, { reducer })
  console.log(`   ${ok.ok && ok.verified ? '✓ verified' : '✗ NOT verified'}: ${ok.steps} steps replayed, ${ok.checked} state hashes matched the recording\n`)
  if (!ok.ok) throw new Error(formatDivergence(ok))

  console.log(bold('4. Replaying the same log against a regressed reducer (demo/app/regressed.ts)'))
  const bad = await replayFile(logPath, { reducer: regressedReducer })
  if (bad.ok) throw new Error('the regressed reducer was not caught')
  console.log(formatDivergence(bad).replace(/^/gm, '   '))
  console.log(`\n   ✓ regression caught at seq ${bad.divergence!.seq}; turn the log into a test with:`)
  console.log(`     npx flight-recorder scaffold-test ${shown} --store <your store module>`)
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
