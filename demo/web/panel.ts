// The devtools panel: what a team would add to their own app's debug drawer. A recording indicator
// (recorder.stats()), a download button (downloadRecording), a list of the sessions the
// indexedDbSink kept across reloads (loadFromIndexedDb), and a step-through replay timeline.
import type { Reducer } from '@reduxjs/toolkit'
import type { FlightRecorder, Recording } from 'redux-flight-recorder'
import { downloadRecording, loadFromIndexedDb, type StoredSession } from 'redux-flight-recorder/browser'
import { byId, clockTime, formatBytes, h } from './dom'
import { buildTimeline, changesAt, short, type Timeline, type TimelineStep } from './timeline'

export interface PanelOptions {
  recorder: FlightRecorder
  /** The name given to `indexedDbSink({ name })`. */
  idbName: string
  /** The reducers a loaded session can be replayed against. */
  reducers: Record<'current' | 'regressed', Reducer>
  /** Called after every dispatch, so the indicator follows the store. */
  subscribe(listener: () => void): void
}

export function mountPanel(options: PanelOptions): { refreshSessions(): Promise<void>; show(source: string, log: string | Recording): void } {
  const { recorder, idbName, reducers } = options
  const panel = byId('devtools')

  // The recording indicator. Entries count at once; bytes count when the sinks receive lines (every
  // `flushIntervalMs`), hence the timer as well as the store subscription.
  const stat = { entries: byId('rec-entries'), actions: byId('rec-actions'), turns: byId('rec-turns'), bytes: byId('rec-bytes') }
  byId('rec-session').textContent = recorder.session.slice(0, 8)
  byId('rec-session').dataset.session = recorder.session
  const updateStats = () => {
    const s = recorder.stats()
    stat.entries.textContent = String(s.entries)
    stat.actions.textContent = String(s.actions)
    stat.turns.textContent = String(s.turns)
    stat.bytes.textContent = formatBytes(s.bytes)
    panel.dataset.recording = String(!s.closed)
    byId('rec-state').textContent = s.closed ? 'closed' : s.dropped > 0 ? `recording (${s.dropped} dropped)` : 'recording'
  }
  options.subscribe(updateStats)
  setInterval(updateStats, 500)
  updateStats()

  byId('download').addEventListener('click', () => downloadRecording(recorder))

  const fileInput = byId<HTMLInputElement>('load-file')
  fileInput.addEventListener('change', async () => {
    const file = fileInput.files?.[0]
    if (!file) return
    const text = await file.text()
    fileInput.value = ''
    show(file.name, text)
  })

  // Sessions kept in IndexedDB, newest first; this tab's session is one of them once it flushed.
  const sessionList = byId<HTMLUListElement>('sessions')
  let stored: StoredSession[] = []
  async function refreshSessions() {
    sessionList.dataset.state = 'loading'
    try {
      stored = await loadFromIndexedDb(idbName)
    } catch (error) {
      sessionList.replaceChildren(h('li', { class: 'error' }, `Cannot read IndexedDB: ${(error as Error).message}`))
      sessionList.dataset.state = 'error'
      return
    }
    sessionList.replaceChildren(
      ...stored.map((s) => {
        const mine = s.session === recorder.session
        const badge = mine ? 'this tab' : s.closed ? 'closed' : s.endedBy === 'pagehide' ? 'page left' : 'not closed'
        return h(
          'li',
          { dataset: { session: s.session } },
          h(
            'span',
            { class: 'info' },
            h('code', null, s.session.slice(0, 8)),
            ` ${clockTime(s.startedAt)} · ${s.recording.entries.length} entries · ${formatBytes(s.bytes)} `,
            h('span', { class: s.closed || mine ? 'badge' : 'badge open', title: s.recording.warnings.join('\n') || undefined }, badge),
          ),
          h('button', { type: 'button', class: 'small load', onClick: () => show(`session ${s.session.slice(0, 8)} (IndexedDB)`, s.recording) }, 'Load'),
          h('button', { type: 'button', class: 'small download', title: 'Download this session', onClick: () => downloadRecording(s.recording) }, '⤓'),
        )
      }),
    )
    if (stored.length === 0) sessionList.append(h('li', { class: 'muted' }, 'None yet: sessions are stored as you use the app.'))
    sessionList.dataset.state = 'ready'
    sessionList.dataset.count = String(stored.length)
  }
  byId('refresh-sessions').addEventListener('click', () => void refreshSessions())

  // The timeline.
  const timelineBox = byId('timeline')
  const reducerSelect = byId<HTMLSelectElement>('tl-reducer')
  const range = byId<HTMLInputElement>('step-range')
  const back = byId<HTMLButtonElement>('step-back')
  const forward = byId<HTMLButtonElement>('step-forward')
  const first = byId<HTMLButtonElement>('step-first')
  const toDivergence = byId<HTMLButtonElement>('step-divergence')
  const stepList = byId<HTMLOListElement>('steps')
  let timeline: Timeline | undefined
  /** 0 is the starting state; n is the state after the n-th replayed step. */
  let position = 0

  function show(source: string, log: string | Recording) {
    let built: Timeline
    try {
      built = buildTimeline(source, log, reducers[reducerSelect.value as 'current' | 'regressed'])
    } catch (error) {
      timeline = undefined
      timelineBox.dataset.state = 'error'
      byId('tl-body').hidden = true
      const placeholder = byId('tl-placeholder')
      placeholder.hidden = false
      placeholder.className = 'error'
      placeholder.textContent = `${source} cannot be replayed: ${(error as Error).message}`
      return
    }
    const keep = timeline?.recording === built.recording ? position : 0
    timeline = built
    byId('tl-placeholder').hidden = true
    byId('tl-body').hidden = false
    byId('tl-source').textContent = source
    byId('tl-source').title = `${source}\nsession ${built.recording.header.session}${built.recording.warnings.length ? '\n' + built.recording.warnings.join('\n') : ''}`
    const summary = byId('tl-summary')
    summary.textContent = built.summary
    summary.dataset.ok = String(built.result.ok)
    byId('tl-diff-at').textContent = built.diffAt ?? ''
    byId('tl-diff-at').hidden = built.diffAt === null
    byId('tl-diff').replaceChildren(...built.differences.map((line) => h('li', null, line)))
    byId('tl-report-box').hidden = built.report === null
    byId('tl-report').textContent = built.report ?? ''
    toDivergence.hidden = built.divergenceIndex === -1
    range.max = String(built.steps.length)
    stepList.replaceChildren(...built.steps.map((s, i) => stepRow(s, i + 1)))
    timelineBox.dataset.state = 'loaded'
    timelineBox.dataset.steps = String(built.steps.length)
    timelineBox.dataset.ok = String(built.result.ok)
    go(Math.min(keep, built.steps.length))
  }

  function stepRow(step: TimelineStep, n: number): HTMLLIElement {
    return h(
      'li',
      { dataset: { n: String(n) }, onClick: () => go(n) },
      h('span', { class: 'seq' }, step.seq),
      h('span', { class: 'turn' }, step.turn ?? '–'),
      h('span', { class: 'ellipsis' }, step.kind),
      h('span', { class: 'mark', dataset: { match: matchKey(step.matched) } }, markOf(step.matched)),
    )
  }

  function go(n: number) {
    if (!timeline) return
    position = Math.max(0, Math.min(n, timeline.steps.length))
    const total = timeline.steps.length
    const step = position === 0 ? undefined : timeline.steps[position - 1]
    const box = byId('step')
    const match = byId('step-match')
    const label = byId('step-label')
    timelineBox.dataset.position = String(position)
    range.value = String(position)
    back.disabled = first.disabled = position === 0
    forward.disabled = position === total
    if (!step) {
      label.textContent = `Start · ${total} steps to replay`
      box.dataset.match = 'none'
      byId('step-kind').textContent = '(the recorded starting state)'
      byId('step-turn').textContent = '–'
      byId('step-expected').textContent = timeline.recording.header.hash ?? '–'
      byId('step-actual').textContent = '–'
      match.textContent = '–'
      match.dataset.match = 'none'
      byId('step-changes').replaceChildren()
    } else {
      label.textContent = `Step ${position} of ${total} · seq ${step.seq}`
      box.dataset.match = matchKey(step.matched)
      byId('step-kind').textContent = step.kind
      byId('step-turn').textContent = step.turn ?? '–'
      byId('step-expected').textContent = step.expectedHash ?? '–'
      byId('step-actual').textContent = step.actualHash ?? '–'
      match.dataset.match = matchKey(step.matched)
      match.textContent =
        step.matched === true
          ? '✓ matched the recording'
          : step.matched === false
            ? '✗ differs from the recording'
            : timeline.divergenceIndex !== -1 && position - 1 > timeline.divergenceIndex
              ? '– not checked (after the divergence)'
              : '– no recorded hash'
      const changes = changesAt(timeline, position - 1)
      byId('step-changes').replaceChildren(
        ...(changes.length === 0
          ? [h('li', { class: 'none' }, 'no change to the state')]
          : changes.map((d) => h('li', null, `${d.path}: ${short(d.recorded)} → ${short(d.replayed)}`))),
      )
    }
    for (const li of Array.from(stepList.children)) {
      const current = Number((li as HTMLElement).dataset.n) === position
      if (current) li.setAttribute('aria-current', 'step')
      else li.removeAttribute('aria-current')
    }
    // Scroll the list only (scrollIntoView would scroll the page too).
    const row = stepList.querySelector<HTMLElement>('[aria-current]')
    if (row) {
      if (row.offsetTop < stepList.scrollTop) stepList.scrollTop = row.offsetTop
      else if (row.offsetTop + row.offsetHeight > stepList.scrollTop + stepList.clientHeight) stepList.scrollTop = row.offsetTop + row.offsetHeight - stepList.clientHeight
    }
  }

  back.addEventListener('click', () => go(position - 1))
  forward.addEventListener('click', () => go(position + 1))
  first.addEventListener('click', () => go(0))
  toDivergence.addEventListener('click', () => timeline && go(timeline.divergenceIndex + 1))
  range.addEventListener('input', () => go(Number(range.value)))
  reducerSelect.addEventListener('change', () => timeline && show(timeline.source, timeline.recording))
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement
    if (!timeline || target.closest('input, textarea, select')) return
    if (event.key === 'ArrowLeft') go(position - 1)
    if (event.key === 'ArrowRight') go(position + 1)
  })

  return { refreshSessions, show }
}

function matchKey(matched: boolean | null): string {
  return matched === null ? 'none' : String(matched)
}

function markOf(matched: boolean | null): string {
  return matched === true ? '✓' : matched === false ? '✗' : '–'
}

