import type { Reducer } from 'redux'
import type { ReplayAdapter } from 'redux-flight-recorder/replay'

export type PanelPosition = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left'

export interface FlightRecorderPanelOptions {
  /** The app's root reducer: sessions are replayed into it, step by step, with every hash checked. */
  reducer: Reducer<any, any>
  /**
   * Other reducers a session can be verified against, by name.
   * @example { 'next release': nextReducer }
   */
  reducers?: Record<string, Reducer<any, any>>
  /**
   * Replay adapters, as `replay` takes them, for every replay the panel runs (against `reducer` and
   * each of `reducers`): an app with redux-persist passes `[reduxPersist()]` (from
   * 'redux-flight-recorder/panel', which keeps the replayer off the page's first load with every
   * bundler; 'redux-flight-recorder/replay' exports the same function), without which no session of it verifies (its `persist/PERSIST`
   * holds functions the log cannot carry). "Copy as test" then writes a test that passes `adapters`
   * too, imported from `storeModule`, which must export them (as `scaffold-test` does for a store
   * module that exports `adapters`).
   * @example { reducer: makePersistedReducer(memoryStorage()), adapters: [reduxPersist()] }
   */
  adapters?: ReplayAdapter[]
  /** The `name` given to `indexedDbSink({ name })`: the panel lists, loads, downloads and deletes its sessions. */
  indexedDb?: string
  /**
   * A session collector (`redux-flight-recorder/collector`) whose sessions the panel lists and opens:
   * `url` is where it answers (`GET <url>/sessions`, `GET <url>/sessions/<id>`), `token` its admin
   * token, sent as `Authorization: Bearer <token>`. Show the panel with a token to your team only.
   * @example { url: '/flight', token: adminToken }
   */
  collector?: PanelCollector
  /**
   * The key combination that opens and closes the panel, such as `'Ctrl+Shift+F'` or `'Alt+R'`;
   * `false` for none (the launcher button stays).
   * @default 'Ctrl+Shift+F'
   */
  hotkey?: string | false
  /**
   * Receives the file "Report a problem" made (the recorder's own output, so redaction applies),
   * after it was downloaded; an app can upload it to its tracker (`(file) => fetch(url, { method:
   * 'POST', body: file })`). What it returns is awaited; a rejection is shown in the panel.
   */
  onReport?: (file: File) => unknown
  /**
   * Saves "Report a problem" files and downloads compressed, as `.jsonl.gz` (gzip), where the
   * browser has `CompressionStream`: JSON logs shrink about 8× (a 1 MB entity state: 1.85 → 0.21 MB). `onReport` gets the
   * same file. Every reader of the package opens such files as they are (the panel's "Load a
   * file…", `replayFile`, `loadRecording`, `expectReplayFile`, the CLI).
   * @default false
   */
  gzip?: boolean
  /** The corner the launcher sits in. @default 'bottom-right' */
  position?: PanelPosition
  /**
   * Names this panel where a page has more than one (two stores, micro-frontends), such as the
   * recorder's `meta.app`: with `label: 'checkout'` the launcher reads "Flight recorder (checkout)",
   * and so do the dialog's name, its header and its close button's name, so that a screen reader
   * (and `getByRole`) tells the panels apart. Give each panel its own `position` too, and its own
   * `hotkey` (or `false`): panels with the same hotkey open together.
   * @example { reducer: checkoutReducer, label: 'checkout', position: 'bottom-left', hotkey: false }
   */
  label?: string
  /**
   * How "Copy as test" imports the store module (as `flight-recorder scaffold-test --store` would).
   * Tests that are ES modules under `"module": "nodenext"` need the extension (`'./store.js'`):
   * without it the generated test fails `tsc` there (TS2835).
   * @default './store'
   */
  storeModule?: string
}

export interface PanelCollector {
  /** Where the collector answers, such as `'/flight'` or `'https://collector.example/flight'`. */
  url: string
  /** Its `adminToken`, sent as `Authorization: Bearer <token>`. */
  token?: string
}

export interface FlightRecorderPanel {
  /** Opens the panel, loading its UI the first time. Resolves once it is shown. */
  open(): Promise<void>
  /** Closes the panel and gives focus back to where it was. */
  close(): void
  /** Removes the panel, its element and every listener and timer it added. */
  unmount(): void
}

/** What the launcher hands the lazily loaded UI. */
export interface PanelHost {
  root: ShadowRoot
  /** Where the UI puts itself. */
  mount: HTMLElement
  close(): void
}

export interface PanelUi {
  /** The element that receives focus when the panel opens. */
  focusTarget(): HTMLElement
  shown(visible: boolean): void
  destroy(): void
}
