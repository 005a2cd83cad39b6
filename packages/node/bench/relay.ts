// Relay benchmark (pnpm bench): frames/s through a chain A → B → C over TCP on ::1, where B runs
// in its own process, next to a bare socket chain forwarding the same lines; then the latency of
// a 1k frames/s stream. Prints figures only; nothing here is asserted.
import { type ChildProcess, spawn } from 'node:child_process'
import { connect, type Socket } from 'node:net'
import { fileURLToPath } from 'node:url'
import { createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import type { FrameOf } from '@chat6/wire'
import { type Chat6Node, createMemoryKnownNodesStore, createNode } from '../src/index.ts'

const N = Number(process.env.BENCH_FRAMES ?? 100_000)
const BODY = Number(process.env.BENCH_BODY ?? 200)
const child = fileURLToPath(new URL('./relay-node.ts', import.meta.url))

function startChild(mode: string): Promise<{ proc: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const prof = process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/chat6-prof'] : []
    const proc = spawn(process.execPath, [...prof, '--import', 'tsx', child, mode], {
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    proc.stdout?.once('data', (d: Buffer) => resolve({ proc, port: Number(d.toString().trim()) }))
    proc.once('error', reject)
  })
}

const crypto = createCrypto()

function makeNode(): Chat6Node {
  return createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    maxPeersPer64: 64,
    maxPeersPer48: 64,
    useEnvBootstrap: false,
    knownNodes: createMemoryKnownNodesStore(),
    maxFramesPerSecond: 10_000_000,
    maxFramesBurst: 10_000_000,
  })
}

const until = async (pred: () => boolean, ms = 60_000) => {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('bench timed out')
    await new Promise((r) => setTimeout(r, 2))
  }
}

function client(node: Chat6Node, name: string, onFrame: (f: FrameOf<'MESSAGE_SEND'>) => void) {
  const id = createClientIdentity(crypto)
  const att = node.attach(id.publicKey, { onFrame: (f) => onFrame(f as FrameOf<'MESSAGE_SEND'>) })
  att.announce(
    signProof(id, {
      type: 'CLIENT_ONLINE',
      timestamp: 0,
      clientkey: id.publicKey,
      nonce: 1,
      nickname: name,
      metric: 0,
      ttl: 64,
    } as FrameOf<'CLIENT_ONLINE'>),
  )
  return { id, att }
}

function message(
  from: Uint8Array,
  to: Uint8Array,
  i: number,
  body: Uint8Array,
): FrameOf<'MESSAGE_SEND'> {
  const msgid = new Uint8Array(16)
  new DataView(msgid.buffer).setUint32(0, i)
  return {
    type: 'MESSAGE_SEND',
    timestamp: 0,
    target_hash: to,
    origin: from,
    sid: new Uint8Array(16),
    chatid: new Uint8Array(16),
    msgid,
    mtype: 1,
    message: body,
    ttl: 64,
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number
}

async function chat6Chain() {
  const { proc, port } = await startChild('chat6')
  const a = makeNode()
  const c = makeNode()
  await a.start()
  await c.start()
  await a.dial({ host: '::1', port })
  await c.dial({ host: '::1', port })
  let got = 0
  const sentAt = new Map<number, number>()
  const lat: number[] = []
  const x = client(a, 'x', () => {})
  const y = client(c, 'y', (f) => {
    got++
    const i = new DataView(f.msgid.buffer, f.msgid.byteOffset).getUint32(0)
    const t = sentAt.get(i)
    if (t !== undefined) lat.push(performance.now() - t)
  })
  await until(() => a.client(y.id.hash)?.reachable === true)
  const body = crypto.randomBytes(BODY)

  // throughput: inject in batches, keeping at most `window` frames in flight
  const report = () =>
    new Promise<{ forwarded: number; cpuMs: number }>((resolve) => {
      proc.stdout?.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())))
      proc.stdin?.write('report\n')
    })
  proc.stdin?.write('mark\n')
  await new Promise((r) => setTimeout(r, 50))
  const window = 20_000
  let sent = 0
  const t0 = performance.now()
  while (got < N) {
    while (sent < N && sent - got < window) {
      const r = x.att.send(message(x.id.hash, y.id.hash, sent, body))
      if (!r.ok) throw new Error(`send failed: ${r.reason}`)
      sent++
      if (sent % 1000 === 0) break
    }
    await new Promise((r) => setImmediate(r))
  }
  const secs = (performance.now() - t0) / 1000
  const throughput = N / secs
  const relayB = await report()

  // latency at 1k frames/s: one frame per ms for 3 s
  const base = 1_000_000
  const count = 3_000
  const gotBefore = got
  const tStart = performance.now()
  for (let k = 0; k < count; k++) {
    const due = tStart + k
    while (performance.now() < due) await new Promise((r) => setImmediate(r))
    sentAt.set(base + k, performance.now())
    x.att.send(message(x.id.hash, y.id.hash, base + k, body))
  }
  await until(() => got >= gotBefore + count)
  proc.stdin?.write('stop\n')
  await new Promise((r) => proc.once('exit', r))
  await a.stop()
  await c.stop()
  return { throughput, secs, p50: pct(lat, 50), p99: pct(lat, 99), relayB }
}

