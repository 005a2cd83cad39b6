// The README's examples, so that they keep compiling. The quick start is only type-checked: it
// would dial a documentation address.
import { describe, expect, it } from 'vitest'
import { createNode } from '../src/index.ts'
import { createMemoryNetwork, createVirtualClock } from '../src/testing.ts'

export async function quickStart(): Promise<void> {
  const node = createNode({
    listen: { host: '::', port: 7600 },
    bootstrap: [{ host: '2001:db8::7', port: 7600 }],
  })
  node.on('peer:connect', (peer) => console.log('peer up', peer.id, peer.remote))
  node.on('client:online', (client) => console.log('online', client.nickname))
  await node.start()
  await node.stop()
}

describe('README', () => {
  it('behavior: the in-memory example runs', async () => {
    const clock = createVirtualClock()
    const net = createMemoryNetwork({ clock })
    const t = net.transport()
    const node = createNode({
      transport: t,
      clock,
      listen: { host: t.host, port: 7600 },
      dataDir: false,
      useEnvBootstrap: false,
    })
    await node.start()
    await clock.advance(30_000)
    expect(node.status).toBe('started')
    await node.stop()
  })
})
