// What the chat screen says about its own node: where it listens and what it dials (at start),
// that a peer cannot be reached and why (once per address and reason, not at every retry, from
// the node's `dial:failed` events; an address the node forgets, once), and a title-bar summary
// that never says only "0 peers".
import type { Chat6Node, DialFailure, PeerInfo } from '@chat6/node'
import { dialReason, forgottenText, formatHostPort, type HostPort, peerAddress } from '../addr.ts'

/** What the watcher tells the screen. */
export interface NetworkNotices {
  notice(text: string, level: 'info' | 'error', subject: string): void
  clear(subject: string): void
}

/** A running watch: the title-bar text, and a stop. */
export interface NetworkWatch {
  /** `2 peers`, or why there are none: `0 peers · [::1]:7999 refused`. */
  label(): string
  /** The first notice of a chat: where it listens and what it dials. */
  startText(): string
  stop(): void
}

const plural = (n: number) => `${n} peer${n === 1 ? '' : 's'}`

/**
 * Watches `node`'s peers and failed dials.
 * @param dialling - the peers of `--peer` and config.json (what the user asked for)
 */
export function watchNetwork(
  node: Pick<Chat6Node, 'on' | 'peers' | 'listenAddress'>,
  dialling: readonly HostPort[],
  out: NetworkNotices,
): NetworkWatch {
  // address → the reason last said, so a retry that fails the same way says nothing new
  const failing = new Map<string, string>()
  const asked = new Set(dialling.map(formatHostPort))
  const offs = [
    node.on('dial:failed', (f: DialFailure) => {
      const addr = formatHostPort(f.address)
      // dropped after failing every time: said once, in place of its failure
      if (f.forgotten) {
        failing.delete(addr)
        out.notice(forgottenText(f), 'info', `dial:${addr}`)
        return
      }
      const why = dialReason(f)
      // a discovered address that fails matters only while there is no peer at all
      if (!asked.has(addr) && node.peers().length > 0) return
      if (failing.get(addr) === why) return
      failing.set(addr, why)
      const retry = f.retryIn === undefined ? '' : '; retrying'
      out.notice(`cannot reach ${addr}: ${why}${retry}`, 'error', `dial:${addr}`)
    }),
    node.on('peer:connect', (p: PeerInfo) => {
      const addr = peerAddress(p)
      const had = failing.size > 0
      failing.delete(formatHostPort(p.remote))
      failing.delete(addr)
      out.clear(`dial:${addr}`)
      const what =
        p.direction === 'inbound' ? `a peer connected from ${addr}` : `connected to ${addr}`
      if (had || node.peers().length === 1)
        out.notice(`${what} (${plural(node.peers().length)})`, 'info', 'peer')
    }),
  ]
  return {
    label() {
      const n = node.peers().length
      if (n > 0) return plural(n)
      const first = [...failing][0]
      if (first !== undefined) return `0 peers · ${first[0]} ${first[1].split(' ')[0]}`
      if (dialling.length > 0)
        return `0 peers · dialling ${formatHostPort(dialling[0] as HostPort)}`
      return node.listenAddress === undefined ? '0 peers · nothing to dial' : '0 peers · waiting'
    },
    startText() {
      const listen =
        node.listenAddress === undefined
          ? 'not listening (give --listen to accept peers)'
          : `listening on ${formatHostPort(node.listenAddress)}`
      const dial =
        dialling.length === 0
          ? 'no --peer to dial'
          : `dialling ${dialling.map(formatHostPort).join(', ')}`
      return `${listen} · ${dial}`
    },
    stop() {
      for (const off of offs) off()
    },
  }
}
