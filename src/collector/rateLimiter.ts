/** A limit of `requests` per `perMs` milliseconds, as a token bucket (bursts up to `requests`). */
export interface RateLimit {
  requests: number
  perMs: number
}

/**
 * Token buckets by key, at most `maxKeys` of them: past that the least recently used bucket goes
 * (so memory stays bounded whatever the number of clients).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number,
    private readonly maxKeys = 50_000,
  ) {}

  /** Takes one token; returns 0 when allowed, otherwise the milliseconds until a token is back. */
  take(key: string): number {
    const { requests, perMs } = this.limit
    const now = this.now()
    let bucket = this.buckets.get(key)
    if (bucket) {
      this.buckets.delete(key)
      bucket.tokens = Math.min(requests, bucket.tokens + ((now - bucket.at) * requests) / perMs)
      bucket.at = now
    } else {
      bucket = { tokens: requests, at: now }
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!)
    }
    this.buckets.set(key, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.ceil(((1 - bucket.tokens) * perMs) / requests)
  }

  get size(): number {
    return this.buckets.size
  }
}
