// Fuzz target: the link state machine (§6.2–§6.6, §7) against a reference model. One Link (the
// real class, on a synchronous fake clock and a fake connection) meets a scripted peer that sends
// valid and broken HELLOs, frames before and after the handshake with good, bad and zero MACs,
// wrong hashes and stale timestamps, garbage, over-long lines, BYEs, keepalive answers, lets time
// pass and drops the connection, in random order and cut into random chunks. After every event:
// the link is in the state the model says, it closed with the model's BYE reason (or none), it
// dropped exactly what the model dropped, it never wrote a line before its HELLO but a zero-MAC
// BYE, every line after its HELLO carries the next link MAC, nothing follows a close, and its
// keepalives are answered and numbered as §7 says. Crypto runs for real, memoised so that a
// million runs take minutes: the inputs repeat, so the answers do.
import {
  type Crypto,
  createCrypto,
  createNodeKey,
  deriveLinkKeys,
  type KeyPair,
  type LinkMac,
  type NodeKey,
  sealFrame,
} from '@chat6/crypto'
import {
  base64Encode,
  createLineSplitter,
  decode,
  encode,
  type Frame,
  type FrameOf,
  hashInput,
  signingInput,
} from '@chat6/wire'
import fc from 'fast-check'
import type { Clock } from '../src/clock.ts'
import { Link, type LinkConfig, type LinkHost } from '../src/link.ts'
import { createNodeCrypto } from '../src/node-crypto.ts'
import { type ByeReason, countsTowardAbuse, type DropReason } from '../src/reasons.ts'
import type { Connection } from '../src/transport.ts'
import { runsFromEnv } from './runs.ts'

/** Cases per run of `pnpm fuzz` (CHAT6_FUZZ_RUNS overrides). */
export const numRuns = runsFromEnv()

const W0 = 1_767_225_600_000
const CONFIG: LinkConfig = {
  helloTimeout: 1_000,
  keepaliveInterval: 400,
  keepaliveTimeout: 1_500,
  rttWindow: 10,
  defaultLinkMetric: 100_000,
  maxClockSkew: 300_000,
  maxFramesPerSecond: 1e9,
  maxFramesBurst: 1e9,
  maxDropsPerMinute: 3,
  rateLimitByeFactor: 10,
  maxWriteBuffer: 1e12,
  maxLineBytes: 700,
  protocolVersion: 1,
}

// ---------------------------------------------------------------- memoised crypto

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')

/** Real primitives whose answers are cached by input; key generation cycles through a pool. */
function memoCrypto(): Crypto {
  const base = createCrypto()
  const cache = new Map<string, { v?: Uint8Array; ok?: boolean; err?: unknown }>()
  const memo = <T>(key: string, f: () => T): T => {
    let hit = cache.get(key) as { v?: T; err?: unknown } | undefined
    if (hit === undefined) {
      try {
        hit = { v: f() }
      } catch (err) {
        hit = { err }
      }
      if (cache.size > 50_000) cache.clear()
      cache.set(key, hit as { v?: Uint8Array })
    }
    if ('err' in hit && hit.err !== undefined) throw hit.err
    const v = hit.v as T
    return (v instanceof Uint8Array ? v.slice() : v) as T
  }
  const xPool = Array.from({ length: 3 }, () => base.x25519.keygen())
  let xi = 0
  return {
    ...base,
    ed25519: {
      ...base.ed25519,
      verify: (sig, msg, pk) =>
        memo(`v${hex(sig)}${hex(msg)}${hex(pk)}`, () => base.ed25519.verify(sig, msg, pk)),
      signer: (secret) => {
        const s = base.ed25519.signer(secret)
        const id = hex(base.ed25519.publicKey(secret))
        return { sign: (m) => memo(`s${id}${hex(m)}`, () => s.sign(m)), destroy: () => s.destroy() }
      },
    },
    x25519: {
      ...base.x25519,
      keygen: () => {
        const k = xPool[xi++ % xPool.length] as KeyPair
        return { secretKey: k.secretKey.slice(), publicKey: k.publicKey.slice() }
      },
      sharedSecret: (s, p) => memo(`x${hex(s)}${hex(p)}`, () => base.x25519.sharedSecret(s, p)),
      ephemeral: () => {
        const k = xPool[xi++ % xPool.length] as KeyPair
        const s = k.secretKey
        return {
          publicKey: k.publicKey.slice(),
          agree: (p) => memo(`x${hex(s)}${hex(p)}`, () => base.x25519.sharedSecret(s, p)),
          destroy: () => {},
        }
      },
    },
    hkdfSha256: (ikm, salt, info, n) =>
      memo(`h${hex(ikm)}${hex(salt)}${hex(info)}${n}`, () => base.hkdfSha256(ikm, salt, info, n)),
  }
}

