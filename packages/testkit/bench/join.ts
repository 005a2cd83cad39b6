// How long a new neighbour takes to learn the mesh: relay B holds `clients` remote clients (fed by
// a bare peer), then a fresh relay J links to B, and the virtual seconds until J holds them all
// are measured. B paces presence to each neighbour at MAX_NEW_PRESENCE_PER_SECOND (§8.4), so this
// is the time a joining node, or a node whose link flapped, waits to see everyone. Reference: the
// same join with that rate lifted on B, i.e. what the link itself carries. argv: clients (2,000).
import { createNode, DEFAULTS } from '@chat6/node'
import { type Bed, ClientPool, connectFeeder, startBed } from './feeder.ts'
import { fmt, Report } from './report.ts'

const {
  maxClients: MAX_CLIENTS,
  maxNewPresenceBurst: MAX_NEW_PRESENCE_BURST,
  maxNewPresencePerSecond: MAX_NEW_PRESENCE_PER_SECOND,
  presenceUpdatesPerSecond: PRESENCE_UPDATES_PER_SECOND,
} = DEFAULTS
const CLIENTS = Number(process.argv[2] ?? 2_000)
const LATENCY = 5
const report = new Report('join')

async function join(lifted: boolean): Promise<{ seconds: number; wallMs: number }> {
  const rates = lifted ? { maxNewPresencePerSecond: 1e9, maxNewPresenceBurst: 1e9 } : {}
  const bed: Bed = await startBed(rates, LATENCY)
  const { clock, node } = bed
  const pool = new ClientPool(bed.crypto, CLIENTS)
  const feeder = await connectFeeder(bed, 2)
  // the feeder introduces clients no faster than B accepts them from one peer
  const perSecond = lifted ? CLIENTS : MAX_NEW_PRESENCE_PER_SECOND
  let sent = 0
  while (sent < CLIENTS) {
    const n = Math.min(CLIENTS - sent, sent === 0 ? MAX_NEW_PRESENCE_BURST : perSecond)
    feeder.write(
      Array.from({ length: n }, (_, k) => pool.presence(sent + k, clock.wallNow(), 100_000)),
    )
    sent += n
    await clock.advance(1_000)
  }
  await clock.runUntil(() => node.stats().clientsReachable === CLIENTS, { maxMs: 600_000 })
  if (node.stats().clientsReachable !== CLIENTS)
    throw new Error('join: B did not learn every client')

  const host = '2001:db8:99::1'
  const j = createNode({
    listen: { host, port: 7600 },
    dataDir: false,
    targetPeers: 0,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    ...rates,
    transport: bed.network.transport(host),
    clock,
    crypto: bed.nodeCrypto,
  })
  await j.start()
  let known = 0
  j.on('client:reachable', () => known++)
  const t0 = performance.now()
  const v0 = clock.now()
  void j.dial({ host: bed.host, port: 7600 })
  if (!(await clock.runUntil(() => known === CLIENTS, { maxMs: 3_600_000 })))
    throw new Error(`join: J learned ${known} of ${CLIENTS}`)
  const out = { seconds: (clock.now() - v0) / 1000, wallMs: performance.now() - t0 }
  feeder.close()
  return out
}

const limited = await join(false)
const free = await join(true)
report.add({
  key: 'join.seconds',
  value: limited.seconds,
  unit: 's',
  reference: { label: 'the same join with the §8.4 presence rate lifted', value: free.seconds },
  detail: {
    clients: CLIENTS,
    ratePerSecond: MAX_NEW_PRESENCE_PER_SECOND,
    burst: MAX_NEW_PRESENCE_BURST,
    updateRatePerSecond: PRESENCE_UPDATES_PER_SECOND,
    maxClients: MAX_CLIENTS,
    wallMs: limited.wallMs,
  },
})
report.save()
console.log(`join: a new neighbour of a relay holding ${fmt(CLIENTS)} clients`)
console.log(
  `  learns them all in ${limited.seconds.toFixed(1)} virtual s (${fmt(limited.wallMs)} ms wall); ` +
    `with the presence rate lifted ${free.seconds.toFixed(3)} s`,
)
process.exit(0)
