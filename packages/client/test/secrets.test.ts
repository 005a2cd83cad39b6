// Forward secrecy needs session secrets to live in memory only (§1, §10.3): after friending,
// messaging and re-keying on real nodes, no ephemeral secret, shared secret, derived session key
// or ephemeral public key appears in the client's SQLite file, its WAL or its shared memory.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Crypto } from '@chat6/crypto'
import { afterAll, describe, expect, it } from 'vitest'
import { createClient, createSqliteStore, type Message } from '../src/index.ts'
import { crypto, stopAll, twoMemoryNodes } from './helpers/nodes.ts'
import { tempDir } from './helpers/tmp.ts'

/**
 * A Crypto that records a copy of every X25519 secret it can see, every public key, shared secret
 * and HKDF output.
 */
function recording(base: Crypto): { crypto: Crypto; secrets: Uint8Array[] } {
  const secrets: Uint8Array[] = []
  const keep = <T extends Uint8Array>(b: T): T => {
    secrets.push(new Uint8Array(b))
    return b
  }
  const wrapped: Crypto = {
    ...base,
    backend: base.backend,
    sha256: (d) => base.sha256(d),
    sha512: (d) => base.sha512(d),
    hmacSha256: (k, d) => base.hmacSha256(k, d),
    randomBytes: (n) => base.randomBytes(n),
    scrypt: (p, s, params) => base.scrypt(p, s, params),
    hkdfSha256: (ikm, salt, info, length) => {
      const okm = keep(base.hkdfSha256(ikm, salt, info, length))
      // each 16- and 32-byte piece is a key or a sid on its own
      for (let i = 0; i + 16 <= okm.length; i += 16) keep(okm.slice(i, i + 16))
      return okm
    },
    ed25519: base.ed25519,
    xchacha20poly1305: base.xchacha20poly1305,
    x25519: {
      keygen: (seed) => {
        const pair = base.x25519.keygen(seed)
        keep(pair.secretKey)
        keep(pair.publicKey)
        return pair
      },
      publicKey: (s) => base.x25519.publicKey(s),
      sharedSecret: (s, p) => keep(base.x25519.sharedSecret(s, p)),
      // the secret of an ephemeral key is not JS bytes on the native backend, so cannot be
      // stored by accident; its public key and what it agrees on are recorded
      ephemeral: () => {
        const k = base.x25519.ephemeral()
        keep(k.publicKey)
        return {
          publicKey: k.publicKey,
          agree: (p) => keep(k.agree(p)),
          destroy: () => k.destroy(),
        }
      },
    },
  }
  return { crypto: wrapped, secrets }
}

const dir = tempDir('chat6-secrets-')
const files = (name: string) =>
  ['', '-wal', '-shm']
    .map((suffix) => join(dir, `${name}${suffix}`))
    .filter((f) => existsSync(f))
    .map((f) => readFileSync(f))

describe('no session secret reaches the database', () => {
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c()
  })

  it('behavior: no ephemeral or session key bytes are in client.db, its WAL or shm', async () => {
    const { clock, nodes } = await twoMemoryNodes()
    cleanups.push(() => stopAll(...nodes))
    const rec = recording(crypto)
    const start = (i: 0 | 1, name: string) =>
      createClient({
        node: nodes[i],
        store: createSqliteStore(join(dir, `${name}.db`)),
        crypto: rec.crypto,
        clock,
        nickname: name,
      })
    const alice = await start(0, 'alice')
    let bob = await start(1, 'bob')
    await alice.addFriend(bob.key)
    await clock.runUntil(() => false, { maxMs: 1000 })
    await bob.accept(alice.key)
    await clock.runUntil(() => false, { maxMs: 1000 })
    const got: Message[] = []
    bob.on('message', (m) => got.push(m))
    for (let i = 0; i < 5; i++) await alice.send(bob.key, `secret message ${i}`)
    await clock.runUntil(() => got.length === 5)
    // a restart of bob makes a second round of sessions
    await bob.stop()
    bob = await start(1, 'bob')
    cleanups.push(
      () => alice.stop(),
      () => bob.stop(),
    )
    await clock.runUntil(() => false, { maxMs: 31_000 })
    await alice.send(bob.key, 'after re-key')
    await clock.runUntil(() => false, { maxMs: 1000 })
    expect((await bob.history(bob.chatId(alice.key))).map((m) => m.text)).toContain('after re-key')

    const hkdfCalls = rec.secrets.filter((s) => s.length === 80).length
    expect(hkdfCalls).toBeGreaterThanOrEqual(4) // at least two sessions on each side
    const blobs = [...files('alice.db'), ...files('bob.db')]
    expect(blobs.length).toBeGreaterThanOrEqual(4)
    const leaks = rec.secrets.filter((s) => blobs.some((b) => b.includes(Buffer.from(s))))
    expect(leaks).toEqual([])
    // and the scan does find what is meant to be stored: the scan itself works
    const alicePublic = Buffer.from(alice.key)
    expect(blobs.some((b) => b.includes(alicePublic))).toBe(true)
  })
})
