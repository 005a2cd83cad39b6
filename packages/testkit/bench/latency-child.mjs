// Child of latency.ts: the middle relay B of a chain A → B → C on ::1, alone in its process.
// 'chat6': a chat6 relay (per-peer rate limits lifted: the bench measures the pipeline, not §6.5).
// 'bare': a line forwarder with the same per-tick write batching as chat6's TCP transport; the
// first line of a connection names it 'A' or 'C'. Prints its port; exits when stdin closes.
import { createServer } from 'node:net'

const mode = process.argv[2]
process.stdin.on('data', () => {})
process.stdin.on('end', () => process.exit(0))

if (mode === 'chat6') {
  const { createNode, createMemoryKnownNodesStore } = await import('@chat6/node')
  const node = createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    maxPeersPer64: 64,
    maxPeersPer48: 64,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    knownNodes: createMemoryKnownNodesStore(),
    maxFramesPerSecond: 10_000_000,
    maxFramesBurst: 10_000_000,
  })
  await node.start()
  process.stdout.write(`${node.listenAddress?.port}\n`)
} else {
  let toC
  let corked = false
  const server = createServer({ noDelay: true }, (s) => {
    let role
    let rest = ''
    s.setEncoding('latin1')
    s.on('error', () => {})
    s.on('data', (chunk) => {
      const text = rest + chunk
      let start = 0
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
        const line = text.slice(start, i + 1)
        start = i + 1
        if (role === undefined) {
          role = line.trim()
          if (role === 'C') toC = s
          continue
        }
        if (toC === undefined) continue
        if (!corked) {
          corked = true
          toC.cork()
          process.nextTick(() => {
            corked = false
            toC?.uncork()
          })
        }
        toC.write(line, 'latin1')
      }
      rest = text.slice(start)
    })
  })
  server.listen({ host: '::1', port: 0, ipv6Only: true }, () => {
    process.stdout.write(`${server.address().port}\n`)
  })
}
