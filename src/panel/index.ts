// The launcher: a button in a shadow root and a hotkey. The panel UI (./panel-ui) is loaded on
// first open, so an app that mounts the panel in production pays for this file only.
import type { FlightRecorder } from 'redux-flight-recorder'
import { addSheet } from './sheet'
import type { FlightRecorderPanel, FlightRecorderPanelOptions, PanelUi } from './types'

const CSS = `:host{all:initial;position:fixed;z-index:2147483000;font:13px/1.4 system-ui,sans-serif;color:#e6e9ef}
:host([class$=right]){right:12px}:host([class$=left]){left:12px}:host([class^=bottom]){bottom:12px}:host([class^=top]){top:12px}
.launch{all:initial;font:13px/1.4 system-ui,sans-serif;color:#fff;background:#1f2533;border:1px solid #4a556e;border-radius:16px;padding:5px 12px;cursor:pointer}
.launch:focus-visible{outline:2px solid #8ab4ff;outline-offset:2px}
.launch::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;background:#ff5a5a;margin-right:6px}
[hidden]{display:none!important}
.fail{position:absolute;width:260px;margin:6px 0;letter-spacing:normal;overflow-wrap:anywhere;padding:6px 8px;background:#3a1f24;border:1px solid #b3261e;border-radius:6px}
:host([class$=right]) .fail{right:0}:host([class$=left]) .fail{left:0}:host([class^=bottom]) .fail{bottom:100%}:host([class^=top]) .fail{top:100%}`

/**
 * Adds the flight recorder's devtools panel to the page: a small launcher button (and a hotkey)
 * that opens a panel showing the recording, "Report a problem", stored sessions, and a replay
 * timeline that verifies a session against your reducer. The panel's code loads on first open.
 *
 * @example
 * if (showDevtools) mountFlightRecorderPanel(recorder, { reducer: rootReducer, indexedDb: 'shop' })
 */
