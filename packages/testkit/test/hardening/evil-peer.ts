// The "evil peer": a hand-driven chat6 peer that speaks the wire format with @chat6/wire and
// @chat6/crypto only, over a raw TCP socket (node:net, not the node's own transport) or an
// in-memory connection. It sends whatever a test tells it to, well-formed or not, keeps its link
// MAC counter in step with the node's (§6.3), and records every line the node sends back.
import { connect } from 'node:net'
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
import type { Address, Connection, Transport } from '@chat6/node'
import {
  base64Encode,
  createLineSplitter,
  decode,
  type Envelope,
  encode,
  type Frame,
  type FrameOf,
  hashInput,
} from '@chat6/wire'

const ascii = new TextEncoder()
const text = new TextDecoder()

/** The byte pipe an evil peer writes to: a node Connection, or a raw socket adapted to one. */
export type Pipe = Pick<Connection, 'write' | 'onData' | 'onClose' | 'close' | 'destroy'>

/** Opens a raw TCP connection with node:net and adapts it to a {@link Pipe}. */
export function rawTcp(addr: Address): Promise<Pipe> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: addr.host, port: addr.port, family: 6, noDelay: true })
    let closed = false
    let onClose: (() => void) | undefined
    const pending: Uint8Array[] = []
    let onData: ((b: Uint8Array) => void) | undefined
    socket.on('data', (b: Buffer) => {
      const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength)
      if (onData) onData(bytes)
      else pending.push(bytes.slice())
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      closed = true
      onClose?.()
    })
    socket.once('connect', () =>
      resolve({
        write: (b) => {
          if (closed || socket.destroyed) return false
          socket.write(b)
          return true
        },
        onData: (fn) => {
          onData = fn
          for (const b of pending.splice(0)) fn(b)
        },
        onClose: (fn) => {
          onClose = () => fn()
          if (closed) fn()
        },
        close: () => socket.end(),
        destroy: () => socket.destroy(),
      }),
    )
    socket.once('error', reject)
  })
}

/** Options of an evil peer. */
export interface EvilPeerInit {
  /** Wall clock for frame timestamps (default `Date.now`). */
  wall?: () => number
  /** Crypto (default a native one). */
  crypto?: Crypto
}

/** A scripted peer; see the file comment. */
export class EvilPeer {
  readonly crypto: Crypto
  readonly nodeKey: NodeKey
  readonly linkPair: KeyPair
  /** Every line the node sent, without LF, in order. */
  readonly lines: string[] = []
  closed = false
  /** Link MACs once the handshake is done. */
  mac: LinkMac | undefined
  helloHash: Uint8Array | undefined
  readonly wall: () => number
  private readonly splitter = createLineSplitter()
  private readonly watchers = new Set<() => void>()

  constructor(
    readonly pipe: Pipe,
    init: EvilPeerInit = {},
  ) {
    this.crypto = init.crypto ?? createCrypto()
    this.wall = init.wall ?? Date.now
    this.nodeKey = createNodeKey(this.crypto)
    this.linkPair = this.crypto.x25519.keygen()
    pipe.onData((b) => {
      for (const item of this.splitter.push(b)) if (item.ok) this.lines.push(text.decode(item.line))
      for (const w of this.watchers) w()
    })
    pipe.onClose(() => {
      this.closed = true
      this.mac = undefined
      for (const w of this.watchers) w()
    })
  }

  /** Connects over real TCP (node:net). */
  static async tcp(addr: Address, init: EvilPeerInit = {}): Promise<EvilPeer> {
    return new EvilPeer(await rawTcp(addr), init)
  }

  /** Connects through a transport (for example an in-memory network host). */
  static async via(
    transport: Transport,
    addr: Address,
    init: EvilPeerInit = {},
  ): Promise<EvilPeer> {
    return new EvilPeer(await transport.dial(addr), init)
  }

  /** Calls `fn` whenever something arrives or the connection closes; returns a remover. */
  watch(fn: () => void): () => void {
    this.watchers.add(fn)
    return () => this.watchers.delete(fn)
  }

  // ---- what came back

  envelopes(): Envelope[] {
    return this.lines.map((l) => {
      const d = decode(l)
      if (!d.ok) throw new Error(`node sent an undecodable line (${d.error.code}): ${l}`)
      return d.envelope
    })
  }

  frames(): Frame[] {
    return this.envelopes().map((e) => e.frame)
  }

  /** Frames of one type the node sent. */
  framesOf<T extends Frame['type']>(type: T): FrameOf<T>[] {
    return this.frames().filter((f): f is FrameOf<T> => f.type === type)
  }

  /** Reason of the BYE the node sent, if any. */
  byeReason(): string | undefined {
    return this.framesOf('BYE')[0]?.reason
  }

  // ---- raw bytes

  /** Writes raw bytes; no MAC bookkeeping. */
  write(bytes: Uint8Array | string): void {
    this.pipe.write(typeof bytes === 'string' ? ascii.encode(bytes) : bytes)
  }

  /**
   * Writes one line as given, plus LF. After the handshake the node counts it (§6.3), so our send
   * counter moves too: the next MAC'd frame still verifies.
   */
  writeLine(line: string | Uint8Array): void {
    const body = typeof line === 'string' ? ascii.encode(line) : line
    const out = new Uint8Array(body.length + 1)
    out.set(body)
    out[body.length] = 0x0a
    this.pipe.write(out)
    if (this.mac) this.mac.sign(new Uint8Array(0))
  }

