// Retry (§10.4, §11): unconfirmed messages are re-sent every RETRY_INTERVAL while the friend is
// online and reachable, wait in the outbox while it is not, and are shown exactly once.
import { describe, expect, it } from 'vitest'
import { delivered, everyNodeKnows, shownTwice } from '../src/conditions.ts'
import { createMesh } from '../src/mesh.ts'

const RETRY_INTERVAL = 30_000

describe('retry', () => {
  it('behavior: a message sent while its route is broken is delivered after the heal, once', async () => {
    await using mesh = await createMesh({ nodes: 3, seed: 1, clients: [{ node: 0 }, { node: 2 }] })
    await mesh.befriend(0, 1)
    mesh.cut(1, 2)
    const m = await mesh.send(0, 1, 'sent into the cut')
    await mesh.advance(5_000)
    expect(delivered(mesh, m)()).toBe(false)
    // the chat message (mtype 1), not a PROFILE (§17.3) the clients may still be exchanging
    const lost = mesh.trace.entries.filter(
      (e) => e.type === 'MESSAGE_SEND' && /\bmtype=1\b/.test(e.line) && e.fate === 'cut',
    )
    expect(lost.length).toBe(1)
    const healedAt = mesh.clock.now()
    mesh.heal(1, 2)
    await mesh.until(delivered(mesh, m), {
      timeout: RETRY_INTERVAL + 5_000,
      what: 'delivered after heal',
    })
    expect(mesh.clock.now() - healedAt).toBeLessThanOrEqual(RETRY_INTERVAL + 5_000)
    await mesh.advance(3 * RETRY_INTERVAL)
    expect(mesh.clients[1]?.received.length).toBe(1)
    expect(mesh.clients[0]?.receipts.get(Buffer.from(m.msgid).toString('base64'))).toBe('delivered')
  })

  it('behavior: retries stop on CLIENT_OFFLINE, the message waits, and is shown once when the friend is back', async () => {
    await using mesh = await createMesh({ nodes: 3, seed: 2, clients: [{ node: 0 }, { node: 2 }] })
    await mesh.befriend(0, 1)
    mesh.cut(1, 2)
    const m = await mesh.send(0, 1, 'for later')
    await mesh.advance(5_000)
    mesh.heal(1, 2)
    // B leaves before any retry has got through
    await mesh.until(() => mesh.node(1).peers().length === 2, { what: 'n1–n2 relinked' })
    await mesh.stopClient(1)
    await mesh.until(everyNodeKnows(mesh, 1, { status: 'offline' }), { timeout: 10_000 })
    const offlineAt = mesh.clock.now()
    await mesh.advance(4 * RETRY_INTERVAL)
    const after = mesh.trace.entries.filter(
      (e) => e.type === 'MESSAGE_SEND' && e.from === 'n0' && e.at > offlineAt,
    )
    expect(after).toEqual([])
    expect((await mesh.client(0).outbox()).map((o) => o.text)).toEqual(['for later'])
    await mesh.restartClient(1)
    await mesh.until(delivered(mesh, m), {
      timeout: 2 * RETRY_INTERVAL,
      what: 'delivered once back',
    })
    await mesh.advance(3 * RETRY_INTERVAL)
    expect(shownTwice(mesh, 1)).toEqual([])
    expect(mesh.clients[1]?.received.map((r) => r.text)).toEqual(['for later'])
  })

  it('behavior: messages to an offline friend are delivered in outbox order when it comes back', async () => {
    await using mesh = await createMesh({
      nodes: 4,
      topology: 'line',
      seed: 3,
      clients: [{ node: 0 }, { node: 3 }],
    })
    await mesh.befriend(0, 1)
    await mesh.stopClient(1)
    await mesh.until(everyNodeKnows(mesh, 1, { status: 'offline' }), { timeout: 10_000 })
    const texts = ['one', 'two', 'three', 'four']
    for (const t of texts) await mesh.send(0, 1, t)
    await mesh.advance(2 * RETRY_INTERVAL)
    expect(mesh.clients[1]?.received).toEqual([])
    await mesh.restartClient(1)
    await mesh.until(() => mesh.clients[1]?.received.length === texts.length, {
      timeout: 2 * RETRY_INTERVAL,
    })
    expect(mesh.clients[1]?.received.map((r) => r.text)).toEqual(texts)
    await mesh.advance(3 * RETRY_INTERVAL)
    expect(mesh.clients[1]?.received.length).toBe(texts.length)
  })
})
