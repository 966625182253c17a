// The panel itself, loaded by the launcher (./index.ts) on first open: the recording indicator,
// "Report a problem", stored sessions, loading a file, and the replay timeline with verification.
import { logFile, logText } from './gzip'
import type { Reducer } from 'redux'
import { allowancesFor, scaffoldSource } from '../internal/scaffoldSource'
import { plural } from '../internal/plural'
import { deleteFromIndexedDb, diffStates, encodeRecording, loadFromIndexedDb, type FlightRecorder, type StoredSession } from './deps'
import { formatBytes, h, short, uid } from './dom'
import { addSheet } from './sheet'
import { applyRedaction, logRedactor, REDACTED, type RedactionCopies } from '../redact'
import { parsePath } from '../hash/subtrees'
import { toJsonForm } from '../internal/toJsonForm'
import type { StateDifference } from '../replay/diff'
import type { RecordingHeader } from 'redux-flight-recorder'
import { createStepList } from './stepList'
import { PANEL_CSS } from './styles'
import { buildTimeline, type LogEnding, type Timeline, type TimelineStep } from './timeline'
import type { FlightRecorderPanelOptions, PanelHost, PanelUi } from './types'

const STATS_EVERY_MS = 500
const RELISTS = 3
const REVOKE_AFTER_MS = 40_000
const APP_REDUCER = "the app's reducer"

/** A session not closed or left and written this recently (ms) is likely being recorded in another tab. */
const LIVE_MS = 5 * 60 * 1000

/** Collector sessions shown at first, and added by each "Show more sessions". */
const REMOTE_PAGE = 25

/** A session's start, in the browser's locale (a month name where the locale writes one: no 05/12 to misread). */
const when = (t: string | number) => new Date(t).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })

