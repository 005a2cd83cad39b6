// Child of delivery.ts: the middle relay of the chain, alone in its process so that the three
// relays do not share one core. Prints its port; exits when stdin closes.
import { createMemoryKnownNodesStore, createNode } from '@chat6/node'

const node = createNode({
  listen: { host: '::1', port: 0 },
  allowLoopback: true,
  maxPeersPer64: 64,
  maxPeersPer48: 64,
  useShippedBootstrap: false,
  useEnvBootstrap: false,
  knownNodes: createMemoryKnownNodesStore(),
  // the bench measures delivery, not the per-peer limits of §6.5
  maxFramesPerSecond: 10_000_000,
  maxFramesBurst: 10_000_000,
})
await node.start()
process.stdout.write(`${node.listenAddress?.port}\n`)
process.stdin.on('data', () => {})
process.stdin.on('end', async () => {
  await node.stop()
  process.exit(0)
})
