// Every error code a node, a transport or an attachment throws belongs to its documented union:
// the constructors take only the union (a stray code fails typecheck), and each throw site that
// can be reached from outside is triggered here and its code checked against the runtime list.
import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ATTACH_ERROR_CODES,
  DIAL_ERROR_CODES,
  NODE_STATE_ERROR_CODES,
  TRANSPORT_ERROR_CODES,
  toDialErrorCode,
} from '../src/errors.ts'
import {
  type Chat6Node,
  createMemoryKnownNodesStore,
  createNode,
  createTcpTransport,
  type Transport,
} from '../src/index.ts'
import { connectErrorCode } from '../src/tcp.ts'
import { createMemoryNetwork, createVirtualClock } from '../src/testing.ts'

const servers: Server[] = []
const nodes: Chat6Node[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r))
  for (const n of nodes.splice(0)) await n.stop()
})

/** The error a promise rejects with (or a function throws). */
async function caught(
  p: Promise<unknown> | (() => unknown),
): Promise<{ name: string; code: string }> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (e) {
    return e as { name: string; code: string }
  }
  throw new Error('did not throw')
}

function expectCode(
  e: { name: string; code: string },
  name: string,
  code: string,
  list: readonly string[],
) {
  expect(e.name).toBe(name)
  expect(e.code).toBe(code)
  expect(list).toContain(e.code)
}

/** A TCP port on ::1 that nothing listens on: one the OS gave a listener that has closed since. */
async function closedPort(): Promise<number> {
  const s = createServer()
  await new Promise<void>((r) => s.listen({ host: '::1', port: 0 }, r))
  const port = (s.address() as { port: number }).port
  await new Promise((r) => s.close(r))
  return port
}

describe('TransportError codes (TCP)', () => {
  const tcp = createTcpTransport()
  const T = (code: string) => (e: { name: string; code: string }) =>
    expectCode(e, 'TransportError', code, TRANSPORT_ERROR_CODES)

  it('error: listen and dial on a non-IPv6 address are `address`', async () => {
    T('address')(await caught(tcp.listen({ host: '127.0.0.1', port: 0 }, () => {})))
    T('address')(await caught(tcp.dial({ host: '127.0.0.1', port: 1 })))
  })

  it('error: a port in use is `listen`', async () => {
    const l = await tcp.listen({ host: '::1', port: 0 }, () => {})
    T('listen')(await caught(tcp.listen({ host: '::1', port: l.address.port }, () => {})))
    await l.close()
  })

  it('error: a dial aborted before or while connecting is `aborted`', async () => {
    const before = new AbortController()
    before.abort()
    T('aborted')(await caught(tcp.dial({ host: '::1', port: 1 }, { signal: before.signal })))
    const during = new AbortController()
    const p = tcp.dial({ host: '::1', port: await closedPort() }, { signal: during.signal })
    during.abort()
    T('aborted')(await caught(p))
  })

  it('error: a real refused dial on ::1 is `refused`, with the system reason in the message', async () => {
    const e = await caught(tcp.dial({ host: '::1', port: await closedPort() }))
    T('refused')(e)
    expect((e as unknown as Error).message).toMatch(/ECONNREFUSED/)
    expect((e as unknown as Error).cause).toMatchObject({ code: 'ECONNREFUSED' })
  })

  it('error: an open connection the peer resets closes with `closed`, the reset as its cause', async () => {
    let accepted: (s: import('node:net').Socket) => void = () => {}
    const peer = new Promise<import('node:net').Socket>((r) => {
      accepted = r
    })
    const server = createServer((s) => accepted(s))
    servers.push(server)
    await new Promise<void>((r) => server.listen({ host: '::1', port: 0 }, r))
    const conn = await tcp.dial({ host: '::1', port: (server.address() as { port: number }).port })
    const closed = new Promise<Error | undefined>((r) => conn.onClose(r))
    ;(await peer).resetAndDestroy()
    const e = await closed
    T('closed')(e as unknown as { name: string; code: string })
    expect(e?.cause).toMatchObject({ code: 'ECONNRESET' })
  })
})

