// The byte-stream transport a node runs on: TCP over IPv6 in production, an in-memory network in
// tests. A connection carries lines (§2); the node does the framing.

/** A host (IPv6 text) and a port. */
export interface Address {
  host: string
  port: number
}

/** One side of a bidirectional byte stream. */
export interface Connection {
  /** The other side's address (for an inbound connection, its ephemeral port). */
  readonly remote: Address
  /** Our side's address. */
  readonly local: Address
  /** Whether we dialled it. */
  readonly outbound: boolean
  /** Whether the connection is closed or closing. */
  readonly closed: boolean
  /** Queues bytes; returns false when the connection is closed. */
  write(bytes: Uint8Array): boolean
  /** Bytes queued but not yet handed to the network. */
  bufferedBytes(): number
  /** Handler of received bytes; bytes that arrived before it was set are delivered to it at once. */
  onData(fn: (bytes: Uint8Array) => void): void
  /** Handler called once when the connection has closed, with the error if it failed. */
  onClose(fn: (error?: Error) => void): void
  /** Flushes queued bytes, then closes. */
  close(): void
  /** Closes at once, discarding queued bytes. */
  destroy(): void
}

/** A listening socket. */
export interface Listener {
  /** The bound address (with the real port when port 0 was asked). */
  readonly address: Address
  /** Stops accepting; open connections stay. */
  close(): Promise<void>
}

/** Options of {@link Transport.dial}. */
export interface DialOptions {
  /** Aborts the dial. */
  signal?: AbortSignal
}

/** How a node opens and accepts connections. */
export interface Transport {
  /** Listens on `addr`, calling `onConnection` for every accepted connection. */
  listen(addr: Address, onConnection: (conn: Connection) => void): Promise<Listener>
  /** Opens a connection to `addr`; rejects with a `TransportError`. */
  dial(addr: Address, opts?: DialOptions): Promise<Connection>
}

/**
 * `host,port` as in a NEIGHBORS_RESPONSE (§3), also the key of an address in maps.
 * @example
 * ```ts
 * addressKey({ host: '2001:db8::1', port: 7600 }) // '2001:db8::1,7600'
 * ```
 */
export function addressKey(a: Address): string {
  return `${a.host},${a.port}`
}
