import { inflateSync } from 'node:zlib'

export interface DecodedPng {
  width: number
  height: number
  /** RGBA, 4 bytes per pixel, row by row. */
  pixels: Uint8Array
}

/**
 * Decodes the PNGs Chromium writes for screenshots: 8-bit RGB or RGBA, not interlaced. Enough to
 * check that a screenshot shows something; not a general decoder.
 */
export function decodePng(png: Buffer): DecodedPng {
  if (png.length < 8 || png.toString('latin1', 1, 4) !== 'PNG') throw new Error('Not a PNG file.')
  let width = 0
  let height = 0
  let channels = 0
  const data: Buffer[] = []
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at)
    const type = png.toString('latin1', at + 4, at + 8)
    const body = png.subarray(at + 8, at + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      const depth = body[8]
      const colour = body[9]
      const interlace = body[12]
      if (depth !== 8 || (colour !== 2 && colour !== 6) || interlace !== 0) {
        throw new Error(`Unsupported PNG: bit depth ${depth}, colour type ${colour}, interlace ${interlace}.`)
      }
      channels = colour === 6 ? 4 : 3
    } else if (type === 'IDAT') data.push(body)
    else if (type === 'IEND') break
    at += 12 + length
  }
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels
  const rows = new Uint8Array(stride * height)
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? rows[y * stride + x - channels] : 0
      const b = y > 0 ? rows[(y - 1) * stride + x] : 0
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0
      let v = line[x]
      if (filter === 1) v += a
      else if (filter === 2) v += b
      else if (filter === 3) v += (a + b) >> 1
      else if (filter === 4) {
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c
      } else if (filter !== 0) throw new Error(`Unknown PNG filter ${filter} in row ${y}.`)
      rows[y * stride + x] = v & 0xff
    }
  }
  if (channels === 4) return { width, height, pixels: rows }
  const pixels = new Uint8Array(width * height * 4)
  for (let i = 0, j = 0; i < rows.length; i += 3, j += 4) {
    pixels[j] = rows[i]
    pixels[j + 1] = rows[i + 1]
    pixels[j + 2] = rows[i + 2]
    pixels[j + 3] = 255
  }
  return { width, height, pixels }
}

/** How many distinct colours the image has, and the share of pixels the most common one covers. */
export function colourStats(image: DecodedPng): { distinct: number; dominantShare: number } {
  const counts = new Map<number, number>()
  const view = new DataView(image.pixels.buffer, image.pixels.byteOffset, image.pixels.byteLength)
  for (let i = 0; i < image.pixels.length; i += 4) {
    const key = view.getUint32(i)
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  let top = 0
  for (const n of counts.values()) if (n > top) top = n
  return { distinct: counts.size, dominantShare: top / (image.width * image.height) }
}
