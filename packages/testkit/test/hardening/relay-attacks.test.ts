// Attacks by a malicious relay on an in-memory mesh (the testkit's lying node, which completes
// handshakes honestly, so every frame it sends carries a valid link MAC): replayed chat and
// session frames (§9, §10, §11), friend-request spam from many keys (§10.5), and attracting
// routes with metric 0 and dropping what it gets (§8.2, §9).

import type { Message } from '@chat6/client'
import { type ClientIdentity, createClientIdentity, createCrypto, signProof } from '@chat6/crypto'
import { decode, type Frame, type FrameOf } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import { delivered, everyNodeKnows, shownTwice } from '../../src/conditions.ts'
import { assertNoRouteLoops } from '../../src/invariants.ts'
import { createMesh } from '../../src/mesh.ts'
import type { Mesh } from '../../src/mesh-types.ts'

const RETRY = 30_000
const DEDUPE_TTL = 600_000

/** The frame of the first traced line of `type` between two nodes. */
function captured(mesh: Mesh, type: string, from: string, to: string): Frame {
  const e = mesh.trace.entries.find((x) => x.type === type && x.from === from && x.to === to)
  if (e === undefined) throw new Error(`no ${type} from ${from} to ${to} in the trace`)
  const d = decode(e.line)
  if (!d.ok) throw new Error('traced line does not decode')
  return d.envelope.frame
}

describe('replayed frames', () => {
  it('error: a replayed MESSAGE_SEND is dropped as duplicate by the relay; after DEDUPE_TTL the receiver still shows it once', async () => {
    // alice (n0) — n1 — bob (n2); the liar n3 hangs off n1
    await using mesh = await createMesh({
      nodes: 4,
      topology: {
        edges: [
          [0, 1],
          [1, 2],
          [1, 3],
        ],
      },
      liars: [3],
      seed: 4,
      clients: [{ node: 0 }, { node: 2 }],
    })
    await mesh.befriend(0, 1)
    const m = await mesh.send(0, 1, 'only once')
    await mesh.until(delivered(mesh, m))
    const frame = captured(mesh, 'MESSAGE_SEND', 'n1', 'n2')
    const dupBefore = mesh.node(1).stats().drops.duplicate ?? 0
    mesh.inject(3, frame)
    await mesh.advance(1_000)
    expect(mesh.node(1).stats().drops.duplicate ?? 0).toBe(dupBefore + 1)
    // once the relays have forgotten its hash, it reaches bob's client, which knows the msgid
    await mesh.advance(DEDUPE_TTL + 60_000)
    const reached = mesh.node(2).stats().delivered
    mesh.inject(3, frame)
    await mesh.advance(5_000)
    // bob's node handed it to bob's client (which acknowledged it again, §11) …
    expect(mesh.node(2).stats().delivered).toBe(reached + 1)
    // … which showed it once
    expect(shownTwice(mesh, 1)).toEqual([])
    expect(mesh.clients[1]?.received.filter((r) => r.text === 'only once')).toHaveLength(1)
  })

  it('error: replayed FRIEND_REQUEST and FRIEND_CONFIRM make no new session', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: {
        edges: [
          [0, 1],
          [1, 2],
          [1, 3],
        ],
      },
      liars: [3],
      seed: 5,
      clients: [{ node: 0 }, { node: 2 }],
    })
    await mesh.befriend(0, 1)
    const request = captured(mesh, 'FRIEND_REQUEST', 'n1', 'n2')
    const confirm = captured(mesh, 'FRIEND_CONFIRM', 'n1', 'n0')
    const sessions = { alice: 0, bob: 0 }
    mesh.client(0).on('session', () => sessions.alice++)
    mesh.client(1).on('session', () => sessions.bob++)
    // at once (the relays drop the duplicate hashes), and after DEDUPE_TTL (the clients refuse)
    for (const wait of [1_000, DEDUPE_TTL + 60_000]) {
      await mesh.advance(wait)
      mesh.inject(3, request)
      mesh.inject(3, confirm)
      await mesh.advance(5_000)
    }
    expect(sessions).toEqual({ alice: 0, bob: 0 })
    const m = await mesh.send(0, 1, 'still the old session')
    await mesh.until(delivered(mesh, m))
  })
})

