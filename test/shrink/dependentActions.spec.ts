// Finding F10 (session 32's acceptance run): `shrink` of a long log whose replay diverges in the
// middle ran out of its replay budget (1000) far from a small log. The reducers of such apps read
// the entity an action is about without a guard, so a candidate without a task's `tasks/added`
// makes the baseline throw at the next action about that task, and counted as not failing: almost
// no chunk could be removed. Candidates now lose those later actions too.
import type { ActionEntry, Recording } from 'redux-flight-recorder'
import { encodeRecording, isActionEntry, replay, shrinkRecording, type ShrinkProgress } from 'redux-flight-recorder/replay'
import { expectReplay, recordSession } from 'redux-flight-recorder/testing'
import { legacy_createStore } from 'redux'
import { beforeAll, describe, expect, it } from 'vitest'
import { boardSession, makeReducer, makeStore } from './fixtures/board.mjs'

const good = makeReducer()
const regression = makeReducer({ bug: 'regression' })
const actionsOf = (rec: Recording) => rec.entries.filter(isActionEntry) as ActionEntry[]

/** Replays at most for the 50,000-action session: stops the shrink past it (an old shrinker would take an hour to spend its 1000). */
const REPLAYS = 150

let session: Recording

beforeAll(async () => {
  session = await recordSession((rec) => makeStore(rec), async (store) => {
    await boardSession(store, { actions: 50_000, seed: 5 })
  })
}, 240_000)

