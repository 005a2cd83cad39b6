// One seed, many independent streams: each purpose (topology, faults, the world of nodes and
// clients) draws from its own generator, so that turning faults on does not change the graph.

/**
 * A 32-bit seed for the stream named `label` of the run seeded with `seed`.
 * @example
 * ```ts
 * createSeededRandom(deriveSeed(42, 'faults'))
 * ```
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}

/**
 * The seeds a scenario runs with: `CHAT6_SEED` (one seed, to reproduce a failure) or
 * `count` seeds from `first` (default 1). `CHAT6_SEEDS` overrides `count`.
 * @example
 * ```ts
 * for (const seed of seeds(20)) it(`seed ${seed}`, () => run(seed))
 * ```
 */
export function seeds(
  count: number,
  first = 1,
  env: Record<string, string | undefined> = process.env,
): number[] {
  const one = env.CHAT6_SEED
  if (one !== undefined && one !== '') return [Number(one)]
  const n =
    env.CHAT6_SEEDS !== undefined && env.CHAT6_SEEDS !== '' ? Number(env.CHAT6_SEEDS) : count
  return Array.from({ length: n }, (_, i) => first + i)
}
