// How many cases a fuzz target runs: CHAT6_FUZZ_RUNS, else the target's default (a million in
// `pnpm fuzz`). The deterministic slice in the normal test run passes its own, small count.

/** Cases per target in `pnpm fuzz` unless CHAT6_FUZZ_RUNS says otherwise. */
export const DEFAULT_FUZZ_RUNS = 1_000_000

/**
 * The run count from the environment.
 * @param fallback - when CHAT6_FUZZ_RUNS is unset
 */
export function runsFromEnv(fallback = DEFAULT_FUZZ_RUNS): number {
  const v = process.env.CHAT6_FUZZ_RUNS
  const n = v === undefined || v === '' ? fallback : Number(v)
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError('CHAT6_FUZZ_RUNS: a positive integer')
  return n
}

/** The seed of a fuzz run: CHAT6_FUZZ_SEED to replay one, else a fresh one (printed). */
export function seedFromEnv(): number {
  const v = process.env.CHAT6_FUZZ_SEED
  return v === undefined || v === '' ? Math.floor(Math.random() * 2 ** 31) : Number(v)
}

/** One line for the log: cases, time and rate of a finished target. */
export function rateLine(target: string, runs: number, ms: number, seed: number): string {
  const perS = Math.round((runs * 1000) / ms)
  return `fuzz ${target}: ${runs} cases in ${(ms / 1000).toFixed(1)} s = ${perS} cases/s (seed ${seed})`
}
