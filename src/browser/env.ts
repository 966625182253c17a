/**
 * Access to browser globals, looked up when called and never at import time, so that the browser
 * entry can be imported during server-side rendering and in Node.
 */

import { realSetTimeout } from '../internal/realTimers'

interface EventTargetLike {
  addEventListener(type: string, listener: (event: any) => void, options?: boolean | AddEventListenerOptions): void
  removeEventListener(type: string, listener: (event: any) => void, options?: boolean | EventListenerOptions): void
}

const g = globalThis as {
  window?: EventTargetLike
  document?: EventTargetLike & { visibilityState?: string }
  navigator?: { sendBeacon?: (url: string, data?: BodyInit | null) => boolean; onLine?: boolean }
  location?: { href: string }
  indexedDB?: IDBFactory
  reportError?: (error: unknown) => void
}

/** The page's `window`, or `undefined` outside a browser page (Node, SSR, workers). */
export function pageWindow(): EventTargetLike | undefined {
  const w = g.window
  return w && typeof w.addEventListener === 'function' ? w : undefined
}

/** A worker's global scope (dedicated, shared or service worker), or `undefined` elsewhere. */
export function workerScope(): EventTargetLike | undefined {
  const W = (g as { WorkerGlobalScope?: new () => unknown }).WorkerGlobalScope
  return typeof W === 'function' && g instanceof W ? (g as unknown as EventTargetLike) : undefined
}

/** The page's `document`, or `undefined` outside a browser page. */
export function pageDocument(): (EventTargetLike & { visibilityState?: string }) | undefined {
  const d = g.document
  return d && typeof d.addEventListener === 'function' ? d : undefined
}

/**
 * `indexedDB`. Where storage is blocked (private modes) reading it throws (a `SecurityError`): then
 * a factory whose `open` throws that, so opening fails once, as when `open` throws.
 */
export function globalIndexedDb(): IDBFactory | undefined {
  try {
    return g.indexedDB
  } catch (error) {
    return { open() { throw new Error(`[redux-flight-recorder] IndexedDB is blocked here (${error}).`, { cause: error }) } } as unknown as IDBFactory
  }
}

/** `navigator.sendBeacon` bound to `navigator`, when the runtime has it. */
export function beaconSender(): ((url: string, data: Blob) => boolean) | undefined {
  const nav = g.navigator
  return nav && typeof nav.sendBeacon === 'function' ? (url, data) => nav.sendBeacon!(url, data) : undefined
}

/** Resolves `url` against the page address, so relative endpoints such as `/log` work. */
export function absoluteUrl(url: string): URL {
  return new URL(url, g.location?.href)
}

type Listener = (event: any) => void
/** A target's listeners of one type, in the order they run (by rank, then as added), with the one real listener that calls them. */
type Hub = Array<[Listener, number]> & { d?: Listener }
const hubs = new WeakMap<EventTargetLike, Record<string, Hub>>()

/**
 * Adds listeners and returns one function that removes them all. Targets that do not exist (no
 * `document` in a worker) are skipped. The package's listeners of one target and type run from one
 * real listener: those given a rank first, lowest first, then the others, each in the order added.
 * So at page hide the sinks mark the page as leaving (rank 0), recordPageLifecycle records
 * `pagehide` and flushes (rank 1), then the sinks write what is pending, whichever was set up first
 * (a `/lazy` recorder's sinks attach when its core arrives). (The capture phase does not do it:
 * Chromium runs a window's own listeners in the order added.) A listener removed meanwhile does
 * not run; one that throws does not keep the next from running, and its error is
 * reported (`reportError`).
 */
export function listen(bindings: Array<[target: EventTargetLike | undefined, type: string, listener: Listener, rank?: number]>): () => void {
  const removers = bindings.map(([target, type, run, rank = Infinity]) => {
    if (!target) return () => {}
    let types = hubs.get(target)
    if (!types) hubs.set(target, (types = {}))
    let hub = types[type]
    if (!hub) {
      const all: Hub = (hub = types[type] = [])
      all.d = (event) => {
        for (const entry of all.slice()) {
          if (!all.includes(entry)) continue
          try {
            entry[0](event)
          } catch (error) {
            // At once, to window.onerror (a task may never run in a closing tab); not in browsers before 2022.
            g.reportError?.(error)
          }
        }
      }
      target.addEventListener(type, all.d)
    }
    const all = hub
    const entry: Hub[number] = [run, rank]
    all.splice(all.filter((e) => e[1] <= rank).length, 0, entry)
    return () => {
      const i = all.indexOf(entry)
      if (i < 0) return
      all.splice(i, 1)
      if (!all.length) {
        delete types![type]
        target.removeEventListener(type, all.d!)
      }
    }
  })
  return () => removers.splice(0).forEach((remove) => remove())
}

export { lineSeq } from '../internal/lineSeq'

/**
 * Characters of text encoded per task by `blobInSlices`. Chromium's Blob constructor costs more
 * than in proportion past ~256K (an 8 MB state in 53K-character parts, one Blob per slice on top
 * of the last: median 2.6-3.9 ms per slice at 256K, 7.3-8.9 ms at 512K; p90 5-9 and 14-20 ms),
 * and a loaded page multiplies both: at 512K a slice was a task of 40-100 ms in the jank bench.
 */
const BLOB_SLICE_CHARS = 256 * 1024

/**
 * A Blob of `pieces` (a body with a state in parts), built over several tasks: each encodes about
 * `BLOB_SLICE_CHARS` into a Blob that refers to the one before, so no task encodes a whole large
 * state and none flattens it into one string (`start`: a Blob they follow). (Each task is a task of its own in a browser, where
 * the page can render between them: the recorder's Node slicer is not needed here.)
 */
export async function blobInSlices(pieces: readonly string[], type: string, start?: Blob): Promise<Blob> {
  let blob = new Blob(start ? [start] : [], { type })
  for (let i = 0; i < pieces.length; ) {
    // A real timer also under a test's fake timers (src/internal/realTimers.ts): a faked one never fired.
    await new Promise<void>((resolve) => realSetTimeout(resolve, 0))
    const batch: BlobPart[] = [blob]
    for (let chars = 0; i < pieces.length && chars < BLOB_SLICE_CHARS; i++) {
      chars += pieces[i].length
      batch.push(pieces[i])
    }
    blob = new Blob(batch, { type })
  }
  return blob
}
