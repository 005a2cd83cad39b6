// Child process of the relay bench: one chat6 node (B) on ::1, or a bare line forwarder, in its
// own process so its figure is per core. Prints its port on stdout; exits on 'stop' or stdin close.
import { createServer, type Socket } from 'node:net'
import { createMemoryKnownNodesStore, createNode } from '../src/index.ts'

const mode = process.argv[2] ?? 'chat6'

if (mode === 'chat6') {
  const node = createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    maxPeersPer64: 64,
    maxPeersPer48: 64,
    useEnvBootstrap: false,
    knownNodes: createMemoryKnownNodesStore(),
    // the bench measures the relay pipeline, not the per-peer limits of §6.5
    maxFramesPerSecond: 10_000_000,
    maxFramesBurst: 10_000_000,
  })
  await node.start()
  process.stdout.write(`${node.listenAddress?.port}\n`)
  // 'mark' starts a measurement, 'report' prints CPU time and frames forwarded since, 'stop' exits
  let mark = { cpu: process.cpuUsage(), forwarded: 0 }
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', async (cmd: string) => {
    for (const c of cmd.trim().split('\n')) {
      if (c === 'mark') mark = { cpu: process.cpuUsage(), forwarded: node.stats().forwarded }
      if (c === 'report') {
        const cpu = process.cpuUsage(mark.cpu)
        const forwarded = node.stats().forwarded - mark.forwarded
        process.stdout.write(
          `${JSON.stringify({ forwarded, cpuMs: (cpu.user + cpu.system) / 1000, drops: node.stats().drops })}\n`,
        )
      }
      if (c === 'stop') {
        await node.stop()
        process.exit(0)
      }
    }
  })
} else {
  // Bare relay: the first line of a connection names it ('A' or 'C'); lines from A go to C,
  // written with the same per-tick batching as the chat6 TCP transport.
  let toC: Socket | undefined
  let corked = false
  let forwarded = 0
  const server = createServer({ noDelay: true }, (s) => {
    let role: string | undefined
    let rest = ''
    s.setEncoding('latin1')
    s.on('data', (chunk: string) => {
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
        if (toC !== undefined) {
          if (!corked) {
            corked = true
            toC.cork()
            process.nextTick(() => {
              corked = false
              toC?.uncork()
            })
          }
          toC.write(line, 'latin1')
          forwarded++
        }
      }
      rest = text.slice(start)
    })
    s.on('error', () => {})
  })
  server.listen({ host: '::1', port: 0, ipv6Only: true }, () => {
    const a = server.address()
    process.stdout.write(`${typeof a === 'object' && a !== null ? a.port : 0}\n`)
  })
  let mark = { cpu: process.cpuUsage(), forwarded: 0 }
  process.stdin.setEncoding('utf8')
  process.stdin.on('data', (cmd: string) => {
    for (const c of cmd.trim().split('\n')) {
      if (c === 'mark') mark = { cpu: process.cpuUsage(), forwarded }
      if (c === 'report') {
        const cpu = process.cpuUsage(mark.cpu)
        process.stdout.write(
          `${JSON.stringify({ forwarded: forwarded - mark.forwarded, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`,
        )
      }
      if (c === 'stop') process.exit(0)
    }
  })
}
