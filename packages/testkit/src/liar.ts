// A lying relay, written from the spec alone (§6.2, §6.3, §7): it completes handshakes and answers
// keepalives like an honest node, but re-advertises every client it hears of with metric 0 and
// drops every routed frame. Honest nodes must route around it (§9, path diversity on retry).
import {
  type Crypto,
  createNodeKey,
  deriveLinkKeys,
  type KeyPair,
  type LinkMac,
  sealFrame,
} from '@chat6/crypto'
import type { Address, Clock, Connection, Transport } from '@chat6/node'
import {
  base64Encode,
  createLineSplitter,
  decode,
  encode,
  type Frame,
  type FrameOf,
  ROUTED_FRAME_TYPES as ROUTED,
} from '@chat6/wire'

type Presence = FrameOf<'CLIENT_ONLINE'> | FrameOf<'CLIENT_UPDATE'> | FrameOf<'CLIENT_OFFLINE'>

/** A running liar. */
export interface Liar {
  /** base64 node key, as peers name it. */
  readonly id: string
  /** Routed frames it received and dropped. */
  readonly dropped: number
  /** Presence frames it re-advertised with metric 0. */
  readonly lies: number
  start(): Promise<void>
  dial(addr: Address): Promise<void>
  /** Sends `frame` (timestamp renewed, link MAC added) to every peer whose link is up. */
  inject(frame: Frame): void
  /** Node ids of the peers whose link is up. */
  peers(): string[]
  stop(): void
}

/** What a liar runs on. */
export interface LiarInit {
  transport: Transport
  clock: Clock
  crypto: Crypto
  address: Address
}

interface Peer {
  conn: Connection
  id: string | undefined
  mac: LinkMac | undefined
}

/** @internal Creates a lying node; the mesh places it with `createMesh({ liars: [i] })`. */
export function createLiar(init: LiarInit): Liar {
  const { crypto, clock } = init
  const nodeKey = createNodeKey(crypto)
  const id = base64Encode(nodeKey.publicKey)
  const peers = new Set<Peer>()
  const presence = new Map<string, Presence>()
  let listener: { close(): Promise<void> } | undefined
  let dropped = 0
  let lies = 0

  const send = (p: Peer, frame: Frame): void => {
    if (p.mac === undefined) return
    p.conn.write(
      encode(sealFrame(crypto, { ...frame, timestamp: clock.wallNow() }, { mac: p.mac })),
    )
  }

  // Offline goes to every peer but its sender, as an honest node floods it; online and update
  // go back to the sender too, so that even it is drawn to the liar.
  const lie = (frame: Presence, from: Peer): void => {
    if (frame.ttl === 0) return
    const out =
      frame.type === 'CLIENT_OFFLINE'
        ? { ...frame, ttl: frame.ttl - 1 }
        : { ...frame, metric: 0, ttl: frame.ttl - 1 }
    for (const p of peers) {
      if (p.mac === undefined || (p === from && out.type === 'CLIENT_OFFLINE')) continue
      send(p, out)
      if (out.type !== 'CLIENT_OFFLINE') lies++
    }
  }

  const handshake = (p: Peer, role: 'initiator' | 'responder', lineKey: KeyPair) => {
    const hello = sealFrame(
      crypto,
      {
        type: 'HELLO',
        timestamp: clock.wallNow(),
        version: 1,
        nodekey: nodeKey.publicKey,
        linkkey: lineKey.publicKey,
        port: init.address.port,
      },
      { nodeKey },
    )
    if (role === 'initiator') p.conn.write(encode(hello))
    const splitter = createLineSplitter()
    let up: () => void = () => {}
    let fail: (e: Error) => void = () => {}
    const ready = new Promise<void>((resolve, reject) => {
      up = resolve
      fail = reject
    })
    p.conn.onData((bytes) => {
      for (const item of splitter.push(bytes)) {
        if (!item.ok) continue
        const r = decode(item.line)
        if (!r.ok) {
          p.mac?.skip()
          continue
        }
        const frame = r.envelope.frame
        if (p.mac === undefined) {
          if (frame.type !== 'HELLO') return p.conn.destroy()
          if (role === 'responder') p.conn.write(encode(hello))
          p.id = base64Encode(frame.nodekey)
          // a connection to the same node that died without a word (a cut link) is replaced
          for (const old of peers) if (old !== p && old.id === p.id) old.conn.destroy()
          p.mac = deriveLinkKeys(crypto, {
            role,
            linkSecret: lineKey.secretKey,
            peerLinkKey: frame.linkkey,
            helloHashI: role === 'initiator' ? hello.hash : r.envelope.hash,
            helloHashR: role === 'initiator' ? r.envelope.hash : hello.hash,
          })
          send(p, { type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 0 })
          for (const f of presence.values())
            if (f.type !== 'CLIENT_OFFLINE' && f.ttl > 0)
              send(p, { ...f, metric: 0, ttl: f.ttl - 1 })
          up()
          continue
        }
        p.mac.verify(r.signingInput, r.envelope.signature)
        if (frame.type === 'BYE') return p.conn.destroy()
        if (frame.type === 'KEEPALIVE_REQUEST')
          send(p, { type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: frame.id })
        else if (frame.type === 'NEIGHBORS_REQUEST')
          send(p, { type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor: [] })
        else if (
          frame.type === 'CLIENT_ONLINE' ||
          frame.type === 'CLIENT_UPDATE' ||
          frame.type === 'CLIENT_OFFLINE'
        ) {
          const k = base64Encode(frame.clientkey)
          const held = presence.get(k)
          if (held !== undefined && held.nonce >= frame.nonce) continue
          presence.set(k, frame)
          lie(frame, p)
        } else if (ROUTED.has(frame.type)) dropped++
      }
    })
    p.conn.onClose(() => {
      fail(new Error('connection closed before the handshake finished'))
      peers.delete(p)
      p.mac?.destroy()
      p.mac = undefined
    })
    return ready
  }

  const adopt = (conn: Connection, role: 'initiator' | 'responder'): Promise<void> => {
    const p: Peer = { conn, id: undefined, mac: undefined }
    peers.add(p)
    return handshake(p, role, crypto.x25519.keygen())
  }

  return {
    id,
    get dropped() {
      return dropped
    },
    get lies() {
      return lies
    },
    async start() {
      listener = await init.transport.listen(init.address, (conn) => void adopt(conn, 'responder'))
    },
    async dial(addr) {
      await adopt(await init.transport.dial(addr), 'initiator')
    },
    inject(frame) {
      for (const p of peers) send(p, frame)
    },
    peers: () =>
      [...peers]
        .filter((p) => p.mac !== undefined && p.id !== undefined)
        .map((p) => p.id as string),
    stop() {
      void listener?.close()
      for (const p of peers) p.conn.destroy()
      peers.clear()
    },
  }
}
