// Real @chat6/node nodes for the integration tests: on the in-memory network and virtual clock,
// or over TCP on ::1 with the system clock.
import { createCrypto } from '@chat6/crypto'
import { type Chat6Node, createNode } from '@chat6/node'
import { createMemoryNetwork, createVirtualClock, type VirtualClock } from '@chat6/node/testing'

/** Fast, deterministic-enough primitives: scrypt is the only slow part and tests lower it. */
export const crypto = createCrypto()
export const FAST_SEAL = { N: 2 ** 4, r: 1, p: 1 }

/** Two real nodes on one memory network and one virtual clock, linked to each other. */
export async function twoMemoryNodes(): Promise<{
  clock: VirtualClock
  nodes: [Chat6Node, Chat6Node]
  net: ReturnType<typeof createMemoryNetwork>
}> {
  const clock = createVirtualClock()
  const net = createMemoryNetwork({ clock })
  const make = (host: string, bootstrap: { host: string; port: number }[]) =>
    createNode({
      listen: { host, port: 7600 },
      bootstrap,
      useShippedBootstrap: false,
      useEnvBootstrap: false,
      dataDir: false,
      transport: net.transport(host),
      clock,
    })
  const a = make('2001:db8:1::1', [])
  const b = make('2001:db8:2::1', [{ host: '2001:db8:1::1', port: 7600 }])
  await a.start()
  await b.start()
  const up = await clock.runUntil(() => a.peers().length === 1 && b.peers().length === 1)
  if (!up) throw new Error('memory nodes did not link')
  return { clock, nodes: [a, b], net }
}

export const stopAll = async (...nodes: Chat6Node[]) => {
  for (const n of nodes) if (n.status === 'started') await n.stop()
}