export function mountFlightRecorderPanel(recorder: FlightRecorder, options: FlightRecorderPanelOptions): FlightRecorderPanel {
  if (!recorder || typeof recorder.stats !== 'function') {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? '[redux-flight-recorder] Expected a recorder from createFlightRecorder() as the first argument of mountFlightRecorderPanel.'
        : '[redux-flight-recorder] mountFlightRecorderPanel: expected a recorder.',
    )
  }
  if (!options || typeof options.reducer !== 'function') {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? '[redux-flight-recorder] Expected `reducer` (the reducer sessions replay into) in the options of mountFlightRecorderPanel.'
        : '[redux-flight-recorder] mountFlightRecorderPanel: expected `reducer`.',
    )
  }
  if (typeof document === 'undefined') {
    throw new Error(
      process.env.NODE_ENV !== 'production'
        ? '[redux-flight-recorder] mountFlightRecorderPanel needs a browser page: it adds a launcher button to the document. Call it in the browser (with server-side rendering, from code that runs on the client only, such as an effect).'
        : '[redux-flight-recorder] mountFlightRecorderPanel needs a browser page.',
    )
  }
  const hotkey = options.hotkey === undefined ? 'Ctrl+Shift+F' : options.hotkey
  const host = document.createElement('flight-recorder-panel')
  host.className = options.position ?? 'bottom-right'
  const root = host.attachShadow({ mode: 'open' })
  addSheet(root, CSS)
  const button = document.createElement('button')
  button.type = 'button'
  button.className = 'launch'
  // (With `label`, the dialog's name and header say it too: see panel-ui.ts.)
  const name = options.label ? `Flight recorder (${options.label})` : 'Flight recorder'
  button.textContent = name
  button.setAttribute('aria-expanded', 'false')
  if (hotkey) button.setAttribute('aria-keyshortcuts', hotkey.replace(/Ctrl/g, 'Control'))
  const mount = document.createElement('div')
  mount.hidden = true
  // Says when the panel's code could not be loaded (the launcher stays, and a later press retries).
  // It is placed beside the launcher (above it, or below it in a top corner): the button stays put.
  const fail = document.createElement('p')
  fail.className = 'fail'
  fail.setAttribute('role', 'alert')
  fail.hidden = true
  root.append(fail, button, mount)
  // Two panels on a page (two stores, micro-frontends) that share a name, a corner or a hotkey:
  // the launchers cannot be told apart (a screen reader reads the same name), one covers the
  // other, or one key opens both. Said once per panel mounted, in development.
  if (process.env.NODE_ENV !== 'production') {
    for (const other of Array.from(document.querySelectorAll('flight-recorder-panel'))) {
      const launcher = other.shadowRoot?.querySelector('.launch')
      if (!launcher) continue
      const same = [
        launcher.textContent === name && 'name (give each panel a `label` of its own, such as its recorder\'s `meta.app`)',
        other.className === host.className && 'corner (`position`: one launcher covers the other)',
        hotkey && launcher.getAttribute('aria-keyshortcuts') === button.getAttribute('aria-keyshortcuts') && 'hotkey (one key opens both: give one `hotkey: false` or another key)',
      ].filter(Boolean)
      if (same.length > 0) {
        console.warn(`[redux-flight-recorder] mountFlightRecorderPanel: another flight recorder panel on this page has the same ${same.join(', the same ')}.`)
        break
      }
    }
  }
  document.body.append(host)

  let ui: PanelUi | undefined
  let loading: Promise<void> | undefined
  let isOpen = false
  let gone = false
  let returnFocus: Element | null = null

  const open = async () => {
    if (gone || isOpen) return
    returnFocus = document.activeElement === host ? root.activeElement : document.activeElement
    isOpen = true
    fail.hidden = true
    // The UI is built in a task of its own, after the one that evaluated its module.
    loading ??= import('./panel-ui.js').then((m) => new Promise<void>((r) => setTimeout(r)).then(() => {
      if (!gone) ui = m.createPanelUi(recorder, options, { root, mount, close })
    }))
    try {
      await loading
    } catch (error) {
      // A chunk that failed to load (offline, a deploy in between): the next open tries again.
      loading = undefined
      isOpen = false
      if (!gone) {
        fail.textContent = `The flight recorder panel could not load (${error instanceof Error ? error.message : String(error)}). Press "${name}" to try again.`
        fail.hidden = false
      }
      throw error
    }
    if (gone || !isOpen || !ui) return
    mount.hidden = false
    button.hidden = true
    button.setAttribute('aria-expanded', 'true')
    ui.shown(true)
    ui.focusTarget().focus()
  }
  const close = () => {
    if (!isOpen) return
    isOpen = false
    mount.hidden = true
    button.hidden = false
    button.setAttribute('aria-expanded', 'false')
    ui?.shown(false)
    const target = returnFocus as HTMLElement | null
    returnFocus = null
    if (target && target.isConnected && typeof target.focus === 'function') target.focus()
    else button.focus()
  }
  const onKey = (event: KeyboardEvent) => {
    if (hotkey && matches(event, hotkey)) {
      event.preventDefault()
      if (isOpen) close()
      else open().catch(() => {}) // (said in the launcher)
    }
  }
  button.addEventListener('click', () => open().catch(() => {}))
  // Before anything else (window, capture phase): the hotkey works wherever the focus is, in the
  // panel too, and before the keys typed in the panel stop at its boundary (below).
  window.addEventListener('keydown', onKey, true)
  // Keys typed in the panel are the panel's: they stop at its shadow root, so the page's own
  // shortcuts (a document listener for "/" or the arrows, which would see them retargeted to
  // <flight-recorder-panel>, not as typed in a textarea) never fire for them.
  for (const type of ['keydown', 'keyup', 'keypress']) root.addEventListener(type, (event) => event.stopPropagation())

  return {
    open,
    close,
    unmount() {
      if (gone) return
      close()
      gone = true
      window.removeEventListener('keydown', onKey, true)
      ui?.destroy()
      ui = undefined
      host.remove()
    },
  }
}

/** `'Ctrl+Shift+F'`: every modifier named is held, none other, and the key is F. */
function matches(event: KeyboardEvent, hotkey: string): boolean {
  const parts = hotkey.toLowerCase().split('+')
  const key = parts.pop()
  const has = (names: string[]) => parts.some((p) => names.includes(p))
  return (
    event.ctrlKey === has(['ctrl', 'control']) &&
    event.shiftKey === has(['shift']) &&
    event.altKey === has(['alt', 'option']) &&
    event.metaKey === has(['meta', 'cmd', 'command']) &&
    (event.key.toLowerCase() === key || event.code.toLowerCase() === `key${key}` || event.code.toLowerCase() === `digit${key}`)
  )
}

// redux-persist's replay adapter, for `adapters` (the same function as 'redux-flight-recorder/replay'
// exports, from its own file of dist/, replay-persist.js). From here, a page that mounts the panel
// imports no file that reaches the replayer: esbuild gives a page every file its static imports
// reach (re-exports too), so `reduxPersist` from the replay entry put the replayer (~35 KB gzipped)
// in the page's first load; Rollup/Vite and webpack leave it with the panel's chunk either way.
export { reduxPersist } from '../replay/reduxPersist'
export type { FlightRecorderPanel, FlightRecorderPanelOptions, PanelCollector, PanelPosition } from './types'
