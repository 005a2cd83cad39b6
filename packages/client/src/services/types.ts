// What the client's services share: the live state of a friend, the hooks between services, and
// the components each is built from. Each service takes the part of BaseComponents it needs
// plus the services it calls, and keeps its own per-friend state in a map keyed by `hex`.
import type { Frame, FrameOf } from '@chat6/wire'
import type { ClientEvents } from '../api.ts'
import type { Clock } from '../clock.ts'
import type { ClientLimits } from '../limits.ts'
import type { NodeLink } from '../link.ts'
import type { Protocol } from '../protocol.ts'
import type { FriendRecord, MessageRecord, Store } from '../store/types.ts'
import type { Hooks } from './hooks.ts'

/** Live state of one friend (memory only), owned by the peers service. */
export interface PeerState {
  /** The stored record; replaced (never mutated) by `peers.update`. */
  record: FriendRecord
  /** Hex of the client hash: the key of every service's per-friend map. */
  readonly hex: string
  /** Presence online as the node last reported it (§8.1). */
  online: boolean
  /** Online and the node has a route (§8.2). */
  reachable: boolean
  nickname: string | undefined
  icon: Uint8Array | undefined
  /**
   * A session completed since the friend last became available (§11.1). Only the sessions
   * service writes it.
   */
  keyed: boolean
}

/**
 * The friend is online and reachable: sessions are made only now (§10.4).
 *
 * @example
 * ```ts
 * if (available(peer)) sessions.offer(peer)
 * ```
 */
export const available = (p: PeerState): boolean => p.online && p.reachable

/**
 * Keyed and still available: messages and receipts may go now (§11.1).
 *
 * @example
 * ```ts
 * if (ready(peer)) payloads.sendEphemeral(peer, typing)
 * ```
 */
export const ready = (p: PeerState): boolean => p.keyed && available(p)

/** What services tell each other about a friend, through {@link Hooks}. */
export interface ServiceHooks {
  /**
   * A session with the friend completed while they are available (§10.3, §11.1): messages and
   * receipts may go now. `fresh`: they were not keyed before, so frames in flight went under a
   * session they may have lost.
   */
  keyed: { peer: PeerState; fresh: boolean }
  /** The friend went offline or unreachable, is being removed, or the client stops: stop sending. */
  unavailable: PeerState
  /** The friend was removed or blocked: forget what is kept in memory for them. */
  removed: PeerState
  /**
   * One of our stored outgoing messages, a payload sent through `outbox.enqueue` included, moved
   * to `sent`, `delivered` or `read`: how a service learns that the friend kept its payload.
   */
  outgoing: MessageRecord
}

/** The emit side of the client's public events. */
export interface EmitClientEvents {
  emit<K extends keyof ClientEvents>(name: K, detail: ClientEvents[K]): void
}

/** Handlers of routed frames by type; the client dispatches each incoming frame to one. */
export type FrameHandlers = { [T in Frame['type']]?: (frame: FrameOf<T>) => void }

/** Everything a client is made of, before any service; each service takes what it needs. */
export interface BaseComponents {
  store: Store
  protocol: Protocol
  clock: Clock
  limits: ClientLimits
  /** The client's public events. */
  events: EmitClientEvents
  /** Hooks between services. */
  hooks: Hooks<ServiceHooks>
  /** The node attachment: undefined before start() attached and after stop(). */
  link(): NodeLink | undefined
  /** Wraps a timer or frame handler: what it throws becomes an 'error' event; after stop, a no-op. */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void
}
