// An in-memory network of IPv6 hosts for tests: every delivery is a timer on the injected clock,
// so a mesh runs deterministically on a virtual clock. Faults are injected per link.
import type { Clock } from './clock.ts'
import { TransportError } from './errors.ts'
import type { Address, Connection, DialOptions, Listener, Transport } from './transport.ts'

/**
 * What an interceptor decides for one write: deliver as usual, drop it, deliver it `delay` ms
 * later than usual (which may reorder it after later writes), or deliver it twice.
 */
export type InterceptAction = 'deliver' | 'drop' | 'duplicate' | { delay: number }

/** One write seen by the interceptor. */
export interface InterceptEvent {
  from: Address
  to: Address
  bytes: Uint8Array
  link: MemoryLink
}

/** A connection between two in-memory hosts, as seen from outside (for fault injection). */
export interface MemoryLink {
  /** The dialling side. */
  readonly a: Address
  /** The accepting side. */
  readonly b: Address
  /** Whether either side closed it. */
  readonly closed: boolean
  /** Silently drops everything written in either direction from now on (a partition). */
  cut(): void
  /** Ends a cut. */
  heal(): void
  /** Sets the one-way delay of both directions, ms; deliveries stay in order. */
  setLatency(ms: number): void
  /** Closes both sides as if the network had reset the connection. */
  reset(): void
}

/** A simulated IPv6 network. */
export interface MemoryNetwork {
  /** A transport bound to `host` (IPv6 text); without `host`, the next of 2001:db8:1::1, 2001:db8:2::1, … */
  transport(host?: string): Transport & { readonly host: string }
  /** Live links, optionally only those between two hosts (either direction). */
  links(hostA?: string, hostB?: string): MemoryLink[]
  /** Cuts every link between two hosts, and refuses dials between them until `heal`. */
  cut(hostA: string, hostB: string): void
  /** Ends a `cut` between two hosts (and heals their links). */
  heal(hostA: string, hostB: string): void
  /** Sets (or clears) the function that decides the fate of every write. */
  setInterceptor(fn: ((ev: InterceptEvent) => InterceptAction | undefined) | undefined): void
}

/** Options of {@link createMemoryNetwork}. */
export interface MemoryNetworkInit {
  /** The clock that schedules deliveries. */
  clock: Clock
  /** Default one-way delay of new links, ms (default 0). */
  latency?: number
}

interface Side {
  conn: Connection
  lastAt: number
  handler: ((b: Uint8Array) => void) | undefined
  closeHandler: ((e?: Error) => void) | undefined
  backlog: Uint8Array[]
  closedNotified: boolean
  closeRequested: boolean
  closeError: Error | undefined
}