describe('connectErrorCode: the system reason of a failed connect', () => {
  it('behavior: maps each errno to its code, and anything else to refused', () => {
    const cases: Array<[string | undefined, string]> = [
      ['ECONNREFUSED', 'refused'],
      ['ENETUNREACH', 'unreachable'],
      ['EHOSTUNREACH', 'unreachable'],
      ['ENETDOWN', 'unreachable'],
      ['EHOSTDOWN', 'unreachable'],
      ['ETIMEDOUT', 'timeout'],
      ['ECONNRESET', 'reset'],
      ['EADDRNOTAVAIL', 'refused'],
      [undefined, 'refused'],
    ]
    for (const [errno, code] of cases) {
      expect(connectErrorCode(Object.assign(new Error('x'), { code: errno }))).toBe(code)
      expect(TRANSPORT_ERROR_CODES).toContain(code)
    }
    expect(connectErrorCode(undefined)).toBe('refused')
  })

  it('behavior: every transport code a dial can fail with is a DialError code of the same name', () => {
    for (const code of TRANSPORT_ERROR_CODES) {
      const d = toDialErrorCode(code)
      expect(DIAL_ERROR_CODES).toContain(d)
      if (code !== 'listen') expect(d).toBe(code)
    }
    expect(toDialErrorCode('ESOMETHING')).toBe('refused')
  })
})

describe('TransportError codes (memory network)', () => {
  const T = (code: string) => (e: { name: string; code: string }) =>
    expectCode(e, 'TransportError', code, TRANSPORT_ERROR_CODES)

  it('error: listen elsewhere or twice, refused, unreachable, aborted and reset', async () => {
    const clock = createVirtualClock()
    const net = createMemoryNetwork({ clock })
    const a = net.transport()
    const b = net.transport()
    T('listen')(await caught(a.listen({ host: b.host, port: 1 }, () => {})))
    await b.listen({ host: b.host, port: 7 }, () => {})
    T('listen')(await caught(b.listen({ host: b.host, port: 7 }, () => {})))
    T('refused')(await caught(a.dial({ host: b.host, port: 8 })))
    const aborted = new AbortController()
    aborted.abort()
    T('aborted')(await caught(a.dial({ host: b.host, port: 7 }, { signal: aborted.signal })))
    const late = new AbortController()
    const p = caught(a.dial({ host: b.host, port: 7 }, { signal: late.signal }))
    late.abort()
    await clock.advance(100)
    T('aborted')(await p)
    net.cut(a.host, b.host)
    T('unreachable')(await caught(a.dial({ host: b.host, port: 7 })))
    net.heal(a.host, b.host)
    const dialled = a.dial({ host: b.host, port: 7 })
    await clock.advance(100)
    const conn = await dialled
    const closed = new Promise<Error | undefined>((r) => conn.onClose(r))
    net.links(a.host, b.host)[0]?.reset()
    await clock.advance(100)
    T('reset')((await closed) as unknown as { name: string; code: string })
  })
})

describe('NodeStateError and AttachError codes', () => {
  function node(transport: Transport, clock = createVirtualClock()) {
    const n = createNode({
      transport,
      clock,
      knownNodes: createMemoryKnownNodesStore(),
      useEnvBootstrap: false,
    })
    nodes.push(n)
    return n
  }

  it('error: dial before start, start twice, start after stop', async () => {
    const clock = createVirtualClock()
    const net = createMemoryNetwork({ clock })
    const n = node(net.transport(), clock)
    const S = (code: string) => (e: { name: string; code: string }) =>
      expectCode(e, 'NodeStateError', code, NODE_STATE_ERROR_CODES)
    S('not_started')(await caught(n.dial({ host: '2001:db8::1', port: 1 })))
    await n.start()
    S('started')(await caught(n.start()))
    await n.stop()
    S('stopped')(await caught(n.start()))
  })

  it('error: attaching a client twice', async () => {
    const clock = createVirtualClock()
    const n = node(createMemoryNetwork({ clock }).transport(), clock)
    const key = new Uint8Array(32).fill(1)
    n.attach(key, { onFrame: () => {} })
    expectCode(
      await caught(() => n.attach(key, { onFrame: () => {} })),
      'AttachError',
      'attached',
      ATTACH_ERROR_CODES,
    )
  })
})
