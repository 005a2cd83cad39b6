// Faults over many seeds on the in-memory mesh (§9, §11): a relay killed with a message inside
// it, a recipient killed between storing and acknowledging, a sender restarted with a full
// outbox, a partition healed, wall-clock jumps of ±1 h and ±24 h, and one message arriving over
// two paths. For each: every message is shown exactly once and acknowledged, no route loop forms
// at any moment (checked after every timer), and a wall-clock jump fires no keepalive timeout.
// CHAT6_SEEDS=n runs n seeds per scenario, CHAT6_SEED=s one seed.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStore, type Message, type StoreError } from '@chat6/client'
import { base64Encode, decode } from '@chat6/wire'
import { afterAll, describe, expect, it } from 'vitest'
import { acknowledged, delivered, shownTwice } from '../../src/conditions.ts'
import { assertNoRouteLoops } from '../../src/invariants.ts'
import { createMesh } from '../../src/mesh.ts'
import type { Mesh } from '../../src/mesh-types.ts'
import { seeds } from '../../src/seed.ts'

const RETRY = 30_000
const SEEDS = seeds(4)

/** Node indexes by hop distance from `from` over the mesh's edges. */
function distances(mesh: Mesh, from: number): number[] {
  const d = mesh.nodes.map(() => Number.POSITIVE_INFINITY)
  d[from] = 0
  const queue = [from]
  while (queue.length > 0) {
    const x = queue.shift() as number
    for (const [a, b] of mesh.edges) {
      const y = a === x ? b : b === x ? a : -1
      if (y >= 0 && d[y] === Number.POSITIVE_INFINITY) {
        d[y] = (d[x] as number) + 1
        queue.push(y)
      }
    }
  }
  return d
}

/** A mesh with alice on node 0 and bob on the node farthest from it, friends, loops checked. */
async function pairMesh(seed: number, nodes = 10) {
  const mesh = await createMesh({ nodes, topology: { random: { degree: 3 } }, seed })
  const d = distances(mesh, 0)
  const far = d.indexOf(Math.max(...d))
  expect(d[far]).toBeGreaterThanOrEqual(2)
  await mesh.addClient({ node: 0 })
  await mesh.addClient({ node: far })
  mesh.check(() => assertNoRouteLoops(mesh))
  await mesh.befriend(0, 1, { timeout: 300_000 })
  return { mesh, far }
}

/** Every message shown once by its recipient and acknowledged to its sender. */
async function allOnce(mesh: Mesh, sent: Array<{ from: number; to: number; msg: Message }>) {
  await mesh.until(
    () => sent.every((s) => delivered(mesh, s.msg)() && acknowledged(mesh, s.from, s.msg)()),
    { timeout: 20 * RETRY, what: `seed ${mesh.seed}: every message delivered and acknowledged` },
  )
  // long enough for every retry still queued to have come and gone
  await mesh.advance(3 * RETRY)
  for (const c of mesh.clients) {
    expect(shownTwice(mesh, c.index)).toEqual([])
    expect(c.received.length).toBe(sent.filter((s) => s.to === c.index).length)
  }
}

/** Whether alice holds a session with bob. */
const keyed = (mesh: Mesh) =>
  mesh.clients[0]?.friends.get(base64Encode(mesh.clients[1]?.key as Uint8Array))?.keyed === true

/** Traced MESSAGE_SEND lines written by `from` that carry `msg`'s msgid. */
function copiesFrom(mesh: Mesh, from: string, msg: Message) {
  const id = base64Encode(msg.msgid)
  return mesh.trace.entries.filter((e) => {
    if (e.type !== 'MESSAGE_SEND' || e.from !== from) return false
    const d = decode(e.line)
    return (
      d.ok &&
      d.envelope.frame.type === 'MESSAGE_SEND' &&
      base64Encode(d.envelope.frame.msgid) === id
    )
  })
}

/** The relays on alice's current route to bob, in order. */
function routeRelays(mesh: Mesh): number[] {
  const bob = mesh.clients[1]?.id as string
  const out: number[] = []
  let at = mesh.nodes[0]
  for (let hops = 0; hops < mesh.nodes.length && at?.node !== undefined; hops++) {
    const next = at.node.nextHop(bob)
    if (next === undefined || next === 'local') break
    at = mesh.nodes.find((n) => n.id === next)
    if (at !== undefined && at.index !== mesh.clients[1]?.node) out.push(at.index)
  }
  return out
}

