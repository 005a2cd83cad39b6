// NodeLink: the little a client needs from the node it is attached to. The real node's
// attachment satisfies it (see fromNode in node-link.ts); pure-logic tests pass a fake.
import type { Frame, FrameOf } from '@chat6/wire'

/** What the node knows of a client's presence (§8.1) and route (§8.2). */
export interface PresenceInfo {
  clientkey: Uint8Array
  /** After CLIENT_ONLINE/UPDATE, until CLIENT_OFFLINE. */
  online: boolean
  /** The node has a finite route to the client. */
  reachable: boolean
  nickname: string | undefined
  icon: Uint8Array | undefined
  nonce: number
}

/** A change of some client's presence, as the node reports it. */
export interface PresenceChange {
  kind: 'online' | 'update' | 'offline' | 'reachable' | 'unreachable'
  /** Client hash (SHA-256 of the client key). */
  hash: Uint8Array
  /** The state after the change. */
  info: PresenceInfo | undefined
}

/** Result of handing a frame to the node: refused frames carry the node's reason. */
export type SendResult = { ok: true } | { ok: false; reason: string }

/** Callbacks the node calls on the attached client. */
export interface LinkHandlers {
  /** A routed frame addressed to this client (FRIEND_*, MESSAGE_*). */
  onFrame(frame: Frame): void
  /** Presence or reachability of some client changed. */
  onPresence(change: PresenceChange): void
  /** The node needs presence with a nonce above `minNonce` (§8.3): sign a CLIENT_UPDATE. */
  refreshPresence(minNonce: number): Promise<FrameOf<'CLIENT_UPDATE'>>
}

/** The client's end of its attachment to a node. */
export interface NodeLink {
  /**
   * Floods signed presence (CLIENT_ONLINE, CLIENT_UPDATE, CLIENT_OFFLINE) into the mesh.
   * `stale`: the node holds presence with a higher nonce.
   */
  announce(frame: FrameOf<'CLIENT_ONLINE' | 'CLIENT_UPDATE' | 'CLIENT_OFFLINE'>): SendResult
  /** Routes an end-to-end frame toward its `target_hash`. */
  send(
    frame: FrameOf<
      'FRIEND_REQUEST' | 'FRIEND_CONFIRM' | 'MESSAGE_SEND' | 'MESSAGE_RECV' | 'MESSAGE_READ'
    >,
  ): SendResult
  /** Current presence of a client by hash, if the node knows it. */
  lookup(hash: Uint8Array): PresenceInfo | undefined
  /** Ends the attachment; no callback runs afterwards. */
  detach(): void
}

/** Attaches a client (by its identity key) to a node. */
export type Attach = (clientkey: Uint8Array, handlers: LinkHandlers) => NodeLink | Promise<NodeLink>
