// The client: composes the services in ./services (peers, sessions §10, requests §10.5,
// presence §8.1, outbox §11.1, receipts and messages §11, payloads by mtype) and exposes them as
// the Client API. Key material stays inside Protocol objects in memory; the Store sees
// identities (sealed), friends, requests and messages, never a session secret.
import type { Frame, FrameOf } from '@chat6/wire'
import type { CallOptions, Client, ClientEvents, FriendRef } from './api.ts'
import { fromBase64 } from './bytes.ts'
import type { Clock } from './clock.ts'
import { ClientError, checkSignal, StoreError } from './errors.ts'
import { Emitter } from './events.ts'
import type { ClientLimits } from './limits.ts'
import type { LinkHandlers, NodeLink } from './link.ts'
import type { Protocol } from './protocol.ts'
import { Hooks } from './services/hooks.ts'
import { createMessages, receiptOf } from './services/messages.ts'
import { createOutbox } from './services/outbox.ts'
import { createPayloads } from './services/payloads.ts'
import { createPeers } from './services/peers.ts'
import { checkIcon, checkNickname, createPresence } from './services/presence.ts'
import { createProfile } from './services/profile/profile.ts'
import { createReceipts } from './services/receipts.ts'
import { createRequests } from './services/requests.ts'
import type { ServiceFactory } from './services/service.ts'
import { createSessions } from './services/sessions.ts'
import {
  type BaseComponents,
  type FrameHandlers,
  ready,
  type ServiceHooks,
} from './services/types.ts'
import { type IdentityRecord, isChatMtype, type Store } from './store/types.ts'

/** What the core needs, already resolved by createClient. */
export interface CoreComponents {
  store: Store
  protocol: Protocol
  clock: Clock
  random: (length: number) => Uint8Array
  identity: IdentityRecord
  limits: ClientLimits
  /** Attaches to the node; called once from start(). */
  attach: (handlers: LinkHandlers) => NodeLink | Promise<NodeLink>
  /** More services, built after the built-in ones, stopped before them (see services/service.ts). */
  services?: readonly ServiceFactory[]
  /**
   * False: no PROFILE or TYPING service, as in a version-1 client (tests): nothing is sent, and
   * what friends send is stored as messages of an unknown mtype (§17.2). Default true.
   */
  profile?: boolean
}

