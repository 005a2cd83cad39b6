// `pnpm fuzz` runner of the codec target: a million cases unless CHAT6_FUZZ_RUNS says otherwise.
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { codecProperty, numRuns } from './codec.ts'
import { rateLine, seedFromEnv } from './runs.ts'

it(`fuzz: codec, ${numRuns} cases`, () => {
  const seed = seedFromEnv()
  const t0 = performance.now()
  const r = fc.check(codecProperty, { numRuns, seed })
  console.log(rateLine('codec', r.numRuns, performance.now() - t0, seed))
  expect(r.failed ? fc.defaultReportMessage(r) : undefined).toBeUndefined()
  expect(r.numRuns).toBe(numRuns)
})
