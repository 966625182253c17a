/** One stored batch of a session: an immutable object holding the lines of seq `from`–`to`. */
export interface BatchInfo {
  from: number
  to: number
  bytes: number
  /** When it was stored, epoch ms. */
  storedAt: number
}

/** A stored session as a store lists it. */
export interface StoredSession {
  id: string
  /** Bytes of every batch. */
  bytes: number
  batches: number
  /** When its first and last batches were stored, epoch ms. */
  firstStoredAt: number
  lastStoredAt: number
}

/**
 * Where a collector keeps sessions. Every batch is written once under a key made of the session id
 * and its seq range and never changed, so any number of collectors can write to one store without
 * coordinating; sessions are assembled from their batches when read.
 * Session ids reaching a store are already checked (see `isSessionId`).
 */
export interface CollectorStore {
  /** Writes a batch; `'exists'` when a batch of this session with this exact range is already stored (a retry). */
  putBatch(session: string, from: number, to: number, text: string): Promise<'stored' | 'exists'>
  /** The batches of a session, in any order (empty when there is no such session). */
  listBatches(session: string): Promise<BatchInfo[]>
  /** A batch's text, or `undefined` when it is gone (deleted meanwhile). */
  readBatch(session: string, from: number, to: number): Promise<string | undefined>
  /** Writes the session's header summary (JSON) next to its batches; the same text from every writer. */
  putHeader(session: string, json: string): Promise<void>
  getHeader(session: string): Promise<string | undefined>
  /**
   * Notes that the session's `@@end` line is stored, at `seq` (next to the header, written once):
   * every collector sharing the store then refuses lines after it (`400 after-end`). Optional: with
   * a store without it (and `getEnd`), only the collector that stored the `@@end` knows of it.
   */
  putEnd?(session: string, seq: number): Promise<void>
  /** The seq of the session's stored `@@end` line (from `putEnd`), or `undefined`. */
  getEnd?(session: string): Promise<number | undefined>
  /**
   * Stores the header line of a part of the session starting at `fromSeq` (a header a page sent
   * again when the collector cut a long session: see `limits.maxSessionBytes`), written once;
   * `'exists'` when that part's header is already stored. Optional, with `listParts`, `readPart`
   * and `dropBefore`: a store without all four keeps a session's first `maxSessionBytes` instead of
   * its newest.
   */
  putPart?(session: string, fromSeq: number, text: string): Promise<'stored' | 'exists'>
  /** The `fromSeq` of each stored part header of the session, in any order. */
  listParts?(session: string): Promise<number[]>
  /** A part's header line, or `undefined` when it is gone. */
  readPart?(session: string, fromSeq: number): Promise<string | undefined>
  /** Removes the session's batches whose lines all come before `seq` (`to < seq`) and its part headers before it (`fromSeq < seq`). */
  dropBefore?(session: string, seq: number): Promise<void>
  listSessions(): Promise<StoredSession[]>
  /** Removes a session and all its batches; false when there was none. */
  deleteSession(session: string): Promise<boolean>
}

/** Batch object names: both ends zero-padded to 16 digits, so names sort in seq order. */
export function batchName(from: number, to: number): string {
  return `${String(from).padStart(16, '0')}-${String(to).padStart(16, '0')}.jsonl`
}

const BATCH_NAME = /^(\d{16})-(\d{16})\.jsonl$/

/** Part header object names (see `CollectorStore.putPart`): `part-` and the part's `from_seq`, zero-padded to 16 digits. */
export function partName(fromSeq: number): string {
  return `part-${String(fromSeq).padStart(16, '0')}.jsonl`
}

const PART_NAME = /^part-(\d{16})\.jsonl$/

export function parsePartName(name: string): number | undefined {
  const m = PART_NAME.exec(name)
  const from = m ? Number(m[1]) : NaN
  return Number.isSafeInteger(from) && from >= 1 ? from : undefined
}

/** Whether `dropBefore(session, seq)` removes the object `name`: a part header before `seq`, or a batch whose lines all are. */
export function droppedBefore(name: string, seq: number): boolean {
  const part = parsePartName(name)
  const batch = parseBatchName(name)
  return (part !== undefined && part < seq) || (batch !== undefined && batch.to < seq)
}

export function parseBatchName(name: string): { from: number; to: number } | undefined {
  const m = BATCH_NAME.exec(name)
  if (!m) return undefined
  const from = Number(m[1])
  const to = Number(m[2])
  return Number.isSafeInteger(from) && Number.isSafeInteger(to) && from <= to ? { from, to } : undefined
}

export const HEADER_NAME = 'header.json'
/** Where a store notes the seq of a session's `@@end` line: `{"seq":42}`. */
export const END_NAME = 'end.json'

/** The seq in an `END_NAME` object's text, or `undefined`. */
export function parseEnd(text: string | undefined): number | undefined {
  if (text === undefined) return undefined
  try {
    const seq = (JSON.parse(text) as { seq?: unknown }).seq
    return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 1 ? seq : undefined
  } catch {
    return undefined
  }
}
