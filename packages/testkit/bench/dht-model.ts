// A MODEL of the design docs/scaling.md proposes past full replication, not of the shipped relay:
// presence sharded by target_hash over a Kademlia-style DHT. Node ids are SHA-256 of node keys,
// each client's presence is stored on the R nodes whose ids are XOR-closest to its client hash,
// and a publish or lookup walks greedily through k-buckets. It counts what the design would cost
// at the size the brief asks for (3,000 nodes, 30,000 clients): hops per lookup, frames per
// presence event, entries per node. argv: nodes (3,000), clients (30,000).
import { createHash } from 'node:crypto'
import { createSeededRandom } from '@chat6/node/testing'
import { deriveSeed } from '../src/index.ts'
import { fmt, quantile, Report } from './report.ts'

const N = Number(process.argv[2] ?? 3_000)
const C = Number(process.argv[3] ?? 30_000)
const R = 4 // replicas of each presence record
const K = 8 // entries per k-bucket
const report = new Report('dht-model')
const random = createSeededRandom(deriveSeed(1, 'dht-model'))

// The model routes on the first 48 bits of each id: 2^48 ≫ N², so no two nodes tie.
const id48 = (bytes: Uint8Array): number => {
  const h = createHash('sha256').update(bytes).digest()
  return h.readUIntBE(0, 6)
}
// XOR of two 48-bit ids, as a number (both halves fit in 24 bits, so no precision is lost)
const xor = (a: number, b: number): number => {
  const hi = (Math.floor(a / 2 ** 24) ^ Math.floor(b / 2 ** 24)) >>> 0
  const lo = ((a % 2 ** 24) ^ (b % 2 ** 24)) >>> 0
  return hi * 2 ** 24 + lo
}
const bucketOf = (d: number): number => (d === 0 ? -1 : Math.floor(Math.log2(d)))

const t0 = performance.now()
const nodes = Array.from({ length: N }, () => id48(random.bytes(32)))
// k-buckets: for each node and each distance bucket, up to K random members of that bucket
const buckets = nodes.map((self) => {
  const byBucket = new Map<number, number[]>()
  const order = Array.from({ length: N }, (_, i) => i)
  for (let i = N - 1; i > 0; i--) {
    const j = Math.floor(random.float() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  for (const j of order) {
    const other = nodes[j] as number
    if (other === self) continue
    const b = bucketOf(xor(self, other))
    const list = byBucket.get(b) ?? []
    if (list.length < K) list.push(j)
    byBucket.set(b, list)
  }
  return [...byBucket.values()].flat()
})

/** Greedy walk from `start` toward `target`; returns hops and the node it ends on. */
function walk(start: number, target: number): { hops: number; end: number } {
  let at = start
  let hops = 0
  for (;;) {
    let best = at
    let bestD = xor(nodes[at] as number, target)
    for (const j of buckets[at] ?? []) {
      const d = xor(nodes[j] as number, target)
      if (d < bestD) {
        best = j
        bestD = d
      }
    }
    if (best === at) return { hops, end: at }
    at = best
    hops++
  }
}

const closest = (target: number, n: number): number[] =>
  nodes
    .map((x, i) => [xor(x, target), i] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, n)
    .map(([, i]) => i)

/** The R closest among the walk's last node and its bucket entries: where the walk stores. */
const replicasNear = (end: number, target: number): number[] =>
  [end, ...(buckets[end] ?? [])]
    .map((i) => [xor(nodes[i] as number, target), i] as const)
    .sort((a, b) => a[0] - b[0])
    .slice(0, R)
    .map(([, i]) => i)

const stored = new Uint32Array(N)
const hops: number[] = []
let exact = 0
const SAMPLE = 1_000 // checking against all N ids is O(N) per client: a sample gives the rate
for (let c = 0; c < C; c++) {
  const target = id48(random.bytes(32))
  const w = walk(Math.floor(random.float() * N), target)
  hops.push(w.hops)
  const replicas = replicasNear(w.end, target)
  for (const r of replicas) stored[r] = (stored[r] ?? 0) + 1
  if (c < SAMPLE && closest(target, R).every((x, i) => replicas[i] === x)) exact++
}
const wallMs = performance.now() - t0
const meanHops = hops.reduce((a, b) => a + b, 0) / hops.length
const perNode = [...stored]
const meanEntries = perNode.reduce((a, b) => a + b, 0) / N
const maxEntries = Math.max(...perNode)
// a publish: the walk (one request and one answer per hop), then R stores and their acks
const framesPerEvent = 2 * meanHops + 2 * R

report.add({
  key: 'dht.framesPerEvent',
  value: framesPerEvent,
  unit: 'frames',
  detail: {
    nodes: N,
    clients: C,
    replicas: R,
    bucketSize: K,
    meanHops,
    p99Hops: quantile(hops, 0.99),
  },
})
report.add({
  key: 'dht.entriesPerNode',
  value: meanEntries,
  unit: 'entries',
  detail: { max: maxEntries, replicas: R, exactClosestRate: exact / SAMPLE },
})
report.data.model = { nodes: N, clients: C, replicas: R, bucketSize: K, wallMs }
report.save()
console.log(`DHT model (not the shipped relay): ${fmt(N)} nodes, ${fmt(C)} clients, R=${R}, k=${K}`)
console.log(
  `  ${meanHops.toFixed(2)} hops per lookup (p99 ${quantile(hops, 0.99)}), the walk finds the true R closest ` +
    `${((100 * exact) / SAMPLE).toFixed(1)}% of the time; ~${framesPerEvent.toFixed(0)} frames per presence event`,
)
console.log(
  `  ${meanEntries.toFixed(0)} presence entries per node on average, at most ${maxEntries.toFixed(0)}; ${fmt(wallMs)} ms`,
)
process.exit(0)
