/** Whether `bytes` start as gzip data does (1f 8b): how every reader of logs tells a `.jsonl.gz`. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}
