// Delivery benchmark (`pnpm bench`): messages/s end to end between two clients across three relays
// over TCP on ::1 — alice on relay A, bob on relay C, relay B in its own process — with session
// encryption, bob's storage before MESSAGE_RECV, and alice counting a message once its receipt
// is in. Once with memory stores, once with SQLite stores (WAL, synchronous=FULL, as shipped).
// Reference, on the same relays in the same run: bare MESSAGE_SEND frames handed to A and counted
// at C, with no client, no encryption, no storage and no receipts. With CHAT6_BENCH_JSON set,
// the figures are also written there as JSON.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import {
  type Chat6Node,
  createMemoryKnownNodesStore,
  createNode,
  type OutgoingPresenceFrame,
} from '@chat6/node'
import {
  type Client,
  createClient,
  createMemoryStore,
  createSqliteStore,
  type Store,
} from '../src/index.ts'

const SECONDS = Number(process.env.BENCH_DELIVERY_SECONDS ?? 3)
const TEXT = 'x'.repeat(100) // a typical chat line
const crypto = createCrypto()
const child = fileURLToPath(new URL('./relay-child.mjs', import.meta.url))
const fmt = (n: number) => Math.round(n).toLocaleString('en-US')
const tick = () => new Promise<void>((r) => setImmediate(r))

async function until(
  pred: () => boolean | Promise<boolean>,
  what: string,
  ms = 20_000,
): Promise<void> {
  const end = performance.now() + ms
  while (!(await pred())) {
    if (performance.now() > end) throw new Error(`delivery: timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

function makeNode(): Chat6Node {
  return createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    maxPeersPer64: 64,
    maxPeersPer48: 64,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    knownNodes: createMemoryKnownNodesStore(),
    maxFramesPerSecond: 10_000_000,
    maxFramesBurst: 10_000_000,
  })
}

const { proc, port } = await new Promise<{ proc: ChildProcess; port: number }>(
  (resolve, reject) => {
    const p = spawn(process.execPath, [child], { stdio: ['pipe', 'pipe', 'inherit'] })
    p.stdout?.once('data', (d: Buffer) => resolve({ proc: p, port: Number(d.toString().trim()) }))
    p.once('error', reject)
  },
)
const a = makeNode()
const c = makeNode()
await a.start()
await c.start()
await a.dial({ host: '::1', port })
await c.dial({ host: '::1', port })

// Reference: bare frames A → B → C for SECONDS, at most 4,000 (2.6 MB) in flight: with 20,000
// (13 MB) a relay's 16 MiB write buffer (MAX_WRITE_BUFFER) sometimes overflowed, and the frames it
// dropped as `backpressure` left this waiting for them.
async function bare(): Promise<number> {
  const attach = (node: Chat6Node, name: string, onFrame: () => void) => {
    const id = createClientIdentity(crypto)
    const att = node.attach(id.publicKey, { onFrame })
    const online = {
      type: 'CLIENT_ONLINE',
      clientkey: id.publicKey,
      nonce: 1,
      nickname: name,
    } as const
    att.announce(
      signProof(id, { ...online, timestamp: 0, metric: 0, ttl: 64 }) as OutgoingPresenceFrame,
    )
    return att
  }
  let got = 0
  const x = attach(a, 'x', () => {})
  const y = attach(c, 'y', () => got++)
  const from = new Uint8Array(x.hash)
  const to = new Uint8Array(y.hash)
  await until(() => a.client(y.hash)?.reachable === true, 'the reference client')
  // the size a sealed TEXT takes: nonce || ciphertext || tag
  const body = crypto.randomBytes(24 + TEXT.length + 16)
  let sent = 0
  const t0 = performance.now()
  while (performance.now() - t0 < SECONDS * 1000) {
    for (let k = 0; k < 500 && sent - got < 4_000; k++) {
      const r = x.send({
        type: 'MESSAGE_SEND',
        target_hash: to,
        origin: from,
        sid: new Uint8Array(16),
        chatid: new Uint8Array(16),
        msgid: crypto.randomBytes(16),
        mtype: 1,
        message: body,
      })
      if (!r.ok) throw new Error(`delivery: reference send refused: ${r.reason}`)
      sent++
    }
    await tick()
  }
  await until(() => got === sent, 'the reference frames')
  const rate = got / ((performance.now() - t0) / 1000)
  x.detach()
  y.detach()
  return rate
}

// alice → bob for SECONDS, keeping the outbox topped up; rate = receipts in / time.
async function clients(store: () => Store): Promise<{ rate: number; delivered: number }> {
  const alice = await createClient({ node: a, store: store(), nickname: 'alice' })
  const bob = await createClient({ node: c, store: store(), nickname: 'bob' })
  bob.on('friend-request', (r) => void bob.accept(r.key))
  await alice.addFriend(bob.key)
  const keyed = async (me: Client, other: Client) =>
    (await me.friends()).some((f) => Buffer.compare(f.key, other.key) === 0 && f.keyed)
  await until(
    async () => (await keyed(alice, bob)) && (await keyed(bob, alice)),
    'alice and bob to have a session',
  )
  let delivered = 0
  alice.on('receipt', (r) => {
    if (r.state === 'delivered') delivered++
  })
  let sent = 0
  const t0 = performance.now()
  while (performance.now() - t0 < SECONDS * 1000) {
    // enough queued to keep the 64-message window full, not so many that the outbox grows
    while (sent - delivered < 256) {
      await alice.send(bob.key, TEXT)
      sent++
    }
    await tick()
  }
  await until(() => delivered === sent, 'the last receipts', 60_000)
  const rate = delivered / ((performance.now() - t0) / 1000)
  await alice.stop()
  await bob.stop()
  return { rate, delivered }
}

const dir = mkdtempSync(join(tmpdir(), 'chat6-delivery-'))
let dbs = 0
const ref = await bare()
const memory = await clients(createMemoryStore)
const sqlite = await clients(() => createSqliteStore(join(dir, `c${dbs++}.db`)))
await a.stop()
await c.stop()
await new Promise<void>((resolve) => {
  proc.once('exit', () => resolve())
  proc.stdin?.end()
})
rmSync(dir, { recursive: true, force: true })

console.log(
  `delivery: alice on A → B (own process) → C bob, TCP on ::1, ${TEXT.length}-byte texts, encrypted, receipt counted`,
)
console.log(
  `  memory stores     ${fmt(memory.rate)} messages/s (${fmt(memory.delivered)} in ${SECONDS} s)`,
)
console.log(
  `  SQLite stores     ${fmt(sqlite.rate)} messages/s (${fmt(sqlite.delivered)} in ${SECONDS} s)`,
)
console.log(
  `  bare frames       ${fmt(ref)} frames/s through the same relays (no client, no receipt)`,
)

const out = process.env.CHAT6_BENCH_JSON
if (out !== undefined && out !== '') {
  const reference = { label: 'bare MESSAGE_SEND frames through the same relays', value: ref }
  const figures = [
    { key: 'delivery.memory', value: memory.rate, unit: 'msg/s', reference, detail: memory },
    { key: 'delivery.sqlite', value: sqlite.rate, unit: 'msg/s', reference, detail: sqlite },
  ]
  writeFileSync(
    out,
    `${JSON.stringify({ bench: 'delivery', figures, data: { seconds: SECONDS } }, null, 2)}\n`,
  )
}
process.exit(0)
