// The panel's timeline model (src/panel/timeline.ts, ./states.ts) in Node: the states it rebuilds
// from the few it keeps are the replayer's own, around rebases too, and after a divergence it
// replays on to the end of the log from the replayed state.
import { createFlightRecorder, memorySink, stateHash, type ActionEntry } from 'redux-flight-recorder'
import { parseRecording, replay } from 'redux-flight-recorder/replay'
import { describe, expect, it } from 'vitest'
import { buildTimeline } from '../../src/panel/timeline'
import { added, makeReducer, makeStore, renamed, rootReducer, toggled } from '../helpers/todoApp'

const regressed = makeReducer({ buggyToggle: true })
const pause = () => new Promise<void>((resolve) => setImmediate(resolve))
const never = () => false

async function record(actions: number, between?: (i: number, store: ReturnType<typeof makeStore>, recorder: ReturnType<typeof createFlightRecorder>) => void): Promise<string> {
  const sink = memorySink()
  const recorder = createFlightRecorder({ sinks: [sink], maxEntries: actions * 2 + 100, checkpointEvery: 400 })
  const store = makeStore(recorder)
  for (let i = 0; i < actions; i++) {
    between?.(i, store, recorder)
    if (i < 20) store.dispatch(added({ id: `todo-${i}`, title: `Todo ${i}`, done: false }))
    else if (i % 5 === 0) store.dispatch(renamed({ id: `todo-${i % 20}`, title: `Title ${i}` }))
    else store.dispatch(toggled(`todo-${i % 20}`))
  }
  await recorder.close()
  return sink.text()
}

/** The replayer's state before and after every step. */
function replayerStates(log: string, reducer = rootReducer): Array<{ before: unknown; after: unknown }> {
  const out: Array<{ before: unknown; after: unknown }> = []
  let prev = parseRecording(log).header.state
  replay(log, {
    reducer: (state, action) => {
      prev = state
      return reducer(state, action)
    },
    onStep: (s) => out.push({ before: prev, after: s.state }),
  })
  return out
}