export function createPanelUi(recorder: FlightRecorder, options: FlightRecorderPanelOptions, host: PanelHost): PanelUi {
  addSheet(host.root, PANEL_CSS)
  const reducers: Record<string, Reducer> = { [APP_REDUCER]: options.reducer, ...options.reducers }
  let statsTimer: ReturnType<typeof setInterval> | undefined
  let destroyed = false
  /** Bumped by every new load: a replay still running for an older one gives up. */
  let generation = 0

  // Slices of replay yield through a MessageChannel: a task boundary without timers to clear.
  // Where there is none (Jest 30's jsdom environment), through setTimeout(0).
  const channel = typeof MessageChannel === 'function' ? new MessageChannel() : undefined
  const waiting: Array<() => void> = []
  // In Node (a polyfill from worker_threads) the port keeps the process alive only while a pause waits.
  const port = channel?.port1 as { ref?: () => void; unref?: () => void } | undefined
  if (channel) {
    channel.port1.onmessage = () => {
      waiting.shift()?.()
      if (waiting.length === 0) port?.unref?.()
    }
    port?.unref?.()
  }
  const pause = () =>
    new Promise<void>((resolve) => {
      if (!channel) return void setTimeout(resolve, 0)
      waiting.push(resolve)
      port?.ref?.()
      channel.port2.postMessage(0)
    })

  // Downloads through an object URL, revoked later (some browsers start reading it after `click()`
  // returns) or at `destroy()`, whichever comes first. With `gzip`, the file is compressed (and
  // named `.jsonl.gz`) where the browser has CompressionStream. Resolves to the file saved.
  const revokeTimers = new Map<ReturnType<typeof setTimeout>, string>()
  async function save(text: string, name: string): Promise<File> {
    const file = await logFile(text, name.replace(/\.gz$/i, ''), options.gzip === true)
    const url = URL.createObjectURL(file)
    const link = h('a', { href: url, download: file.name, rel: 'noopener' })
    link.click()
    const timer = setTimeout(() => {
      revokeTimers.delete(timer)
      URL.revokeObjectURL(url)
    }, REVOKE_AFTER_MS)
    revokeTimers.set(timer, url)
    return file
  }

  const titleId = uid('title')
  // Each section says what its own controls did, under them (not in one line far from the button pressed).
  const statusLine = () => h('p', { role: 'status', class: 'muted' })
  const said = { report: statusLine(), stored: statusLine(), remote: statusLine(), load: statusLine(), timeline: statusLine() }
  const say = (where: keyof typeof said, text: string) => (said[where].textContent = text)
  /** The status of the section says its list could not be read (cleared once it can). */
  const listFailed = { stored: false, remote: false }

  // ------------------------------------------------------------ recording indicator
  const stat = (name: string) => h('dd', null, '0')
  const cells = { entries: stat('entries'), actions: stat('actions'), turns: stat('turns'), bytes: stat('bytes'), dropped: stat('dropped'), sinkErrors: stat('sink errors') }
  const dot = h('span', { class: 'dot', 'aria-hidden': 'true' })
  const recState = h('span', { class: 'muted' }, 'recording')
  /** Says when an httpSink of this session gets no answer from its server (see src/browser/httpSink.ts), until it does. */
  // (Not `.summary`: that names the timeline's verdict.)
  const unanswered = h('p', { role: 'status', class: 'unanswered' })
  const statsBox = h(
    'div',
    { role: 'group', 'aria-label': 'Recording' },
    h('dl', { class: 'stats' },
    ...Object.entries({ entries: 'entries', actions: 'actions', turns: 'turns', bytes: 'bytes', dropped: 'dropped', sinkErrors: 'sink errors' }).map(([k, label]) =>
      h('div', null, h('dt', null, label), cells[k as keyof typeof cells]),
    )),
    unanswered,
  )
  function updateStats() {
    const s = recorder.stats()
    cells.entries.textContent = String(s.entries)
    cells.actions.textContent = String(s.actions)
    cells.turns.textContent = String(s.turns)
    cells.bytes.textContent = formatBytes(s.bytes)
    cells.dropped.textContent = String(s.dropped)
    cells.sinkErrors.textContent = String(s.sinkErrors ?? 0)
    cells.dropped.className = s.dropped > 0 ? 'bad' : ''
    cells.sinkErrors.className = s.sinkErrors > 0 ? 'bad' : ''
    let chunks = 0
    let bytes = 0
    try {
      const sinks = (globalThis as { [k: symbol]: Record<string, { pending(): { chunks: number; bytes: number } }> | undefined })[Symbol.for('redux-flight-recorder.httpUnanswered.1')]
      for (const key in sinks) {
        if (!key.startsWith(`${recorder.session} `)) continue
        const p = sinks[key].pending()
        chunks += p.chunks
        bytes += p.bytes
      }
    } catch {
      // another version's registry: said nothing
    }
    const text = chunks ? `The log server is not answering: ${plural(chunks, 'chunk')} (${formatBytes(bytes)}) waiting, sent again until it answers.` : ''
    if (unanswered.textContent !== text) unanswered.textContent = text
    // (`enabled`/`paused` may be missing from a recorder of another version of the package.)
    const on = !s.closed && s.enabled !== false && s.paused !== true
    recState.textContent = s.closed ? 'closed' : s.enabled === false ? 'not recording' : s.paused ? 'paused' : 'recording'
    dot.className = on ? 'dot' : 'dot off'
    // The stored row of this tab's session says what the recorder has recorded now, as the
    // indicator does (its Open and Download read what is stored when pressed).
    if (mineMissing && s.bytes > 0 && !s.closed && relists < RELISTS) {
      mineMissing = false
      relists++
      void recorder.flush().catch(() => {}).then(() => (destroyed ? undefined : refreshSessions()))
    }
    // Its size is what this database held when listed: `s.bytes` counts what every sink was handed
    // (twice the log with two sinks), and reading the stored size again on every tick costs too much.
    if (mineRow?.details.isConnected) mineRow.details.textContent = `${mineRow.started} · ${plural(s.actions, 'action')} · ${formatBytes(mineRow.bytes)} stored when listed · this tab`
  }

  // ------------------------------------------------------------ report a problem
  const note = h('textarea', { name: 'note', placeholder: 'What did you do, what did you expect, what happened?' })
  const noteLabel = h('label', null, 'What went wrong?', note)
  const reportForm = h('form', { class: 'report', onSubmit: (e: Event) => (e.preventDefault(), void report()) }, noteLabel, h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary' }, 'Report a problem')))
  /**
   * This tab's log, with its final state. A recorder from 'redux-flight-recorder/lazy' is waited
   * for (its core may not have arrived yet); one that cannot give a log (disabled, no store, a core
   * that could not be loaded) throws, which the caller says in its section.
   */
  async function thisTabLog(): Promise<string> {
    const ready = (recorder as { ready?: () => Promise<void> }).ready
    if (typeof ready === 'function') await ready.call(recorder)
    return recorder.toJSONL({ finalState: true })
  }
  const unreadable = (error: unknown) => `This tab's session cannot be read: ${(error as Error)?.message ?? String(error)}`
  async function report() {
    const text = note.value.trim()
    recorder.mark('problem report', { note: text })
    let jsonl: string
    try {
      jsonl = await thisTabLog()
    } catch (error) {
      // The note stays in the box.
      return say('report', unreadable(error))
    }
    note.value = ''
    updateStats()
    const file = await save(jsonl, `problem-report-${recorder.session.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 8)}-${new Date().toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.jsonl`)
    const name = file.name
    say('report', `Saved ${name} with your note.`)
    if (options.onReport) {
      try {
        await options.onReport(file)
        say('report', `Saved ${name} with your note, and handed it to the app.`)
      } catch (error) {
        say('report', `Saved ${name}, but the app could not take it: ${(error as Error)?.message ?? String(error)}`)
      }
    }
  }

  // ------------------------------------------------------------ stored sessions
  const sessionList = h('ul', { class: 'sessions', 'aria-label': 'Stored sessions' })
  /** The details of this tab's row in the stored list, kept up to date by updateStats. */
  let mineRow: { details: Element; started: string; bytes: number } | undefined
  /**
   * The list was read before this tab's session was stored (a panel opened as the page starts:
   * the sink stores the session once its database is open): updateStats reads it again, after a
   * flush, once the recorder has written something (at most `RELISTS` times: a recorder that does
   * not write to this database never shows up).
   */
  let mineMissing = false
  let relists = 0
  const refreshButton = h('button', { type: 'button', onClick: () => void refreshSessions(true) }, 'Refresh the list')
  const sessionsBox = options.indexedDb
    ? h(
        'section',
        { 'aria-label': 'Stored sessions' },
        h('h3', null, 'Stored sessions'),
        h('div', { class: 'row' }, refreshButton),
        sessionList,
        said.stored,
      )
    : null
  /**
   * A stored session as it is now: this tab's is read again (after a flush), since it grew after
   * the list was read; any other is the one listed.
   */
  async function current(s: StoredSession): Promise<StoredSession> {
    if (s.session !== recorder.session || !options.indexedDb) return s
    try {
      await recorder.flush()
      return (await loadFromIndexedDb(options.indexedDb, { session: s.session }))[0] ?? s
    } catch {
      return s
    }
  }
  /** `pressed`: "Refresh the list" was pressed (the section's status says what it found). */
  async function refreshSessions(pressed = false) {
    if (!options.indexedDb) return
    let stored: StoredSession[]
    const unreadable: string[] = []
    try {
      stored = await loadFromIndexedDb(options.indexedDb, { onUnreadable: (error) => unreadable.push(error.message.replace(/^\[redux-flight-recorder\] /, '')) })
    } catch (error) {
      if (destroyed) return
      sessionList.replaceChildren(h('li', { class: 'muted' }, 'The list could not be read (below).'))
      say('stored', `Cannot read the stored sessions: ${(error as Error).message}`)
      listFailed.stored = true
      return
    }
    if (destroyed) return
    if (pressed || listFailed.stored) say('stored', pressed ? `Listed ${plural(stored.length, 'stored session')}${unreadable.length > 0 ? ` (${unreadable.length} left out)` : ''}.` : '')
    listFailed.stored = false
    mineMissing = !stored.some((s) => s.session === recorder.session)
    sessionList.replaceChildren(
      ...stored.map((s) => {
        // Files and buttons are named by the whole id: two ids can share their start, and every
        // file and button must have a name of its own.
        const id = fileId(s.session)
        const full = s.session
        const mine = s.session === recorder.session
        // Not closed nor left, and written lately: probably another tab recording it now (or a
        // page that crashed then). Deleting it is safe for storage (that tab stops storing it and
        // says so), but the row says so before anyone deletes it.
        const live = !mine && !s.closed && s.endedBy === null && Date.now() - Date.parse(s.updatedAt) < LIVE_MS
        const badge = mine ? 'this tab' : s.closed ? 'closed' : s.endedBy === 'pagehide' ? 'page left' : live ? 'still being recorded, perhaps in another tab' : 'not closed'
        const actions = s.recording.entries.filter((e) => 'action' in e).length
        const started = when(s.startedAt)
        const info = sessionInfo(s.session, `${started} · ${plural(actions, 'action')} · ${formatBytes(s.bytes)}${mine ? ' stored when listed' : ''} · ${badge}`)
        // This tab's row follows the recording while the panel is open (see updateStats).
        if (mine) mineRow = { details: info.querySelector('.details')!, started, bytes: s.bytes }
        return h(
          'li',
          { 'data-session': s.session },
          info,
          h('div', { class: 'acts' },
          // "Open", not "Load": a name that another holds ("Load session …" in "Download session …")
          // makes a test's `getByRole('button', { name })` find two (test/browser/panel-names.spec.ts).
          h('button', { type: 'button', 'aria-label': `Open session ${full}`, 'aria-describedby': info.id, onClick: async () => {
            const text = encodeRecording((await current(s)).recording)
            say('stored', `Opened stored session ${full}.`)
            void load(`session-${id}.jsonl`, text, false, !s.closed && s.endedBy === 'pagehide' ? 'pagehide' : undefined)
          } }, 'Open'),
          h('button', { type: 'button', 'aria-label': `Download session ${full}`, 'aria-describedby': info.id, onClick: async () => void save(encodeRecording((await current(s)).recording), `session-${id}.jsonl`) }, 'Download'),
          // This tab's session is still being written: deleting it would leave a log without its header.
          !mine &&
          h(
            'button',
            {
              type: 'button',
              class: 'danger',
              'aria-label': `Delete session ${full}`,
              'aria-describedby': info.id,
              onClick: async (event: Event) => {
                // Deleting cannot be undone: the first press asks, the second (within 5 s) deletes.
                const button = event.currentTarget as HTMLButtonElement
                if (button.dataset.armed !== 'true') {
                  button.dataset.armed = 'true'
                  button.textContent = 'Confirm delete'
                  button.setAttribute('aria-label', `Confirm delete session ${full}`)
                  say('stored', `Press again to delete session ${full}: it cannot be undone.${live ? ' If another tab is still recording it, that tab stops storing it.' : ''}`)
                  setTimeout(() => {
                    if (!button.isConnected) return
                    button.dataset.armed = 'false'
                    button.textContent = 'Delete'
                    button.setAttribute('aria-label', `Delete session ${full}`)
                  }, 5000)
                  return
                }
                const at = stored.indexOf(s)
                await deleteFromIndexedDb(options.indexedDb!, s.session)
                say('stored', `Deleted session ${full}.`)
                await refreshSessions()
                // The button is gone: focus goes to the row that took its place (or the one
                // before it, or the refresh button), not to the page.
                const rows = sessionList.querySelectorAll<HTMLElement>('li[data-session]')
                const next = rows[Math.min(at, rows.length - 1)]?.querySelector<HTMLElement>('button') ?? refreshButton
                next.focus()
              },
            },
            'Delete',
          )),
        )
      }),
    )
    for (const reason of unreadable) sessionList.append(h('li', { class: 'muted' }, `Left out: ${reason}`))
    if (stored.length === 0 && unreadable.length === 0) sessionList.append(h('li', { class: 'muted' }, 'No stored sessions yet.'))
  }

  // ------------------------------------------------------------ collector sessions
  const remote = options.collector
  const remoteBase = remote ? remote.url.replace(/\/+$/, '') : ''
  const remoteList = h('ul', { class: 'sessions', 'aria-label': 'Collector sessions' })
  /** How many of the collector's sessions are listed (the most recently written first). */
  let remoteShown = REMOTE_PAGE
  const remoteCount = h('span', { class: 'muted' })
  const remoteMore = h('button', { type: 'button', hidden: true, onClick: () => void showMoreRemote() }, 'Show more sessions')
  async function showMoreRemote() {
    const from = remoteList.querySelectorAll('li[data-collector-session]').length
    remoteShown += REMOTE_PAGE
    await refreshRemote()
    // Focus goes to the first session just added (or stays in the list, on its last row).
    const rows = remoteList.querySelectorAll<HTMLElement>('li[data-collector-session]')
    ;(rows[Math.min(from, rows.length - 1)]?.querySelector<HTMLElement>('button') ?? (remoteMore.hidden ? remoteRefresh : remoteMore)).focus()
  }
  const remoteRefresh = h('button', { type: 'button', onClick: () => void refreshRemote(true) }, 'Refresh the collector list')
  const remoteBox = remote
    ? h(
        'section',
        { 'aria-label': 'Collector sessions' },
        h('h3', null, 'Collector sessions'),
        h('div', { class: 'row' }, remoteRefresh),
        remoteList,
        h('div', { class: 'row' }, remoteMore, remoteCount),
        said.remote,
      )
    : null
  /** GET from the collector with its admin token; a 4xx/5xx throws with the collector's own reason. */
  async function fromCollector(path: string): Promise<Response> {
    const res = await fetch(remoteBase + path, { headers: remote!.token ? { Authorization: `Bearer ${remote!.token}` } : {}, cache: 'no-store' })
    if (res.ok) return res
    let reason = ''
    try {
      reason = ((await res.json()) as { error?: string }).error ?? ''
    } catch {}
    throw Object.assign(new Error(reason || `The collector answered ${res.status} to GET ${remoteBase}${path}.`), { status: res.status })
  }
  /** `pressed`: "Refresh the collector list" was pressed (the section's status says what it found). */
  async function refreshRemote(pressed = false) {
    if (!remote) return
    let sessions: Array<{ id: string; app: string | null; started: string; bytes: number; batches: number; hasHeader: boolean }>
    try {
      // One more than shown: whether there are more to show.
      sessions = ((await (await fromCollector(`/sessions?limit=${remoteShown + 1}`)).json()) as { sessions: typeof sessions }).sessions
    } catch (error) {
      if (!destroyed) {
        // Said in the section's status (a live region), in place of what it said before.
        remoteList.replaceChildren(h('li', { class: 'muted' }, 'The list could not be read (below).'))
        remoteMore.hidden = true
        remoteCount.textContent = ''
        say('remote', `Cannot list the collector's sessions: ${(error as Error).message}`)
        listFailed.remote = true
      }
      return
    }
    if (destroyed) return
    if (pressed || listFailed.remote) say('remote', pressed ? `Listed ${plural(Math.min(sessions.length, remoteShown), 'session')} from the collector.` : '')
    listFailed.remote = false
    const more = sessions.length > remoteShown
    sessions = sessions.slice(0, remoteShown)
    remoteMore.hidden = !more
    remoteCount.textContent = more ? `The ${sessions.length} most recently written are shown.` : ''
    remoteList.replaceChildren(
      ...sessions.map((s) => {
        const badge = s.id === recorder.session ? 'this tab' : s.hasHeader ? plural(s.batches, 'batch', 'batches') : 'header not yet arrived'
        const info = sessionInfo(s.id, `${when(s.started)}${s.app ? ` · ${s.app}` : ''} · ${formatBytes(s.bytes)} · ${badge}`)
        return h(
          'li',
          { 'data-collector-session': s.id },
          info,
          h('div', { class: 'acts' }, h('button', { type: 'button', 'aria-label': `Open collector session ${s.id}`, 'aria-describedby': info.id, onClick: () => void loadRemote(s.id) }, 'Open')),
        )
      }),
    )
    if (sessions.length === 0) remoteList.append(h('li', { class: 'muted' }, 'No sessions in the collector yet.'))
  }
  async function loadRemote(session: string) {
    let res: Response
    try {
      res = await fromCollector(`/sessions/${encodeURIComponent(session)}`)
    } catch (error) {
      const status = (error as { status?: number }).status
      say(
        'remote',
        status === 409
          ? `Session ${session} cannot be opened yet: its header (the first batch) has not arrived at the collector. Try again shortly.`
          : `Cannot open session ${session} from the collector: ${(error as Error).message}`,
      )
      return
    }
    const text = await res.text()
    const gaps = res.headers.get('Flight-Recorder-Gaps')
    say('remote', gaps ? `Warning: session ${session} has gaps, seq ${gaps}: those lines never reached the collector.` : `Opened session ${session} from the collector.`)
    await load(`collector-${fileId(session)}.jsonl`, text)
  }

  // ------------------------------------------------------------ load
  const fileInput = h('input', { type: 'file', accept: '.jsonl,.ndjson,.txt,.gz,application/x-ndjson,text/plain,application/gzip', hidden: true, 'aria-label': 'Session file' })
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0]
    fileInput.value = ''
    if (file) void loadFile(file)
  })
  async function loadFile(file: File) {
    let read: Awaited<ReturnType<typeof logText>>
    try {
      read = await logText(file)
    } catch (error) {
      say('load', `${file.name} cannot be read: ${(error as Error)?.message ?? String(error)}`)
      return
    }
    void load(file.name, read.text, false, read.cutOff ? 'gzip-cut-off' : undefined)
  }
  const loadBox = h(
    'section',
    { 'aria-label': 'Replay a session' },
    h('h3', null, 'Replay a session'),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onClick: () => fileInput.click() }, 'Load a file…'),
      h(
        'button',
        {
          type: 'button',
          onClick: () =>
            void thisTabLog().then(
              (text) => load(`session-${fileId(recorder.session)}-snapshot.jsonl`, text, false, 'snapshot'),
              (error: unknown) => say('load', unreadable(error)),
            ),
        },
        "Replay this tab's session",
      ),
      fileInput,
    ),
    h('p', { class: 'muted' }, 'Or drop a .jsonl (or .jsonl.gz) file on the panel.'),
    said.load,
  )

  // ------------------------------------------------------------ timeline
  let timeline: Timeline | undefined
  /** Indices into `timeline.steps` that the filters let through. */
  let visible: number[] = []
  /** The current step: an index into `timeline.steps`, or -1 for the starting state. */
  let at = -1

  const sourceName = h('code', { class: 'source' })
  const reducerSelect = h('select', null, ...Object.keys(reducers).map((name) => h('option', { value: name }, name)))
  // The log asked for last, whose replay may still be running (a long log, a busy page): a reducer
  // chosen meanwhile replays that log, not the one shown before it (or nothing, before the first).
  let asked: Pick<Timeline, 'source' | 'text' | 'ending'> | undefined
  reducerSelect.addEventListener('change', () => asked && void load(asked.source, asked.text, true, asked.ending))
  const summary = h('p', { class: 'summary', role: 'status' })
  const toDivergence = h('button', { type: 'button', hidden: true, onClick: () => timeline && go(timeline.divergenceIndex) }, 'Go to the divergence')
  const reportPre = h('pre', { class: 'report', 'aria-label': 'Divergence report', tabindex: '0', hidden: true })
  const kindFilter = h('select', null)
  const turnFilter = h('input', { type: 'text', placeholder: 'e.g. t12', size: 10 })
  kindFilter.addEventListener('change', applyFilters)
  turnFilter.addEventListener('input', applyFilters)
  const first = h('button', { type: 'button', onClick: () => go(-1) }, 'Start')
  // The arrows are decoration: the buttons are named "Back" and "Forward".
  const back = h('button', { type: 'button', onClick: () => step(-1) }, h('span', { 'aria-hidden': 'true' }, '◀ '), 'Back')
  const forward = h('button', { type: 'button', onClick: () => step(1) }, 'Forward', h('span', { 'aria-hidden': 'true' }, ' ▶'))
  const slider = h('input', { type: 'range', min: '0', value: '0', 'aria-label': 'Step number' })
  slider.addEventListener('input', () => {
    const p = Number(slider.value)
    go(p === 0 ? -1 : visible[p - 1])
  })
  const position = h('p', { class: 'muted', 'aria-live': 'polite' })
  const cell = () => h('td', null)
  // The action wraps (it is the step's main field; a tooltip is out of reach by touch or keyboard).
  const detail = { action: h('td', { class: 'wrap' }), turn: cell(), expected: cell(), actual: cell(), check: cell() }
  const stepTable = h(
    'table',
    { class: 'step', 'aria-label': 'Current step' },
    h(
      'tbody',
      null,
      ...Object.entries({ action: 'action', turn: 'turn', expected: 'recorded hash', actual: 'replayed hash', check: 'check' }).map(([k, label]) =>
        h('tr', null, h('th', { scope: 'row' }, label), detail[k as keyof typeof detail]),
      ),
    ),
  )
  const changes = h('ul', { class: 'changes', 'aria-label': 'State change' })
  /** The current step's detail: what stepping brings into view (see `go`). */
  const stepBox = h('div', null, position, stepTable, changes)
  const list = createStepList(host.root, 'Steps', (i) => go(i))
  // A live region, always there (one that appears is not reliably read): says when filters match nothing.
  const noMatch = h('p', { class: 'muted', role: 'status' })
  const testText = h('textarea', { class: 'test', readonly: true, 'aria-label': 'Test file', hidden: true })
  const copyTest = h('button', { type: 'button', onClick: () => void copyAsTest() }, 'Copy as test')
  const downloadLoaded = h('button', { type: 'button', onClick: () => timeline && void save(timeline.text, timeline.source) }, 'Download this log')
  // Visible labels (the placeholder is an example, not the label).
  const filters = h('div', { class: 'row filters' }, h('label', { class: 'filter' }, h('span', null, 'Filter by action type'), kindFilter), h('label', { class: 'filter' }, h('span', null, 'Filter by turn'), turnFilter))
  const timelineBody = h(
    'div',
    { hidden: true },
    h('div', { class: 'row' }, sourceName, h('label', { class: 'filter' }, h('span', null, 'Replay against'), reducerSelect)),
    summary,
    h('div', { class: 'row' }, toDivergence, copyTest, downloadLoaded),
    said.timeline,
    reportPre,
    testText,
    filters,
    h('div', { class: 'row' }, first, back, forward),
    slider,
    stepBox,
    list.el,
    noMatch,
  )
  const timelineHeading = h('h3', { tabindex: '-1' }, 'Timeline')
  const timelineBox = h('section', { 'aria-label': 'Timeline' }, timelineHeading, timelineBody)

  /** `ending`: how a log without `@@end` ended, when the panel knows (see `LogEnding`). */
  async function load(source: string, text: string, keepPlace = false, ending?: LogEnding) {
    const mine = ++generation
    asked = { source, text, ending }
    const reducerName = reducerSelect.value
    summary.className = 'summary'
    summary.textContent = `Replaying ${source} against ${reducerName}…`
    timelineBody.hidden = false
    // What the timeline's buttons said was of the log shown before ("Copied a Vitest test for …").
    say('timeline', '')
    // A new log (not the same one against another reducer): the focus goes to the timeline, which
    // scrolls into view, so a keyboard or screen reader user is where the result is.
    if (!keepPlace) timelineHeading.focus()
    let built: Timeline | undefined
    try {
      built = await buildTimeline(source, text, reducers[reducerName], pause, () => destroyed || mine !== generation, ending, options.adapters)
    } catch (error) {
      if (mine !== generation) return
      timeline = undefined
      sourceName.textContent = source
      summary.className = 'summary bad'
      summary.textContent = `${source} cannot be replayed: ${(error as Error).message}`
      noMatch.textContent = ''
      for (const el of [toDivergence, reportPre, testText, copyTest, downloadLoaded, stepTable, changes, list.el, first, back, forward, slider, position, filters]) el.hidden = true
      return
    }
    if (!built) return
    // The place is kept in the log shown, not carried into another one.
    const keep = keepPlace && timeline?.text === text ? at : -1
    timeline = built
    for (const el of [copyTest, downloadLoaded, stepTable, changes, list.el, first, back, forward, slider, position, filters]) el.hidden = false
    testText.hidden = true
    sourceName.textContent = source
    summary.textContent = built.summary
    summary.className = `summary ${built.verdict}`
    toDivergence.hidden = built.divergenceIndex === -1
    reportPre.hidden = built.report === null
    reportPre.textContent = built.report ?? ''
    kindFilter.replaceChildren(h('option', { value: '' }, 'All action types'), ...built.kinds.map((k) => h('option', { value: k }, k)))
    turnFilter.value = ''
    at = Math.min(keep, built.steps.length - 1)
    applyFilters()
  }

  function applyFilters() {
    if (!timeline) return
    const kind = kindFilter.value
    const turn = turnFilter.value.trim()
    visible = []
    timeline.steps.forEach((s, i) => {
      if ((kind === '' || s.kind === kind) && (turn === '' || s.turn === turn)) visible.push(i)
    })
    slider.max = String(visible.length)
    noMatch.textContent = visible.length > 0 ? '' : 'No step matches the filters.'
    list.el.hidden = visible.length === 0
    list.show(timeline.steps, visible)
    go(at, false)
  }

  /** Scrolls the panel (not the page) as little as it takes to show `el` in full (its top, if it is taller than the panel). */
  function reveal(el: Element | null) {
    if (!el) return
    const r = el.getBoundingClientRect()
    const top = panel.getBoundingClientRect().top + panel.clientTop
    const bottom = top + panel.clientHeight
    if (r.bottom > bottom) panel.scrollTop += Math.min(r.bottom - bottom, r.top - top)
    else if (r.top < top) panel.scrollTop -= top - r.top
  }

  /** Moves to the next (+1) or previous (-1) step the filters let through. */
  function step(direction: 1 | -1) {
    if (!timeline) return
    // `visible` is sorted: the first entry after `at` is the next step, the one before it the previous.
    const after = firstAfter(visible, at)
    if (direction === 1) {
      if (after < visible.length) go(visible[after])
    } else {
      const before = visible[after - 1] === at ? after - 2 : after - 1
      go(before >= 0 ? visible[before] : -1)
    }
  }

  /** `show`: the step was moved to (not a load or a filter): what shows it is brought into view. */
  function go(index: number, show = true) {
    const inList = host.root.activeElement === list.el
    setStep(index)
    // Once the step's detail is filled in (its height moves the list). Stepping in the list (End,
    // Home, the arrows): its current row in full view, in the panel too.
    // Stepping from elsewhere (Left/Right from the Timeline heading, the buttons, the slider): the
    // step's detail, below the fold on a laptop screen; the focus stays where it is.
    if (show) reveal(inList ? list.el.querySelector('[aria-selected=true]') : stepBox)
  }

  function setStep(index: number) {
    if (!timeline) return
    at = Math.max(-1, Math.min(index, timeline.steps.length - 1))
    const total = timeline.steps.length
    const after = firstAfter(visible, at)
    slider.value = String(at !== -1 && visible[after - 1] === at ? after : 0)
    const focused = host.root.activeElement
    first.disabled = back.disabled = at === -1
    forward.disabled = after >= visible.length
    // A step button that disabled itself on its own press would drop the focus to the page (and
    // with it the panel's keys): it goes to the button for the other way, else the slider.
    if (focused instanceof HTMLButtonElement && focused.disabled) (forward.disabled ? (back.disabled ? slider : back) : forward).focus()
    list.setCurrent(at)
    const s = at === -1 ? undefined : timeline.steps[at]
    if (!s) {
      position.textContent = `Start · ${total} steps`
      detail.action.textContent = '(the recorded starting state)'
      detail.turn.textContent = '–'
      detail.expected.textContent = timeline.result.header.hash ?? '–'
      detail.actual.textContent = '–'
      detail.check.textContent = '–'
      detail.check.className = ''
      changes.replaceChildren()
      return
    }
    position.textContent = `Step ${at + 1} of ${total} · seq ${s.seq}`
    detail.action.textContent = short({ type: s.kind, ...(s.action as object) }, 200)
    detail.action.title = short(s.action, 2000)
    detail.turn.textContent = s.turn ?? '–'
    detail.expected.textContent = s.expectedHash ?? '–'
    detail.actual.textContent = s.actualHash ?? '–'
    detail.check.className = s.matched === true ? 'ok' : s.matched === false ? 'bad' : ''
    detail.check.textContent = checkText(s, at === timeline.divergenceIndex)
    if (s.notReplayed) {
      changes.replaceChildren(h('li', null, 'not replayed (entries before it are missing)'))
      return
    }
    const thrown = throwText(s)
    let change: { before: unknown; after: unknown }
    try {
      change = timeline.states.at(at)
    } catch (error) {
      changes.replaceChildren(...thrown, h('li', null, `This step's state could not be rebuilt: the reducer threw running it again (${(error as Error)?.message ?? String(error)}).`))
      return
    }
    // Values under the log's redacted paths shown as the log holds them: a value the replay's
    // reducer put there (a secret its initial state or a regression made) is not shown, as the
    // divergence report does not show it; that they changed still is.
    const diff = asLogged(diffStates(change.before, change.after, 50), change.before, change.after, timeline.result.header)
    changes.replaceChildren(
      ...thrown,
      ...(diff.length === 0 ? [h('li', null, 'no change to the state')] : diff.map((d) => h('li', null, `${d.path}: ${short(d.recorded, 60)} → ${short(d.replayed, 60)}`))),
    )
  }

  async function copyAsTest() {
    if (!timeline) return
    const logName = /\.jsonl?(?:\.gz)?$/i.test(timeline.source) ? timeline.source : `${timeline.source}.jsonl`
    const store = options.storeModule ?? './store'
    const source = scaffoldSource({
      logName,
      logUrl: `./${logName}`,
      storeSpecifier: store.replace(/\.(?:ts|mts|cts|tsx)$/, ''),
      // The adapters the panel replays with: the test imports them from the store module too.
      names: options.adapters?.length ? ['reducer', 'adapters'] : ['reducer'],
      viaDefault: false,
      shownLog: logName,
      shownStore: store,
      // The log's action entries, as scaffold-test counts them (the steps listed may be fewer:
      // the timeline ends at a replaced reducer or a state it cannot go on from).
      actions: actionEntries(timeline.text),
      recordedAt: timeline.result.header.ts,
      ...allowancesFor(timeline.result),
    })
    testText.value = source
    testText.hidden = false
    try {
      await navigator.clipboard.writeText(source)
      say('timeline', `Copied a Vitest test for ${logName}: save the log as ${logName} next to it.`)
    } catch {
      testText.select()
      say('timeline', 'The clipboard is not available: the test is selected below, copy it from there.')
    }
  }

  // ------------------------------------------------------------ the panel
  // `label` (a page with two panels) is in the dialog's name, its header and its close button's
  // name, as in the launcher's (index.ts).
  const label = options.label ? ` (${options.label})` : ''
  const closeButton = h('button', { type: 'button', 'aria-label': `Close the flight recorder${label}`, onClick: () => host.close() }, '✕')
  const panel = h(
    'div',
    { class: 'panel', role: 'dialog', 'aria-labelledby': titleId, tabindex: '-1' },
    h('div', { class: 'head' }, dot, h('h2', { id: titleId }, 'Flight recorder', label && h('span', { class: 'label' }, label)), recState, h('code', { class: 'grow', title: recorder.session }, recorder.session.slice(0, 8)), closeButton),
    statsBox,
  )
  // The first layout of the whole panel (form controls, fonts, the stylesheets) is what the first
  // open costs most: the sections go in one task at a time, each laid out in its own task, so no
  // single task holds the page for all of them.
  const sections = [h('section', { 'aria-label': 'Report a problem' }, h('h3', null, 'Report a problem'), reportForm, said.report), sessionsBox, remoteBox, loadBox, timelineBox]
  void (async () => {
    for (const section of sections) {
      await pause()
      if (destroyed) return
      if (section) panel.append(section)
      void panel.offsetHeight
    }
  })()
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.stopPropagation()
      host.close()
      return
    }
    const target = event.target as HTMLElement
    if (!timeline || target.matches('input, textarea, select')) return
    const back1 = event.key === 'ArrowLeft' || (target === list.el && event.key === 'ArrowUp')
    const fwd1 = event.key === 'ArrowRight' || (target === list.el && event.key === 'ArrowDown')
    if (back1 || fwd1) {
      event.preventDefault()
      step(back1 ? -1 : 1)
    } else if (target === list.el && (event.key === 'Home' || event.key === 'End')) {
      event.preventDefault()
      go(event.key === 'Home' ? (visible[0] ?? -1) : (visible[visible.length - 1] ?? -1))
    }
  })
  panel.addEventListener('dragover', (event) => {
    event.preventDefault()
    panel.classList.add('drop')
  })
  panel.addEventListener('dragleave', () => panel.classList.remove('drop'))
  panel.addEventListener('drop', (event) => {
    event.preventDefault()
    panel.classList.remove('drop')
    const file = event.dataTransfer?.files[0]
    if (file) void loadFile(file)
  })
  host.mount.append(panel)

  return {
    focusTarget: () => panel,
    shown(visibleNow) {
      clearInterval(statsTimer)
      statsTimer = undefined
      if (!visibleNow) return
      updateStats()
      statsTimer = setInterval(updateStats, STATS_EVERY_MS)
      void refreshSessions()
      void refreshRemote()
    },
    destroy() {
      destroyed = true
      clearInterval(statsTimer)
      statsTimer = undefined
      for (const [timer, url] of revokeTimers) {
        clearTimeout(timer)
        URL.revokeObjectURL(url)
      }
      revokeTimers.clear()
      if (channel) {
        channel.port1.onmessage = null
        channel.port1.close()
        channel.port2.close()
      }
      panel.remove()
    },
  }
}

