// `pnpm fuzz` runner of the presence/route table target: a million command sequences unless
// CHAT6_FUZZ_RUNS says otherwise.
import fc from 'fast-check'
import { expect, it } from 'vitest'
import { rateLine, seedFromEnv } from './runs.ts'
import { numRuns, tablesProperty } from './tables.ts'

it(`fuzz: presence and route tables, ${numRuns} cases`, () => {
  const seed = seedFromEnv()
  const t0 = performance.now()
  const r = fc.check(tablesProperty, { numRuns, seed })
  console.log(rateLine('tables', r.numRuns, performance.now() - t0, seed))
  expect(r.failed ? fc.defaultReportMessage(r) : undefined).toBeUndefined()
  expect(r.numRuns).toBe(numRuns)
})