describe('relay killed between receiving and forwarding', () => {
  for (const seed of SEEDS) {
    it(`behavior: the message inside the dead relay is re-sent around it and shown once (seed ${seed})`, async () => {
      const { mesh } = await pairMesh(seed)
      await using _ = mesh
      const sent: Array<{ from: number; to: number; msg: Message }> = []
      for (let k = 0; k < 3; k++) {
        await mesh.until(() => routeRelays(mesh).length > 0 && keyed(mesh), {
          what: 'alice has a route through relays to bob, and a session',
        })
        const relays = routeRelays(mesh)
        const victim = relays[k % relays.length] as number
        const node = mesh.node(victim)
        const before = node.stats().framesIn.MESSAGE_SEND ?? 0
        const msg = await mesh.send(0, 1, `k${k}`)
        sent.push({ from: 0, to: 1, msg })
        // the relay has the frame: it read it and wrote it on toward bob, still in flight
        await mesh.until(() => (node.stats().framesIn.MESSAGE_SEND ?? 0) > before, {
          what: `n${victim} receives the message`,
        })
        await mesh.kill(victim)
        await mesh.advance(5_000)
        // (a relay that was a cut vertex comes back as a fresh node; the others are routed around)
        await mesh.restart(victim)
        // that copy is gone; alice's client sent the message again (a new frame, §9)
        await mesh.until(delivered(mesh, msg), { timeout: 3 * RETRY, what: 're-sent' })
        expect(copiesFrom(mesh, 'n0', msg).length).toBeGreaterThanOrEqual(2)
      }
      await allOnce(mesh, sent)
    }, 30_000)
  }
})

describe('recipient killed between storing and acknowledging', () => {
  for (const seed of SEEDS) {
    it(`behavior: the stored message is acknowledged after the restart and shown once (seed ${seed})`, async () => {
      const { mesh, far } = await pairMesh(seed)
      await using _ = mesh
      const sent: Array<{ from: number; to: number; msg: Message }> = []
      for (let k = 0; k < 3; k++) {
        const msg = await mesh.send(0, 1, `k${k}`)
        sent.push({ from: 0, to: 1, msg })
        // bob's client stored it and wrote MESSAGE_RECV; his node dies before it leaves
        await mesh.until(delivered(mesh, msg))
        await mesh.kill(far)
        expect(acknowledged(mesh, 0, msg)()).toBe(false)
        await mesh.advance(2 * RETRY)
        await mesh.restart(far)
      }
      await allOnce(mesh, sent)
    }, 30_000)
  }
})

describe('sender restarted with a full outbox', () => {
  for (const seed of SEEDS) {
    it(`behavior: 100 queued messages (beyond the in-flight window) survive a crash and are shown once (seed ${seed})`, async () => {
      const { mesh, far } = await pairMesh(seed)
      await using _ = mesh
      // bob's node is cut off: everything queues, the first window goes out into the cut
      const cut = mesh.edges.filter(([a, b]) => a === far || b === far)
      for (const [a, b] of cut) mesh.cut(a, b)
      const sent: Array<{ from: number; to: number; msg: Message }> = []
      for (let k = 0; k < 100; k++)
        sent.push({ from: 0, to: 1, msg: await mesh.send(0, 1, `q${k}`) })
      await mesh.advance(5_000)
      expect((await mesh.client(0).outbox()).length).toBe(100)
      await mesh.stopClient(0, { clean: false })
      await mesh.advance(RETRY)
      await mesh.restartClient(0)
      expect((await mesh.client(0).outbox()).length).toBe(100)
      mesh.heal()
      await allOnce(mesh, sent)
      expect(await mesh.client(0).outbox()).toEqual([])
    }, 30_000)
  }
})

