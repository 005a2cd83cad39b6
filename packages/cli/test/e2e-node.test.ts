// `chat6 node` and `chat6 status` as processes: a clean stop on SIGTERM (BYE seen by the peer,
// known nodes written, exit 0), the status over node.sock, a port in use as one error line.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EXIT } from '../src/exit-codes.ts'
import { cleanup, run, start, startRelay, tempDir } from './helpers/cli.ts'

/** A port on ::1 that nothing listens on (bound, then released). */
async function deadPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen({ host: '::1', port: 0 }, resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

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

describe('failed dials', () => {
  it('error: a relay names a --peer where nothing listens at every try, as text and as JSON', async () => {
    const port = await deadPort()
    const dir = tempDir()
    const args = ['--listen', '[::1]:0', '--status-interval', '0', '--peer', `[::1]:${port}`]
    const text = start(['node', '--data-dir', join(dir, 'text'), ...args])
    const json = start(['node', '--data-dir', join(dir, 'json'), '--json', ...args])
    const line = `dial ::1,${port} failed (refused), retrying with backoff`
    // retried with backoff (1 s, then 2 s, with jitter): a second line comes
    const escaped = line.replace(/[()]/g, '\\$&')
    await text.waitFor(new RegExp(`${escaped}\\n[^]*${escaped}`))
    const m = await json.waitFor(/^\{.*"event":"dial-failed".*"failures":2.*\}$/m)
    expect(JSON.parse(m[0])).toMatchObject({
      event: 'dial-failed',
      msg: line,
      addr: `::1,${port}`,
      code: 'refused',
      failures: 2,
    })
    expect(await text.stop('SIGTERM')).toBe(0)
    expect(await json.stop('SIGTERM')).toBe(0)
  })

  it('error: a command whose --peer cannot be dialled warns with the address and the reason', async () => {
    const port = await deadPort()
    const dir = tempDir()
    const init = await run(['init', '--data-dir', dir, '--nick', 'solo'])
    expect(init.code, init.stderr).toBe(0)
    const r = await run(['friends', '--data-dir', dir, '--peer', `[::1]:${port}`])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe(
      `chat6: warning: no peer reachable within 5 s (tried [::1]:${port}: refused)\n`,
    )
  })
})
