// Adapts a @chat6/node node to the client's NodeLink: its attachment carries frames and
// presence, and its client:* events become PresenceChange callbacks.
import type { Chat6Node, ClientInfo, NodeEvents } from '@chat6/node'
import type { Attach, NodeLink, PresenceChange, PresenceInfo } from './link.ts'

const KINDS = ['online', 'update', 'offline', 'reachable', 'unreachable'] as const

function toInfo(c: ClientInfo): PresenceInfo {
  return {
    clientkey: c.clientkey,
    online: c.status === 'online',
    reachable: c.status === 'online' && c.reachable,
    nickname: c.nickname,
    icon: c.icon,
    nonce: c.nonce,
  }
}

/**
 * The Attach function of a node in this process.
 *
 * @param node - a node from `createNode()` (started or not)
 * @returns what `createClient({ attachment })` takes; `createClient({ node })` calls this itself
 */
export function attachTo(node: Chat6Node): Attach {
  return (clientkey, handlers): NodeLink => {
    const attachment = node.attach(clientkey, {
      onFrame: (frame) => handlers.onFrame(frame),
      refreshPresence: (minNonce) => handlers.refreshPresence(minNonce),
    })
    const offs = KINDS.map((kind) =>
      node.on(`client:${kind}` as keyof NodeEvents, (c) => {
        const info = c as ClientInfo
        const change: PresenceChange = { kind, hash: info.hash, info: toInfo(info) }
        handlers.onPresence(change)
      }),
    )
    return {
      announce: (frame) => attachment.announce(frame),
      send: (frame) => attachment.send(frame),
      lookup: (hash) => {
        const c = attachment.lookup(hash)
        return c && toInfo(c)
      },
      detach: () => {
        for (const off of offs) off()
        attachment.detach()
      },
    }
  }
}
