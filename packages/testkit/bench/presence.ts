// Presence at one mesh size (argv[2] nodes): real relays on the memory network and the virtual
// clock, a random graph of mean degree 4, and clients announced one at a time. Per event: frames
// sent (against a plain flood of the same graph), hops to convergence (against the breadth-first
// floor), wall time; per node: idle heap and heap per client entry held. One size per process, so
// each heap figure starts clean. Run by bench/run.ts with --expose-gc.
import { createSeededRandom } from '@chat6/node/testing'
import { deriveSeed } from '../src/index.ts'
import { fmt, Report, settledHeap } from './report.ts'
import { hopsFrom, startSim } from './sim.ts'

const N = Number(process.argv[2] ?? 100)
const DEGREE = 4
const SEED = 1
// events per size: enough for a stable mean, few enough for the five-minute budget
const EVENTS = Number(
  process.env.BENCH_EVENTS ?? (N <= 100 ? 20 : N <= 300 ? 10 : N <= 1000 ? 6 : 4),
)
// virtual ms after convergence for the last advertisements (poisoned reverses) to land
const QUIET_MS = 500
const WARMUP = N >= 3000 ? 1 : 2

const report = new Report('presence')
const base = settledHeap()
const sim = await startSim({ nodes: N, topology: { random: { degree: DEGREE } }, seed: SEED })
const idle = settledHeap()
const E = sim.edges.length

const reachable = new Map<string, number>()
for (const node of sim.nodes) {
  node.on('client:reachable', (c) => reachable.set(c.id, (reachable.get(c.id) ?? 0) + 1))
}
const pick = createSeededRandom(deriveSeed(SEED, 'bench-homes'))
// Events before measuring, so that the first measured one does not pay for the JIT.
for (let s = 0; s < WARMUP; s++) {
  const id = sim.announce(Math.floor(pick.float() * N), sim.identity(), `w${s}`)
  await sim.runUntil(() => reachable.get(id) === N, 60_000)
  await sim.clock.advance(QUIET_MS)
}
const warm = settledHeap()
const events: Array<{
  frames: number
  hops: number
  reachHops: number
  floor: number
  wallMs: number
}> = []
for (let s = 0; s < EVENTS; s++) {
  const home = Math.floor(pick.float() * N)
  const identity = sim.identity()
  const floor = Math.max(...hopsFrom(N, sim.edges, home))
  const before = sim.framesOut('CLIENT_ONLINE')
  const t0 = performance.now()
  const v0 = sim.clock.now()
  const id = sim.announce(home, identity, `c${s}`)
  if (!(await sim.runUntil(() => reachable.get(id) === N, 60_000)))
    throw new Error(`presence: client ${s} reached ${reachable.get(id) ?? 0} of ${N} nodes`)
  const reachHops = (sim.clock.now() - v0) / sim.latency
  await sim.clock.advance(QUIET_MS)
  const wallMs = performance.now() - t0
  const frames = sim.framesOut('CLIENT_ONLINE') - before
  // the last presence frame of the event lands one link latency after it was written
  const hops = (sim.lastWatchedWrite - v0) / sim.latency + 1
  events.push({ frames, hops, reachHops, floor, wallMs })
}
const held = settledHeap()

const mean = (f: (e: (typeof events)[number]) => number) =>
  events.reduce((a, e) => a + f(e), 0) / events.length
const frames = mean((e) => e.frames)
const flood = 2 * E - (N - 1) // every node sends to every neighbour but the one it heard from
const hops = mean((e) => e.hops)
const floor = mean((e) => e.floor)
const wallMs = mean((e) => e.wallMs)
const idlePerNode = (idle - base) / N
const perEntry = (held - warm) / (N * EVENTS)

const key = `presence.n${N}`
report.add({
  key: `${key}.framesPerLink`,
  value: frames / E,
  unit: 'frames/link',
  reference: { label: 'plain flood on the same graph', value: flood / E },
  detail: { nodes: N, links: E, framesPerEvent: frames, floodFrames: flood, events: EVENTS },
})
report.add({
  key: `${key}.hops`,
  value: hops,
  unit: 'hops',
  reference: { label: 'breadth-first distance to the farthest node', value: floor },
  detail: {
    latencyMs: sim.latency,
    maxHops: Math.max(...events.map((e) => e.hops)),
    reachHops: mean((e) => e.reachHops),
  },
})
report.add({
  key: `${key}.wallMsPerEvent`,
  value: wallMs,
  unit: 'ms',
  detail: { framesPerEvent: frames, usPerFrame: (wallMs * 1000) / frames },
})
report.add({
  key: `${key}.startWallMs`,
  value: sim.startWallMs,
  unit: 'ms',
  detail: { virtualMs: sim.startVirtualMs, links: E },
})
report.add({ key: `${key}.idleHeapPerNode`, value: idlePerNode, unit: 'B' })
report.add({
  key: `${key}.bytesPerEntry`,
  value: perEntry,
  unit: 'B',
  detail: { entries: N * EVENTS, meanDegree: (2 * E) / N },
})
report.data.size = { nodes: N, links: E, meanDegree: (2 * E) / N, events: EVENTS }
report.save()

console.log(
  `presence, ${fmt(N)} nodes, ${fmt(E)} links (mean degree ${((2 * E) / N).toFixed(1)}), ${EVENTS} events:`,
)
console.log(
  `  start ${fmt(sim.startWallMs)} ms wall; per event ${fmt(frames)} frames = ${(frames / E).toFixed(3)} per link ` +
    `(plain flood ${(flood / E).toFixed(3)}), ${hops.toFixed(1)} hops to the last frame (every node reachable after ${mean((e) => e.reachHops).toFixed(1)}, floor ${floor.toFixed(1)}), ${fmt(wallMs)} ms wall`,
)
console.log(
  `  heap ${fmt(idlePerNode / 1024)} KiB per idle node, ${fmt(perEntry)} B per client entry (${fmt(N * EVENTS)} entries)`,
)
process.exit(0)
