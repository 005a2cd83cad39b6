// `pnpm fuzz` runner of the splitter target: a million cases unless CHAT6_FUZZ_RUNS says otherwise.
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { rateLine, seedFromEnv } from './runs.ts'
import { numRuns, splitterProperty } from './splitter.ts'

it(`fuzz: splitter, ${numRuns} cases`, () => {
  const seed = seedFromEnv()
  const t0 = performance.now()
  const r = fc.check(splitterProperty, { numRuns, seed })
  console.log(rateLine('splitter', r.numRuns, performance.now() - t0, seed))
  expect(r.failed ? fc.defaultReportMessage(r) : undefined).toBeUndefined()
  expect(r.numRuns).toBe(numRuns)
})
