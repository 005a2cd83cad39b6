// `chat6 node` and `chat6 status` as processes: a clean stop on SIGTERM (BYE seen by the peer,
// known nodes written, exit 0), the status over node.sock, a port in use as one error line.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/exit-codes.ts'
import { cleanup, run, startRelay, tempDir } from './helpers/cli.ts'

afterAll(cleanup)

describe('chat6 node', () => {
  it('behavior: SIGTERM sends BYE to peers, saves known nodes and exits 0', async () => {
    const dir = tempDir()
    const one = await startRelay(join(dir, 'one'))
    const two = await startRelay(join(dir, 'two'), ['--peer', one.addr])
    await one.relay.waitFor(/peer up .* inbound/)
    await two.relay.waitFor(/peer up .* outbound/)

    const status = await run(['status', '--data-dir', join(dir, 'one'), '--json'])
    expect(status.code, status.stderr).toBe(0)
    const s = JSON.parse(status.stdout) as {
      role: string
      peers: unknown[]
      framesRelayed: number
      drops: object
    }
    expect(s.role).toBe('node')
    expect(s.peers).toHaveLength(1)
    expect(typeof s.framesRelayed).toBe('number')
    expect((await run(['status', '--data-dir', join(dir, 'one')])).stdout).toMatch(/peers\s+1/)

    expect(await two.relay.stop('SIGTERM')).toBe(0)
    expect(two.relay.output()).toMatch(/SIGTERM: sending BYE to 1 peer/)
    await one.relay.waitFor(/peer down .* reason=shutdown \(remote\)/)
    const known = JSON.parse(readFileSync(join(dir, 'two', 'known-nodes.json'), 'utf8')) as {
      nodes: { host: string; port: number }[]
    }
    expect(known.nodes.map((n) => `[${n.host}]:${n.port}`)).toEqual([one.addr])
    expect(await one.relay.stop('SIGINT')).toBe(0)
  })

  it('error: a port in use is one line on stderr and exit 7', async () => {
    const dir = tempDir()
    const one = await startRelay(join(dir, 'one'))
    const r = await run(['node', '--data-dir', join(dir, 'two'), '--listen', one.addr])
    expect(r.code).toBe(EXIT.NETWORK)
    expect(r.stderr).toMatch(
      /^chat6: error: cannot listen on \[::1\]:\d+: .*address already in use/,
    )
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    await one.relay.stop()
  })

  it('error: status with nothing running exits 7', async () => {
    const r = await run(['status', '--data-dir', tempDir()])
    expect(r.code).toBe(EXIT.NETWORK)
    expect(r.stderr).toMatch(/^chat6: error: no chat6 node, daemon or chat is running/)
  })
})