async function bareChain(lines: string[]) {
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
  proc.stdin?.write('mark\n')
  await new Promise((r) => setTimeout(r, 50))
  let got = 0
  c.on('data', (d: Buffer) => {
    for (let i = d.indexOf(10); i >= 0; i = d.indexOf(10, i + 1)) got++
  })
  const t0 = performance.now()
  let sent = 0
  const window = 20_000
  while (got < N) {
    if (sent < N && sent - got < window) {
      a.cork()
      for (let k = 0; k < 1000 && sent < N; k++) a.write(lines[sent++ % lines.length] as string)
      a.uncork()
    }
    await new Promise((r) => setImmediate(r))
  }
  const secs = (performance.now() - t0) / 1000
  const relayB = await new Promise<{ forwarded: number; cpuMs: number }>((resolve) => {
    proc.stdout?.once('data', (d: Buffer) => resolve(JSON.parse(d.toString())))
    proc.stdin?.write('report\n')
  })
  a.destroy()
  c.destroy()
  proc.stdin?.write('stop\n')
  await new Promise((r) => proc.once('exit', r))
  return { throughput: N / secs, secs, relayB }
}

// A sample of real lines for the bare chain: the same size as the chat6 ones.
async function sampleLines(): Promise<string[]> {
  const { encodeToString } = await import('@chat6/wire')
  const from = crypto.randomBytes(32)
  const to = crypto.randomBytes(32)
  const body = crypto.randomBytes(BODY)
  const out: string[] = []
  for (let i = 0; i < 1000; i++) {
    const frame = { ...message(from, to, i, body), timestamp: Date.now() }
    out.push(
      encodeToString({ signature: crypto.randomBytes(32), hash: crypto.randomBytes(32), frame }),
    )
  }
  return out
}

const lines = await sampleLines()
console.log(
  `relay bench: ${N} MESSAGE_SEND frames, ${BODY}-byte payload (${lines[0]?.length} bytes per line), chain A → B → C over TCP on ::1, B in its own process`,
)
const bare = await bareChain(lines)
const chat6 = await chat6Chain()
const usPerFrame = (chat6.relayB.cpuMs * 1000) / chat6.relayB.forwarded
console.log(
  `  chat6 chain        ${Math.round(chat6.throughput).toLocaleString('en')} frames/s end to end (${chat6.secs.toFixed(2)} s; A and C share one process)`,
)
console.log(
  `  relay B alone      ${usPerFrame.toFixed(1)} µs CPU per relayed frame = ${Math.round(1e6 / usPerFrame).toLocaleString('en')} frames/s per core`,
)
const bareUs = (bare.relayB.cpuMs * 1000) / bare.relayB.forwarded
console.log(
  `  bare socket chain  ${Math.round(bare.throughput).toLocaleString('en')} frames/s end to end (${bare.secs.toFixed(2)} s)`,
)
console.log(
  `  bare relay alone   ${bareUs.toFixed(2)} µs CPU per line = ${Math.round(1e6 / bareUs).toLocaleString('en')} lines/s per core`,
)
console.log(
  `  ratio chat6/bare   ${(bareUs / usPerFrame).toFixed(3)} per core at the relay, ${(chat6.throughput / bare.throughput).toFixed(3)} end to end`,
)
console.log(
  `  latency at 1k frames/s, A → C (2 hops): p50 ${chat6.p50.toFixed(3)} ms, p99 ${chat6.p99.toFixed(3)} ms; per hop p50 ${(chat6.p50 / 2).toFixed(3)} ms, p99 ${(chat6.p99 / 2).toFixed(3)} ms`,
)
process.exit(0)
