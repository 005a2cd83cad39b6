// The namespace harness itself: real IPv6 TCP between two lab hosts, link down, and cleanup.
import { spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { createNetnsLab, type NetnsLab, netnsUnavailableReason } from '../src/netns/lab.ts'
import { spawnReporting } from '../src/netns/process.ts'

const reason = netnsUnavailableReason()
if (reason !== undefined) console.log(`netns-lab tests skipped: ${reason}`)

// A one-file echo server and client, so the harness is tested without any chat6 package.
const SERVER = `
const net = require('node:net')
const s = net.createServer((c) => c.pipe(c))
s.listen({ host: '::', port: 7611, ipv6Only: true }, () => console.log(JSON.stringify({ event: 'listening' })))
`
const CLIENT = `
const net = require('node:net')
const c = net.connect({ host: process.argv[1], port: 7611, family: 6 })
c.setTimeout(1500, () => { console.log(JSON.stringify({ event: 'timeout' })); process.exit(0) })
c.on('connect', () => c.write('ping\\n'))
c.on('data', (d) => { console.log(JSON.stringify({ event: 'echo', text: String(d).trim(), local: c.localAddress })); process.exit(0) })
c.on('error', (e) => { console.log(JSON.stringify({ event: 'error', code: e.code })); process.exit(0) })
`

describe.skipIf(reason !== undefined)('netns lab', () => {
  let lab: NetnsLab | undefined
  afterAll(() => lab?.destroy())

  it('behavior: hosts on one link talk IPv6 TCP; a link set down stops them; destroy removes everything', async () => {
    lab = createNetnsLab({
      hosts: 3,
      edges: [
        [0, 1],
        [1, 2],
      ],
      prefix: `c6t-${process.pid}-lab`,
    })
    const h1 = lab.hosts[1]
    expect(h1?.addrTo.get(2)).toBe('fd63:6836:0:1::2')
    const server = spawnReporting('server', [...lab.execArgs(2), process.execPath, '-e', SERVER])
    try {
      await server.waitFor((r) => r.event === 'listening', 10_000)
      const target = h1?.peerAddr.get(2) as string
      const ok = spawnReporting('client', [
        ...lab.execArgs(1),
        process.execPath,
        '-e',
        CLIENT,
        target,
      ])
      const echo = await ok.waitFor((r) => r.event !== undefined, 10_000)
      expect(echo).toMatchObject({ event: 'echo', text: 'ping', local: h1?.addrTo.get(2) })
      // Host 0 has no link to host 2's link prefix: there is no route, nothing leaves the lab.
      const far = spawnReporting('far', [
        ...lab.execArgs(0),
        process.execPath,
        '-e',
        CLIENT,
        target,
      ])
      expect((await far.waitFor((r) => r.event !== undefined, 10_000)).event).toBe('error')
      lab.setLink(1, 2, false)
      const down = spawnReporting('down', [
        ...lab.execArgs(1),
        process.execPath,
        '-e',
        CLIENT,
        target,
      ])
      expect((await down.waitFor((r) => r.event !== undefined, 10_000)).event).not.toBe('echo')
    } finally {
      await server.kill()
      lab.destroy()
    }
    const left = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout
    expect(left).not.toContain(`c6t-${process.pid}-lab`)
  })
})
