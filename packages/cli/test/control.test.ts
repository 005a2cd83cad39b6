import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { clockReply, echoReply } from '../src/bots.ts'
import { EMPTY_CONFIG, readConfig, writeConfig } from '../src/config.ts'
import { type ControlReply, probe, requestControl, serveControl } from '../src/control.ts'
import { EXIT } from '../src/exit-codes.ts'
import { createEventLog } from '../src/logline.ts'
import { type NodeStatus, statusLine, statusText } from '../src/node-status.ts'
import { cleanup, tempDir } from './helpers/cli.ts'

afterAll(cleanup)

describe('control socket', () => {
  it('behavior: answers status and streams a run; a second server on it is a conflict', async () => {
    const path = join(tempDir(), 'c.sock')
    const server = await serveControl(
      path,
      async (req, reply) => {
        if (req.op === 'status') return reply({ status: { ok: 1 } })
        reply({ out: `ran ${req.argv.join(' ')}\n` })
        reply({ exit: 3 })
      },
      'a test server',
    )
    expect(await probe(path)).toBe(true)
    const got: ControlReply[] = []
    await requestControl(path, { op: 'run', argv: ['send', 'bob'], stdoutIsTTY: false }, (r) =>
      got.push(r),
    )
    expect(got).toEqual([{ out: 'ran send bob\n' }, { exit: 3 }])
    const status: ControlReply[] = []
    await requestControl(path, { op: 'status' }, (r) => status.push(r))
    expect(status).toEqual([{ status: { ok: 1 } }])
    await expect(serveControl(path, async () => {}, 'a test server')).rejects.toMatchObject({
      code: 'conflict',
      exitCode: EXIT.CONFLICT,
    })
    await server.close()
    expect(await probe(path)).toBe(false)
  })
  it('behavior: a socket file left by a dead process is taken over', async () => {
    const path = join(tempDir(), 'c.sock')
    // a process killed with SIGKILL leaves its socket file behind
    const child = spawn(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`,
    ])
    await new Promise((r) => child.stdout.once('data', r))
    child.kill('SIGKILL')
    await new Promise((r) => child.once('close', r))
    expect(existsSync(path)).toBe(true)
    const server = await serveControl(path, async (_req, reply) => reply({ status: 'mine' }), 'x')
    const got: ControlReply[] = []
    await requestControl(path, { op: 'status' }, (r) => got.push(r))
    expect(got).toEqual([{ status: 'mine' }])
    await server.close()
  })
  it('error: nothing listening is a network error', async () => {
    await expect(
      requestControl(join(tempDir(), 'none.sock'), { op: 'status' }, () => {}),
    ).rejects.toMatchObject({ exitCode: EXIT.NETWORK })
  })
})

const status: NodeStatus = {
  role: 'node',
  pid: 1,
  id: 'abcdefghijklmnop',
  listen: '[::]:7600',
  uptimeSeconds: 5,
  peers: [
    {
      id: 'peer1234567890',
      address: '[::1]:7601',
      remote: '[::1]:50312',
      direction: 'inbound',
      listenPort: 7601,
      rttMs: 1.5,
      upSeconds: 3725,
      framesIn: 812,
      framesOut: 790,
    },
  ],
  redialling: [],
  redialDiscovered: 0,
  clients: { known: 3, online: 2, reachable: 2, attached: 0 },
  framesRelayed: 42,
  framesIn: 100,
  framesOut: 90,
  delivered: 0,
  drops: { bad_frame: 2, rate_limit: 5 },
  dropsTotal: 7,
}

describe('status and logs', () => {
  it('behavior: the status line names peers, clients, relayed frames and drops by reason', () => {
    expect(statusLine(status)).toBe(
      'status: 1 peer, 3 clients known (2 online), 42 frames relayed, 7 dropped (rate_limit 5, bad_frame 2)',
    )
    const text = statusText(status)
    // a header row, and an inbound peer by the port it listens on, not its ephemeral one
    expect(text).toContain(
      'peers       1\n  ADDRESS     DIR  RTT     UP          IN   OUT  NODE\n  [::1]:7601  in   1.5 ms  1 h 02 min  812  790  peer12345678…\n',
    )
    expect(text).not.toContain('redialling')
    // a relay with no client attached says nothing of local deliveries
    expect(text).toContain('frames      42 relayed, 100 in, 90 out\n')
    expect(text).not.toContain('delivered')
    expect(
      statusText({ ...status, role: 'client', clients: { ...status.clients, attached: 1 } }),
    ).toContain(', 0 delivered to clients here')
  })
  it('behavior: configured peers that are down are listed with their backoff; discovered ones counted', () => {
    const down: NodeStatus = {
      ...status,
      peers: [],
      redialling: [
        {
          address: '[2001:db8::7]:7600',
          source: 'bootstrap',
          failures: 3,
          nextInSeconds: 8,
          lastError: 'refused',
        },
        {
          address: '[::1]:7999',
          source: 'known',
          failures: 1,
          nextInSeconds: 0,
          lastError: undefined,
        },
      ],
      redialDiscovered: 2,
    }
    expect(statusText(down)).toContain(
      'peers       0\n' +
        'redialling  2 (and 2 learnt from neighbours)\n' +
        '  ADDRESS             FROM       FAILED  NEXT         LAST ERROR\n' +
        '  [2001:db8::7]:7600  bootstrap  3×      in 8 s       refused\n' +
        '  [::1]:7999          known      1×      when needed  -\n',
    )
  })

  it('behavior: event lines are timestamped text or JSON', () => {
    const out: string[] = []
    createEventLog(
      (t) => out.push(t),
      false,
      () => 0,
    ).line('peer-up', 'peer up x')
    createEventLog(
      (t) => out.push(t),
      true,
      () => 0,
    ).line('peer-up', 'peer up x', { peer: 'x' })
    expect(out[0]).toBe('1970-01-01T00:00:00Z peer up x\n')
    expect(JSON.parse(out[1] as string)).toEqual({
      time: '1970-01-01T00:00:00Z',
      event: 'peer-up',
      msg: 'peer up x',
      peer: 'x',
    })
  })
})

describe('config and bots', () => {
  it('behavior: config round trip; a missing file is the empty config; a bad one names the file', async () => {
    const dir = tempDir()
    const file = join(dir, 'config.json')
    expect(await readConfig(file)).toEqual(EMPTY_CONFIG)
    const c = { peers: ['[::1]:7600'], listen: undefined, allowLoopback: true, allowUla: false }
    await writeConfig(file, c)
    expect(await readConfig(file)).toEqual({ ...c, chat: {} })
    // init's network settings leave the chat screen's sections as the user wrote them
    writeFileSync(file, JSON.stringify({ notify: { bell: false }, peers: [] }))
    await writeConfig(file, c)
    expect((await readConfig(file)).chat).toEqual({ notify: { bell: false } })
    await writeConfig(file, { ...c, peers: ['10.0.0.1:1'] })
    await expect(readConfig(file)).rejects.toThrow(/config\.json is not valid/)
  })
  it('behavior: bot replies', () => {
    expect(echoReply('hi')).toBe('echo: hi')
    expect(clockReply('?', Date.UTC(2026, 0, 1, 12, 0))).toMatch(
      /^it is \d\d:00 here \(2026-01-01T12:00:00.000Z\)$/,
    )
  })
})
