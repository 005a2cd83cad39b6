// Latency added per hop: MESSAGE_SEND frames from a client on relay A to a client on relay C
// through relay B (its own process), over TCP on ::1, at 1,000 frames/s and under heavy load;
// each beside a bare socket chain carrying lines of the same size at the same rate. Per hop is
// end to end over the two links. Samples from the first 10% of each run are left out (warm-up).
import { type ChildProcess, spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import {
  type Chat6Node,
  createMemoryKnownNodesStore,
  createNode,
  type OutgoingPresenceFrame,
  type OutgoingRoutedFrame,
} from '@chat6/node'
import { encodeToString, type FrameOf } from '@chat6/wire'
import { fmt, quantile, Report } from './report.ts'

const SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 2)
const RATES = { light: 1_000, heavy: Number(process.env.BENCH_HEAVY_RATE ?? 10_000) }
const BODY = 200
const child = fileURLToPath(new URL('./latency-child.mjs', import.meta.url))
const crypto = createCrypto()
const report = new Report('latency')

function startChild(mode: 'chat6' | 'bare'): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, mode], { stdio: ['pipe', 'pipe', 'inherit'] })
    proc.stdout?.once('data', (d: Buffer) => resolve({ proc, port: Number(d.toString().trim()) }))
    proc.once('error', reject)
  })
}

const stopChild = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    proc.once('exit', () => resolve())
    proc.stdin?.end()
  })

const tick = () => new Promise<void>((r) => setImmediate(r))

/** Calls `send(seq)` at `rate` per second for SECONDS, then waits for `received() === sent`. */
async function pace(rate: number, send: (seq: number) => void, received: () => number) {
  const total = Math.round(rate * SECONDS)
  const t0 = performance.now()
  let sent = 0
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * rate) / 1000) + 1)
    while (sent < due) send(sent++)
    await tick()
  }
  const end = performance.now() + 10_000
  while (received() < total) {
    if (performance.now() > end) throw new Error(`latency: ${received()} of ${total} arrived`)
    await tick()
  }
}

const summary = (lat: number[]) => {
  const kept = lat.slice(Math.floor(lat.length / 10))
  return { p50: quantile(kept, 0.5) / 2, p99: quantile(kept, 0.99) / 2, samples: kept.length }
}

async function bare(lineLength: number) {
  const { proc, port } = await startChild('bare')
  const open = (role: string) =>
    new Promise<Socket>((resolve) => {
      const s = connect({ host: '::1', port, noDelay: true }, () => {
        s.write(`${role}\n`)
        resolve(s)
      })
    })
  const c = await open('C')
  const a = await open('A')
  await new Promise((r) => setTimeout(r, 50))
  const out: Record<string, ReturnType<typeof summary>> = {}
  for (const [name, rate] of Object.entries(RATES)) {
    const sentAt: number[] = []
    const lat: number[] = []
    let rest = ''
    const onData = (d: Buffer) => {
      const now = performance.now()
      const text = rest + d.toString('latin1')
      let start = 0
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
        const seq = Number(text.slice(start, text.indexOf(' ', start)))
        lat.push(now - (sentAt[seq] as number))
        start = i + 1
      }
      rest = text.slice(start)
    }
    c.on('data', onData)
    const pad = 'x'.repeat(lineLength)
    let corked = false
    await pace(
      rate,
      (seq) => {
        const head = `${seq} `
        sentAt[seq] = performance.now()
        // the same per-tick batching as chat6's TCP transport
        if (!corked) {
          corked = true
          a.cork()
          process.nextTick(() => {
            corked = false
            a.uncork()
          })
        }
        a.write(`${head}${pad.slice(head.length)}\n`)
      },
      () => lat.length,
    )
    c.off('data', onData)
    out[name] = summary(lat)
  }
  a.destroy()
  c.destroy()
  await stopChild(proc)
  return out
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