/** @internal Builds and starts the client from its services; createClient() is the public entry. */
export async function startCore(c: CoreComponents): Promise<Client> {
  const { store, protocol, clock, limits, random } = c
  const emitter = new Emitter<ClientEvents>((error) =>
    emitter.emit('error', error instanceof Error ? error : new Error(String(error))),
  )
  let link: NodeLink | undefined
  let stopped = false
  /** Runs a frame or timer handler; errors become 'error' events instead of escaping. */
  const guard =
    <A extends unknown[]>(fn: (...args: A) => void) =>
    (...args: A): void => {
      if (stopped) return
      try {
        fn(...args)
      } catch (error) {
        emitter.emit('error', error instanceof Error ? error : new Error(String(error)))
      }
    }

  // ---- services ------------------------------------------------------------------------------

  const hooks = new Hooks<ServiceHooks>()
  const base: BaseComponents = {
    store,
    protocol,
    clock,
    limits,
    events: emitter,
    hooks,
    link: () => link,
    guard,
  }
  const peers = createPeers(base)
  const sessions = createSessions({ ...base, peers })
  const outbox = createOutbox({
    store,
    clock,
    limits,
    hooks,
    guard,
    send: (m) => {
      const p = peers.byKey(m.peer)
      return p && sessions.sendMessage(p, m, m.body)
    },
    ready: (key) => {
      const p = link && peers.byKey(key)
      return p !== undefined && ready(p)
    },
    onAdvance: (m) => {
      hooks.run('outgoing', m)
      // a payload's progress is its service's business, not a receipt of a chat message
      const receipt = isChatMtype(m.mtype) ? receiptOf(m) : undefined
      if (receipt) emitter.emit('receipt', receipt)
    },
  })
  const receipts = createReceipts({ ...base, peers, sessions, outbox })
  const messages = createMessages({ ...base, random, outbox, receipts })
  const payloads = createPayloads({
    ...base,
    random,
    peers,
    sessions,
    receipts,
    fallback: messages.receive,
  })
  const requests = createRequests({ ...base, peers, sessions })
  const presence = createPresence({ ...base, identity: c.identity, peers, sessions })
  const profile = createProfile({
    ...base,
    random,
    peers,
    payloads,
    outbox,
    identity: () => presence.identity,
    enabled: c.profile ?? true,
  })
  const supports = profile.supports
  const added = (c.services ?? []).map((make) =>
    make({ store, clock, limits, random, hooks, peers, payloads, outbox, supports }),
  )
  // our PROFILE lists what the services implement (§17.3); made before any session completes
  profile.start(added.flatMap((service) => service.caps ?? []))

  const frames: FrameHandlers = {
    ...requests.frames,
    ...sessions.frames,
    ...payloads.frames,
    ...receipts.frames,
  }
  const onFrame = guard((frame: Frame) => {
    const handler = frames[frame.type] as ((frame: Frame) => void) | undefined
    handler?.(frame)
  })

  // ---- start ---------------------------------------------------------------------------------

  for (const record of store.friends()) peers.add(record)
  // persisted before attaching, so a store that cannot write (full disk) fails the start cleanly
  const online = presence.frame('CLIENT_ONLINE') as FrameOf<'CLIENT_ONLINE'>
  link = await c.attach({
    onFrame,
    onPresence: guard(presence.onChange),
    refreshPresence: async (minNonce) =>
      presence.frame('CLIENT_UPDATE', minNonce) as FrameOf<'CLIENT_UPDATE'>,
  })
  presence.announce(online)
  for (const p of peers.values()) {
    peers.apply(p, link.lookup(p.record.hash))
    sessions.offer(p)
  }

  // ---- public API ----------------------------------------------------------------------------

  const live = (options?: CallOptions) => {
    checkSignal(options?.signal)
    if (stopped) throw new ClientError('stopped', 'client is stopped')
  }

  const keyOf = (ref: FriendRef): Uint8Array => {
    const key = typeof ref === 'string' ? fromBase64(ref) : ref
    if (!(key instanceof Uint8Array) || key.length !== 32) {
      throw new ClientError('invalid_argument', 'a client key is 32 bytes (or their base64)')
    }
    return key
  }

  const client: Client = {
    key: protocol.key,
    hash: protocol.hash,
    get nickname() {
      return presence.identity.nickname
    },
    get icon() {
      return presence.identity.icon
    },
    get status() {
      return profile.status
    },
    on: (name, fn) => emitter.on(name, fn),
    once: (name, fn) => emitter.once(name, fn),
    off: (name, fn) => emitter.off(name, fn),
    addFriend: async (ref, options) => {
      live(options)
      return requests.add(keyOf(ref), options?.nickname)
    },
    accept: async (ref, options) => {
      live(options)
      return requests.accept(keyOf(ref))
    },
    reject: async (ref, options) => {
      live(options)
      requests.reject(keyOf(ref))
    },
    block: async (ref, options) => {
      live(options)
      requests.block(keyOf(ref), 'blocked')
    },
    unblock: async (ref, options) => {
      live(options)
      requests.unblock(keyOf(ref))
    },
    removeFriend: async (ref, options) => {
      live(options)
      const p = peers.require(keyOf(ref))
      store.transaction(() => {
        store.deleteFriend(p.record.hash)
        store.deletePendingReads(p.record.key)
      })
      peers.forget(p)
    },
    send: async (ref, body, options) => {
      live(options)
      return messages.send(peers.require(keyOf(ref)), body, options)
    },
    markRead: async (ref, options) => {
      live(options)
      receipts.markRead(ref)
    },
    history: async (chatid, options) => {
      live(options)
      return messages.history(chatid, options)
    },
    chatId: (ref) => protocol.defaultChatId(keyOf(ref)),
    friends: async (options) => {
      live(options)
      return [...peers.values()].map(peers.view)
    },
    requests: async (options) => {
      live(options)
      return requests.list()
    },
    outbox: async (options) => {
      live(options)
      return messages.undelivered()
    },
    setNickname: async (nickname, options) => {
      live(options)
      checkNickname(nickname)
      presence.update({ ...presence.identity, nickname })
      profile.changed()
    },
    setIcon: async (icon, options) => {
      live(options)
      checkIcon(icon)
      presence.update({ ...presence.identity, icon })
      profile.changed()
    },
    setStatus: async (status, options) => {
      live(options)
      profile.setStatus(status)
    },
    setTyping: async (ref, active, options) => {
      live(options)
      profile.setTyping(peers.require(keyOf(ref)), active)
    },
    safetyNumber: async (ref, options) => {
      live(options)
      return protocol.safetyNumber(keyOf(ref))
    },
    markVerified: async (ref, options) => {
      live(options)
      const p = peers.require(keyOf(ref))
      peers.update(p, { verified: true, keyChanged: false })
      return peers.view(p)
    },
    stop: async (options) => {
      checkSignal(options?.signal)
      if (stopped) return
      try {
        if (link && (options?.offline ?? true)) link.announce(presence.offline())
      } catch (error) {
        if (!(error instanceof StoreError)) throw error
      } finally {
        stopped = true
        for (const service of added.reverse()) service.stop?.()
        profile.stop()
        for (const p of peers.values()) peers.pause(p)
        sessions.stop()
        link?.detach()
        link = undefined
        protocol.destroy()
        store.close()
      }
    },
  }
  return client
}