const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`)

/**
 * Creates an in-memory IPv6 network whose deliveries run on `clock`.
 * @example
 * ```ts
 * const clock = createVirtualClock()
 * const net = createMemoryNetwork({ clock })
 * const a = net.transport('2001:db8:1::1')
 * ```
 */
export function createMemoryNetwork(init: MemoryNetworkInit): MemoryNetwork {
  const { clock } = init
  const hosts = new Map<
    string,
    { listeners: Map<number, (c: Connection) => void>; nextPort: number }
  >()
  const live = new Set<LinkImpl>()
  const cutPairs = new Set<string>()
  let interceptor: ((ev: InterceptEvent) => InterceptAction | undefined) | undefined
  let hostCounter = 0

  const hostState = (host: string) => {
    let h = hosts.get(host)
    if (h === undefined) {
      h = { listeners: new Map(), nextPort: 49152 }
      hosts.set(host, h)
    }
    return h
  }

  class LinkImpl implements MemoryLink {
    readonly a: Address
    readonly b: Address
    latency: number
    isCut = false
    closed = false
    sides: [Side, Side]
    constructor(a: Address, b: Address) {
      this.a = a
      this.b = b
      this.latency = init.latency ?? 0
      const mk = (local: Address, remote: Address, outbound: boolean, idx: 0 | 1): Side => ({
        conn: new MemoryConnection(this, idx, local, remote, outbound),
        lastAt: 0,
        handler: undefined,
        closeHandler: undefined,
        backlog: [],
        closedNotified: false,
        closeRequested: false,
        closeError: undefined,
      })
      this.sides = [mk(a, b, true, 0), mk(b, a, false, 1)]
      if (cutPairs.has(pairKey(a.host, b.host))) this.isCut = true
    }
    cut(): void {
      this.isCut = true
    }
    heal(): void {
      this.isCut = false
    }
    setLatency(ms: number): void {
      this.latency = ms
    }
    reset(): void {
      this.shutdown(0, false, new TransportError('reset', 'connection reset'))
      this.shutdown(1, false, new TransportError('reset', 'connection reset'))
    }
    // Schedules `bytes` from side `from` to the other side.
    send(from: 0 | 1, bytes: Uint8Array): void {
      if (this.isCut) return
      const src = this.sides[from]
      const dst = this.sides[from === 0 ? 1 : 0]
      let action: InterceptAction | undefined = 'deliver'
      if (interceptor !== undefined) {
        action =
          interceptor({ from: src.conn.local, to: dst.conn.local, bytes, link: this }) ?? 'deliver'
      }
      if (action === 'drop') return
      const copy = bytes.slice()
      let at = Math.max(clock.now() + this.latency, src.lastAt)
      if (typeof action === 'object') {
        at = clock.now() + this.latency + Math.max(0, action.delay)
      } else {
        src.lastAt = at
      }
      const deliver = () => {
        if (dst.closedNotified || dst.closeRequested) return
        if (dst.handler !== undefined) dst.handler(copy)
        else dst.backlog.push(copy)
      }
      clock.setTimeout(deliver, at - clock.now())
      if (action === 'duplicate') clock.setTimeout(deliver, at - clock.now())
    }
    // Closes side `idx` locally and tells the other side after the link's delay.
    shutdown(idx: 0 | 1, graceful: boolean, error?: Error): void {
      const me = this.sides[idx]
      const other = this.sides[idx === 0 ? 1 : 0]
      if (me.closeRequested) return
      me.closeRequested = true
      if (!graceful) me.backlog = []
      this.closed = true
      live.delete(this)
      const notify = (side: Side, err?: Error) => {
        if (side.closedNotified) return
        side.closedNotified = true
        side.closeRequested = true
        side.closeError = err
        side.closeHandler?.(err)
      }
      clock.setTimeout(() => notify(me, error), 0)
      if (!this.isCut) {
        const at = Math.max(clock.now() + this.latency, me.lastAt)
        clock.setTimeout(() => notify(other, error), at - clock.now())
      }
    }
  }

  class MemoryConnection implements Connection {
    readonly remote: Address
    readonly local: Address
    readonly outbound: boolean
    constructor(
      private readonly link: LinkImpl,
      private readonly idx: 0 | 1,
      local: Address,
      remote: Address,
      outbound: boolean,
    ) {
      this.local = local
      this.remote = remote
      this.outbound = outbound
    }
    get closed(): boolean {
      return this.link.sides[this.idx].closeRequested
    }
    write(bytes: Uint8Array): boolean {
      if (this.closed) return false
      this.link.send(this.idx, bytes)
      return true
    }
    bufferedBytes(): number {
      return 0
    }
    onData(fn: (bytes: Uint8Array) => void): void {
      const side = this.link.sides[this.idx]
      side.handler = fn
      const backlog = side.backlog
      side.backlog = []
      for (const b of backlog) fn(b)
    }
    onClose(fn: (error?: Error) => void): void {
      const side = this.link.sides[this.idx]
      side.closeHandler = fn
      if (side.closedNotified) fn(side.closeError)
    }
    close(): void {
      this.link.shutdown(this.idx, true)
    }
    destroy(): void {
      this.link.shutdown(this.idx, false)
    }
  }

  const makeTransport = (host: string): Transport & { readonly host: string } => ({
    host,
    async listen(addr, onConnection): Promise<Listener> {
      if (addr.host !== host && addr.host !== '::') {
        throw new TransportError('listen', `cannot listen on ${addr.host} from host ${host}`)
      }
      const h = hostState(host)
      let port = addr.port
      if (port === 0) {
        port = h.nextPort++
        while (h.listeners.has(port)) port = h.nextPort++
      }
      if (h.listeners.has(port))
        throw new TransportError('listen', `port ${port} in use on ${host}`)
      h.listeners.set(port, onConnection)
      return {
        address: { host, port },
        close: async () => {
          h.listeners.delete(port)
        },
      }
    },
    dial(addr, opts?: DialOptions): Promise<Connection> {
      return new Promise((resolve, reject) => {
        if (opts?.signal?.aborted) return reject(new TransportError('aborted', 'dial aborted'))
        const target = hosts.get(addr.host)?.listeners.get(addr.port)
        if (target === undefined) {
          return reject(
            new TransportError('refused', `connection refused: [${addr.host}]:${addr.port}`),
          )
        }
        if (cutPairs.has(pairKey(host, addr.host))) {
          return reject(new TransportError('unreachable', `network unreachable: ${addr.host}`))
        }
        const me = hostState(host)
        const local = { host, port: me.nextPort++ }
        const link = new LinkImpl(local, { host: addr.host, port: addr.port })
        live.add(link)
        clock.setTimeout(() => {
          if (opts?.signal?.aborted) {
            link.reset()
            return reject(new TransportError('aborted', 'dial aborted'))
          }
          const accept = hosts.get(addr.host)?.listeners.get(addr.port)
          if (accept === undefined) {
            link.reset()
            return reject(new TransportError('refused', 'connection refused'))
          }
          accept(link.sides[1].conn)
          resolve(link.sides[0].conn)
        }, link.latency)
      })
    },
  })

  return {
    transport(host?: string) {
      const h = host ?? `2001:db8:${(++hostCounter).toString(16)}::1`
      hostState(h)
      return makeTransport(h)
    },
    links(hostA?: string, hostB?: string) {
      return [...live].filter((l) => {
        if (hostA === undefined) return true
        const hs = [l.a.host, l.b.host]
        if (!hs.includes(hostA)) return false
        return (
          hostB === undefined || (hs.includes(hostB) && (hostA !== hostB || l.a.host === l.b.host))
        )
      })
    },
    cut(hostA, hostB) {
      cutPairs.add(pairKey(hostA, hostB))
      for (const l of this.links(hostA, hostB)) l.cut()
    },
    heal(hostA, hostB) {
      cutPairs.delete(pairKey(hostA, hostB))
      for (const l of this.links(hostA, hostB)) l.heal()
    },
    setInterceptor(fn) {
      interceptor = fn
    },
  }
}
