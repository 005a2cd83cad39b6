// `pnpm fuzz` runner of the link state machine target: a million event sequences unless
// CHAT6_FUZZ_RUNS says otherwise.
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { handshakeProperty, numRuns } from './handshake.ts'
import { rateLine, seedFromEnv } from './runs.ts'

it(`fuzz: link state machine, ${numRuns} cases`, () => {
  const seed = seedFromEnv()
  const t0 = performance.now()
  const r = fc.check(handshakeProperty, { numRuns, seed })
  console.log(rateLine('handshake', r.numRuns, performance.now() - t0, seed))
  expect(r.failed ? fc.defaultReportMessage(r) : undefined).toBeUndefined()
  expect(r.numRuns).toBe(numRuns)
})
