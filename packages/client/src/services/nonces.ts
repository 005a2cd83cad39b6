// The client's own nonces (§10.5): one persisted sequence for presence, one for requests and
// confirms, each next one max(last + 1, wall clock ms), so they grow across restarts.
import type { Clock } from '../clock.ts'
import type { Store } from '../store/types.ts'

/** Meta key of the last presence nonce (CLIENT_ONLINE, CLIENT_UPDATE, CLIENT_OFFLINE; §8.1). */
export const META_PRESENCE_NONCE = 'presence_nonce'
/** Meta key of the last FRIEND_REQUEST / FRIEND_CONFIRM nonce (§10.1, §10.2). */
export const META_REQUEST_NONCE = 'request_nonce'

/**
 * Takes and stores the next nonce of a sequence: above the last, the wall clock and `floor`.
 *
 * @example
 * ```ts
 * const nonce = nextNonce(store, clock, META_REQUEST_NONCE)
 * ```
 */
export function nextNonce(store: Store, clock: Clock, meta: string, floor = 0): number {
  const last = Number(store.getMeta(meta) ?? 0)
  const nonce = Math.max(last + 1, Math.floor(clock.wallNow()), floor + 1)
  store.setMeta(meta, String(nonce))
  return nonce
}
