// Conditions to wait for with `mesh.until(…)`: each returns a cheap synchronous predicate over
// the mesh's current state, so a wait costs one check per fired timer.
import type { Message } from '@chat6/client'
import { base64Encode } from '@chat6/wire'
import type { MeshClient } from './clients.ts'
import type { Mesh } from './mesh-types.ts'

/**
 * A client given by mesh index, by handle, or by client key or client hash (bytes or base64;
 * a key of a mesh client is recognised as such, anything else is taken for a hash).
 */
export type ClientRef = number | MeshClient | Uint8Array | string

/** The base64 client hash of `who`. */
function idOf(mesh: Mesh, who: ClientRef): string {
  if (typeof who === 'number') {
    const c = mesh.clients[who]
    if (c === undefined) throw new RangeError(`no client ${who}`)
    return c.id
  }
  if (typeof who === 'object' && !(who instanceof Uint8Array)) return who.id
  const text = typeof who === 'string' ? who : base64Encode(who)
  return mesh.clients.find((c) => c.key.length > 0 && base64Encode(c.key) === text)?.id ?? text
}

/** What {@link everyNodeKnows} expects of each node's entry. */
export interface KnowsOptions {
  /** `online` (default) or `offline`. */
  status?: 'online' | 'offline'
  /** For `online`: also a finite route (default true). */
  reachable?: boolean
  /** Presence nonce at least this. */
  minNonce?: number
}

/**
 * Every running node (liars aside) holds the client's presence with the given status.
 * @example
 * ```ts
 * await mesh.until(everyNodeKnows(mesh, 0), { timeout: 60_000 })
 * ```
 */
export function everyNodeKnows(mesh: Mesh, who: ClientRef, opts: KnowsOptions = {}): () => boolean {
  const status = opts.status ?? 'online'
  const reachable = opts.reachable ?? status === 'online'
  return () => {
    const id = idOf(mesh, who)
    return mesh.nodes.every((n) => {
      if (!n.alive || n.node === undefined) return true
      const c = n.node.client(id)
      if (c === undefined || c.status !== status) return false
      if (reachable && !c.reachable) return false
      return opts.minNonce === undefined || c.nonce >= opts.minNonce
    })
  }
}

/** A message, or its recipient and msgid. */
export type MessageRef = Message | { to: ClientRef; msgid: Uint8Array }

/**
 * The recipient has shown the message (a `message` event with its msgid from its sender).
 * @example
 * ```ts
 * const m = await mesh.send(0, 1, 'hi')
 * await mesh.until(delivered(mesh, m))
 * ```
 */
export function delivered(mesh: Mesh, msg: MessageRef): () => boolean {
  const msgid = base64Encode(msg.msgid)
  const to = 'to' in msg ? idOf(mesh, msg.to) : base64Encode(msg.peer)
  return () => {
    const c = mesh.clients.find((x) => x.id === to || base64Encode(x.key) === to)
    return c?.received.some((m) => base64Encode(m.msgid) === msgid) ?? false
  }
}

/**
 * The sender holds a MESSAGE_RECV for its message (state `delivered` or `read`).
 * @param from - the sending client
 */
export function acknowledged(mesh: Mesh, from: ClientRef, msg: Message): () => boolean {
  const msgid = base64Encode(msg.msgid)
  return () => {
    const c = mesh.clients.find((x) => x.id === idOf(mesh, from))
    const state = c?.receipts.get(msgid)
    return state === 'delivered' || state === 'read'
  }
}

/** Every link of the topology (between running nodes) is up. */
export function linksUp(mesh: Mesh): () => boolean {
  return () =>
    mesh.edges.every(([a, b]) => {
      const na = mesh.nodes[a]
      const nb = mesh.nodes[b]
      if (na?.alive !== true || nb?.alive !== true) return true
      if (na.node !== undefined) return na.node.peers().some((p) => p.id === nb.id)
      return nb.node?.peers().some((p) => p.id === na.id) ?? false
    })
}

/**
 * Messages a client showed more than once (by sender and msgid): should be empty.
 * @returns `sender/msgid` keys seen twice or more
 * @example
 * ```ts
 * expect(shownTwice(mesh, 1)).toEqual([])
 * ```
 */
export function shownTwice(mesh: Mesh, who: ClientRef): string[] {
  const id = idOf(mesh, who)
  const client = mesh.clients.find((c) => c.id === id)
  const seen = new Set<string>()
  const twice: string[] = []
  for (const m of client?.received ?? []) {
    const k = `${base64Encode(m.peer)}/${base64Encode(m.msgid)}`
    if (seen.has(k)) twice.push(k)
    seen.add(k)
  }
  return twice
}
