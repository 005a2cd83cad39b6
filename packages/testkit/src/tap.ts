// A transport wrapper that sees every line a node writes: it records the line in the trace and
// lets the fault injector drop, duplicate, delay or reorder it before it reaches the network.
import type { Address, Clock, Connection, Listener, Transport } from '@chat6/node'
import type { LineFate } from './faults.ts'
import type { TraceFate } from './trace.ts'

/** @internal What a tap asks of its mesh. */
export interface TapHooks {
  clock: Clock
  /** Whether lines need looking at (tracing or faults on); when not, bytes pass straight through. */
  active(): boolean
  /** Decides the fate of a line written from `local` to `remote`. */
  fate(local: Address, remote: Address, line: string): LineFate
  /** Records a line in the trace. */
  record(local: Address, remote: Address, line: string, fate: TraceFate): void
}

const LF = 0x0a
const ascii = new TextDecoder()

class TappedConnection implements Connection {
  private rest: Uint8Array | undefined
  private lastAt = 0
  private held = 0

  constructor(
    private readonly inner: Connection,
    private readonly hooks: TapHooks,
  ) {}

  get remote(): Address {
    return this.inner.remote
  }
  get local(): Address {
    return this.inner.local
  }
  get outbound(): boolean {
    return this.inner.outbound
  }
  get closed(): boolean {
    return this.inner.closed
  }

  write(bytes: Uint8Array): boolean {
    if (this.inner.closed) return false
    if (this.rest === undefined && this.held === 0 && !this.hooks.active())
      return this.inner.write(bytes)
    let data = bytes
    if (this.rest !== undefined) {
      data = new Uint8Array(this.rest.length + bytes.length)
      data.set(this.rest)
      data.set(bytes, this.rest.length)
      this.rest = undefined
    }
    let start = 0
    for (let i = data.indexOf(LF); i >= 0; i = data.indexOf(LF, start)) {
      this.line(data.subarray(start, i + 1))
      start = i + 1
    }
    if (start < data.length) this.rest = data.slice(start)
    return true
  }

  private line(bytes: Uint8Array): void {
    const { hooks, inner } = this
    const text = ascii.decode(bytes.subarray(0, bytes.length - 1))
    const fate = hooks.fate(inner.local, inner.remote, text)
    const now = hooks.clock.now()
    if (fate === 'drop') {
      hooks.record(inner.local, inner.remote, text, 'dropped')
      return
    }
    if (typeof fate === 'object' && 'reorder' in fate) {
      // Held alone: the lines written after it overtake it.
      hooks.record(inner.local, inner.remote, text, 'reordered')
      this.later(bytes.slice(), now + Math.max(1, fate.reorder), false)
      return
    }
    const delay = typeof fate === 'object' ? Math.max(0, fate.delay) : 0
    const at = Math.max(now + delay, this.lastAt)
    this.lastAt = at
    const copies = fate === 'duplicate' ? 2 : 1
    hooks.record(
      inner.local,
      inner.remote,
      text,
      fate === 'duplicate' ? 'duplicated' : delay > 0 ? 'delayed' : 'sent',
    )
    for (let k = 0; k < copies; k++) {
      if (at <= now && this.held === 0) inner.write(bytes)
      else this.later(bytes.slice(), at, true)
    }
  }

  // In-order lines wait behind earlier held ones, which `lastAt` and the clock's ordering of
  // equal deadlines (in order of creation) guarantee.
  private later(bytes: Uint8Array, at: number, ordered: boolean): void {
    if (ordered) this.held++
    this.hooks.clock.setTimeout(() => {
      if (ordered) this.held--
      if (!this.inner.closed) this.inner.write(bytes)
    }, at - this.hooks.clock.now())
  }

  bufferedBytes(): number {
    return this.inner.bufferedBytes()
  }
  onData(fn: (bytes: Uint8Array) => void): void {
    this.inner.onData(fn)
  }
  onClose(fn: (error?: Error) => void): void {
    this.inner.onClose(fn)
  }
  close(): void {
    this.inner.close()
  }
  destroy(): void {
    this.inner.destroy()
  }
}

/**
 * @internal Wraps a transport so that every connection it makes or accepts is tapped.
 */
export function tapTransport(inner: Transport, hooks: TapHooks): Transport {
  return {
    listen(addr, onConnection): Promise<Listener> {
      return inner.listen(addr, (conn) => onConnection(new TappedConnection(conn, hooks)))
    },
    async dial(addr, opts) {
      return new TappedConnection(await inner.dial(addr, opts), hooks)
    },
  }
}
