// The extension point: a new feature (groups, file transfer, profile/typing, mailboxes) is one
// more service built from these components, beside the built-in ones, and composed in
// client.ts. It hears about friends through `hooks`, takes the payloads of its mtypes from
// `payloads`, and sends through `outbox` (stored, retried, acknowledged) or
// `payloads.sendEphemeral` (once, now); its own state goes in `store` or memory.
import type { Hooks } from './hooks.ts'
import type { Outbox } from './outbox.ts'
import type { Payloads } from './payloads.ts'
import type { Peers } from './peers.ts'
import type { BaseComponents, ServiceHooks } from './types.ts'

/** What a service added to the client is built from. */
export interface ServiceComponents extends Pick<BaseComponents, 'store' | 'clock' | 'limits'> {
  /** Random bytes (ids, nonces of the service's own). */
  random: (length: number) => Uint8Array
  /**
   * `keyed` (a session is up: send now), `unavailable` (stop sending), `removed` (forget),
   * `outgoing` (a stored outgoing message or payload moved to sent, delivered or read).
   */
  hooks: Pick<Hooks<ServiceHooks>, 'on'>
  /** Friends: lookups and the view the app sees. */
  peers: Pick<Peers, 'values' | 'get' | 'byKey' | 'view'>
  /** `handle(mtype, fn)` takes a payload type from the message store; `sendEphemeral` sends once. */
  payloads: Pick<Payloads, 'handle' | 'sendEphemeral'>
  /**
   * `enqueue` stores a payload as an outgoing message and delivers it like one: exactly once,
   * in order, retried until acknowledged. A payload of mtype 2–999 is not a chat message:
   * history(), outbox() and the 'receipt' event leave it out; the `outgoing` hook reports it.
   */
  outbox: Pick<Outbox, 'enqueue'>
  /**
   * Whether the friend with this client key implements a payload family: their latest PROFILE
   * lists `cap` (§17.2, §17.3). False until their first PROFILE arrives, and for a version-1
   * client, which sends none: send a payload other than PROFILE only when this is true.
   *
   * @example
   * ```ts
   * if (supports(friend.record.key, 'group1')) outbox.enqueue(invite)
   * ```
   */
  supports(friendKey: Uint8Array, cap: string): boolean
}

/** A running service; the client stops it (before the node link is detached) on stop(). */
export interface ClientService {
  /**
   * The capability tokens of the payload families it implements (`group1`, `file1`; a §3
   * `token`): our PROFILE lists them, so friends know they may send them (§17.3).
   */
  readonly caps?: readonly string[]
  stop?(): void
}

/**
 * Builds a service from its components.
 *
 * @example
 * ```ts
 * const typing: ServiceFactory = ({ payloads, hooks }) => {
 *   payloads.handle(1001, ({ peer }) => console.log(peer.record.nickname, 'is typing'))
 *   hooks.on('unavailable', (peer) => console.log(peer.record.nickname, 'left'))
 *   return {}
 * }
 * ```
 */
export type ServiceFactory = (components: ServiceComponents) => ClientService