const crypto = memoCrypto()
const nodeCrypto = createNodeCrypto(crypto)
const NODE_SEED = new Uint8Array(32).fill(0x4e)
const signer = (() => {
  const key = createNodeKey(crypto, NODE_SEED)
  return {
    publicKey: key.publicKey,
    sealHello: (f: FrameOf<'HELLO'>) => sealFrame(crypto, f, { nodeKey: key }),
  }
})()
const peerKey: NodeKey = createNodeKey(crypto, new Uint8Array(32).fill(0x50))
const selfKey: NodeKey = createNodeKey(crypto, NODE_SEED)
const rawPeer = crypto.ed25519.keygen(new Uint8Array(32).fill(0x51))
const peerLink = crypto.x25519.keygen()

// ---------------------------------------------------------------- fakes

class SyncClock implements Clock {
  t = 0
  private seq = 0
  private timers: Array<{ at: number; seq: number; fn: () => void; dead: boolean }> = []
  now = () => this.t
  wallNow = () => W0 + this.t
  setTimeout = (fn: () => void, ms: number) => {
    const timer = { at: this.t + Math.max(0, ms), seq: this.seq++, fn, dead: false }
    this.timers.push(timer)
    return timer
  }
  clearTimeout = (id: unknown) => {
    if (id && typeof id === 'object') (id as { dead: boolean }).dead = true
  }
  /** Moves to `to`, firing due timers in order (ties in creation order). */
  advanceTo(to: number): void {
    for (;;) {
      let next: (typeof this.timers)[number] | undefined
      for (const x of this.timers) {
        if (x.dead || x.at > to) continue
        if (next === undefined || x.at < next.at || (x.at === next.at && x.seq < next.seq)) next = x
      }
      if (next === undefined) break
      next.dead = true
      this.t = Math.max(this.t, next.at)
      next.fn()
    }
    this.timers = this.timers.filter((x) => !x.dead)
    this.t = Math.max(this.t, to)
  }
}

class FakeConn implements Connection {
  readonly remote = { host: '2001:db8::2', port: 50_000 }
  readonly local = { host: '2001:db8::1', port: 7600 }
  closed = false
  written: Uint8Array[] = []
  writesAfterClose = 0
  data: ((b: Uint8Array) => void) | undefined
  closeFn: ((e?: Error) => void) | undefined
  constructor(readonly outbound: boolean) {}
  write(b: Uint8Array): boolean {
    if (this.closed) {
      this.writesAfterClose++
      return false
    }
    this.written.push(b.slice())
    return true
  }
  bufferedBytes(): number {
    return 0
  }
  onData(fn: (b: Uint8Array) => void): void {
    this.data = fn
  }
  onClose(fn: (e?: Error) => void): void {
    this.closeFn = fn
  }
  close(): void {
    this.closed = true
  }
  destroy(): void {
    this.closed = true
  }
}

// ---------------------------------------------------------------- events

type HelloVariant =
  | 'valid'
  | 'badsig'
  | 'badhash'
  | 'version'
  | 'self'
  | 'past'
  | 'future'
  | 'loworder'
  | 'refused'
  | 'undecodable'
type FrameKind = 'keepalive' | 'response' | 'wrongResponse' | 'neighbors' | 'route'
export type Event =
  | { e: 'hello'; v: HelloVariant; cuts: number[] }
  | {
      e: 'frame'
      kind: FrameKind
      mac: 'good' | 'bad'
      hash: 'good' | 'bad'
      ts: 'now' | 'past' | 'future'
      cuts: number[]
    }
  | { e: 'bye'; mac: 'good' | 'zero' }
  | { e: 'garbage'; bytes: number[] }
  | { e: 'long'; n: number }
  | { e: 'advance'; ms: number }
  | { e: 'transport' }

