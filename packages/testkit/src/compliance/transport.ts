// One contract for every Transport (js-libp2p style): the in-memory network and TCP on ::1 must
// both pass it, so that a mesh test on memory says something about the real network.
import type { Address, Connection, Transport } from '@chat6/node'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

/** What a compliance run needs from one transport implementation. */
export interface TransportFixture {
  /** The transport that listens. */
  listener: Transport
  /** The transport that dials (may be the same object). */
  dialer: Transport
  /** Address to listen on; port 0 asks for a free port. */
  listenAddress: Address
  /** An address nobody listens on, for the refused-dial case. */
  deadAddress: Address
  /**
   * Runs the world until `pred()` holds or `timeoutMs` (virtual or real) pass; resolves to
   * whether it held. For a virtual clock, `clock.runUntil`; for sockets, {@link pollUntil}.
   */
  until(pred: () => boolean, timeoutMs: number): Promise<boolean>
}

/** Options of {@link transportCompliance}. */
export interface TransportComplianceInit {
  /** Makes a fresh fixture for every test. */
  setup(): TransportFixture | Promise<TransportFixture>
  /** Releases what `setup` made (listeners are closed by the suite). */
  teardown?(fixture: TransportFixture): void | Promise<void>
  /** Wait bound of every step, in the fixture's time (default 10 000 ms). */
  timeoutMs?: number
}

/**
 * Waits on the real event loop until `pred()` holds or `timeoutMs` pass; checks after every I/O
 * turn (setImmediate), never sleeps a fixed time.
 * @returns whether `pred()` held
 */
export async function pollUntil(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs
  while (!pred()) {
    if (performance.now() > deadline) return false
    await new Promise((r) => setTimeout(r, 1))
  }
  return true
}

interface Side {
  conn: Connection
  received: number[]
  text(): string
  closed: boolean
  closeCount: number
}

const enc = new TextEncoder()
const dec = new TextDecoder()

function watch(conn: Connection): Side {
  const chunks: Uint8Array[] = []
  const side: Side = {
    conn,
    received: [],
    text: () => chunks.map((c) => dec.decode(c, { stream: true })).join(''),
    closed: false,
    closeCount: 0,
  }
  conn.onData((b) => {
    chunks.push(b.slice())
    side.received.push(b.length)
  })
  conn.onClose(() => {
    side.closed = true
    side.closeCount++
  })
  return side
}

const total = (s: Side): number => s.received.reduce((a, b) => a + b, 0)

/**
 * Registers the transport contract as Vitest tests: connect, lines in order both ways, close
 * and destroy propagate, large writes, many connections, refused dials, listener close.
 * @example
 * ```ts
 * import { transportCompliance, pollUntil } from '@chat6/testkit/compliance'
 * transportCompliance({
 *   setup: () => ({
 *     listener: createTcpTransport(), dialer: createTcpTransport(),
 *     listenAddress: { host: '::1', port: 0 }, deadAddress: { host: '::1', port: 9 },
 *     until: pollUntil,
 *   }),
 * })
 * ```
 */
