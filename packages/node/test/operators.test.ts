// What an operator's status screen reads from a node (issue 19): frames per link, the presence
// waiting in pacing queues, the dialer's candidates, and discovered addresses that are dropped
// after failing a few times while bootstrap ones keep being retried.
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Address,
  type Chat6Node,
  createMemoryKnownNodesStore,
  createNode,
  type DialFailure,
  MAX_DISCOVERED_FAILURES,
  type NodeInit,
} from '../src/index.ts'
import { createMemoryNetwork, createSeededRandom, createVirtualClock } from '../src/testing.ts'
import { createMesh, type Mesh, rawUp, TestClient } from './helpers.ts'

const nodes: Chat6Node[] = []
let mesh: Mesh | undefined
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop()
  await mesh?.stop()
  mesh = undefined
})

async function started(
  init: Partial<NodeInit> = {},
  clock = createVirtualClock(),
  net = createMemoryNetwork({ clock }),
) {
  const transport = net.transport()
  const node = createNode({
    transport,
    clock,
    random: createSeededRandom(3),
    knownNodes: createMemoryKnownNodesStore(),
    useEnvBootstrap: false,
    listen: { host: transport.host, port: 7600 },
    ...init,
  })
  const failures: DialFailure[] = []
  node.on('dial:failed', (f) => failures.push(f))
  await node.start()
  nodes.push(node)
  return { clock, net, node, failures }
}

const deadBoot = { host: '2001:db8:dead::1', port: 7600 }
const deadFound = { host: '2001:db8:dead::2', port: 7600 }

describe('PeerInfo frames', () => {
  it('behavior: framesIn and framesOut count the frames of each link, both ends agreeing', async () => {
    mesh = await createMesh(2)
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    await mesh.connect(a, b)
    await mesh.settle(60_000)
    const ab = a.peers()[0]
    const ba = b.peers()[0]
    expect(ab?.framesIn).toBeGreaterThan(2)
    expect(ab?.framesOut).toBeGreaterThan(2)
    // what one end sent the other received: HELLO, keepalives, NEIGHBORS_*
    expect(ab?.framesOut).toBe(ba?.framesIn)
    expect(ab?.framesIn).toBe(ba?.framesOut)
    const before = ab?.framesOut ?? 0
    await mesh.settle(60_000)
    expect(a.peers()[0]?.framesOut).toBeGreaterThan(before)
  })
})

describe('NodeStats.presenceQueued', () => {
  it('behavior: counts presence waiting in the pacing queues, and drains to 0', async () => {
    mesh = await createMesh(2, { maxNewPresencePerSecond: 10, maxNewPresenceBurst: 10 })
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    for (let i = 0; i < 30; i++) new TestClient(a, 100 + i).online()
    await mesh.settle(10)
    expect(a.stats().presenceQueued).toBe(0)
    await mesh.connect(a, b)
    // 30 new keys for b at 10 a second: the burst goes at once, the rest waits
    expect(a.stats().presenceQueued).toBe(20)
    await mesh.settle(1_000)
    expect(a.stats().presenceQueued).toBe(10)
    await mesh.settle(2_000)
    expect(a.stats().presenceQueued).toBe(0)
    expect(b.stats().clients).toBe(30)
  })

  it('behavior: the queues of a link that goes down are dropped with it', async () => {
    mesh = await createMesh(2, { maxNewPresencePerSecond: 10, maxNewPresenceBurst: 10 })
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    for (let i = 0; i < 30; i++) new TestClient(a, 200 + i).online()
    await mesh.settle(10)
    await mesh.connect(a, b)
    expect(a.stats().presenceQueued).toBe(20)
    await b.stop()
    await mesh.settle(10)
    expect(a.peers()).toEqual([])
    expect(a.stats().presenceQueued).toBe(0)
  })
})

describe('dialing()', () => {
  it('behavior: lists a dead bootstrap address with its failures, last error and next attempt', async () => {
    const { clock, node } = await started({ bootstrap: [deadBoot] })
    await clock.advance(10)
    const [c] = node.dialing()
    expect(c).toMatchObject({
      address: deadBoot,
      source: 'bootstrap',
      failures: 1,
      connected: false,
      lastError: 'refused',
    })
    expect(c?.nextAttemptIn).toBeGreaterThan(0)
    expect(c?.nextAttemptIn).toBeLessThanOrEqual(1_000)
    await clock.advance(c?.nextAttemptIn ?? 0)
    expect(node.dialing()[0]?.failures).toBe(2)
  })

  it('behavior: a reachable bootstrap address is connected, with no failure and no next attempt', async () => {
    const { net, clock } = await started()
    const server = createNode({
      transport: net.transport(),
      clock,
      knownNodes: createMemoryKnownNodesStore(),
      useEnvBootstrap: false,
    })
    await server.start()
    nodes.push(server)
    const at = server.listenAddress as Address
    const { node } = await started({ bootstrap: [at] }, clock, net)
    await clock.advance(100)
    expect(node.peers()).toHaveLength(1)
    expect(node.dialing()).toEqual([
      {
        address: at,
        source: 'bootstrap',
        failures: 0,
        connected: true,
        nextAttemptIn: undefined,
      },
    ])
  })
})

describe('forgetting discovered addresses', () => {
  it(`behavior: a discovered address never reached is forgotten after ${MAX_DISCOVERED_FAILURES} failures, said once; a bootstrap one keeps backing off`, async () => {
    mesh = await createMesh(1, { bootstrap: [deadBoot], backoffMax: 8_000 })
    const node = mesh.nodes[0] as Chat6Node
    const failures: DialFailure[] = []
    node.on('dial:failed', (f) => failures.push(f))
    const p = await rawUp(mesh, node)
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [{ ip: deadFound.host, port: deadFound.port }],
    })
    await mesh.settle(10 * 60_000)
    const found = failures.filter((f) => f.source === 'discovered')
    expect(found.map((f) => f.failures)).toEqual([1, 2, 3, 4, 5])
    expect(found.map((f) => f.forgotten)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      true,
    ])
    expect(found[4]?.retryIn).toBeUndefined()
    expect(node.dialing().map((d) => d.address)).toEqual([deadBoot])
    // the bootstrap address was tried all along and still is, never forgotten
    const boot = failures.filter((f) => f.source === 'bootstrap')
    expect(boot.length).toBeGreaterThan(MAX_DISCOVERED_FAILURES * 2)
    expect(boot.every((f) => f.forgotten === undefined && f.retryIn !== undefined)).toBe(true)
  })

  it('behavior: a discovered address that once brought a link up is kept however often it fails later', async () => {
    mesh = await createMesh(2, { backoffMax: 8_000 })
    const [a, b] = mesh.nodes as [Chat6Node, Chat6Node]
    const failures: DialFailure[] = []
    a.on('dial:failed', (f) => failures.push(f))
    const p = await rawUp(mesh, a)
    const bAt = b.listenAddress as Address
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [{ ip: bAt.host, port: bAt.port }],
    })
    await mesh.settle(1_000)
    expect(a.peers().map((x) => x.id)).toContain(b.id)
    await b.stop()
    await mesh.settle(10 * 60_000)
    const found = failures.filter((f) => f.source === 'discovered')
    expect(found.length).toBeGreaterThan(MAX_DISCOVERED_FAILURES)
    expect(found.every((f) => f.forgotten === undefined)).toBe(true)
    expect(a.dialing().map((d) => d.address)).toContainEqual(bAt)
  })
})
