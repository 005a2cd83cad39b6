// Heap per known client entry: one relay on the memory network learns `clients` remote clients
// (CLIENT_ONLINE, no icon, 11-byte nicknames), each advertised by each of `peers` neighbours, and
// its heap growth is divided by the entries it holds. argv: clients (default 100,000), peers
// (default 1). Reference, in the same process: the same presence lines kept as strings in a Map
// keyed by client hash, the least a node could hold. Run with --expose-gc.
//
// The relay's NodeCrypto is the real one except verifyProof, which accepts every proof: a proof
// check retains nothing per entry (the native backend caches at most 4,096 parsed keys), and
// 100,000 checks of fresh keys would cost over a minute of the five-minute budget.
import { base64Encode, encode, encodeToString } from '@chat6/wire'
import { ClientPool, connectFeeder, startBed } from './feeder.ts'
import { fmt, Report, settledHeap } from './report.ts'

const CLIENTS = Number(process.argv[2] ?? 100_000)
const PEERS = Number(process.argv[3] ?? 1)
const BATCH = 1_000
const report = new Report('memory')

// one peer introduces every client: lift the per-peer rates, keep the table limit (§8.4)
const bed = await startBed({
  maxNewPresencePerSecond: 1e9,
  maxNewPresenceBurst: 1e9,
  maxFramesPerSecond: 1e9,
  maxFramesBurst: 1e9,
})
const { clock, crypto, node } = bed
const pool = new ClientPool(crypto, CLIENTS)

// Reference: the presence lines themselves, as strings, by client hash.
const base0 = settledHeap()
const naive = new Map<string, string>()
for (let i = 0; i < CLIENTS; i++) {
  const frame = pool.presence(i, clock.wallNow(), 100_000)
  const hash = crypto.sha256(
    encode({ signature: new Uint8Array(32), hash: new Uint8Array(32), frame }),
  )
  naive.set(
    base64Encode(crypto.sha256(frame.clientkey)),
    encodeToString({ signature: hash, hash, frame }),
  )
}
const naiveBytes = (settledHeap() - base0) / CLIENTS
const lineBytes = [...naive.values()].reduce((a, l) => a + l.length + 1, 0) / CLIENTS
naive.clear()

const feeders = []
for (let p = 0; p < PEERS; p++) feeders.push(await connectFeeder(bed, p + 2))

const before = settledHeap()
const rssBefore = process.memoryUsage().rss
const t0 = performance.now()
for (let i = 0; i < CLIENTS; i += BATCH) {
  const end = Math.min(CLIENTS, i + BATCH)
  for (const [p, feeder] of feeders.entries()) {
    const frames = []
    for (let j = i; j < end; j++) frames.push(pool.presence(j, clock.wallNow(), 100_000 * (p + 1)))
    feeder.write(frames)
  }
  await clock.advance(1)
}
await clock.advance(100)
const feedMs = performance.now() - t0
const held = node.stats().clients
if (held !== CLIENTS)
  throw new Error(
    `memory: relay holds ${held} of ${CLIENTS} (drops ${JSON.stringify(node.stats().drops)})`,
  )
const routes = node.routeTo(base64Encode(crypto.sha256(pool.presence(0, 0, 0).clientkey)))?.routes
  .length
const after = settledHeap()
const perEntry = (after - before) / held
const rss = process.memoryUsage().rss

report.add({
  key: `memory.c${CLIENTS}.p${PEERS}.bytesPerEntry`,
  value: perEntry,
  unit: 'B',
  reference: { label: 'the presence line as a string in a Map', value: naiveBytes },
  detail: {
    clients: held,
    peers: PEERS,
    routesPerEntry: routes,
    lineBytes,
    heapBefore: before,
    heapAfter: after,
    rssGrowth: rss - rssBefore,
    feedMs,
  },
})
report.save()
console.log(
  `memory: one relay holding ${fmt(held)} remote clients, each advertised by ${PEERS} neighbour(s) (no icons)`,
)
console.log(
  `  ${fmt(perEntry)} B of heap per client entry; the same presence lines in a Map: ${fmt(naiveBytes)} B ` +
    `(line ${fmt(lineBytes)} B); ratio ${(perEntry / naiveBytes).toFixed(2)}`,
)
console.log(
  `  heap ${fmt(before / 2 ** 20)} → ${fmt(after / 2 ** 20)} MiB, RSS grew ${fmt((rss - rssBefore) / 2 ** 20)} MiB, fed in ${fmt(feedMs)} ms`,
)
process.exit(0)