export function transportCompliance(init: TransportComplianceInit): void {
  const timeout = init.timeoutMs ?? 10_000
  let fx: TransportFixture
  const cleanups: (() => unknown)[] = []

  beforeEach(async () => {
    fx = await init.setup()
  })
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
    await init.teardown?.(fx)
  })

  /** Listens, dials once, and waits for the accepted side. */
  async function pair(): Promise<{ a: Side; b: Side; address: Address }> {
    const accepted: Connection[] = []
    const l = await fx.listener.listen(fx.listenAddress, (c) => accepted.push(c))
    cleanups.push(() => l.close())
    const dialing = fx.dialer.dial(l.address)
    let dialed: Connection | undefined
    dialing.then((c) => {
      dialed = c
    })
    await fx.until(() => dialed !== undefined && accepted.length === 1, timeout)
    if (dialed === undefined || accepted[0] === undefined)
      throw new Error('connection did not come up')
    const a = watch(dialed)
    const b = watch(accepted[0])
    cleanups.push(() => {
      a.conn.destroy()
      b.conn.destroy()
    })
    return { a, b, address: l.address }
  }

  describe('transport compliance', () => {
    it('behavior: a dial reaches the listener, with matching addresses and directions', async () => {
      const { a, b, address } = await pair()
      expect(address.port).toBeGreaterThan(0)
      expect(a.conn.outbound).toBe(true)
      expect(b.conn.outbound).toBe(false)
      expect(a.conn.remote).toEqual(address)
      expect(b.conn.local.port).toBe(address.port)
      expect(b.conn.remote.port).toBe(a.conn.local.port)
      expect(a.conn.closed || b.conn.closed).toBe(false)
    })

    it('behavior: lines arrive complete and in order in both directions', async () => {
      const { a, b } = await pair()
      const lines = Array.from({ length: 500 }, (_, i) => `LINE ${i} ${'x'.repeat(i % 97)}\n`)
      for (const l of lines) {
        expect(a.conn.write(enc.encode(l))).toBe(true)
        b.conn.write(enc.encode(l.toLowerCase()))
      }
      const want = lines.join('')
      expect(
        await fx.until(() => total(b) >= want.length && total(a) >= want.length, timeout),
      ).toBe(true)
      expect(b.text()).toBe(want)
      expect(a.text()).toBe(want.toLowerCase())
    })

    it('behavior: bytes sent before the handler is set are delivered to it', async () => {
      const accepted: Connection[] = []
      const l = await fx.listener.listen(fx.listenAddress, (c) => accepted.push(c))
      cleanups.push(() => l.close())
      let dialed: Connection | undefined
      fx.dialer.dial(l.address).then((c) => {
        dialed = c
        c.write(enc.encode('early\n'))
      })
      await fx.until(() => dialed !== undefined && accepted.length === 1, timeout)
      const got: string[] = []
      // Let the early bytes arrive while nobody listens, then attach.
      await fx.until(() => false, 50)
      accepted[0]?.onData((bytes) => got.push(dec.decode(bytes)))
      expect(await fx.until(() => got.join('') === 'early\n', timeout)).toBe(true)
      dialed?.destroy()
      accepted[0]?.destroy()
    })

    it('behavior: close flushes queued bytes, then the other side sees the close', async () => {
      const { a, b } = await pair()
      a.conn.write(enc.encode('last words\n'))
      a.conn.close()
      expect(a.conn.closed).toBe(true)
      expect(await fx.until(() => b.closed, timeout)).toBe(true)
      expect(b.text()).toBe('last words\n')
      expect(await fx.until(() => a.closed, timeout)).toBe(true)
      expect(a.conn.write(enc.encode('too late\n'))).toBe(false)
      expect(a.closeCount).toBe(1)
      expect(b.closeCount).toBe(1)
    })

    it('behavior: destroy on one side closes the other', async () => {
      const { a, b } = await pair()
      b.conn.destroy()
      expect(await fx.until(() => a.closed && b.closed, timeout)).toBe(true)
      expect(b.conn.write(enc.encode('x\n'))).toBe(false)
    })

    it('behavior: a 1 MiB write and a 64 KiB line arrive intact', async () => {
      const { a, b } = await pair()
      const big = new Uint8Array(1 << 20)
      for (let i = 0; i < big.length; i++) big[i] = 0x21 + (i % 90)
      const line = `${'L'.repeat(65_535)}\n`
      a.conn.write(big)
      a.conn.write(enc.encode(line))
      const want = big.length + line.length
      expect(await fx.until(() => total(b) >= want, timeout)).toBe(true)
      const got = b.text()
      expect(got.length).toBe(want)
      expect(got.slice(0, 1000)).toBe(dec.decode(big.subarray(0, 1000)))
      expect(got.slice(big.length)).toBe(line)
    })

    it('behavior: many connections to one listener stay separate', async () => {
      const accepted: Connection[] = []
      const l = await fx.listener.listen(fx.listenAddress, (c) => {
        accepted.push(c)
        // echo: each connection hears only its own id back
        c.onData((bytes) => c.write(bytes))
      })
      cleanups.push(() => l.close())
      const n = 40
      const sides: Side[] = []
      for (let i = 0; i < n; i++) {
        fx.dialer.dial(l.address).then((c) => {
          const s = watch(c)
          sides.push(s)
          c.write(enc.encode(`id ${sides.length}\n`))
        })
      }
      expect(
        await fx.until(
          () => sides.length === n && sides.every((s) => s.text().endsWith('\n')),
          timeout,
        ),
      ).toBe(true)
      expect(accepted.length).toBe(n)
      const ids = sides.map((s) => s.text())
      expect(new Set(ids).size).toBe(n)
      for (const s of sides) s.conn.destroy()
      for (const c of accepted) c.destroy()
    })

    it('error: a dial to an address nobody listens on rejects with TransportError', async () => {
      let error: unknown
      fx.dialer.dial(fx.deadAddress).catch((e: unknown) => {
        error = e
      })
      expect(await fx.until(() => error !== undefined, timeout)).toBe(true)
      expect((error as Error).name).toBe('TransportError')
    })

    it('behavior: a closed listener accepts no more, and its open connections stay', async () => {
      const { a, b, address } = await pair()
      const l = await fx.listener.listen(fx.listenAddress, () => {})
      await l.close()
      let error: unknown
      fx.dialer.dial(l.address).catch((e: unknown) => {
        error = e
      })
      expect(await fx.until(() => error !== undefined, timeout)).toBe(true)
      a.conn.write(enc.encode('still here\n'))
      expect(await fx.until(() => b.text() === 'still here\n', timeout)).toBe(true)
      expect(address.port).toBeGreaterThan(0)
    })
  })
}