describe('partition and heal', () => {
  for (const seed of SEEDS) {
    it(`behavior: messages sent across a partition arrive once after the heal, no loop at any moment (seed ${seed})`, async () => {
      await using mesh = await createMesh({
        nodes: 12,
        topology: { random: { degree: 3 } },
        seed,
        clients: [0, 2, 7, 11].map((node) => ({ node })),
      })
      mesh.check(() => assertNoRouteLoops(mesh))
      await mesh.befriend(0, 2)
      await mesh.befriend(1, 3)
      await mesh.befriend(0, 3)
      mesh.partition([
        [0, 1, 2, 3, 4, 5],
        [6, 7, 8, 9, 10, 11],
      ])
      const sent: Array<{ from: number; to: number; msg: Message }> = []
      for (let k = 0; k < 6; k++) {
        const [from, to] = (
          [
            [0, 2],
            [2, 0],
            [1, 3],
            [3, 1],
            [0, 3],
            [3, 0],
          ] as const
        )[k] as [number, number]
        sent.push({ from, to, msg: await mesh.send(from, to, `across ${k}`) })
        await mesh.advance(10_000)
      }
      await mesh.advance(60_000)
      expect(sent.some((s) => delivered(mesh, s.msg)())).toBe(false)
      mesh.heal()
      await allOnce(mesh, sent)
    }, 30_000)
  }
})

describe('wall-clock jumps', () => {
  for (const jump of [3_600_000, -3_600_000, 86_400_000, -86_400_000]) {
    it(`behavior: wall-clock jumps of ${jump / 3_600_000} h fire no keepalive timeout and stall none, and every message arrives once`, async () => {
      const { mesh } = await pairMesh(100 + jump / 3_600_000)
      await using _ = mesh
      const timeouts: string[] = []
      const links = () =>
        mesh.nodes.map((n) =>
          n.node
            ?.peers()
            .map((p) => `${p.id}@${p.upAt}`)
            .sort()
            .join(),
        )
      for (const n of mesh.nodes)
        n.node?.on('peer:disconnect', (e) => e.reason === 'timeout' && timeouts.push(n.name))
      const sent: Array<{ from: number; to: number; msg: Message }> = []
      sent.push({ from: 0, to: 1, msg: await mesh.send(0, 1, 'before') })
      await mesh.until(delivered(mesh, sent[0]?.msg as Message))
      await mesh.advance(10_000)
      const linksBefore = links()
      // the clock jumps there and back every few seconds (so that idle checks fall between a jump
      // and the next line on some link), then once more and stays
      for (let i = 0; i < 10; i++) {
        mesh.clock.jumpWall(jump)
        await mesh.advance(3_000)
        mesh.clock.jumpWall(-jump)
        await mesh.advance(3_000)
      }
      mesh.clock.jumpWall(jump)
      sent.push({ from: 0, to: 1, msg: await mesh.send(0, 1, 'right after') })
      sent.push({ from: 1, to: 0, msg: await mesh.send(1, 0, 'back') })
      // many keepalive intervals and timeouts, on the monotonic clock
      await mesh.advance(5 * 30_000)
      expect(timeouts).toEqual([])
      expect(links()).toEqual(linksBefore)
      await allOnce(mesh, sent)
      // and a link that really goes silent is still given up within KEEPALIVE_TIMEOUT (no stall)
      const [a, b] = mesh.edges[0] as readonly [number, number]
      mesh.cut(a, b)
      await mesh.advance(30_000 + 15_000)
      expect(timeouts.sort()).toEqual([`n${a}`, `n${b}`].sort())
    }, 30_000)
  }

  // A FRIEND_REQUEST nonce is max(last + 1, wall clock): after the wall clock jumps back, a
  // client's nonces run ahead of every clock by the size of the jump. A friend's requests are
  // judged by the nonce on record alone (§10.1), so a new session is still made at once.
  for (const jump of [-3_600_000, -86_400_000]) {
    it(`behavior: after a wall-clock jump of ${jump / 3_600_000} h a restarted client makes a new session and its messages arrive`, async () => {
      const { mesh } = await pairMesh(200)
      await using _ = mesh
      mesh.clock.jumpWall(jump)
      await mesh.stopClient(0, { clean: false })
      await mesh.restartClient(0)
      const msg = await mesh.send(0, 1, 'after the jump and a restart')
      await allOnce(mesh, [{ from: 0, to: 1, msg }])
    })
  }
})