const cuts = fc.array(fc.nat({ max: 400 }), { maxLength: 3 })
export const event: fc.Arbitrary<Event> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      e: fc.constant('hello' as const),
      v: fc.constantFrom<HelloVariant>(
        'valid',
        'valid',
        'valid',
        'badsig',
        'badhash',
        'version',
        'self',
        'past',
        'future',
        'loworder',
        'refused',
        'undecodable',
      ),
      cuts,
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      e: fc.constant('frame' as const),
      kind: fc.constantFrom<FrameKind>(
        'keepalive',
        'response',
        'wrongResponse',
        'neighbors',
        'route',
      ),
      mac: fc.constantFrom<'good' | 'bad'>('good', 'good', 'good', 'good', 'bad'),
      hash: fc.constantFrom<'good' | 'bad'>('good', 'good', 'good', 'bad'),
      ts: fc.constantFrom<'now' | 'past' | 'future'>('now', 'now', 'now', 'now', 'past', 'future'),
      cuts,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      e: fc.constant('bye' as const),
      mac: fc.constantFrom<'good' | 'zero'>('good', 'zero'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      e: fc.constant('garbage' as const),
      bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 40 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      e: fc.constant('long' as const),
      n: fc.integer({ min: 700, max: 2_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      e: fc.constant('advance' as const),
      ms: fc.constantFrom(1, 100, 350, 400, 700, 1_000, 1_499, 1_500, 3_000),
    }),
  },
  { weight: 1, arbitrary: fc.record({ e: fc.constant('transport' as const) }) },
)

export const handshakeInput = fc.record({
  role: fc.constantFrom<'I' | 'R'>('I', 'R'),
  events: fc.array(event, { maxLength: 14 }),
})
export type HandshakeCase = typeof handshakeInput extends fc.Arbitrary<infer C> ? C : never

// ---------------------------------------------------------------- the run

const enc = new TextEncoder()
class Violation extends Error {}
function must(cond: boolean, what: string): void {
  if (!cond) throw new Violation(what)
}

