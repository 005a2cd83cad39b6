// Integration over real TCP on ::1: several nodes in one process, ports chosen by the OS.
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Address,
  type Chat6Node,
  createFileKnownNodesStore,
  createNode,
  createTcpTransport,
  KNOWN_NODES_FILE,
  type NodeInit,
} from '../src/index.ts'
import { TestClient } from './helpers.ts'

const nodes: Chat6Node[] = []
const dirs: string[] = []
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop()
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true })
})

// Real sockets need real time; these waits poll for an outcome, they never sleep through a protocol timer.
async function until(pred: () => boolean, ms = 5_000): Promise<void> {
  const end = Date.now() + ms
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function tcpNode(extra: Partial<NodeInit> = {}): Promise<Chat6Node> {
  const dir = await mkdtemp(join(tmpdir(), 'chat6-node-'))
  dirs.push(dir)
  const node = createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    maxPeersPer64: 32,
    maxPeersPer48: 32,
    useEnvBootstrap: false,
    knownNodes: createFileKnownNodesStore(dir),
    ...extra,
  })
  await node.start()
  nodes.push(node)
  return node
}

describe('TCP over IPv6 (integration)', () => {
  it('behavior: a 3-node line carries presence and a routed frame; stop sends BYE and saves known nodes', async () => {
    const a = await tcpNode()
    const b = await tcpNode()
    const dir = dirs[dirs.length - 1] as string
    const c = await tcpNode()
    await a.dial(b.listenAddress as Address)
    await c.dial(b.listenAddress as Address)
    await until(() => b.peers().length === 2)
    const alice = new TestClient(a, 1, 'alice')
    const carol = new TestClient(c, 3, 'carol')
    alice.online()
    carol.online()
    await until(
      () => a.client(carol.hash)?.reachable === true && c.client(alice.hash)?.reachable === true,
    )
    expect(c.nextHop(alice.hash)).toBe(b.id)
    const r = alice.send(carol.hash)
    expect(r).toMatchObject({ ok: true, via: b.id })
    await until(() => carol.received.length === 1)
    expect(b.stats().forwarded).toBe(1)

    const reasons: string[] = []
    a.on('peer:disconnect', (e) => reasons.push(e.reason))
    c.on('peer:disconnect', (e) => reasons.push(e.reason))
    await b.stop()
    await until(() => reasons.length === 2)
    expect(reasons).toEqual(['shutdown', 'shutdown'])
    const saved = JSON.parse(await readFile(join(dir, KNOWN_NODES_FILE), 'utf8')) as {
      nodes: Address[]
    }
    expect(saved.nodes).toEqual(
      expect.arrayContaining([a.listenAddress as Address, c.listenAddress as Address]),
    )
    // both ends lost their only route to the other
    await until(() => a.client(carol.hash)?.reachable === false)
  })

  it('error: IPv4 is refused at dial and at listen', async () => {
    const a = await tcpNode()
    await expect(a.dial({ host: '127.0.0.1', port: 7600 })).rejects.toMatchObject({
      name: 'DialError',
      code: 'address',
    })
    await expect(a.dial({ host: '::ffff:127.0.0.1', port: 7600 })).rejects.toMatchObject({
      code: 'address',
    })
    const tcp = createTcpTransport()
    await expect(tcp.dial({ host: '127.0.0.1', port: 7600 })).rejects.toMatchObject({
      name: 'TransportError',
      code: 'address',
    })
    await expect(tcp.listen({ host: '0.0.0.0', port: 0 }, () => {})).rejects.toMatchObject({
      code: 'address',
    })
  })

  it('behavior: the listening socket is IPv6-only', async () => {
    const tcp = createTcpTransport()
    const l = await tcp.listen({ host: '::', port: 0 }, () => {})
    const { connect } = await import('node:net')
    const outcome = await new Promise<string>((resolve) => {
      const s = connect({ host: '127.0.0.1', port: l.address.port })
      s.once('connect', () => {
        s.destroy()
        resolve('connected')
      })
      s.once('error', () => resolve('refused'))
    })
    await l.close()
    expect(outcome).toBe('refused')
  })
})
