import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStore } from '@chat6/client'
import { describe, expect, it } from 'vitest'
import { everyNodeKnows } from '../src/conditions.ts'
import { createMesh } from '../src/mesh.ts'

describe('mesh', () => {
  it('behavior: brings up the topology and restarts a killed node with a fresh key', async () => {
    await using mesh = await createMesh({ nodes: 5, topology: 'ring', seed: 3 })
    expect(mesh.nodes.every((n) => n.alive)).toBe(true)
    expect(mesh.node(0).peers().length).toBe(2)
    const oldId = mesh.nodes[2]?.id
    await mesh.kill(2)
    await mesh.advance(5_000)
    expect(mesh.node(1).peers().length).toBe(1)
    await mesh.restart(2)
    await mesh.until(() => mesh.node(1).peers().length === 2 && mesh.node(3).peers().length === 2, {
      what: 'relinked',
    })
    expect(mesh.nodes[2]?.id).not.toBe(oldId)
    expect(mesh.nodes[2]?.incarnation).toBe(1)
  })

  it('behavior: one seed gives the same run, frame for frame', async () => {
    const run = async (seed: number) => {
      await using mesh = await createMesh({
        nodes: 8,
        topology: { random: { degree: 3 } },
        seed,
        clients: 3,
        faults: { delay: 0.05, delayMs: [1, 50] },
      })
      for (let j = 0; j < 3; j++) await mesh.until(everyNodeKnows(mesh, j))
      await mesh.befriend(0, 1)
      await mesh.send(0, 1, 'hello')
      await mesh.kill(4)
      await mesh.advance(45_000)
      return mesh.trace.print({ full: true, omit: [] })
    }
    const a = await run(21)
    expect(a.length).toBeGreaterThan(1000)
    expect(await run(21)).toBe(a)
    expect(await run(22)).not.toBe(a)
  })

  it('behavior: a client restarted with its store keeps its identity and friends', async () => {
    await using mesh = await createMesh({ nodes: 3, seed: 4, clients: [{ node: 0 }, { node: 2 }] })
    await mesh.befriend(0, 1)
    const key = mesh.clients[1]?.key
    await mesh.stopClient(1, { clean: false })
    await mesh.restartClient(1, { node: 1 })
    expect(mesh.clients[1]?.key).toEqual(key)
    expect((await mesh.client(1).friends()).map((f) => f.status)).toEqual(['friend'])
    await mesh.until(
      () => mesh.clients[0]?.friends.get(Buffer.from(key ?? []).toString('base64'))?.keyed === true,
      {
        what: 'keyed again after the restart',
      },
    )
  })

  it('behavior: a store given as a function is reopened on restart (SQLite on disk)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat6-testkit-'))
    try {
      const path = join(dir, 'c1.db')
      await using mesh = await createMesh({
        nodes: 2,
        seed: 8,
        clients: [{ node: 0 }, { node: 1, store: () => createSqliteStore(path) }],
      })
      await mesh.befriend(0, 1)
      const key = mesh.clients[1]?.key
      await mesh.stopClient(1, { clean: false })
      await mesh.restartClient(1)
      expect(mesh.clients[1]?.key).toEqual(key)
      expect((await mesh.client(1).friends()).length).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('behavior: runs on the pure-JavaScript crypto backend too', async () => {
    await using mesh = await createMesh({
      nodes: 3,
      seed: 10,
      crypto: 'noble',
      clients: [{ node: 0 }, { node: 2 }],
    })
    await mesh.befriend(0, 1)
    const m = await mesh.send(1, 0, 'noble')
    await mesh.until(() => mesh.clients[0]?.received.some((r) => r.text === 'noble') === true)
    expect(m.text).toBe('noble')
  })

  it('error: waits name the seed and show the end of the trace', async () => {
    await using mesh = await createMesh({ nodes: 2, seed: 77 })
    await expect(mesh.until(() => false, { timeout: 1_000, what: 'never' })).rejects.toThrow(
      /never did not hold within 1000 virtual ms .*seed 77; repeat with CHAT6_SEED=77/s,
    )
    await expect(mesh.until(() => false, { timeout: 20_000 })).rejects.toMatchObject({
      name: 'MeshTimeoutError',
      seed: 77,
    })
    const dir = mkdtempSync(join(tmpdir(), 'chat6-trace-'))
    process.env.CHAT6_TRACE = dir
    try {
      await expect(mesh.until(() => false, { timeout: 1_000 })).rejects.toThrow(
        /full trace in .*chat6-trace-seed-77\.txt/,
      )
      const text = readFileSync(join(dir, 'chat6-trace-seed-77.txt'), 'utf8')
      expect(text).toContain('KEEPALIVE_REQUEST')
    } finally {
      delete process.env.CHAT6_TRACE
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('conditions', () => {
  it('behavior: a client is named by index, handle, key or hash alike', async () => {
    await using mesh = await createMesh({ nodes: 3, seed: 12, clients: [{ node: 0 }] })
    const c = mesh.clients[0]
    if (c === undefined) throw new Error('no client')
    await mesh.until(everyNodeKnows(mesh, c.key))
    for (const ref of [0, c, c.key, c.hash, c.id, Buffer.from(c.key).toString('base64')]) {
      expect(everyNodeKnows(mesh, ref)()).toBe(true)
    }
  })
})