/** A fresh stranger's signed FRIEND_REQUEST to `to`. */
function strangerRequest(id: ClientIdentity, to: Uint8Array, nonce: number) {
  return signProof(id, {
    type: 'FRIEND_REQUEST',
    timestamp: 0,
    target_hash: to,
    clientkey: id.publicKey,
    nonce,
    sessionkey: createCrypto().x25519.keygen().publicKey,
    ttl: 64,
  } as FrameOf<'FRIEND_REQUEST'>)
}

describe('friend-request spam', () => {
  it('error: requests from 400 keys keep at most MAX_PENDING_REQUESTS pending; a real friend still gets through', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: {
        edges: [
          [0, 1],
          [1, 2],
          [1, 3],
        ],
      },
      liars: [3],
      seed: 6,
      clients: [{ node: 0 }, { node: 2 }],
    })
    const bob = mesh.clients[1]
    if (bob === undefined) throw new Error('no bob')
    await mesh.until(everyNodeKnows(mesh, 1))
    let surfaced = 0
    mesh.client(1).on('friend-request', () => surfaced++)
    const ids = Array.from({ length: 400 }, () => createClientIdentity(createCrypto()))
    // in waves, so the relay's per-peer frame limits are not what stops them
    for (let wave = 0; wave < 4; wave++) {
      for (const id of ids.slice(wave * 100, wave * 100 + 100)) {
        mesh.inject(3, strangerRequest(id, bob.hash, Math.floor(mesh.clock.wallNow())))
      }
      await mesh.advance(2_000)
    }
    expect(surfaced).toBe(400)
    expect((await mesh.client(1).requests()).length).toBe(100)
    // one key repeating itself is one pending request
    const pest = ids[0] as ClientIdentity
    for (let i = 1; i <= 20; i++)
      mesh.inject(3, strangerRequest(pest, bob.hash, Math.floor(mesh.clock.wallNow()) + i))
    await mesh.advance(2_000)
    expect((await mesh.client(1).requests()).length).toBe(100)
    // alice asks in the middle of all that and bob accepts her
    await mesh.befriend(0, 1)
    const m = await mesh.send(0, 1, 'through the spam')
    await mesh.until(delivered(mesh, m))
  })
})

describe('a relay that advertises metric 0 and drops what it gets', () => {
  it('behavior: with the liar off the path next to the receiver, messages arrive through the honest path', async () => {
    // ring n0–n1–n2–n3–n0, liar n3 next to bob's node n2 and alice's node n0
    await using mesh = await createMesh({
      nodes: 5,
      topology: {
        edges: [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 4],
          [0, 4],
        ],
      },
      seed: 7,
      liars: [3],
      clients: [{ node: 0 }, { node: 2 }],
    })
    mesh.check(() => assertNoRouteLoops(mesh))
    await mesh.befriend(0, 1, { timeout: 300_000 })
    const sent: Message[] = []
    for (let i = 0; i < 5; i++) sent.push(await mesh.send(0, 1, `m${i}`))
    await mesh.until(() => sent.every((m) => delivered(mesh, m)()), { timeout: 300_000 })
    expect(shownTwice(mesh, 1)).toEqual([])
  })

  // Path diversity (§9) over feasible and, when needed, unfeasible finite routes: the retries of
  // one message (and of one session offer) rotate away from the liar the node picked first.
  it('behavior: with the liar next to the sender, retries take another path and every message arrives once', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'ring',
      seed: 1,
      liars: [3],
      clients: [{ node: 0 }, { node: 2 }],
    })
    mesh.check(() => assertNoRouteLoops(mesh))
    // the liar is n0's chosen next hop toward bob
    await mesh.until(everyNodeKnows(mesh, 1))
    expect(mesh.node(0).nextHop(mesh.clients[1]?.id as string)).toBe(mesh.nodes[3]?.id)
    await mesh.befriend(0, 1, { timeout: 10 * RETRY })
    const sent: Message[] = []
    for (let i = 0; i < 5; i++) sent.push(await mesh.send(0, 1, `around the liar ${i}`))
    await mesh.until(() => sent.every((m) => delivered(mesh, m)()), { timeout: 10 * RETRY })
    expect(mesh.liarStats(3).dropped).toBeGreaterThan(0)
    await mesh.advance(3 * RETRY)
    expect(shownTwice(mesh, 1)).toEqual([])
    expect(mesh.clients[1]?.received).toHaveLength(5)
  })
})