/**
 * A session id as part of a file name: the whole id (the recorder's ids and a collector's are made
 * of letters, digits, "-" and "_"; any other character, from a session stored otherwise, becomes "_").
 */
const fileId = (session: string) => session.replace(/[^\w-]/g, '_')

/**
 * A session row's text: the whole session id (wrapped, never cut) over its details. Its id names
 * the row's buttons' description, so a screen reader reads the full id and the details with them.
 */
function sessionInfo(session: string, details: string): HTMLElement {
  // (The space keeps the id and the details apart in the accessible description.)
  return h('div', { class: 'info', id: uid('session'), title: `${session}\n${details}` }, h('code', { class: 'sid' }, session), ' ', h('span', { class: 'details' }, details))
}

/** What the "check" row says about a step. */
export function checkText(s: TimelineStep, isDivergence: boolean): string {
  if (s.notReplayed) return '– not checked (not replayed: entries before it are missing, and replay resumes at the next full state)'
  if (s.stopped) return `✗ not replayed: ${s.stopped} (the report below says why)`
  if (isDivergence && s.replayThrow !== undefined && s.recordedThrow === undefined) return '✗ the reducer threw here on replay, and had not when recorded'
  if (!s.afterDivergence || isDivergence) {
    if (s.matched === true) return '✓ matches the recording'
    if (s.matched === false) return '✗ differs from the recording'
    return '– no recorded hash'
  }
  // After the divergence the replay goes on from its own state, not the recorded one.
  if (s.matched === true) return '✓ hashes as recorded again (after the divergence, replayed from the replayed state)'
  if (s.matched === false) return '✗ differs (after the divergence, replayed from the replayed state)'
  return '– not checked (after the divergence, replayed from the replayed state)'
}

