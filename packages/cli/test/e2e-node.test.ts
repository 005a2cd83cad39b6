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
    // the table has headers, and the inbound peer shows the port it listens on and the frames
    // of its link (HELLO, keepalives, presence: never none)
    const text = (await run(['status', '--data-dir', join(dir, 'one')])).stdout
    const row = new RegExp(
      `peers {7}1\\n {2}ADDRESS +DIR +RTT +UP +IN +OUT +NODE\\n {2}${two.addr.replace(/[[\]]/g, '\\$&')} +in +[\\d.]+ ms +\\d+ s +(\\d+) +(\\d+) +\\S+…\\n`,
    ).exec(text)
    expect(row, text).not.toBeNull()
    expect(Number(row?.[1])).toBeGreaterThan(0)
    expect(Number(row?.[2])).toBeGreaterThan(0)
    expect(text).not.toMatch(/redialling/)
    expect(text).not.toMatch(/delivered/)

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
    // once, in our words (Node's said "address already in use" twice, with the address in its
    // own spelling)
    expect(r.stderr).toBe(
      `chat6: error: cannot listen on ${one.addr}: the port is in use (is another chat6 node or chat running there?)\n`,
    )
    await one.relay.stop()
  })

  it('error: status with nothing running exits 7', async () => {
    const r = await run(['status', '--data-dir', tempDir()])
    expect(r.code).toBe(EXIT.NETWORK)
    expect(r.stderr).toMatch(/^chat6: error: no chat6 node, daemon or chat is running/)
  })
})

describe('metrics', () => {
  it('behavior: --metrics serves Prometheus text with peers, clients, presence queue, frames, RTTs and RSS', async () => {
    const dir = tempDir()
    const one = await startRelay(join(dir, 'one'), ['--metrics', '[::1]:0'])
    const url = (await one.relay.waitFor(/metrics on (http:\/\/\[::1\]:\d+\/metrics)/))[1] as string
    const two = await startRelay(join(dir, 'two'), ['--peer', one.addr])
    await one.relay.waitFor(/peer up .* inbound/)
    const res = await fetch(url)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
    const body = await res.text()
    for (const line of [
      '# TYPE chat6_peers gauge',
      'chat6_peers{direction="inbound"} 1',
      'chat6_peers{direction="outbound"} 0',
      'chat6_clients{state="known"} 0',
      '# TYPE chat6_presence_queued gauge',
      '# TYPE chat6_frames_in_total counter',
      'chat6_frames_in_total{type="HELLO"} 1',
      '# TYPE chat6_drops_total counter',
      '# TYPE chat6_byes_total counter',
      `chat6_link_rtt_seconds{peer="${two.addr}"}`,
      '# TYPE process_resident_memory_bytes gauge',
    ])
      expect(body).toContain(line)
    expect(Number(/^process_resident_memory_bytes (\d+)$/m.exec(body)?.[1])).toBeGreaterThan(1e6)
    expect((await fetch(url.replace('/metrics', '/'))).status).toBe(404)
    // a BYE received is counted by its reason
    expect(await two.relay.stop('SIGTERM')).toBe(0)
    await one.relay.waitFor(/peer down/)
    expect(await (await fetch(url)).text()).toContain(
      'chat6_byes_total{direction="received",reason="shutdown"} 1',
    )
    expect(await one.relay.stop('SIGTERM')).toBe(0)
  })
  it('behavior: without --metrics nothing listens for it; a port in use says so', async () => {
    const dir = tempDir()
    const one = await startRelay(join(dir, 'one'))
    expect(one.relay.output()).not.toMatch(/metrics/)
    const port = Number(one.addr.split(':').at(-1))
    const r = await run([
      'node',
      '--data-dir',
      join(dir, 'two'),
      '--listen',
      '[::1]:0',
      '--metrics',
      `[::1]:${port}`,
    ])
    expect(r.code).toBe(EXIT.NETWORK)
    expect(r.stderr).toBe(
      `chat6: error: cannot serve metrics on [::1]:${port}: the port is in use\n`,
    )
    expect(await one.relay.stop('SIGTERM')).toBe(0)
  })
})

describe('failed dials', () => {
  it('error: a relay says once which --peer it cannot reach and why, then connects when it can', async () => {
    const port = await deadPort()
    const dir = tempDir()
    const args = ['--listen', '[::1]:0', '--status-interval', '0', '--peer', `[::1]:${port}`]
    const text = start(['node', '--data-dir', join(dir, 'text'), ...args])
    const json = start(['node', '--data-dir', join(dir, 'json'), '--json', ...args])
    // the address as every other line spells it, the DialError code, and the system's reason
    const line = new RegExp(
      `dial \\[::1\\]:${port} failed: refused \\([^)]*ECONNREFUSED[^)]*\\), retrying with backoff \\(next in \\d+ s\\)`,
    )
    await text.waitFor(line)
    const m = await json.waitFor(/^\{.*"event":"dial-failed".*"code":"refused".*\}$/m)
    expect(JSON.parse(m[0])).toMatchObject({
      event: 'dial-failed',
      addr: `[::1]:${port}`,
      code: 'refused',
      reason: expect.stringContaining('ECONNREFUSED'),
      source: 'bootstrap',
    })
    expect(JSON.parse(m[0]).msg).toMatch(line)
    // chat6 status lists it as down and redialled, with its backoff and last error
    const down = (await run(['status', '--data-dir', join(dir, 'text')])).stdout
    expect(down).toMatch(
      new RegExp(
        `peers {7}0\\nredialling  1\\n {2}ADDRESS +FROM +FAILED +NEXT +LAST ERROR\\n {2}\\[::1\\]:${port} +bootstrap +\\d+× +(in \\d+ s|when needed) +refused\\n`,
      ),
    )
    // it keeps redialling without a line per try, and connects once something listens there
    const late = start([
      'node',
      '--data-dir',
      join(dir, 'late'),
      '--listen',
      `[::1]:${port}`,
      '--status-interval',
      '0',
    ])
    await late.waitFor(/listening on/)
    await text.waitFor(new RegExp(`peer up \\S+ \\[::1\\]:${port} outbound`), 30_000)
    expect(text.output().match(new RegExp(line, 'g'))).toHaveLength(1)
    for (const r of [text, json, late]) expect(await r.stop('SIGTERM')).toBe(0)
  })

  it('error: a command whose --peer cannot be dialled warns with the address and the reason', async () => {
    const port = await deadPort()
    const dir = tempDir()
    const init = await run(['init', '--data-dir', dir, '--nick', 'solo'])
    expect(init.code, init.stderr).toBe(0)
    const r = await run(['friends', '--data-dir', dir, '--peer', `[::1]:${port}`])
    expect(r.code, r.stderr).toBe(0)
    // the DialError's code, then the system's reason (whatever words the node gives it)
    expect(r.stderr).toMatch(
      new RegExp(
        `^chat6: warning: no peer reachable within 5 s: \\[::1\\]:${port} refused \\([^)]*ECONNREFUSED[^)]*\\)\n$`,
      ),
    )
  })
})
