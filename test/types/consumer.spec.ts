import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Issue 15, case 7: tsc on consumer fixtures (test/types/consumer/): the matcher augmentation for
// Vitest 4 and Jest as the testing typings document it, and recordSession with a store factory
// that takes the recorder.
const root = fileURLToPath(new URL('../..', import.meta.url))
const consumer = join(root, 'test/types/consumer')
const tsc = (project: string) => spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: root, encoding: 'utf8', timeout: 240_000 })

describe('consumer typings', () => {
  it('compile: Vitest 4 and Jest matcher augmentation, recordSession((rec) => makeStore(rec))', () => {
    const r = tsc(consumer)
    expect(r.stdout + r.stderr).toBe('')
    expect(r.status).toBe(0)
  }, 240_000)

})