/** What a step's "State change" says first when its reducer threw, when recorded or replayed, or replay did not run it. */
function throwText(s: TimelineStep): HTMLElement[] {
  const out: string[] = []
  if (s.stopped) out.push(`Replay did not run this action (${s.stopped}): the state stays as it was before it.`)
  if (s.recordedThrow !== undefined) {
    out.push(
      `The reducer threw at this action when it was recorded (${s.recordedThrow}), so the app kept the state it had. ` +
        (s.replayThrow !== undefined ? `Replayed, it threw again (${s.replayThrow}): the state stays as it was, as recorded.` : 'Replayed, it did not throw.'),
    )
  } else if (s.replayThrow !== undefined) out.push(`The reducer threw at this action on replay (${s.replayThrow}); it had not when recorded. The state stays as it was.`)
  return out.map((text) => h('li', { class: 'threw' }, text))
}

/** How many entries of a log (JSONL) hold an action, as `scaffold-test` counts them. */
function actionEntries(text: string): number {
  let n = 0
  for (const line of text.split('\n')) {
    if (!line.includes('"action"')) continue
    try {
      const entry = JSON.parse(line) as unknown
      if (typeof entry === 'object' && entry !== null && Object.prototype.hasOwnProperty.call(entry, 'action')) n++
    } catch {}
  }
  return n
}