describe('the panel timeline', () => {
  it('says what its verified summary counts: the steps by their own hashes, the full states apart', async () => {
    // 1000 actions with a checkpoint every 400: checkpoints at seq 401 and 802, and @@end.
    const log = await record(1000)
    const full = parseRecording(log).entries.filter((e) => e.kind === '@@checkpoint').length + 1
    expect(full).toBe(3)
    expect(replay(log, { reducer: rootReducer }).checked).toBe(1000 + full)
    const timeline = (await buildTimeline('s.jsonl', log, rootReducer, pause, never))!
    expect(timeline.summary).toBe('✓ Verified: 1000 steps replayed, each matching its recorded state hash; 3 full states (checkpoints, @@end) matched too.')
    // Without a full state after the first action (no close(), no checkpoint), only the steps are counted.
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink] })
    const store = makeStore(recorder)
    store.dispatch(added({ id: 'a', title: 'A', done: false }))
    store.dispatch(toggled('a'))
    await recorder.flush()
    const open = (await buildTimeline('open.jsonl', sink.text(), rootReducer, pause, never))!
    // (The log has no @@end yet: the summary says so.)
    expect(open.summary).toBe(
      '✓ Verified: 2 steps replayed, each matching its recorded state hash. The log ends without @@end, so it may be incomplete: the recorder was not closed (a page closed before its last lines were sent, a process killed, or a recorder still writing), and whatever it recorded after seq 2 is not in it.',
    )
    // A last line cut short (a process killed mid-write): the note names the last whole line's
    // seq, as `verify` does, not the seq at the start of the cut line.
    store.dispatch(toggled('a'))
    await recorder.flush()
    const text = sink.text()
    const cut = text.slice(0, text.trimEnd().lastIndexOf('"hash"'))
    expect(cut.trimEnd().split('\n').pop()).toMatch(/^\{"seq":3,/)
    const cutTimeline = (await buildTimeline('cut.jsonl', cut, rootReducer, pause, never))!
    expect(cutTimeline.summary).toContain('whatever it recorded after seq 2 is not in it.')
    await recorder.close()
  })

  it('keeps a few states and rebuilds every other one as the replayer reached it', async () => {
    const log = await record(1500)
    const timeline = (await buildTimeline('big.jsonl', log, rootReducer, pause, never))!
    expect(timeline.summary).toMatch(/^✓ Verified: 1500 steps replayed/)
    expect(timeline.steps.length).toBe(1500)
    // Far fewer states kept than steps (one every 256 steps at most apart, or 4 ms of reducer time).
    expect(timeline.states.kept).toBeLessThan(1500 / 10)
    expect(timeline.states.kept).toBeGreaterThanOrEqual(Math.ceil(1500 / 256))
    const expected = replayerStates(log)
    // Backwards, forwards, and jumps: every order the panel steps in.
    const order = [...expected.keys()].reverse().concat([0, 750, 17, 1499, 256, 255, 257, 1])
    for (const i of order) expect(timeline.states.at(i), `step ${i}`).toEqual(expected[i])
  })

  it('rebuilds the steps around a rebase (a checkpoint after resume) from the state the log holds', async () => {
    const log = await record(600, (i, store, recorder) => {
      if (i === 300) {
        // Changes the log does not hold: replay starts over from the checkpoint resume() writes.
        recorder.pause()
        store.dispatch(renamed({ id: 'todo-1', title: 'while paused' }))
        recorder.resume()
      }
    })
    expect(parseRecording(log).entries.some((e) => e.kind === '@@checkpoint' && (e as { reason?: string }).reason === 'resume')).toBe(true)
    const timeline = (await buildTimeline('paused.jsonl', log, rootReducer, pause, never))!
    expect(timeline.result.ok).toBe(true)
    const expected = replayerStates(log)
    expect(timeline.steps.length).toBe(expected.length)
    for (let i = 0; i < expected.length; i++) expect(timeline.states.at(i), `step ${i}`).toEqual(expected[i])
    // The step right after the rebase starts from the resumed state, which holds the paused change.
    const after = timeline.steps.findIndex((s, i) => i > 0 && (timeline.states.at(i).before as any).todos.entities['todo-1']?.title === 'while paused')
    expect(after).toBeGreaterThan(0)
  })

  it('goes on past a divergence to the end of the log, from the replayed state, hashing each later step', async () => {
    const log = await record(500)
    const entries = parseRecording(log).entries.filter((e): e is ActionEntry => 'action' in e)
    let stoppedAt = 0
    const verdict = replay(log, { reducer: regressed, onStep: () => stoppedAt++ })
    expect(verdict.divergence?.reason).toBe('hash-mismatch')
    // The replayer stops at the first full state after the divergence, well before the end.
    expect(stoppedAt).toBeLessThan(entries.length)

    const timeline = (await buildTimeline('regressed.jsonl', log, regressed, pause, never))!
    expect(timeline.steps.length).toBe(entries.length)
    expect(timeline.steps.map((s) => s.seq)).toEqual(entries.map((e) => e.seq))
    expect(timeline.continued).toBe(entries.length - stoppedAt)
    const d = timeline.divergenceIndex
    expect(timeline.steps[d].seq).toBe(verdict.divergence!.seq)
    expect(timeline.steps.slice(0, d + 1).every((s) => !s.afterDivergence)).toBe(true)
    expect(timeline.steps.slice(d + 1).every((s) => s.afterDivergence)).toBe(true)

    // The regressed reducer from the log's start, computed here: what every step must show.
    let state = parseRecording(log).header.state
    const reached = entries.map((e) => {
      const before = state
      state = regressed(state as never, e.action as never)
      return { before, after: state }
    })
    for (let i = d + 1; i < entries.length; i++) {
      const step = timeline.steps[i]
      expect(timeline.states.at(i), `step ${i}`).toEqual(reached[i])
      expect(step.actualHash).toBe(stateHash(reached[i].after))
      expect(step.matched).toBe(stateHash(reached[i].after) === entries[i].hash)
    }
    // The summary counts the later steps that hash as recorded.
    const again = timeline.steps.slice(d + 1).filter((s) => s.matched === true).length
    expect(timeline.summary).toContain(`The timeline goes on from the replayed state to the end of the log: ${entries.length - 1 - d} steps after the divergence, ${again} of them hashing as recorded.`)
  })

  it('lists the actions after a gap that replay did not step through, as not replayed, in order, around the full state it resumed at', async () => {
    const sink = memorySink()
    const recorder = createFlightRecorder({ sinks: [sink], checkpointEvery: 10 })
    const store = makeStore(recorder)
    for (let i = 0; i < 30; i++) store.dispatch(i < 5 ? added({ id: `todo-${i}`, title: `Todo ${i}`, done: false }) : toggled(`todo-${i % 5}`))
    await recorder.close()
    // Seq 3 lost: replay resumes at the next checkpoint; the actions before it are not replayed.
    const log = sink.text().split('\n').filter((l) => !/^\{"seq":3,/.test(l)).join('\n')
    const recorded = parseRecording(log).entries
    const entries = recorded.filter((e): e is ActionEntry => 'action' in e)
    const resumeAt = recorded.find((e) => e.kind === '@@checkpoint' && e.seq > 3)!.seq
    const timeline = (await buildTimeline('gap.jsonl', log, rootReducer, pause, never))!
    expect(timeline.steps.map((s) => s.seq)).toEqual(entries.map((e) => e.seq))
    const skipped = timeline.steps.filter((s) => s.notReplayed).map((s) => s.seq)
    expect(skipped).toEqual(entries.filter((e) => e.seq > 3 && e.seq < resumeAt).map((e) => e.seq))
    expect(skipped.length).toBeGreaterThan(3)
    for (const s of timeline.steps) expect(s.matched === null, `seq ${s.seq}`).toBe(!!s.notReplayed)
    // The states of the replayed steps are the replayer's; a step not replayed changes nothing.
    const replayed = replayerStates(log)
    let r = 0
    timeline.steps.forEach((s, i) => {
      const at = timeline.states.at(i)
      if (s.notReplayed) expect(at.after, `seq ${s.seq}`).toBe(at.before)
      else expect(at, `seq ${s.seq}`).toEqual(replayed[r++])
    })
    expect(r).toBe(replayed.length)
    expect(timeline.summary).toContain(`The timeline lists the ${skipped.length} steps after missing entries that replay did not reach, not checked.`)
  })

  it('yields between slices and gives up when cancelled meanwhile', async () => {
    const log = await record(2000)
    let calls = 0
    // A reducer that takes 0.1 ms per action: 2000 of them cannot fit in one slice.
    const slow: typeof rootReducer = (state, action) => {
      calls++
      const until = performance.now() + 0.1
      while (performance.now() < until);
      return rootReducer(state, action)
    }
    let pauses = 0
    const result = await buildTimeline('x.jsonl', log, slow, () => (pauses++, pause()), () => pauses >= 3)
    expect(result).toBeUndefined()
    expect(pauses).toBe(3)
    expect(calls).toBeGreaterThan(0)
    expect(calls).toBeLessThan(2000)
  })
})
