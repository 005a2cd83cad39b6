// Five hosts over real IPv6: each a separate process in its own network namespace, joined by
// veth pairs numbered from the ULA fd63:6836::/48, talking TCP. Line 0–1–2–3–4 plus a redundant
// 1–3 link. Presence crosses all five, a message goes end to end, then a host is SIGKILLed and a
// link is set down, and the mesh recovers each time.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { HostConfig } from '../src/host/protocol.ts'
import {
  createNetnsLab,
  type NetnsLab,
  netnsUnavailableReason,
  sweepStaleNamespaces,
} from '../src/netns/lab.ts'
import { type Report, type ReportingProcess, spawnReporting } from '../src/netns/process.ts'

const ROOT = join(import.meta.dirname, '..')
const HOST = join(ROOT, 'dist', 'host', 'main.js')
const EDGES: Array<[number, number]> = [
  [0, 1],
  [1, 2],
  [2, 3],
  [3, 4],
  [1, 3],
]
const PORT = 7600
const WAIT = 20_000

// The host program runs on built code; turbo builds it before the tests, a bare vitest run here.
function ensureBuilt(): void {
  const src = join(ROOT, 'src', 'host', 'main.ts')
  if (existsSync(HOST) && statSync(HOST).mtimeMs >= statSync(src).mtimeMs) return
  const r = spawnSync(
    process.execPath,
    [
      join(ROOT, '..', '..', 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      'tsconfig.build.json',
    ],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  )
  if (r.status !== 0) throw new Error(`building the host failed: ${r.stdout}${r.stderr}`)
}

const reason = netnsUnavailableReason()
if (reason !== undefined) console.log(`multihost test skipped: ${reason}`)

describe.skipIf(reason !== undefined)('multi-host over real IPv6', () => {
  let lab: NetnsLab | undefined
  const hosts: Array<ReportingProcess | undefined> = []
  const killAll = async () => {
    await Promise.all(hosts.map((h) => h?.kill()))
  }
  afterAll(async () => {
    await killAll()
    lab?.destroy()
  })

  const configOf = (i: number): HostConfig => {
    const mine = EDGES.filter(([a, b]) => a === i || b === i)
    const host = lab?.hosts[i]
    return {
      name: `h${i}`,
      port: PORT,
      // each side dials the other (a duplicate is refused with BYE duplicate), so a restarted
      // host and its neighbours find each other again whichever comes back first
      peers: mine.map(([a, b]) => ({
        host: host?.peerAddr.get(a === i ? b : a) as string,
        port: PORT,
      })),
      targetPeers: mine.length,
      acceptAll: true,
      timers: {
        keepaliveInterval: 500,
        keepaliveTimeout: 2_000,
        backoffMin: 200,
        backoffMax: 1_000,
        maintainInterval: 500,
        retryInterval: 2_000,
      },
    }
  }
  const start = (i: number): ReportingProcess => {
    const l = lab as NetnsLab
    const p = spawnReporting(`h${i}`, [
      ...l.execArgs(i),
      process.execPath,
      HOST,
      JSON.stringify(configOf(i)),
    ])
    hosts[i] = p
    return p
  }
  const host = (i: number): ReportingProcess => hosts[i] as ReportingProcess
  const reachableAll = (ids: string[]) => (r: Report) =>
    (r.event === 'clients' || r.event === 'status') &&
    ids.every((id) => (r.reachable as string[]).includes(id))

  it('behavior: presence across 5 hosts, a message end to end, recovery from SIGKILL and a link set down', async () => {
    ensureBuilt()
    sweepStaleNamespaces()
    lab = createNetnsLab({ hosts: 5, edges: EDGES })
    const ready: Report[] = []
    for (let i = 0; i < 5; i++) start(i)
    for (let i = 0; i < 5; i++)
      ready[i] = await host(i).waitFor((r) => r.event === 'ready', WAIT, 'ready')
    const ids = ready.map((r) => r.clientId as string)
    const keys = ready.map((r) => r.clientKey as string)

    // presence of all five clients on all five hosts
    for (let i = 0; i < 5; i++)
      await host(i).waitFor(reachableAll(ids), WAIT, 'all 5 clients reachable')

    // end to end: h0's client befriends h4's and sends
    host(0).send({ cmd: 'befriend', key: keys[4] })
    await host(0).waitFor(
      (r) => r.event === 'friend' && r.key === keys[4] && r.keyed === true,
      WAIT,
      'session with h4',
    )
    const send = async (text: string) => {
      host(0).send({ cmd: 'send', to: keys[4], text })
      await host(4).waitFor(
        (r) => r.event === 'message' && r.text === text && r.from === keys[0],
        WAIT,
        `message "${text}"`,
      )
      const sent = await host(0).waitFor((r) => r.event === 'sent' && r.text === text, WAIT, 'sent')
      await host(0).waitFor(
        (r) => r.event === 'receipt' && r.msgid === sent.msgid && r.state === 'delivered',
        WAIT,
        'receipt',
      )
    }
    await send('over five hosts')

    // h2 dies without a word: traffic moves to the redundant 1–3 link
    await host(2).kill('SIGKILL')
    expect(host(2).exited).toBe(true)
    const afterKill = host(1).reports.length
    await send('around the dead host')

    // h2 comes back (a new node key, a new client), then the 1–3 link goes down
    start(2)
    const again = await host(2).waitFor((r) => r.event === 'ready', WAIT, 'h2 ready again')
    const ids2 = [...ids.slice(0, 2), again.clientId as string, ...ids.slice(3)]
    for (const i of [0, 4]) host(i).send({ cmd: 'status' })
    await host(0).waitFor(reachableAll(ids2), WAIT, 'new h2 client reachable from h0')
    await host(1).waitFor(
      (r) => r.event === 'peers' && (r.peers as string[]).length === 3,
      WAIT,
      'h1 linked to h2 again',
      afterKill,
    )
    const beforeDown = host(1).reports.length
    const beforeDown3 = host(3).reports.length
    lab.setLink(1, 3, false)
    await host(1).waitFor(
      (r) => r.event === 'peers' && (r.peers as string[]).length === 2,
      WAIT,
      'h1 notices 1–3 down',
      beforeDown,
    )
    await host(3).waitFor(
      (r) => r.event === 'peers' && (r.peers as string[]).length === 2,
      WAIT,
      'h3 notices 1–3 down',
      beforeDown3,
    )
    await send('through h2 again')
    for (let i = 0; i < 5; i++) {
      host(i).send({ cmd: 'status' })
      await host(i).waitFor(reachableAll(ids2), WAIT, 'all 5 clients reachable at the end')
    }
    // only the first message of each text arrived: nothing was shown twice
    const texts = host(4)
      .reports.filter((r) => r.event === 'message')
      .map((r) => r.text)
    expect(texts).toEqual(['over five hosts', 'around the dead host', 'through h2 again'])
    expect(host(0).reports.filter((r) => r.event === 'error' || r.event === 'fatal')).toEqual([])
  }, 120_000)
})
