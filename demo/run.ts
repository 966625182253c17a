// `npm run demo`: records a scripted session of a realistic Redux Toolkit app through the file
// sink, then shows what the flight recorder gives you: the session summary, a verified replay, and
// a regression caught by replaying the same session against a changed reducer.
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createFlightRecorder, subtreeHashes } from 'redux-flight-recorder'
import { formatDivergence } from 'redux-flight-recorder/replay'
import { fileSink, replayFile } from 'redux-flight-recorder/node'
import { reducer as regressedReducer, regression } from './app/regressed'
import { startApi } from './app/server'
import { playSession } from './app/session'
import { makeStore, reducer } from './app/store'

const here = dirname(fileURLToPath(import.meta.url))
const root = join(here, '..')
// DEMO_OUT: another directory for the log (test/demo/node-demo.spec.ts, so it leaves demo/out alone).
const out = process.env.DEMO_OUT ? resolve(process.env.DEMO_OUT) : join(here, 'out')
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
  // `checked` counts every comparison: one state hash per replayed action, plus the full states the
  // log holds (checkpoints and the final state at @@end), each compared with the replayed state.
  const fullStates = ok.checked - ok.steps
  console.log(`   ${ok.ok && ok.verified ? '✓ verified' : '✗ NOT verified'}: ${ok.steps} actions replayed, each one's state hash matched the recording;`)
  console.log(`     ${ok.checked} comparisons in all: the ${ok.steps} action hashes and ${fullStates} full state${fullStates === 1 ? '' : 's'} from the log (checkpoints every 10 actions, and @@end)\n`)
  if (!ok.ok) throw new Error(formatDivergence(ok))

  console.log(bold(`4. Replaying the same log against ${regression}: demo/app/regressed.ts`))
  console.log('   The session toggles an urgent todo ("Call the plumber ASAP"), so replay must stop at that step.')
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
