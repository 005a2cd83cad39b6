// The presence service (§8.1, §8.3): our own presence (CLIENT_ONLINE, CLIENT_UPDATE and
// CLIENT_OFFLINE with a persisted nonce, our nickname and icon), and friends' presence as the
// node reports it: leaving stops sending, coming back (or restarting) makes a new session.
import type { FrameOf } from '@chat6/wire'
import { toHex, utf8 } from '../bytes.ts'
import { MAX_ICON_BYTES, MAX_NICKNAME_BYTES } from '../constants.ts'
import { ClientError } from '../errors.ts'
import type { PresenceChange } from '../link.ts'
import type { PresenceType } from '../protocol.ts'
import type { IdentityRecord } from '../store/types.ts'
import { META_PRESENCE_NONCE, nextNonce } from './nonces.ts'
import type { Peers } from './peers.ts'
import type { Sessions } from './sessions.ts'
import { available, type BaseComponents, type PeerState } from './types.ts'

/** Our presence, and how friends' presence changes drive the other services. */
export interface Presence {
  /** Our identity as stored: the nickname and icon we announce. */
  readonly identity: IdentityRecord
  /** Signs CLIENT_ONLINE or CLIENT_UPDATE with the next presence nonce (above `floor`). */
  frame(type: PresenceType, floor?: number): FrameOf<PresenceType>
  /**
   * Announces `online` (made before attaching); if the node holds newer presence of ours (a
   * restored backup), once more above its nonce. If the node refuses, detaches and throws
   * ClientError `protocol`.
   */
  announce(online: FrameOf<'CLIENT_ONLINE'>): void
  /** Stores a new nickname or icon and announces it as CLIENT_UPDATE. */
  update(next: IdentityRecord): void
  /** CLIENT_OFFLINE with the next presence nonce. */
  offline(): FrameOf<'CLIENT_OFFLINE'>
  /** The node reports a change of some client's presence or route. */
  onChange(change: PresenceChange): void
}

/**
 * Throws ClientError `invalid_argument` unless `nickname` is 1..64 UTF-8 bytes without control
 * characters (§4).
 *
 * @example
 * ```ts
 * checkNickname('alice')
 * ```
 */
export function checkNickname(nickname: string): void {
  const n = utf8(nickname).length
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the check is for control characters
  if (n < 1 || n > MAX_NICKNAME_BYTES || /[\u0000-\u001f\u007f-\u009f]/.test(nickname)) {
    throw new ClientError(
      'invalid_argument',
      `nickname must be 1..${MAX_NICKNAME_BYTES} UTF-8 bytes without control characters`,
    )
  }
}

/**
 * Throws ClientError `invalid_argument` unless `icon` is absent or 1..16384 bytes (§4).
 *
 * @example
 * ```ts
 * checkIcon(undefined)
 * ```
 */
export function checkIcon(icon: Uint8Array | undefined): void {
  if (icon !== undefined && (icon.length < 1 || icon.length > MAX_ICON_BYTES)) {
    throw new ClientError('invalid_argument', `icon must be 1..${MAX_ICON_BYTES} bytes`)
  }
}

const shown = (p: PeerState) => `${p.online}${p.reachable}${p.nickname}${p.icon && toHex(p.icon)}`

/**
 * Creates the presence service.
 *
 * @example
 * ```ts
 * const presence = createPresence({ ...components, identity, peers, sessions })
 * presence.update({ ...presence.identity, nickname: 'alice' })
 * ```
 */
export function createPresence(
  c: Pick<BaseComponents, 'store' | 'protocol' | 'clock' | 'link' | 'events'> & {
    identity: IdentityRecord
    peers: Peers
    sessions: Sessions
  },
): Presence {
  const { store, protocol, clock, peers } = c
  let identity = c.identity

  const frame = (type: PresenceType, floor = 0) =>
    protocol.presence(type, {
      nonce: nextNonce(store, clock, META_PRESENCE_NONCE, floor),
      nickname: identity.nickname,
      icon: identity.icon,
    })

  return {
    get identity() {
      return identity
    },
    frame,
    announce: (online) => {
      const link = c.link()
      if (!link) return
      const announced = link.announce(online)
      if (announced.ok) return
      // the node holds newer presence (our stored nonce is behind, e.g. a restored backup)
      const floor = announced.reason === 'stale' ? (link.lookup(protocol.hash)?.nonce ?? 0) : -1
      const retry = floor >= 0 ? link.announce(frame('CLIENT_ONLINE', floor)) : announced
      if (!retry.ok) {
        link.detach()
        throw new ClientError('protocol', `the node refused our presence: ${retry.reason}`)
      }
    },
    update: (next) => {
      store.putIdentity(next)
      identity = next
      const result = c.link()?.announce(frame('CLIENT_UPDATE'))
      if (result && !result.ok) {
        throw new ClientError('protocol', `the node refused our presence: ${result.reason}`)
      }
    },
    offline: () => protocol.offline(nextNonce(store, clock, META_PRESENCE_NONCE)),
    onChange: (change) => {
      const p = peers.get(change.hash)
      if (!p) return
      const wasAvailable = available(p)
      const before = shown(p)
      // the node's current view, not the event's: events may trail a newer state
      peers.apply(p, c.link()?.lookup(change.hash) ?? change.info)
      const nowAvailable = available(p)
      if (wasAvailable && !nowAvailable) {
        peers.pause(p)
      } else if (nowAvailable && (!wasAvailable || change.kind === 'online')) {
        // came online or reachable, or restarted (a new CLIENT_ONLINE): a new session (§10.4)
        c.sessions.renew(p)
      }
      if (shown(p) !== before) c.events.emit('presence', peers.view(p))
    },
  }
}
