import { describe, expect, it } from 'vitest'
import { FRAME_TYPES, frameSchemas, ROUTED_FRAME_TYPES } from '../src/index.ts'

describe('ROUTED_FRAME_TYPES', () => {
  it('behavior: exactly the frame types of §4 that carry target_hash and ttl', () => {
    const routed = FRAME_TYPES.filter((t) => {
      const shape = frameSchemas[t].shape as Record<string, unknown>
      return 'target_hash' in shape && 'ttl' in shape
    })
    expect([...ROUTED_FRAME_TYPES].sort()).toEqual(routed.sort())
  })
})