/** The position in sorted `list` of the first value greater than `value` (`list.length` if none). */
function firstAfter(list: number[], value: number): number {
  let lo = 0
  let hi = list.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (list[mid] <= value) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Differences between two states with the values under the log's redacted state paths redacted. */
function asLogged(diff: StateDifference[], before: unknown, after: unknown, header: RecordingHeader): StateDifference[] {
  const redactor = logRedactor(header)
  if (!redactor || diff.length === 0) return diff
  const shared: RedactionCopies = new Map()
  const logged = [applyRedaction(before, redactor, shared), applyRedaction(after, redactor, shared)]
  return diff.map((d) => {
    const keys = parsePath(d.path)
    const read = (root: unknown, value: unknown) => (value === undefined ? value : valueAt(root, keys))
    return { ...d, recorded: read(logged[0], d.recorded), replayed: read(logged[1], d.replayed) }
  })
}

/**
 * The value at `keys` in a redacted copy, as JSON writes it (through `toJSON`, as diffStates reads
 * states): REDACTED where a redacted value is on the way, or the path cannot be followed.
 */
function valueAt(root: unknown, keys: string[] | null): unknown {
  if (keys === null) return REDACTED
  let v = root
  let key = ''
  for (const next of keys) {
    v = toJsonForm(v, key)
    if (v === REDACTED || typeof v !== 'object' || v === null || !Object.prototype.hasOwnProperty.call(v, next)) return REDACTED
    v = (v as Record<string, unknown>)[(key = next)]
  }
  return toJsonForm(v, key)
}
