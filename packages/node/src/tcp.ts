// TCP over IPv6 only (§6.1): IPv6-only listening sockets, IPv4 and IPv4-mapped peers refused at
// accept and at dial, and writes batched per tick with cork/uncork.
import { connect, createServer, type Server, type Socket } from 'node:net'
import { isPlainIPv6 } from './address.ts'
import { TransportError, type TransportErrorCode } from './errors.ts'
import type { Address, Connection, DialOptions, Listener, Transport } from './transport.ts'

/** Options of {@link createTcpTransport}. */
export interface TcpTransportInit {
  /** Disable Nagle's algorithm (default true: lines are batched per tick instead). */
  noDelay?: boolean
}

/**
 * The code of a failed connect by the system's reason (the message keeps the reason's text):
 * ECONNREFUSED and anything unknown `refused`, no route `unreachable`, ETIMEDOUT `timeout`,
 * ECONNRESET `reset`.
 * @internal
 */
export function connectErrorCode(error: unknown): TransportErrorCode {
  switch ((error as { code?: unknown } | undefined)?.code) {
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'ENETDOWN':
    case 'EHOSTDOWN':
      return 'unreachable'
    case 'ETIMEDOUT':
      return 'timeout'
    case 'ECONNRESET':
      return 'reset'
    default:
      return 'refused'
  }
}

class TcpConnection implements Connection {
  readonly remote: Address
  readonly local: Address
  readonly outbound: boolean
  private corked = false
  private closing = false
  private dataFn: ((b: Uint8Array) => void) | undefined
  private backlog: Uint8Array[] = []
  private closeFn: ((e?: Error) => void) | undefined
  private closedWith: { error?: Error } | undefined
  private readonly uncork = (): void => {
    this.corked = false
    this.socket.uncork()
  }

  constructor(
    private readonly socket: Socket,
    outbound: boolean,
  ) {
    this.outbound = outbound
    this.remote = { host: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 }
    this.local = { host: socket.localAddress ?? '', port: socket.localPort ?? 0 }
    let lastError: Error | undefined
    socket.on('data', (buf: Buffer) => {
      const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)
      if (this.dataFn !== undefined) this.dataFn(bytes)
      else this.backlog.push(bytes.slice())
    })
    socket.on('error', (e) => {
      lastError = e
    })
    socket.on('close', () => {
      this.closing = true
      const err =
        lastError === undefined
          ? undefined
          : new TransportError('closed', lastError.message, { cause: lastError })
      this.closedWith = err === undefined ? {} : { error: err }
      this.closeFn?.(err)
    })
  }

  get closed(): boolean {
    return this.closing
  }

  write(bytes: Uint8Array): boolean {
    if (this.closing || this.socket.destroyed) return false
    if (!this.corked) {
      this.corked = true
      this.socket.cork()
      process.nextTick(this.uncork)
    }
    this.socket.write(bytes)
    return true
  }

  bufferedBytes(): number {
    return this.socket.writableLength
  }

  onData(fn: (bytes: Uint8Array) => void): void {
    this.dataFn = fn
    const backlog = this.backlog
    this.backlog = []
    for (const b of backlog) fn(b)
  }

  onClose(fn: (error?: Error) => void): void {
    this.closeFn = fn
    if (this.closedWith !== undefined) fn(this.closedWith.error)
  }

  close(): void {
    if (this.closing) return
    this.closing = true
    this.socket.end()
    // a peer that never reads must not keep the socket open forever
    setTimeout(() => this.socket.destroy(), 5_000).unref()
  }

  destroy(): void {
    this.closing = true
    this.socket.destroy()
  }
}

/**
 * TCP over IPv6. Listens with `ipv6Only`, refuses IPv4 and IPv4-mapped remotes.
 * @example
 * ```ts
 * const tcp = createTcpTransport()
 * const l = await tcp.listen({ host: '::1', port: 0 }, (conn) => conn.onData(console.log))
 * ```
 */
export function createTcpTransport(init: TcpTransportInit = {}): Transport {
  const noDelay = init.noDelay ?? true
  return {
    listen(addr, onConnection): Promise<Listener> {
      return new Promise((resolve, reject) => {
        if (!isPlainIPv6(addr.host)) {
          return reject(new TransportError('address', `not an IPv6 address: ${addr.host}`))
        }
        const server: Server = createServer({ noDelay }, (socket) => {
          if (!isPlainIPv6(socket.remoteAddress ?? '')) {
            socket.destroy()
            return
          }
          onConnection(new TcpConnection(socket, false))
        })
        server.once('error', (e) => reject(new TransportError('listen', e.message, { cause: e })))
        server.listen({ host: addr.host, port: addr.port, ipv6Only: true }, () => {
          const a = server.address()
          const port = typeof a === 'object' && a !== null ? a.port : addr.port
          resolve({
            address: { host: addr.host, port },
            close: () => new Promise<void>((r) => server.close(() => r())),
          })
        })
      })
    },
    dial(addr, opts?: DialOptions): Promise<Connection> {
      return new Promise((resolve, reject) => {
        if (!isPlainIPv6(addr.host)) {
          return reject(new TransportError('address', `not an IPv6 address: ${addr.host}`))
        }
        if (opts?.signal?.aborted) return reject(new TransportError('aborted', 'dial aborted'))
        const socket = connect({ host: addr.host, port: addr.port, family: 6, noDelay })
        const onAbort = () => {
          socket.destroy()
          reject(new TransportError('aborted', 'dial aborted'))
        }
        opts?.signal?.addEventListener('abort', onAbort, { once: true })
        socket.once('error', (e) => {
          opts?.signal?.removeEventListener('abort', onAbort)
          reject(new TransportError(connectErrorCode(e), e.message, { cause: e }))
        })
        socket.once('connect', () => {
          opts?.signal?.removeEventListener('abort', onAbort)
          if (!isPlainIPv6(socket.remoteAddress ?? '')) {
            socket.destroy()
            return reject(new TransportError('address', 'remote is not IPv6'))
          }
          resolve(new TcpConnection(socket, true))
        })
      })
    },
  }
}