function attach(node: Chat6Node, nickname: string, onFrame: (f: FrameOf<'MESSAGE_SEND'>) => void) {
  const id = createClientIdentity(crypto)
  const att = node.attach(id.publicKey, {
    onFrame: (f) => onFrame(f as FrameOf<'MESSAGE_SEND'>),
  })
  const online = { type: 'CLIENT_ONLINE', clientkey: id.publicKey, nonce: 1, nickname } as const
  const r = att.announce(
    signProof(id, { ...online, timestamp: 0, metric: 0, ttl: 64 }) as OutgoingPresenceFrame,
  )
  if (!r.ok) throw new Error(`latency: announce refused: ${r.reason}`)
  return { id, att }
}

async function chat6() {
  const { proc, port } = await startChild('chat6')
  const a = makeNode()
  const c = makeNode()
  await a.start()
  await c.start()
  await a.dial({ host: '::1', port })
  await c.dial({ host: '::1', port })
  let onSeq: (seq: number) => void = () => {}
  const x = attach(a, 'x', () => {})
  const y = attach(c, 'y', (f) =>
    onSeq(new DataView(f.msgid.buffer, f.msgid.byteOffset).getUint32(0)),
  )
  const end = performance.now() + 10_000
  while (a.client(y.id.hash)?.reachable !== true) {
    if (performance.now() > end) throw new Error('latency: y never reachable from A')
    await new Promise((r) => setTimeout(r, 5))
  }
  const body = crypto.randomBytes(BODY)
  const frame = (seq: number): OutgoingRoutedFrame => {
    const msgid = new Uint8Array(16)
    new DataView(msgid.buffer).setUint32(0, seq)
    msgid.set(crypto.randomBytes(4), 4) // a new MSGHASH per run: no duplicates across rates
    return {
      type: 'MESSAGE_SEND',
      target_hash: y.id.hash,
      origin: x.id.hash,
      sid: new Uint8Array(16),
      chatid: new Uint8Array(16),
      msgid,
      mtype: 1,
      message: body,
    }
  }
  const sample = encodeToString({
    signature: new Uint8Array(32),
    hash: new Uint8Array(32),
    frame: { ...frame(0), timestamp: Date.now(), ttl: 64 } as FrameOf<'MESSAGE_SEND'>,
  })
  const out: Record<string, ReturnType<typeof summary>> = {}
  for (const [name, rate] of Object.entries(RATES)) {
    const sentAt: number[] = []
    const lat: number[] = []
    onSeq = (seq) => lat.push(performance.now() - (sentAt[seq] as number))
    await pace(
      rate,
      (seq) => {
        sentAt[seq] = performance.now()
        const r = x.att.send(frame(seq))
        if (!r.ok) throw new Error(`latency: send refused: ${r.reason}`)
      },
      () => lat.length,
    )
    out[name] = summary(lat)
  }
  await a.stop()
  await c.stop()
  await stopChild(proc)
  return { out, lineLength: sample.length }
}

const c6 = await chat6()
const ref = await bare(c6.lineLength)
console.log(
  `latency per hop, A → B → C over TCP on ::1 (B in its own process), ${c6.lineLength}-byte lines, ${SECONDS} s per rate`,
)
for (const [name, rate] of Object.entries(RATES)) {
  const x = c6.out[name]
  const b = ref[name]
  if (x === undefined || b === undefined) continue
  for (const q of ['p50', 'p99'] as const) {
    report.add({
      key: `latency.${name}.${q}`,
      value: x[q],
      unit: 'ms',
      reference: { label: `bare socket chain at ${fmt(rate)}/s`, value: b[q] },
      detail: { rate, samples: x.samples },
    })
  }
  console.log(
    `  ${fmt(rate).padStart(6)} frames/s: chat6 p50 ${x.p50.toFixed(3)} ms, p99 ${x.p99.toFixed(3)} ms; ` +
      `bare p50 ${b.p50.toFixed(3)} ms, p99 ${b.p99.toFixed(3)} ms`,
  )
}
report.save()
process.exit(0)
