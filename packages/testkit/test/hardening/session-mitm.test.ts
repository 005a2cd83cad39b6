// A relay that swaps session keys in FRIEND_REQUEST and FRIEND_CONFIRM (§10.2, §10.4), on an
// in-memory mesh: alice's node and bob's node are linked only through the relay. While it swaps,
// no session is made with its key on either side (no friend request surfaces, no session event,
// no message opens); once it forwards honestly, the same path makes sessions and delivers the
// queued messages exactly once.
import type { FrameOf } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import { delivered, shownTwice } from '../../src/conditions.ts'
import { createMesh } from '../../src/mesh.ts'
import { type Mitm, startMitm } from './mitm.ts'

const RETRY = 30_000

async function setup(seed: number) {
  const mesh = await createMesh({
    nodes: 2,
    topology: { edges: [] },
    seed,
    clients: [{ node: 0 }, { node: 1 }],
  })
  const mitm = await startMitm(mesh, 0, 1)
  const alice = mesh.clients[0]
  const bob = mesh.clients[1]
  if (alice === undefined || bob === undefined) throw new Error('no clients')
  await mesh.until(
    () =>
      mesh.node(0).client(bob.id)?.reachable === true &&
      mesh.node(1).client(alice.id)?.reachable === true,
    { what: 'alice and bob reachable through the relay' },
  )
  const events = { requests: [0, 0], sessions: [0, 0], sids: new Set<string>() }
  const watch = (i: 0 | 1) => {
    mesh.client(i).on('friend-request', () => {
      events.requests[i] = (events.requests[i] as number) + 1
    })
    mesh.client(i).on('session', (s) => {
      events.sessions[i] = (events.sessions[i] as number) + 1
      events.sids.add(Buffer.from(s.sid).toString('base64'))
    })
  }
  watch(0)
  watch(1)
  return { mesh, mitm, alice, bob, events, watch }
}

/** The relay's own X25519 key: what it puts in place of a session key. */
const swapKey = (mitm: Mitm, key: Uint8Array) => {
  let swapped = 0
  mitm.rewrite = (f) => {
    if (f.type === 'FRIEND_REQUEST' || f.type === 'FRIEND_CONFIRM') {
      swapped++
      return { ...f, sessionkey: key } as FrameOf<'FRIEND_REQUEST'>
    }
    return f
  }
  return () => swapped
}