/** Plays one case against a fresh Link and the model; throws on any disagreement. */
export function checkHandshake(c: HandshakeCase): void {
  const clock = new SyncClock()
  const conn = new FakeConn(c.role === 'I')
  const drops: string[] = []
  const framesToHost: string[] = []
  let ups = 0
  const downs: Array<{ reason: string; initiator: string }> = []
  let refusal: ByeReason | undefined
  const host: LinkHost = {
    clock,
    crypto: nodeCrypto,
    signer,
    listenPort: 7600,
    config: CONFIG,
    admit: () => refusal,
    linkUp: () => {
      ups++
    },
    linkDown: (_l, reason, initiator) => {
      downs.push({ reason, initiator })
    },
    seen: () => false,
    frame: (_l, line) => {
      framesToHost.push(line.env.frame.type)
    },
    metricChanged: () => {},
    drop: (l, reason: DropReason) => {
      drops.push(reason)
      l.noteDrop(reason)
    },
    count: () => {},
    log: () => {},
  }
  const link = new Link(host, conn, '2001:db8::2')

  // ---- the model
  type State = 'handshake' | 'up' | 'closed'
  const m = {
    state: 'handshake' as State,
    bye: undefined as string | undefined,
    initiator: undefined as string | undefined,
    drops: [] as string[],
    frames: [] as string[],
    lastRx: 0,
    windowStart: 0,
    windowCount: 0,
    outstanding: undefined as number | undefined,
    wentUp: false,
  }
  const close = (reason: string, initiator: 'local' | 'remote' | 'transport') => {
    if (m.state === 'closed') return
    m.state = 'closed'
    m.bye = initiator === 'local' ? reason : undefined
    m.initiator = initiator
  }
  const drop = (reason: DropReason) => {
    m.drops.push(reason)
    if (m.state !== 'up' || !countsTowardAbuse(reason)) return
    if (clock.t - m.windowStart >= 60_000) {
      m.windowStart = clock.t
      m.windowCount = 0
    }
    if (++m.windowCount > CONFIG.maxDropsPerMinute) close('abuse', 'local')
  }

  // ---- the peer: reads what the link wrote, keeps MACs in step
  const splitter = createLineSplitter({ maxLineBytes: 1 << 20 })
  const out: string[] = []
  let read = 0
  let linkHello: { hash: Uint8Array; linkkey: Uint8Array } | undefined
  let macOut: LinkMac | undefined // ours (peer → link)
  let macIn: LinkMac | undefined // theirs (link → peer)
  let ourHelloHash: Uint8Array | undefined
  let kaNext = 0
  let lastKa: number | undefined
  const responses: number[] = []
  let byeSeen: string | undefined
  let helloSeen = false
  const pull = () => {
    for (; read < conn.written.length; read++) {
      for (const item of splitter.push(conn.written[read] as Uint8Array)) {
        must(item.ok, 'the link wrote an over-long line')
        if (!item.ok) continue
        const text = Buffer.from(item.line).toString('latin1')
        out.push(text)
        const d = decode(item.line)
        must(d.ok, `the link wrote an undecodable line: ${text}`)
        if (!d.ok) continue
        const f = d.envelope.frame
        must(byeSeen === undefined, 'the link wrote after its BYE')
        if (!helloSeen) {
          if (f.type === 'BYE') {
            must(
              d.envelope.signature.every((x) => x === 0),
              'a BYE before HELLO without the zero MAC',
            )
            byeSeen = f.reason
            continue
          }
          must(f.type === 'HELLO', `the link wrote ${f.type} before its HELLO`)
          helloSeen = true
          if (f.type === 'HELLO') {
            must(nodeCrypto.verifyHello(d), 'the link’s HELLO does not verify')
            linkHello = { hash: d.envelope.hash, linkkey: f.linkkey }
          }
          continue
        }
        must(f.type !== 'HELLO', 'the link wrote a second HELLO')
        const zero = d.envelope.signature.every((x) => x === 0)
        if (macIn === undefined && !zero) deriveKeys()
        if (macIn === undefined) {
          // a BYE after our HELLO but before the link had keys (it refused us)
          must(f.type === 'BYE', `the link wrote ${f.type} before the link was up`)
          must(
            d.envelope.signature.every((x) => x === 0),
            'a pre-link BYE without the zero MAC',
          )
          byeSeen = (f as FrameOf<'BYE'>).reason
          continue
        }
        must(
          macIn.verify(d.signingInput, d.envelope.signature),
          `the link's ${f.type} fails its MAC`,
        )
        must(
          nodeCrypto.hashMatches(d.hashInput, d.envelope.hash),
          `the link's ${f.type} has a wrong MSGHASH`,
        )
        if (f.type === 'BYE') byeSeen = f.reason
        else if (f.type === 'KEEPALIVE_REQUEST') {
          must(f.id === kaNext++, `keepalive ids not consecutive (${f.id})`)
          lastKa = f.id
          m.outstanding = f.id
        } else if (f.type === 'KEEPALIVE_RESPONSE') responses.push(f.id)
        else must(false, `the link wrote an unexpected ${f.type}`)
      }
    }
  }
  const deriveKeys = () => {
    if (linkHello === undefined || ourHelloHash === undefined) return
    const role = c.role === 'R' ? 'initiator' : 'responder'
    const args = {
      linkSecret: peerLink.secretKey,
      peerLinkKey: linkHello.linkkey,
      helloHashI: role === 'initiator' ? ourHelloHash : linkHello.hash,
      helloHashR: role === 'initiator' ? linkHello.hash : ourHelloHash,
    }
    macOut = deriveLinkKeys(crypto, { role, ...args })
    macIn = deriveLinkKeys(crypto, { role, ...args })
  }
  const feed = (bytes: Uint8Array, at: number[]) => {
    const points = [...new Set(at.map((x) => x % (bytes.length + 1)))].sort((a, b) => a - b)
    let prev = 0
    for (const p of [...points, bytes.length]) {
      if (p > prev || p === bytes.length) conn.data?.(bytes.subarray(prev, p))
      prev = p
    }
  }
  const line = (s: string) => enc.encode(`${s}\n`)

  pull()
  if (c.role === 'I') must(helloSeen, 'a connecting link sends HELLO first')
  else must(out.length === 0, 'an accepting link wrote before the peer’s HELLO')
  let peerSentHello = false
  let peerLines = 0

  for (const ev of c.events) {
    const wasClosed = m.state === 'closed'
    const before = conn.written.length
    const rx = () => {
      m.lastRx = clock.t
    }
    switch (ev.e) {
      case 'advance': {
        const to = clock.t + ev.ms
        // the model's deadlines, in time order
        if (m.state === 'handshake' && CONFIG.helloTimeout <= to)
          close('handshake_timeout', 'local')
        else if (m.state === 'up' && m.lastRx + CONFIG.keepaliveTimeout <= to)
          close('timeout', 'local')
        clock.advanceTo(to)
        break
      }
      case 'transport':
        close('closed', 'transport')
        conn.closed = true
        conn.closeFn?.()
        break
      case 'long': {
        const b = new Uint8Array(ev.n).fill(0x41)
        if (m.state !== 'closed') close('line_too_long', 'local')
        conn.data?.(b)
        conn.data?.(line(''))
        break
      }
      case 'garbage': {
        const bytes = Uint8Array.from([0x01, ...ev.bytes.map((b) => (b === 0x0a ? 0x20 : b))])
        if (m.state === 'handshake') close('bad_frame', 'local')
        else if (m.state === 'up') {
          rx()
          drop('bad_frame')
        }
        if (peerSentHello && macOut) macOut.sign(new Uint8Array(0))
        if (peerSentHello) peerLines++
        feed(Uint8Array.from([...bytes, 0x0a]), [])
        break
      }
      case 'bye': {
        const f: FrameOf<'BYE'> = { type: 'BYE', timestamp: W0 + clock.t, reason: 'shutdown' }
        const env =
          ev.mac === 'good' && macOut
            ? sealFrame(crypto, f, { mac: macOut })
            : sealFrame(crypto, f, { zero: true })
        if (m.state !== 'closed') {
          rx()
          close('shutdown', 'remote')
        }
        conn.data?.(encode(env))
        break
      }
      case 'hello': {
        let bytes: Uint8Array
        const ts =
          ev.v === 'past'
            ? W0 + clock.t - 400_000
            : ev.v === 'future'
              ? W0 + clock.t + 400_000
              : W0 + clock.t
        const frame: FrameOf<'HELLO'> = {
          type: 'HELLO',
          timestamp: ts,
          version: ev.v === 'version' ? 2 : 1,
          nodekey:
            ev.v === 'self'
              ? selfKey.publicKey
              : ev.v === 'badhash'
                ? rawPeer.publicKey
                : peerKey.publicKey,
          linkkey: ev.v === 'loworder' ? new Uint8Array(32) : peerLink.publicKey,
          port: 0,
        }
        let hash: Uint8Array | undefined
        if (ev.v === 'undecodable') {
          bytes = line(`HELLO version=1 port=${1e6}`)
        } else if (ev.v === 'badhash') {
          hash = crypto.sha256(enc.encode('not the hash input'))
          const si = `${base64Encode(hash)} ${ts} ${Buffer.from(hashInput(frame)).toString('latin1')}`
          const sig = crypto.ed25519.sign(
            new Uint8Array([...enc.encode('chat6/v1/hello'), 0, ...enc.encode(si)]),
            rawPeer.secretKey,
          )
          bytes = line(`${base64Encode(sig)} ${si}`)
        } else {
          const env = sealFrame(crypto, frame, { nodeKey: ev.v === 'self' ? selfKey : peerKey })
          if (ev.v === 'badsig') env.signature = env.signature.slice().fill(7, 0, 8)
          hash = env.hash
          bytes = encode(env)
        }
        refusal = ev.v === 'refused' ? 'busy' : undefined
        const first = !peerSentHello
        if (m.state === 'handshake') {
          rx()
          const expect: Record<HelloVariant, string | undefined> = {
            valid: undefined,
            badsig: 'bad_signature',
            badhash: 'bad_signature',
            version: 'version',
            self: 'self',
            past: 'clock',
            future: 'clock',
            loworder: 'bad_signature',
            refused: 'busy',
            undecodable: 'bad_frame',
          }
          const reason = expect[ev.v]
          if (reason !== undefined) close(reason, 'local')
          else {
            m.state = 'up'
            m.wentUp = true
          }
        } else if (m.state === 'up') {
          rx()
          // a second HELLO earns BYE protocol (§6.2); a line that does not decode is a drop
          if (ev.v === 'undecodable') drop('bad_frame')
          else close('protocol', 'local')
        }
        if (peerSentHello) {
          peerLines++
          macOut?.sign(new Uint8Array(0))
        }
        if (first && hash !== undefined) {
          peerSentHello = true
          ourHelloHash = hash
        }
        feed(bytes, ev.cuts)
        break
      }
      case 'frame': {
        const ts =
          ev.ts === 'past'
            ? W0 + clock.t - 400_000
            : ev.ts === 'future'
              ? W0 + clock.t + 400_000
              : W0 + clock.t
        let f: Frame
        const kaId = 1_000 + peerLines
        switch (ev.kind) {
          case 'keepalive':
            f = { type: 'KEEPALIVE_REQUEST', timestamp: ts, id: kaId }
            break
          case 'response':
            f = { type: 'KEEPALIVE_RESPONSE', timestamp: ts, id: lastKa ?? 0 }
            break
          case 'wrongResponse':
            f = { type: 'KEEPALIVE_RESPONSE', timestamp: ts, id: 999_999 }
            break
          case 'neighbors':
            f = { type: 'NEIGHBORS_REQUEST', timestamp: ts }
            break
          case 'route':
            f = {
              type: 'ROUTE_REQUEST',
              timestamp: ts,
              target_hash: new Uint8Array(32).fill(3),
              nonce: 7,
              ttl: 3,
            }
            break
        }
        const hash =
          ev.hash === 'good' ? crypto.sha256(hashInput(f)) : new Uint8Array(32).fill(0x33)
        const si = Buffer.from(signingInput(f, hash)).toString('latin1')
        let mac: Uint8Array
        if (macOut) {
          mac = macOut.sign(enc.encode(si))
          if (ev.mac === 'bad') mac = mac.slice().fill(0, 0, 4)
        } else mac = new Uint8Array(32).fill(9)
        if (peerSentHello) peerLines++
        if (m.state === 'handshake') {
          rx()
          close('protocol', 'local')
        } else if (m.state === 'up') {
          rx()
          if (ev.mac === 'bad' || macOut === undefined) close('bad_signature', 'local')
          else if (ev.hash === 'bad') drop('bad_hash')
          else if (ev.ts !== 'now') drop('timestamp')
          else if (ev.kind === 'keepalive') m.frames.push(`answer ${kaId}`)
          else if (ev.kind === 'response' && m.outstanding === lastKa && lastKa !== undefined)
            m.outstanding = undefined
          else if (ev.kind === 'response' || ev.kind === 'wrongResponse')
            drop('unexpected_response')
          else m.frames.push(f.type)
        }
        feed(line(`${base64Encode(mac)} ${si}`), ev.cuts)
        break
      }
    }
    pull()
    if (wasClosed) must(conn.written.length === before, 'the link wrote after it closed')
    // ---- agreement
    must(
      link.state === m.state,
      `state ${link.state}, model ${m.state} after ${JSON.stringify(ev)}`,
    )
    if (m.state === 'closed') {
      must(downs.length === 1, `linkDown called ${downs.length} times`)
      must(
        downs[0]?.initiator === m.initiator,
        `closed by ${downs[0]?.initiator}, model ${m.initiator}`,
      )
      must(byeSeen === m.bye, `BYE ${byeSeen}, model ${m.bye}`)
      must(conn.closed, 'closed link left its connection open')
    } else must(downs.length === 0 && byeSeen === undefined, 'closed early')
    must(ups === (m.wentUp ? 1 : 0), `linkUp called ${ups} times, model went up: ${m.wentUp}`)
    must(JSON.stringify(drops) === JSON.stringify(m.drops), `drops ${drops}, model ${m.drops}`)
    const answered = responses.map((id) => `answer ${id}`)
    const hostFrames = m.frames.filter((x) => !x.startsWith('answer '))
    must(
      JSON.stringify(framesToHost) === JSON.stringify(hostFrames),
      `frames ${framesToHost}, model ${hostFrames}`,
    )
    must(
      JSON.stringify(answered) === JSON.stringify(m.frames.filter((x) => x.startsWith('answer '))),
      `keepalive answers ${answered}`,
    )
  }
  must(conn.writesAfterClose === 0, 'the link wrote to a closed connection')
  must(ups <= 1 && downs.length <= 1, 'linkUp/linkDown more than once')
}

/** The handshake property. */
export const handshakeProperty = fc.property(handshakeInput, checkHandshake)
