// The peers service: every friend's live state (record, presence as the node reports it, keyed)
// in memory, the lookups other services use, and the Friend view the app sees.
import type { Friend } from '../api.ts'
import { equalBytes, toHex } from '../bytes.ts'
import { ClientError } from '../errors.ts'
import type { PresenceInfo } from '../link.ts'
import type { FriendRecord } from '../store/types.ts'
import { type BaseComponents, type PeerState, ready } from './types.ts'

/** Friends in memory, by client hash and by client key. */
export interface Peers {
  /** Every friend, in the order they were added. */
  values(): IterableIterator<PeerState>
  /** The friend with this client hash. */
  get(hash: Uint8Array): PeerState | undefined
  /** The friend with this client key. */
  byKey(key: Uint8Array): PeerState | undefined
  /** The friend with this client key; ClientError `unknown_friend` if there is none. */
  require(key: Uint8Array): PeerState
  /** Starts tracking a friend (just stored), with the presence the node holds for them. */
  add(record: FriendRecord): PeerState
  /** Takes the node's view of the friend's presence (§8.1, §8.2); ignored if for another key. */
  apply(p: PeerState, info: PresenceInfo | undefined): void
  /** Changes the friend's record and stores it. */
  update(p: PeerState, patch: Partial<FriendRecord>): void
  /** The friend cannot be sent to any more: runs the `unavailable` hooks. */
  pause(p: PeerState): void
  /** Forgets a friend removed from the store: pauses, runs the `removed` hooks, drops them. */
  forget(p: PeerState): void
  /** The friend as the app sees it. */
  view(p: PeerState): Friend
  /**
   * Adds what a service knows of every friend to the Friend view (the profile service: their
   * status, note, typing, and the nickname and icon of their PROFILE, which take precedence).
   */
  extendView(fn: (p: PeerState) => Partial<Friend>): void
  /** The key of a friend (with another key) who uses this nickname: a possible key change (§10.5). */
  conflicting(nickname: string, key: Uint8Array): Uint8Array | undefined
}

/**
 * Creates the peers service.
 *
 * @example
 * ```ts
 * const peers = createPeers(components)
 * for (const record of store.friends()) peers.add(record)
 * ```
 */
export function createPeers(c: Pick<BaseComponents, 'store' | 'link' | 'hooks'>): Peers {
  const byHash = new Map<string, PeerState>()
  const byKeyHex = new Map<string, PeerState>()

  const extensions: Array<(p: PeerState) => Partial<Friend>> = []

  const update = (p: PeerState, patch: Partial<FriendRecord>) => {
    p.record = { ...p.record, ...patch }
    c.store.putFriend(p.record)
  }

  const apply = (p: PeerState, info: PresenceInfo | undefined) => {
    if (info && !equalBytes(info.clientkey, p.record.key)) return
    p.online = info?.online ?? false
    // whatever the attachment says, a friend who is not online cannot be reached
    p.reachable = p.online && (info?.reachable ?? false)
    if (info?.online) {
      p.nickname = info.nickname
      p.icon = info.icon
      // kept as soon as it is seen, also for a friend already online when added or accepted
      const iconChanged =
        (p.icon === undefined) !== (p.record.icon === undefined) ||
        (p.icon !== undefined && p.record.icon !== undefined && !equalBytes(p.icon, p.record.icon))
      if (p.nickname !== undefined && (p.nickname !== p.record.nickname || iconChanged)) {
        update(p, { nickname: p.nickname, icon: p.icon })
      }
    }
  }

  const view = (p: PeerState): Friend => {
    const base: Friend = {
      key: p.record.key,
      hash: p.record.hash,
      nickname: p.nickname ?? p.record.nickname,
      icon: p.icon ?? p.record.icon,
      status: p.record.status,
      online: p.online,
      reachable: p.reachable,
      keyed: ready(p),
      verified: p.record.verified,
      keyChanged: p.record.keyChanged,
      previousKey: p.record.previousKey,
      availability: 'online',
      note: undefined,
      typing: false,
    }
    for (const fn of extensions) Object.assign(base, fn(p))
    return base
  }

  const byKey = (key: Uint8Array) => byKeyHex.get(toHex(key))

  const pause = (p: PeerState) => c.hooks.run('unavailable', p)

  return {
    values: () => byHash.values(),
    get: (hash) => byHash.get(toHex(hash)),
    byKey,
    require: (key) => {
      const p = byKey(key)
      if (!p) throw new ClientError('unknown_friend', 'not a friend')
      return p
    },
    add: (record) => {
      const p: PeerState = {
        record,
        hex: toHex(record.hash),
        online: false,
        reachable: false,
        nickname: undefined,
        icon: undefined,
        keyed: false,
      }
      apply(p, c.link()?.lookup(record.hash))
      byHash.set(p.hex, p)
      byKeyHex.set(toHex(record.key), p)
      return p
    },
    apply,
    update,
    pause,
    forget: (p) => {
      pause(p)
      c.hooks.run('removed', p)
      byHash.delete(p.hex)
      byKeyHex.delete(toHex(p.record.key))
    },
    view,
    extendView: (fn) => {
      extensions.push(fn)
    },
    conflicting: (nickname, key) => {
      for (const p of byHash.values()) {
        if (view(p).nickname === nickname && !equalBytes(p.record.key, key)) return p.record.key
      }
      return undefined
    },
  }
}
