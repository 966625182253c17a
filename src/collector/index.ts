export { createCollector } from './createCollector'
export { fileStore } from './fileStore'
export { s3Store } from './s3Store'
export { isSessionId } from './sessionId'

export type { Collector, CollectorLimits, CollectorOptions, CollectorRetention, SessionListing } from './createCollector'
export type { S3ClientLike, S3StoreOptions } from './s3Store'
export type { RateLimit } from './rateLimiter'
export type { BatchInfo, CollectorStore, StoredSession } from './types'
