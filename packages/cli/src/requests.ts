// Incoming friend requests as the commands and the chat screen show them: with the nickname the
// sender presents (from the request, or the presence the node holds for them), always marked
// as unverified, and refused as a way to pick a request when it is the name of a friend.
import type { Friend, FriendRequest } from '@chat6/client'
import type { Chat6Node } from '@chat6/node'
import { CliError } from './errors.ts'
import { sanitize, shortHash, toHex } from './format.ts'
import { resolveNamed } from './resolve.ts'

/** A request with the nickname its sender presents. */
export interface PresentedRequest extends FriendRequest {
  /** The sender's claim, unverified: anyone can pick any nickname. */
  nickname: string | undefined
  /** That nickname is the one of a friend (with another key): maybe an impersonation. */
  conflict: boolean
}

const equal = (a: Uint8Array, b: Uint8Array) => toHex(a) === toHex(b)

/**
 * The requests with the nickname each sender presents: the client's, else the one in the node's
 * presence table while the sender is online (a request sent by `chat6 add` can arrive before
 * its sender's presence).
 */
export function presentRequests(
  requests: readonly FriendRequest[],
  friends: readonly Friend[],
  node: Pick<Chat6Node, 'client'> | undefined,
): PresentedRequest[] {
  return requests.map((r) => {
    let nickname = r.nickname
    if (nickname === undefined) {
      const info = node?.client(r.hash)
      if (info !== undefined && equal(info.clientkey, r.key)) nickname = info.nickname
    }
    const conflict =
      r.conflictsWith !== undefined ||
      (nickname !== undefined &&
        friends.some((f) => f.nickname === nickname && !equal(f.key, r.key)))
    return { ...r, nickname, conflict }
  })
}

/** `carol (unverified) 9c1e0b7a`, or the hash alone when the sender gave no name. */
export function requestLabel(r: PresentedRequest): string {
  if (r.nickname === undefined) return shortHash(r.hash)
  const tag = r.conflict ? 'unverified, the name of a friend!' : 'unverified'
  return `${sanitize(r.nickname)} (${tag}) ${shortHash(r.hash)}`
}

/**
 * The request `who` names (a key, a hash prefix or the presented nickname).
 * @throws CliError `not_found`/`usage` as {@link resolveNamed}; `usage` when a nickname that is
 *   also a friend's picks the request: it must be picked by its hash
 */
export function pickRequest(who: string, requests: readonly PresentedRequest[]): PresentedRequest {
  const r = resolveNamed(who, requests, 'request')
  const byName = r.nickname !== undefined && who.trim().toLowerCase() === r.nickname.toLowerCase()
  if (byName && r.conflict)
    throw new CliError(
      'usage',
      `the request from '${sanitize(r.nickname ?? '')}' uses the name of one of your friends with another key: pick it by its hash (${shortHash(r.hash)}) if you are sure`,
    )
  return r
}
