// The `dial:failed` event: every outbound dial that fails says where, why, who asked and when the
// node tries again, whether it came from dial(), bootstrap, last-known or discovered addresses.
import { afterEach, describe, expect, it } from 'vitest'
import {
  type Address,
  type Chat6Node,
  createMemoryKnownNodesStore,
  createNode,
  type DialFailure,
  type NodeInit,
} from '../src/index.ts'
import { createMemoryNetwork, createSeededRandom, createVirtualClock } from '../src/testing.ts'
import { createMesh, type Mesh, rawUp } from './helpers.ts'

const nodes: Chat6Node[] = []
let mesh: Mesh | undefined
afterEach(async () => {
  for (const n of nodes.splice(0)) await n.stop()
  await mesh?.stop()
  mesh = undefined
})

/**
 * A node on a fresh memory network whose dial:failed events are recorded from before start.
 * `init` may be a function of the node's own listening address.
 */
async function started(init: Partial<NodeInit> | ((self: Address) => Partial<NodeInit>) = {}) {
  const clock = createVirtualClock()
  const net = createMemoryNetwork({ clock })
  const transport = net.transport()
  const self = { host: transport.host, port: 7600 }
  const node = createNode({
    transport,
    clock,
    random: createSeededRandom(7),
    knownNodes: createMemoryKnownNodesStore(),
    useEnvBootstrap: false,
    listen: self,
    ...(typeof init === 'function' ? init(self) : init),
  })
  const failures: DialFailure[] = []
  node.on('dial:failed', (f) => failures.push(f))
  await node.start()
  nodes.push(node)
  return { clock, net, node, self, failures }
}

const nobody = { host: '2001:db8:dead::1', port: 7600 }

describe('dial:failed', () => {
  it('error: dial() to a host with nothing listening emits refused, and rejects with the same DialError', async () => {
    const { node, failures } = await started()
    const error = await node.dial(nobody).catch((e: unknown) => e)
    expect(error).toMatchObject({ name: 'DialError', code: 'refused' })
    expect(failures).toEqual([
      {
        address: nobody,
        code: 'refused',
        message: (error as Error).message,
        source: 'dial',
        failures: 1,
        retryIn: undefined,
      },
    ])
    expect(failures[0]?.message).toMatch(/connection refused/)
  })

  it('error: dial() to an address the allow-list refuses emits address, without dialling', async () => {
    const { node, net, failures } = await started()
    for (const host of ['::1', 'fd00::1', '0:0:0:0:0:0:0:1', 'not-an-ip']) {
      await expect(node.dial({ host, port: 7600 })).rejects.toMatchObject({
        name: 'DialError',
        code: 'address',
      })
    }
    expect(failures.map((f) => [f.address.host, f.code, f.source])).toEqual([
      ['::1', 'address', 'dial'],
      ['fd00::1', 'address', 'dial'],
      // reported in canonical form
      ['::1', 'address', 'dial'],
      ['not-an-ip', 'address', 'dial'],
    ])
    expect(failures[1]?.message).toMatch(/not allowed/)
    expect(net.links()).toEqual([])
  })

  it('error: a programmer error (node not started, bad port) is thrown but is not a dial failure', async () => {
    const { node, failures } = await started()
    await expect(node.dial({ ...nobody, port: 0 })).rejects.toMatchObject({
      name: 'NodeInputError',
    })
    await node.stop()
    await expect(node.dial(nobody)).rejects.toMatchObject({ name: 'NodeStateError' })
    expect(failures).toEqual([])
  })

  it('behavior: a dead bootstrap address is reported at each try, with its failure count and backoff', async () => {
    const { clock, failures } = await started({ bootstrap: [nobody] })
    await clock.advance(60_000)
    expect(failures.length).toBeGreaterThanOrEqual(5)
    failures.forEach((f, i) => {
      expect(f).toMatchObject({ address: nobody, code: 'refused', source: 'bootstrap' })
      expect(f.failures).toBe(i + 1)
      const base = 1000 * 2 ** i
      expect(f.retryIn).toBeGreaterThanOrEqual(base / 2)
      expect(f.retryIn).toBeLessThanOrEqual(base)
    })
  })

  it('behavior: a dead last-known address is reported with source known', async () => {
    const { clock, failures } = await started({
      knownNodes: createMemoryKnownNodesStore([nobody]),
    })
    await clock.advance(100)
    expect(failures[0]).toMatchObject({ address: nobody, source: 'known', failures: 1 })
  })

  it('behavior: a dead discovered address is reported with source discovered', async () => {
    mesh = await createMesh(1)
    const node = mesh.nodes[0] as Chat6Node
    const failures: DialFailure[] = []
    node.on('dial:failed', (f) => failures.push(f))
    const p = await rawUp(mesh, node)
    // the node asked on link up, as it is below TARGET_PEERS
    expect(p.frames().some((f) => f.type === 'NEIGHBORS_REQUEST')).toBe(true)
    p.send({
      type: 'NEIGHBORS_RESPONSE',
      timestamp: 0,
      neighbor: [{ ip: nobody.host, port: 7600 }],
    })
    await mesh.settle(100)
    expect(failures[0]).toMatchObject({
      address: nobody,
      code: 'refused',
      source: 'discovered',
      failures: 1,
    })
  })

  it('behavior: dialling ourselves is reported as self and never retried', async () => {
    const { clock, self, failures } = await started((self) => ({ bootstrap: [self] }))
    await clock.advance(60_000)
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ address: self, code: 'self', source: 'bootstrap' })
    expect(failures[0]?.retryIn).toBeUndefined()
  })
})