  // ---- handshake

  helloFrame(over: Partial<FrameOf<'HELLO'>> = {}): FrameOf<'HELLO'> {
    return {
      type: 'HELLO',
      timestamp: Math.floor(this.wall()),
      version: 1,
      nodekey: this.nodeKey.publicKey,
      linkkey: this.linkPair.publicKey,
      port: 0,
      ...over,
    }
  }

  /** Sends our HELLO (§6.2); `badSignature` flips bytes of its Ed25519 signature. */
  hello(over: Partial<FrameOf<'HELLO'>> = {}, opts: { badSignature?: boolean } = {}): void {
    const frame = this.helloFrame(over)
    const env = sealFrame(this.crypto, frame, { nodeKey: this.nodeKey })
    if (opts.badSignature) env.signature = env.signature.slice().fill(7, 0, 8)
    this.helloHash = env.hash
    this.pipe.write(encode(env))
  }

  // createNodeKey keeps its secret to itself; a HELLO with a wrong MSGHASH but a valid signature
  // needs raw signing, so such a HELLO comes from a second key whose secret this peer holds.
  private rawKey: KeyPair | undefined

  /** A HELLO signed correctly by its own `nodekey`, but whose MSGHASH is wrong (§5.2, §6.2). */
  helloWithBadHash(): void {
    this.rawKey ??= this.crypto.ed25519.keygen()
    const frame = this.helloFrame({ nodekey: this.rawKey.publicKey })
    const hash = this.crypto.sha256(ascii.encode('not the hash input'))
    const si = `${base64Encode(hash)} ${frame.timestamp} ${text.decode(hashInput(frame))}`
    const ctx = new Uint8Array([...ascii.encode('chat6/v1/hello'), 0, ...ascii.encode(si)])
    const sig = this.crypto.ed25519.sign(ctx, this.rawKey.secretKey)
    this.writeLine(`${base64Encode(sig)} ${si}`)
  }

  /** After the node's HELLO arrived: derives the link MACs (we dialled, so we are `initiator`). */
  keys(role: 'initiator' | 'responder' = 'initiator'): void {
    const envs = this.envelopes()
    const at = envs.findIndex((e) => e.frame.type === 'HELLO')
    const hello = envs[at] as Envelope<FrameOf<'HELLO'>> | undefined
    if (hello === undefined || this.helloHash === undefined) throw new Error('no HELLO exchanged')
    this.mac = deriveLinkKeys(this.crypto, {
      role,
      linkSecret: this.linkPair.secretKey,
      peerLinkKey: hello.frame.linkkey,
      helloHashI: role === 'initiator' ? this.helloHash : hello.hash,
      helloHashR: role === 'initiator' ? hello.hash : this.helloHash,
    })
    // we only send; the receive counter is never checked here
  }

  /** Sends HELLO and waits (bounded) for the node's; then the link is up on both sides. */
  async handshake(wait: Waiter, over: Partial<FrameOf<'HELLO'>> = {}): Promise<this> {
    this.hello(over)
    await wait(() => this.lines.length > 0 || this.closed, 'the node answers our HELLO')
    if (this.byeReason() !== undefined)
      throw new Error(`handshake refused: BYE ${this.byeReason()}`)
    this.keys()
    return this
  }

  // ---- frames after the handshake

  /** Sends a frame with a correct link MAC (timestamp: now unless given). */
  send(frame: Frame, opts: { tamperMac?: boolean } = {}): void {
    if (this.mac === undefined) throw new Error('link is not up')
    const f = { ...frame, timestamp: frame.timestamp || Math.floor(this.wall()) }
    const env = sealFrame(this.crypto, f, { mac: this.mac })
    if (opts.tamperMac) env.signature = env.signature.slice().fill(0, 0, 8)
    this.pipe.write(encode(env))
  }

  /**
   * Sends `<MAC> <signing input>` for an arbitrary signing input text: the MAC is right, whatever
   * the rest says (a wrong MSGHASH, a field the decoder refuses, …).
   */
  sendSigningInput(si: string): void {
    if (this.mac === undefined) throw new Error('link is not up')
    const mac = this.mac.sign(ascii.encode(si))
    this.pipe.write(ascii.encode(`${base64Encode(mac)} ${si}\n`))
  }

  /** The signing input of a frame with its true MSGHASH: a starting point for crafted lines. */
  signingInputOf(frame: Frame): string {
    const f = { ...frame, timestamp: frame.timestamp || Math.floor(this.wall()) }
    const hi = hashInput(f)
    return `${base64Encode(this.crypto.sha256(hi))} ${f.timestamp} ${text.decode(hi)}`
  }

  /** `hash input` text → the signing input with that text's true MSGHASH and a timestamp. */
  signingInputFor(hashInputText: string, timestamp = Math.floor(this.wall())): string {
    return `${base64Encode(this.crypto.sha256(ascii.encode(hashInputText)))} ${timestamp} ${hashInputText}`
  }

  close(): void {
    this.pipe.destroy()
  }
}

/** A bounded wait: resolves once `pred()` holds, throws naming `what` when the time is up. */
export type Waiter = (pred: () => boolean, what: string) => Promise<void>

/** A real-time {@link Waiter}: polls every 5 ms for at most `ms`. */
export function realWait(ms = 5_000): Waiter {
  return async (pred, what) => {
    const end = Date.now() + ms
    while (!pred()) {
      if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting until ${what}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
}