describe('a relay that swaps session keys', () => {
  it('error: a swapped key in a stranger’s FRIEND_REQUEST never surfaces as a request, and no session forms', async () => {
    const { mesh, mitm, alice, bob, events } = await setup(1)
    await using _ = mesh
    const relayKey = new Uint8Array(32).fill(0x42)
    const swaps = swapKey(mitm, relayKey)
    await mesh.client(0).addFriend(bob.key)
    await mesh.advance(4 * RETRY)
    expect(swaps()).toBeGreaterThanOrEqual(4)
    // bob's client checked alice's proof over the swapped key and dropped every request
    expect(events.requests[1]).toBe(0)
    expect(await mesh.client(1).requests()).toEqual([])
    expect(events.sessions).toEqual([0, 0])
    // the same path, forwarding honestly, works
    mitm.rewrite = (f) => f
    const accepted = new Promise<void>((resolve) =>
      mesh.client(1).once('friend-request', (r) => {
        void mesh
          .client(1)
          .accept(r.key)
          .then(() => resolve())
      }),
    )
    await mesh.until(() => (events.requests[1] as number) > 0, { timeout: 2 * RETRY })
    await accepted
    await mesh.until(() => events.sessions[0] === 1 && events.sessions[1] === 1, {
      timeout: 2 * RETRY,
      what: 'a session once the relay is honest',
    })
    expect(alice.friends.get(Buffer.from(bob.key).toString('base64'))?.keyed).toBe(true)
  })

  it('error: between friends, a swapped key in FRIEND_REQUEST or FRIEND_CONFIRM makes no session; queued messages wait and are delivered once when the relay is honest', async () => {
    const { mesh, mitm, alice, events, watch } = await setup(2)
    await using _ = mesh
    await mesh.befriend(0, 1)
    const base = [...events.sessions]
    const honestSids = new Set(events.sids)
    const seenBefore = mitm.seen.length
    // alice restarts: both sides now need a new session (§10.4), through a relay that swaps
    const relayKey = new Uint8Array(32).fill(0x42)
    const swaps = swapKey(mitm, relayKey)
    await mesh.stopClient(0, { clean: false })
    await mesh.restartClient(0)
    watch(0)
    events.sessions[0] = 0
    const m1 = await mesh.send(1, 0, 'queued while the relay swaps')
    await mesh.advance(5 * RETRY)
    expect(swaps()).toBeGreaterThanOrEqual(4)
    // bob answers alice's requests at once (a friend), but only those whose proof verifies:
    // no session on either side, so nothing was sealed under a key the relay knows
    expect(events.sessions[0]).toBe(0)
    expect(events.sessions[1]).toBe(base[1])
    expect(delivered(mesh, m1)()).toBe(false)
    // whatever bob sent went out under the session made before the relay turned (which alice
    // lost on restart), never under a new one
    for (const { frame } of mitm.seen.slice(seenBefore)) {
      if (frame.type === 'MESSAGE_SEND')
        expect(honestSids.has(Buffer.from(frame.sid).toString('base64'))).toBe(true)
    }
    expect(events.sids.size).toBe(honestSids.size)
    // honest again: a session forms and the message arrives once
    mitm.rewrite = (f) => f
    await mesh.until(delivered(mesh, m1), { timeout: 3 * RETRY, what: 'delivered once honest' })
    await mesh.advance(3 * RETRY)
    expect(shownTwice(mesh, alice.index)).toEqual([])
    expect(alice.received.filter((m) => m.text === 'queued while the relay swaps')).toHaveLength(1)
  })

  it('error: a relay that swaps the key in FRIEND_CONFIRM (and drops the other side’s offers) makes no session at the requester', async () => {
    const { mesh, mitm, bob, events, watch } = await setup(3)
    await using _ = mesh
    await mesh.befriend(0, 1)
    let swapped = 0
    // from bob's side: his own offers are dropped, his answers to alice carry the relay's key
    mitm.rewrite = (f, from) => {
      if (from === 1 && f.type === 'FRIEND_REQUEST') return undefined
      if (from !== 1 || f.type !== 'FRIEND_CONFIRM') return f
      swapped++
      return { ...f, sessionkey: new Uint8Array(32).fill(0x42) }
    }
    // alice restarts and offers a session; only bob's swapped confirms come back
    await mesh.stopClient(0, { clean: false })
    await mesh.restartClient(0)
    watch(0)
    events.sessions[0] = 0
    const restarted = mitm.seen.length
    const sidsBefore = new Set(events.sids)
    const m = await mesh.send(0, 1, 'after the swap')
    await mesh.advance(4 * RETRY)
    expect(swapped).toBeGreaterThanOrEqual(2)
    expect(events.sessions[0]).toBe(0)
    expect(delivered(mesh, m)()).toBe(false)
    // alice seals nothing since her restart: the MESSAGE_SENDs seen from her side since are her
    // first process's (a PROFILE, §17.3, still on its way), under a session made before
    const fromAlice = mitm.seen
      .slice(restarted)
      .flatMap((s) => (s.from === 0 && s.frame.type === 'MESSAGE_SEND' ? [s.frame] : []))
    expect(fromAlice.filter((f) => !sidsBefore.has(Buffer.from(f.sid).toString('base64')))).toEqual(
      [],
    )
    expect(fromAlice.filter((f) => f.mtype === 1)).toEqual([])
    mitm.rewrite = (f) => f
    await mesh.until(delivered(mesh, m), { timeout: 3 * RETRY })
    await mesh.advance(2 * RETRY)
    expect(bob.received.filter((r) => r.text === 'after the swap')).toHaveLength(1)
  })
})
