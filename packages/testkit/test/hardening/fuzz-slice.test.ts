// The deterministic slice of the fuzz targets (`pnpm fuzz` runs a million cases of each): the
// same properties with a fixed seed and a couple of thousand cases, in the normal test run.
import fc from 'fast-check'
import { describe, it } from 'vitest'
import { handshakeProperty } from '../../../node/fuzz/handshake.ts'
import { tablesProperty } from '../../../node/fuzz/tables.ts'
import { codecProperty } from '../../../wire/fuzz/codec.ts'
import { splitterProperty } from '../../../wire/fuzz/splitter.ts'

const SEED = 20_260_101

describe('fuzz targets, deterministic slice', () => {
  it('behavior: codec — decode never throws, accepts only canonical lines, agrees with the reference', () => {
    fc.assert(codecProperty, { seed: SEED, numRuns: 2_000 })
  })

  it('behavior: splitter — lines as a plain split yields them, never more than the limit held', () => {
    fc.assert(splitterProperty, { seed: SEED, numRuns: 2_000 })
  })

  it('behavior: link state machine — states, BYE reasons, drops and MACs as the model says', () => {
    fc.assert(handshakeProperty, { seed: SEED, numRuns: 1_500 })
  })

  it('behavior: presence and route tables — model-based, every command checked against the model', () => {
    fc.assert(tablesProperty, { seed: SEED, numRuns: 1_500 })
  })
})
