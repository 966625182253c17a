/**
 * A streaming UTF-8 decoder for where there is no global `TextDecoder` (Jest's jsdom environment):
 * a sequence split between chunks waits for the next one; invalid bytes become U+FFFD.
 */
export class Utf8Decoder {
  private rest: Uint8Array | undefined

  decode(bytes: Uint8Array = new Uint8Array(0), options?: { stream?: boolean }): string {
    let u = bytes
    if (this.rest !== undefined) {
      u = new Uint8Array(this.rest.length + bytes.length)
      u.set(this.rest)
      u.set(bytes, this.rest.length)
      this.rest = undefined
    }
    let n = u.length
    if (options?.stream) {
      // Keep an unfinished sequence at the end for the next chunk.
      for (let k = 1; k <= 3 && k <= n; k++) {
        const b = u[n - k]
        if (b < 0x80) break
        if (b >= 0xc0) {
          const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
          if (len > k) {
            this.rest = u.slice(n - k)
            n -= k
          }
          break
        }
      }
    }
    let out = ''
    const units: number[] = []
    for (let i = 0; i < n; ) {
      const b = u[i]
      if (b < 0x80) {
        units.push(b)
        i++
      } else {
        const need = b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : 0
        let cp = need === 1 ? b & 0x1f : need === 2 ? b & 0x0f : b & 0x07
        let j = 1
        for (; need > 0 && j <= need && i + j < n && (u[i + j] & 0xc0) === 0x80; j++) cp = (cp << 6) | (u[i + j] & 0x3f)
        const min = need === 1 ? 0x80 : need === 2 ? 0x800 : 0x10000
        if (need === 0 || j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
          units.push(0xfffd)
          i += need === 0 || j <= need ? Math.max(1, j) : j
          continue
        }
        if (cp >= 0x10000) units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff))
        else units.push(cp)
        i += j
      }
      if (units.length >= 4096) {
        out += String.fromCharCode(...units)
        units.length = 0
      }
    }
    return out + String.fromCharCode(...units)
  }
}
