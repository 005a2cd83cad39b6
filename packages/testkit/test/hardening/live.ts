// A live node under attack over real TCP on ::1, with an honest neighbour beside it: alice is
// attached to the honest node, bob to the target. `stillServes()` is the check every abuse test
// ends with: the honest link is the same one as before, and a routed frame crosses it both ways.
import { type ClientIdentity, createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import {
  type Address,
  type Attachment,
  type Chat6Node,
  createNode,
  type NodeInit,
  type RoutedFrame,
} from '@chat6/node'
import type { FrameOf } from '@chat6/wire'
import { EvilPeer, realWait, type Waiter } from './evil-peer.ts'

/** Options every live node gets: loopback allowed, no disk, no bootstrap, no dialling of its own. */
export const LIVE_DEFAULTS: Partial<NodeInit> = {
  listen: { host: '::1', port: 0 },
  allowLoopback: true,
  dataDir: false,
  useShippedBootstrap: false,
  useEnvBootstrap: false,
  targetPeers: 0,
  maxPeersPer64: 32,
  maxPeersPer48: 32,
  helloTimeout: 2_000,
}

/** A client attached to a node, signing its own presence; it records every frame delivered. */
export class Endpoint {
  readonly identity: ClientIdentity
  readonly attachment: Attachment
  readonly received: RoutedFrame[] = []
  nonce: number
  nickname: string

  constructor(
    readonly node: Chat6Node,
    nickname: string,
  ) {
    this.identity = createClientIdentity(createCrypto())
    this.nickname = nickname
    this.nonce = Date.now()
    this.attachment = node.attach(this.identity.publicKey, {
      onFrame: (f) => this.received.push(f),
    })
  }

  get hash(): Uint8Array {
    return this.identity.hash
  }

  presence(type: 'CLIENT_ONLINE' | 'CLIENT_UPDATE' = 'CLIENT_ONLINE'): FrameOf<'CLIENT_ONLINE'> {
    this.nonce++
    return signProof(this.identity, {
      type,
      timestamp: 0,
      clientkey: this.identity.publicKey,
      nonce: this.nonce,
      nickname: this.nickname,
      metric: 0,
      ttl: 64,
    } as FrameOf<'CLIENT_ONLINE'>)
  }

  offlineFrame(): FrameOf<'CLIENT_OFFLINE'> {
    this.nonce++
    return signProof(this.identity, {
      type: 'CLIENT_OFFLINE',
      timestamp: 0,
      clientkey: this.identity.publicKey,
      nonce: this.nonce,
      ttl: 64,
    } as FrameOf<'CLIENT_OFFLINE'>)
  }

  announce(frame: Parameters<Attachment['announce']>[0]): void {
    const r = this.attachment.announce(frame)
    if (!r.ok) throw new Error(`announce refused: ${r.reason}`)
  }

  online(): void {
    this.announce(this.presence('CLIENT_ONLINE'))
  }

  rename(nickname: string): void {
    this.nickname = nickname
    this.announce(this.presence('CLIENT_UPDATE'))
  }

  /** A routed MESSAGE_SEND with a random body (the node never opens it). */
  message(to: Uint8Array, msgid = crypto.getRandomValues(new Uint8Array(16))) {
    return {
      type: 'MESSAGE_SEND' as const,
      target_hash: to as Uint8Array<ArrayBuffer>,
      origin: this.identity.hash,
      sid: new Uint8Array(16).fill(1),
      chatid: new Uint8Array(16).fill(2),
      msgid: msgid as Uint8Array<ArrayBuffer>,
      mtype: 1,
      message: crypto.getRandomValues(new Uint8Array(64)),
    }
  }
}

/** A target node with an honest neighbour; see the file comment. */
export interface Live {
  target: Chat6Node
  honest: Chat6Node
  addr: Address
  alice: Endpoint
  bob: Endpoint
  wait: Waiter
  /** Opens a raw TCP evil peer to the target (not yet shaken hands). */
  evil(): Promise<EvilPeer>
  /** Opens an evil peer and completes its handshake. */
  evilUp(): Promise<EvilPeer>
  /** Asserts the honest link is the original one and a routed frame crosses it both ways. */
  stillServes(): Promise<void>
  stop(): Promise<void>
}

/** Starts `target` (with `opts`) and an honest node linked to it, alice on the honest one. */
export async function startLive(opts: Partial<NodeInit> = {}, waitMs = 5_000): Promise<Live> {
  const wait = realWait(waitMs)
  const target = createNode({ ...LIVE_DEFAULTS, ...opts })
  await target.start()
  const addr = target.listenAddress as Address
  const honest = createNode({ ...LIVE_DEFAULTS })
  await honest.start()
  await honest.dial(addr)
  const honestId = honest.id
  const upAt = () => target.peers().find((p) => p.id === honestId)?.upAt
  await wait(() => upAt() !== undefined, 'the honest link is up')
  const firstUpAt = upAt()
  const alice = new Endpoint(honest, 'alice')
  const bob = new Endpoint(target, 'bob')
  alice.online()
  bob.online()
  await wait(
    () =>
      target.client(alice.hash)?.reachable === true && honest.client(bob.hash)?.reachable === true,
    'alice and bob reach each other',
  )
  const evils: EvilPeer[] = []
  const live: Live = {
    target,
    honest,
    addr,
    alice,
    bob,
    wait,
    async evil() {
      const p = await EvilPeer.tcp(addr)
      evils.push(p)
      return p
    },
    async evilUp() {
      const p = await live.evil()
      return p.handshake(wait)
    },
    async stillServes() {
      if (upAt() !== firstUpAt) throw new Error('the honest link was lost or rebuilt')
      const a = alice.received.length
      const b = bob.received.length
      const sentAB = alice.attachment.send(alice.message(bob.hash))
      const sentBA = bob.attachment.send(bob.message(alice.hash))
      if (!sentAB.ok || !sentBA.ok) throw new Error('the honest route is gone')
      await wait(
        () => bob.received.length === b + 1 && alice.received.length === a + 1,
        'a routed frame crosses the honest link both ways',
      )
      if (upAt() !== firstUpAt) throw new Error('the honest link was lost or rebuilt')
    },
    async stop() {
      for (const p of evils) p.close()
      await honest.stop()
      await target.stop()
    },
  }
  return live
}

/** `stats().drops[reason]` with 0 for a reason never counted. */
export const drops = (node: Chat6Node, reason: string): number => node.stats().drops[reason] ?? 0
