// Child of rss.ts: an idle process whose RSS is read after it settles. 'relay': a chat6 relay
// with default options listening on ::1 (TCP); 'bare': a plain Node TCP server on ::1. Plain
// JavaScript on the built packages, so that no TypeScript loader counts in either figure.
import { createServer } from 'node:net'

const mode = process.argv[2]
if (mode === 'relay') {
  const { createNode } = await import('@chat6/node')
  const node = createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    dataDir: false,
  })
  await node.start()
} else {
  const server = createServer(() => {})
  await new Promise((resolve) => server.listen({ host: '::1', port: 0, ipv6Only: true }, resolve))
}
// let start-up garbage go and timers settle, as a relay that has been idle for a while
await new Promise((r) => setTimeout(r, 1000))
globalThis.gc?.()
await new Promise((r) => setTimeout(r, 200))
const m = process.memoryUsage()
process.stdout.write(
  `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers })}\n`,
)
process.exit(0)
