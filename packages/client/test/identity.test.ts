// Identity: made once, kept in the store (sealed under a passphrase when given), loaded again.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { verifyProof } from '@chat6/crypto'
import { createVirtualClock } from '@chat6/node/testing'
import { describe, expect, it } from 'vitest'
import {
  type Attach,
  createClient,
  createMemoryStore,
  createSqliteStore,
  type LinkHandlers,
} from '../src/index.ts'
import { fakeMesh } from './helpers/fakes.ts'
import { crypto, FAST_SEAL } from './helpers/nodes.ts'
import { tempDir } from './helpers/tmp.ts'

function setup() {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const attachment: Attach = (key, handlers) => mesh.attach(key, handlers)
  const path = join(tempDir('chat6-id-'), 'client.db')
  const open = (options: Record<string, unknown> = {}) =>
    createClient({
      attachment,
      store: createSqliteStore(path),
      crypto,
      clock,
      sealParams: FAST_SEAL,
      ...options,
    })
  return { clock, mesh, path, open }
}

describe('identity', () => {
  it('behavior: created once, then loaded with the same key and nickname', async () => {
    const { open } = setup()
    const first = await open({ nickname: 'alice' })
    const key = first.key
    await first.stop()
    const again = await open({ nickname: 'ignored: the stored one wins' })
    expect(again.key).toEqual(key)
    expect(again.nickname).toBe('alice')
    await again.stop()
  })

  it('behavior: a passphrase seals the secret; the same passphrase opens it', async () => {
    const { open, path } = setup()
    const seed = new Uint8Array(32).fill(42)
    const first = await open({ nickname: 'alice', passphrase: 'correct horse', seed })
    const key = first.key
    await first.stop()
    // the raw seed is nowhere in the file: only its sealed box
    expect(readFileSync(path).includes(Buffer.from(seed))).toBe(false)
    const again = await open({ passphrase: 'correct horse' })
    expect(again.key).toEqual(key)
    await again.stop()
  })

  it('error: a wrong passphrase is ClientError wrong_passphrase; none at all is passphrase_required', async () => {
    const { open } = setup()
    await (await open({ nickname: 'alice', passphrase: 'right' })).stop()
    await expect(open({ passphrase: 'wrong' })).rejects.toMatchObject({
      name: 'ClientError',
      code: 'wrong_passphrase',
    })
    await expect(open({})).rejects.toMatchObject({
      name: 'ClientError',
      code: 'passphrase_required',
    })
  })

  it('error: a new identity needs a valid nickname and icon', async () => {
    const { open } = setup()
    await expect(open({})).rejects.toMatchObject({ code: 'invalid_argument' })
    await expect(open({ nickname: 'x'.repeat(65) })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    await expect(open({ nickname: 'bad\u0007bell' })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
    await expect(open({ nickname: 'ok', icon: new Uint8Array(16_385) })).rejects.toMatchObject({
      code: 'invalid_argument',
    })
  })

  it('behavior: presence nonces grow across restarts and name changes (§8.1)', async () => {
    const { open, mesh, clock } = setup()
    const a = await open({ nickname: 'alice', icon: new Uint8Array([1, 2, 3]) })
    await a.setNickname('alicia')
    await a.setIcon(undefined)
    await a.stop()
    clock.jumpWall(-60_000) // the wall clock went back: nonces must still grow
    const b = await open({})
    await b.stop()
    const nonces = mesh.log
      .filter((c) => c.frame.type.startsWith('CLIENT_'))
      .map((c) => [c.frame.type, (c.frame as { nonce: number }).nonce] as const)
    expect(nonces.map(([t]) => t)).toEqual([
      'CLIENT_ONLINE',
      'CLIENT_UPDATE',
      'CLIENT_UPDATE',
      'CLIENT_OFFLINE',
      'CLIENT_ONLINE',
      'CLIENT_OFFLINE',
    ])
    for (let i = 1; i < nonces.length; i++) {
      expect((nonces[i] as [string, number])[1]).toBeGreaterThan(
        (nonces[i - 1] as [string, number])[1],
      )
    }
  })

  it('behavior: refreshPresence answers a signed CLIENT_UPDATE above the asked nonce (§8.3)', async () => {
    const clock = createVirtualClock()
    const mesh = fakeMesh(clock)
    let handlers: LinkHandlers | undefined
    const client = await createClient({
      attachment: (key, h) => {
        handlers = h
        return mesh.attach(key, h)
      },
      store: createMemoryStore(),
      crypto,
      clock,
      nickname: 'alice',
    })
    const min = clock.wallNow() + 1_000_000
    const frame = await (handlers as LinkHandlers).refreshPresence(min)
    expect(frame).toMatchObject({ type: 'CLIENT_UPDATE', nickname: 'alice' })
    expect(frame.nonce).toBeGreaterThan(min)
    expect(frame.clientkey).toEqual(client.key)
    expect(verifyProof(crypto, frame)).toBe(true)
    await client.stop()
  })

  it('error: createClient needs a node or an attachment', async () => {
    await expect(createClient({ store: createMemoryStore(), nickname: 'x' })).rejects.toMatchObject(
      {
        code: 'invalid_argument',
      },
    )
  })
})