describe('shrinkRecording of a divergence whose actions depend on earlier ones', () => {
  it('shrinks a 50,000-action session diverging in the middle to its three actions, well within the default budget', () => {
    const actions = actionsOf(session)
    expect(actions.length).toBeGreaterThanOrEqual(50_000)
    const original = replay(session, { reducer: regression })
    expect(original.divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'tasks/moved' })
    const at = original.divergence!.seq
    expect(at).toBeGreaterThan(20_000)
    expect(at).toBeLessThan(30_000)

    const progress: ShrinkProgress[] = []
    const min = shrinkRecording(session, {
      reducer: regression,
      baseline: good,
      onProgress: (p) => {
        progress.push({ ...p })
        // (Behaviour, not time: the count of replays; without it a shrinker stuck at 25,000 actions runs for an hour.)
        if (p.replays > REPLAYS) throw new Error(`still ${p.actions} actions after ${REPLAYS} replays (phase ${p.phase}, chunk ${p.chunk})`)
      },
    })
    const report = min.shrink
    console.log(`board: ${report.from} → ${report.to} actions in ${report.replays} replays`)
    expect(report).toMatchObject({ from: actions.length, to: 3, maxReplays: 1000, exhausted: false, minimal: true, rehashed: true })
    expect(report.failure).toEqual({ reason: 'hash-mismatch', kind: 'tasks/moved' })
    expect(report.replays).toBeLessThanOrEqual(REPLAYS)
    expect(progress.at(-1)).toMatchObject({ phase: 'done', actions: 3 })

    // The three actions that show it: the task added, its due date set, the task moved to 'done'.
    const kept = actionsOf(min)
    expect(kept.map((e) => e.kind)).toEqual(['tasks/added', 'tasks/dueSet', 'tasks/moved'])
    const id = (kept[0].action.payload as { id: string }).id
    expect(kept.map((e) => (e.action.payload as { id: string }).id)).toEqual([id, id, id])
    expect(kept[2].action.payload).toEqual({ id, column: 'done' })
    expect(kept[2].orig_seq).toBe(at)
    const byseq = new Map(actions.map((e) => [e.seq, e]))
    for (const e of kept) expect(byseq.get(e.orig_seq as number)!.action).toEqual(e.action)

    // It still shows the same divergence, from its JSONL text: passes on the baseline, hash-checked, and diverges on the regression.
    const text = encodeRecording(min)
    expect(expectReplay(text, { reducer: good })).toMatchObject({ ok: true, verified: true, checked: 4 })
    expect(replay(text, { reducer: regression }).divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'tasks/moved', seq: 3 })
  }, 240_000)

  it('removes a chunk together with the later actions the baseline cannot replay without it, reducer or store baseline alike', () => {
    // Tasks that must exist: `note` throws for a task not added. The regression: `done` keeps the due date.
    type Task = { notes: number; due: string | null; done: boolean }
    type State = { tasks: Record<string, Task> }
    const tasksReducer =
      (bug: boolean) =>
      (s: State = { tasks: {} }, a: { type: string; id?: string }): State => {
        if (a.type === 'add') return { tasks: { ...s.tasks, [a.id!]: { notes: 0, due: null, done: false } } }
        if (!['note', 'due', 'done'].includes(a.type)) return s
        const task = s.tasks[a.id!]
        if (task === undefined) throw new TypeError(`no task ${a.id}`)
        if (a.type === 'note') return { tasks: { ...s.tasks, [a.id!]: { ...task, notes: task.notes + 1 } } }
        if (a.type === 'due') return { tasks: { ...s.tasks, [a.id!]: { ...task, due: '2027-01-15' } } }
        return { tasks: { ...s.tasks, [a.id!]: { ...task, done: true, due: bug ? task.due : null } } }
      }
    const fixed = tasksReducer(false)
    const buggy = tasksReducer(true)
    // 40 tasks, each added and then noted on five times, interleaved; task 17 is given a due date
    // and done at the end.
    const steps: { type: string; id: string }[] = []
    for (let i = 0; i < 40; i++) {
      steps.push({ type: 'add', id: `t${i}` })
      for (let j = 0; j < 5; j++) steps.push({ type: 'note', id: `t${Math.max(0, i - j * 3)}` })
    }
    steps.push({ type: 'due', id: 't17' }, { type: 'note', id: 't30' }, { type: 'done', id: 't17' })
    const log: Recording = {
      header: { kind: '@@session', v: 1, session: 's', ts: '2026-01-01T00:00:00.000Z', hash_alg: 'none', meta: {}, redact: { state: [], actions: [] }, from_seq: 1, state: { tasks: {} }, hash: null },
      entries: steps.map((action, i) => ({ seq: i + 1, ts: '2026-01-01T00:00:00.000Z', t: i, turn: `t${i + 1}`, kind: action.type, action })),
      warnings: [],
    }
    for (const baseline of [fixed, { createStore: (preloaded: unknown) => legacy_createStore(fixed, preloaded as State) }]) {
      const min = shrinkRecording(log, { reducer: buggy, baseline, maxReplays: 80 })
      expect(actionsOf(min).map((e) => e.action)).toEqual([
        { type: 'add', id: 't17' },
        { type: 'due', id: 't17' },
        { type: 'done', id: 't17' },
      ])
      expect(min.shrink).toMatchObject({ from: steps.length, to: 3, exhausted: false, minimal: true, failure: { reason: 'hash-mismatch', kind: 'done' } })
      expect(expectReplay(encodeRecording(min), { reducer: fixed })).toMatchObject({ ok: true, verified: true })
      expect(replay(encodeRecording(min), { reducer: buggy }).divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'done', seq: 3 })
    }
    // The smallest budget still holds: the check and the final replay, nothing more.
    const progress: number[] = []
    const two = shrinkRecording(log, { reducer: buggy, baseline: fixed, maxReplays: 2, onProgress: (p) => progress.push(p.replays) })
    expect(two.shrink).toMatchObject({ replays: 2, exhausted: true, minimal: false, failure: { reason: 'hash-mismatch', kind: 'done' } })
    expect(progress).toEqual([1, 2])
    expect(replay(encodeRecording(two), { reducer: buggy }).divergence).toMatchObject({ reason: 'hash-mismatch', kind: 'done' })
  })
})
