// The requests service (§10.1, §10.2, §10.5): FRIEND_REQUESTs from friends (answered at once)
// and strangers (kept for the user, at most maxPendingRequests, each sender rate-limited only
// once its proof verifies), a stranger who presents a friend's nickname flagged, and what the
// user does with requests and keys: add, accept, reject, block, unblock.
import type { FrameOf } from '@chat6/wire'
import type { Friend, FriendRequest } from '../api.ts'
import { equalBytes, toHex } from '../bytes.ts'
import { ClientError } from '../errors.ts'
import { KeyedBuckets } from '../rate.ts'
import type { FriendRecord, RequestRecord } from '../store/types.ts'
import type { Peers } from './peers.ts'
import type { Sessions } from './sessions.ts'
import type { BaseComponents, FrameHandlers } from './types.ts'

/** Friend requests, theirs and ours, and blocked keys. */
export interface Requests {
  /** Befriends a key: accepts their pending request, or sends ours (`requested` until answered). */
  add(key: Uint8Array, nickname?: string): Friend
  /** Accepts a stranger's pending request: they become a friend and get our confirm. */
  accept(key: Uint8Array): Friend
  /** Rejects a pending request: the key is blocked. */
  reject(key: Uint8Array): void
  /** Blocks a key: forgets it as friend or requester, and drops its frames from now on. */
  block(key: Uint8Array, reason: 'rejected' | 'blocked'): void
  /** Lifts a block or rejection. */
  unblock(key: Uint8Array): void
  /** Pending requests, oldest first. */
  list(): FriendRequest[]
  /** FRIEND_REQUEST. */
  readonly frames: FrameHandlers
}

const requestView = (r: RequestRecord): FriendRequest => ({
  key: r.key,
  hash: r.hash,
  nickname: r.nickname,
  receivedAt: r.receivedAt,
  conflictsWith: r.conflictsWith,
})

/**
 * Creates the requests service.
 *
 * @example
 * ```ts
 * const requests = createRequests({ ...components, peers, sessions })
 * requests.accept(key)
 * ```
 */
export function createRequests(
  c: Pick<BaseComponents, 'store' | 'protocol' | 'clock' | 'limits' | 'link' | 'events'> & {
    peers: Peers
    sessions: Sessions
  },
): Requests {
  const { store, protocol, clock, limits, peers, sessions } = c
  /** Latest FRIEND_REQUEST frame per stranger, for answering on accept (memory only). */
  const requestFrames = new Map<string, FrameOf<'FRIEND_REQUEST'>>()
  const buckets = new KeyedBuckets(limits.requestBurst, limits.requestRefillInterval)

  const onRequest = (frame: FrameOf<'FRIEND_REQUEST'>) => {
    const key = frame.clientkey
    const hash = protocol.clientHash(key)
    const hex = toHex(hash)
    if (equalBytes(key, protocol.key)) return
    if (!equalBytes(frame.target_hash, protocol.hash)) return
    if (store.getBlocked(hash)) return
    const p = peers.get(hash)
    // A friend's requests are refused by their strictly increasing nonce on record (§10.1); only
    // a stranger's are held to the clock window, so a friend whose wall clock jumped can re-key.
    if (!p && Math.abs(frame.nonce - clock.wallNow()) > limits.maxRequestAge) return
    // verify before charging the sender's bucket, so forged frames cannot drain it
    if (!protocol.verifyRequest(frame)) return
    if (!buckets.take(hex, clock.now())) return

    if (p) {
      // a friend: answer at once (§10.2), once per strictly newer nonce (§10.1)
      if (frame.nonce <= p.record.lastRequestNonce) return
      peers.update(p, { lastRequestNonce: frame.nonce })
      sessions.answer(p, frame)
      return
    }
    const existing = store.getRequest(hash)
    if (existing && frame.nonce <= existing.nonce) return
    const info = c.link()?.lookup(hash)
    const nickname = info && equalBytes(info.clientkey, key) ? info.nickname : existing?.nickname
    const record: RequestRecord = {
      hash,
      key,
      nickname,
      nonce: frame.nonce,
      receivedAt: existing?.receivedAt ?? clock.wallNow(),
      conflictsWith: nickname === undefined ? undefined : peers.conflicting(nickname, key),
    }
    store.transaction(() => {
      if (!existing) {
        const all = store.requests()
        for (const old of all.slice(0, Math.max(0, all.length - limits.maxPendingRequests + 1))) {
          store.deleteRequest(old.hash)
          requestFrames.delete(toHex(old.hash))
        }
      }
      store.putRequest(record)
    })
    requestFrames.set(hex, frame)
    if (!existing) c.events.emit('friend-request', requestView(record))
  }

  const accept = (key: Uint8Array): Friend => {
    const hash = protocol.clientHash(key)
    const hex = toHex(hash)
    const request = store.getRequest(hash)
    if (!request) {
      const p = peers.get(hash)
      if (p) return peers.view(p)
      throw new ClientError('no_request', 'no pending request from this key')
    }
    const record: FriendRecord = {
      hash,
      key,
      nickname: request.nickname,
      icon: undefined,
      status: 'friend',
      verified: false,
      keyChanged: request.conflictsWith !== undefined,
      previousKey: request.conflictsWith,
      lastRequestNonce: request.nonce,
      addedAt: clock.wallNow(),
    }
    store.transaction(() => {
      store.deleteRequest(hash)
      store.putFriend(record)
    })
    const p = peers.add(record)
    c.events.emit('friend-added', peers.view(p))
    const frame = requestFrames.get(hex)
    requestFrames.delete(hex)
    if (frame && Math.abs(frame.nonce - clock.wallNow()) <= limits.maxRequestAge) {
      sessions.answer(p, frame)
    } else {
      sessions.offer(p)
    }
    return peers.view(p)
  }

  const block = (key: Uint8Array, reason: 'rejected' | 'blocked') => {
    const hash = protocol.clientHash(key)
    store.transaction(() => {
      store.deleteRequest(hash)
      store.deleteFriend(hash)
      store.deletePendingReads(key)
      store.putBlocked({ hash, key, reason, at: clock.wallNow() })
    })
    requestFrames.delete(toHex(hash))
    const p = peers.get(hash)
    if (p) peers.forget(p)
  }

  return {
    add: (key, nickname) => {
      if (equalBytes(key, protocol.key)) throw new ClientError('self', 'cannot add yourself')
      const hash = protocol.clientHash(key)
      const existing = peers.get(hash)
      if (existing) return peers.view(existing)
      if (store.getRequest(hash)) return accept(key)
      const record: FriendRecord = {
        hash,
        key,
        nickname,
        icon: undefined,
        status: 'requested',
        verified: false,
        keyChanged: false,
        previousKey: undefined,
        lastRequestNonce: 0,
        addedAt: clock.wallNow(),
      }
      store.transaction(() => {
        store.deleteBlocked(hash)
        store.putFriend(record)
      })
      const p = peers.add(record)
      sessions.offer(p)
      return peers.view(p)
    },
    accept,
    reject: (key) => {
      if (!store.getRequest(protocol.clientHash(key))) {
        throw new ClientError('no_request', 'no pending request from this key')
      }
      block(key, 'rejected')
    },
    block,
    unblock: (key) => store.deleteBlocked(protocol.clientHash(key)),
    list: () => store.requests().map(requestView),
    frames: { FRIEND_REQUEST: onRequest },
  }
}
