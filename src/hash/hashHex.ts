// The hex form of an fr64 result, in its own module so that entries which only format hashes
// (replay, devtools) bundle these few lines, not the hasher.

/** 16 lowercase hex characters, `hi` first. */
export function hashHex(hi: number, lo: number): string {
  return hex8(hi) + hex8(lo)
}

/** Two lowercase hex digits per byte value, built on first use (nothing runs at import). */
let HEX: string[] | undefined

function hexTable(): string[] {
  const table: string[] = []
  for (let i = 0; i < 256; i++) table.push('0123456789abcdef'[i >>> 4] + '0123456789abcdef'[i & 15])
  return (HEX = table)
}

function hex8(x: number): string {
  const h = HEX ?? hexTable()
  return h[x >>> 24] + h[(x >>> 16) & 255] + h[(x >>> 8) & 255] + h[x & 255]
}