describe('one message over two paths', () => {
  for (const seed of SEEDS) {
    it(`behavior: copies of a message arriving over both arms of a diamond are shown once (seed ${seed})`, async () => {
      // alice on n0, bob on n3; two equal arms n0–n1–n3 and n0–n2–n3
      await using mesh = await createMesh({
        nodes: 4,
        topology: {
          edges: [
            [0, 1],
            [0, 2],
            [1, 3],
            [2, 3],
          ],
        },
        seed,
        clients: [{ node: 0 }, { node: 3 }],
      })
      mesh.check(() => assertNoRouteLoops(mesh))
      await mesh.befriend(0, 1)
      // bob's acknowledgements are lost for a while: alice's retries rotate over both arms (§9)
      mesh.setFaults({ drop: 1, types: ['MESSAGE_RECV'] })
      const msg = await mesh.send(0, 1, 'twice over')
      await mesh.advance(4 * RETRY + 5_000)
      mesh.setFaults(undefined)
      await allOnce(mesh, [{ from: 0, to: 1, msg }])
      const id = base64Encode(msg.msgid)
      const arms = new Set(
        mesh.trace.entries
          .filter((e) => e.type === 'MESSAGE_SEND' && e.to === 'n3' && e.fate === 'sent')
          .filter((e) => {
            const d = decode(e.line)
            return (
              d.ok &&
              d.envelope.frame.type === 'MESSAGE_SEND' &&
              base64Encode(d.envelope.frame.msgid) === id
            )
          })
          .map((e) => e.from),
      )
      expect([...arms].sort()).toEqual(['n1', 'n2'])
      expect(mesh.clients[1]?.received.filter((m) => m.text === 'twice over')).toHaveLength(1)
    }, 30_000)
  }
})

describe('the client’s database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chat6-hardening-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('error: a full disk at the receiver is StoreError full; nothing acknowledged is lost, and the rest arrives once when there is room; a corrupt file is StoreError corrupt', async () => {
    const path = join(dir, 'bob.db')
    let maxPages = 60
    await using mesh = await createMesh({
      nodes: 3,
      seed: 9,
      clients: [{ node: 0 }, { node: 2, store: () => createSqliteStore(path, { maxPages }) }],
    })
    await mesh.befriend(0, 1)
    const errors: StoreError[] = []
    mesh.client(1).on('error', (e) => errors.push(e as StoreError))
    const body = 'x'.repeat(8_000)
    const sent: Message[] = []
    for (let i = 0; i < 40; i++) sent.push(await mesh.send(0, 1, `${i}:${body}`))
    await mesh.advance(5_000)
    expect(errors[0]).toMatchObject({ name: 'StoreError', code: 'full' })
    const acked = sent.filter((m) => acknowledged(mesh, 0, m)())
    expect(acked.length).toBeGreaterThan(0)
    expect(acked.length).toBeLessThan(40)
    // bob crashes; on restart (with room again) every message alice saw acknowledged is on disk
    await mesh.stopClient(1, { clean: false })
    maxPages = 100_000
    await mesh.restartClient(1)
    const chat = mesh.client(1).chatId(mesh.clients[0]?.key as Uint8Array)
    const stored = new Set((await mesh.client(1).history(chat, { limit: 100 })).map((m) => m.text))
    for (const m of acked) expect(stored.has(m.text)).toBe(true)
    // and alice's retries bring the rest, each once
    await mesh.until(() => sent.every((m) => acknowledged(mesh, 0, m)()), { timeout: 4 * RETRY })
    const all = await mesh.client(1).history(chat, { limit: 100 })
    expect(all).toHaveLength(40)
    expect(new Set(all.map((m) => m.text)).size).toBe(40)
    expect(await mesh.client(0).outbox()).toEqual([])

    // a damaged file: a typed error at start, and the sender keeps what it could not deliver
    await mesh.stopClient(1, { clean: false })
    writeFileSync(path, 'not a database '.repeat(1_000))
    await expect(mesh.restartClient(1)).rejects.toMatchObject({
      name: 'StoreError',
      code: 'corrupt',
    })
    const later = await mesh.send(0, 1, 'while bob’s file is broken')
    await mesh.advance(2 * RETRY)
    expect((await mesh.client(0).outbox()).map((m) => m.text)).toEqual([later.text])
  }, 30_000)
})
