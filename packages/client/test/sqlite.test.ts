// Delivery across restarts, crashes, a full disk and a damaged file, on real SQLite files.
import { execFileSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statfsSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createVirtualClock } from '@chat6/node/testing'
import { afterAll, describe, expect, it } from 'vitest'
import type { Message } from '../src/api.ts'
import type { StoreError } from '../src/errors.ts'
import { createSqliteStore, SCHEMA_VERSION, type SqliteStoreOptions } from '../src/store/sqlite.ts'
import { fakeMesh } from './helpers/fakes.ts'
import { fakeClient, type Harnessed } from './helpers/harness.ts'
import { message } from './store-contract.ts'

const root = mkdtempSync(join(tmpdir(), 'chat6-client-sqlite-'))
const mounts: string[] = []
afterAll(() => {
  // lazy: a store a failed test left open must not keep the mount busy
  for (const m of mounts) execFileSync('umount', ['-l', m])
  rmSync(root, { recursive: true, force: true })
})
let n = 0
const newDir = () => {
  const dir = join(root, `d${n++}`)
  execFileSync('mkdir', ['-p', dir])
  return dir
}

async function pair(bPath = join(newDir(), 'client.db'), bOptions: SqliteStoreOptions = {}) {
  const clock = createVirtualClock()
  const mesh = fakeMesh(clock)
  const aPath = join(newDir(), 'client.db')
  const a = await fakeClient(mesh, clock, { store: createSqliteStore(aPath), nickname: 'alice' })
  const b = await fakeClient(mesh, clock, {
    store: createSqliteStore(bPath, bOptions),
    nickname: 'bob',
  })
  await a.client.addFriend(b.key)
  await clock.tick()
  await b.client.accept(a.key)
  await clock.tick()
  const reopen = (h: Harnessed, path: string, options: SqliteStoreOptions = {}) =>
    fakeClient(mesh, clock, { key: h.key, store: createSqliteStore(path, options) })
  return { clock, mesh, a, b, aPath, bPath, reopen }
}

const texts = (ms: Message[]) => ms.map((m) => m.text)

describe('sqlite: restarts and crashes', () => {
  it('behavior: a friend’s PROFILE and which of ours they acknowledged are kept in the file (§17.3)', async () => {
    const { clock, mesh, a, b, aPath, bPath, reopen } = await pair()
    await a.client.setStatus({ availability: 'busy', note: 'in a meeting' })
    await clock.tick()
    const profiles = () =>
      mesh.sent('MESSAGE_SEND', a.key).filter((c) => (c.frame as { mtype: number }).mtype === 2)
        .length
    expect(profiles()).toBe(2)
    await a.client.stop()
    await b.client.stop()
    await clock.tick()
    const b2 = await reopen(b, bPath)
    await clock.tick()
    const alice = (await b2.client.friends())[0]
    expect([alice?.online, alice?.availability, alice?.note]).toEqual([
      false,
      'busy',
      'in a meeting',
    ])
    const a2 = await reopen(a, aPath)
    await clock.advance(1000)
    expect((await a2.client.friends())[0]?.keyed).toBe(true)
    expect(a2.client.status).toEqual({ availability: 'busy', note: 'in a meeting' })
    // bob has this one: the new session sends no PROFILE, the next change does
    expect(profiles()).toBe(2)
    await a2.client.setStatus({ availability: 'online' })
    await clock.tick()
    expect(profiles()).toBe(3)
    expect((await b2.client.friends())[0]?.availability).toBe('online')
    await a2.client.stop()
    await b2.client.stop()
  })

  it('behavior: queued messages survive the sender’s restart and go out once the friend is back', async () => {
    const { clock, mesh, a, b, aPath, bPath, reopen } = await pair()
    await b.client.stop()
    await clock.tick()
    for (const t of ['one', 'two', 'three']) await a.client.send(b.key, t)
    await a.client.stop()
    await clock.advance(60_000)

    const a2 = await reopen(a, aPath)
    expect(texts(await a2.client.outbox())).toEqual(['one', 'two', 'three'])
    const b2 = await reopen(b, bPath)
    const got: Message[] = []
    b2.client.on('message', (m) => got.push(m))
    await clock.advance(1000)
    expect(texts(got)).toEqual(['one', 'two', 'three'])
    expect(await a2.client.outbox()).toEqual([])
    const states = (await a2.client.history(a2.client.chatId(b.key))).map((m) => m.state)
    expect(states).toEqual(['delivered', 'delivered', 'delivered'])
    expect(mesh.chat('MESSAGE_SEND', a.key)).toHaveLength(3)
  })

  it('behavior: a receiver that dies between storing and acknowledging gets the retry, re-acks, and shows the message once', async () => {
    const { clock, mesh, a, b, bPath, reopen } = await pair()
    const events: Message[] = []
    b.client.on('message', (m) => events.push(m))
    // B stores the message, then its process dies before MESSAGE_RECV leaves
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    await a.client.send(b.key, 'exactly once')
    await clock.tick()
    expect(texts(events)).toEqual(['exactly once'])
    mesh.crash(b.key)
    await b.client.stop({ offline: false })
    mesh.drop(() => false)
    await clock.advance(60_000)
    expect((await a.client.outbox()).map((m) => m.state)).toEqual(['sent'])

    const b2 = await reopen(b, bPath)
    const again: Message[] = []
    b2.client.on('message', (m) => again.push(m))
    await clock.advance(31_000)
    expect(again).toEqual([])
    expect(texts(await b2.client.history(b2.client.chatId(a.key)))).toEqual(['exactly once'])
    expect(await a.client.outbox()).toEqual([])
    expect(
      mesh.chat('MESSAGE_RECV', b.key).filter((c) => c.delivered).length,
    ).toBeGreaterThanOrEqual(1)
  })

  it('behavior: a sender that dies after sending resends after restart; the receiver dedupes', async () => {
    const { clock, mesh, a, b, aPath, reopen } = await pair()
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    mesh.drop((f) => f.type === 'MESSAGE_RECV')
    await a.client.send(b.key, 'again?')
    await clock.tick()
    mesh.crash(a.key)
    await a.client.stop({ offline: false })
    mesh.drop(() => false)
    const a2 = await reopen(a, aPath)
    await clock.advance(1000)
    expect(await a2.client.outbox()).toEqual([])
    expect(texts(got)).toEqual(['again?'])
  })
})

describe('sqlite: read receipts', () => {
  it('behavior: a message read while its sender is offline shows read at the sender after the reader restarts', async () => {
    const { clock, mesh, a, b, aPath, bPath, reopen } = await pair()
    const got: Message[] = []
    b.client.on('message', (m) => got.push(m))
    await a.client.send(b.key, 'read me later')
    await clock.tick()
    expect(texts(got)).toEqual(['read me later'])
    await a.client.stop()
    await clock.tick()

    await b.client.markRead(got[0] as Message)
    await b.client.stop()
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(0)
    // the receipt is in the file, not in the stopped process
    const file = createSqliteStore(bPath)
    expect(file.pendingReads()).toHaveLength(1)
    file.close()

    await clock.advance(60_000)
    const b2 = await reopen(b, bPath)
    await clock.advance(60_000)
    const a2 = await reopen(a, aPath)
    const receipts: string[] = []
    a2.client.on('receipt', (r) => receipts.push(r.state))
    await clock.tick()
    expect(receipts).toEqual(['read'])
    expect((await a2.client.history(a2.client.chatId(b.key))).map((m) => m.state)).toEqual(['read'])
    expect((await b2.client.history(b2.client.chatId(a.key))).map((m) => m.state)).toEqual(['read'])
    expect(mesh.chat('MESSAGE_READ', b.key)).toHaveLength(1)
    await b2.client.stop()
    const after = createSqliteStore(bPath)
    expect(after.pendingReads()).toEqual([])
    after.close()
    await a2.client.stop()
  })
})

/** Mounts a small tmpfs (root only); undefined when this machine does not allow it. */
function tmpfs(size: string): string | undefined {
  const dir = newDir()
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'ignore' })
  } catch {
    return undefined
  }
  mounts.push(dir)
  return dir
}

const fullDisk = tmpfs('2m')
const modes = [...(fullDisk ? ['tmpfs'] : []), 'max_page_count'] as const
if (!fullDisk) console.warn('disk-full test: cannot mount tmpfs here, only max_page_count runs')

describe.each(modes)('sqlite: disk full (%s)', (mode) => {
  it('error: a full disk surfaces StoreError full, acknowledges nothing unstored, and loses nothing acknowledged', async () => {
    const dir = mode === 'tmpfs' ? (fullDisk as string) : newDir()
    const bPath = join(dir, 'client.db')
    const filler = join(dir, 'filler')
    const { clock, a, b, reopen } = await pair(bPath, mode === 'tmpfs' ? {} : { maxPages: 60 })
    if (mode === 'tmpfs') {
      const { bavail, bsize } = statfsSync(dir)
      writeFileSync(filler, new Uint8Array(Math.max(0, bavail * bsize - 150_000)))
    }
    const errors: StoreError[] = []
    b.client.on('error', (e) => errors.push(e as StoreError))
    const body = 'x'.repeat(8000)
    for (let i = 0; i < 40; i++) await a.client.send(b.key, `${i}:${body}`)
    await clock.tick()
    expect(errors.length).toBeGreaterThan(0)
    expect(errors[0]).toMatchObject({ name: 'StoreError', code: 'full' })
    const delivered = (await a.client.history(a.client.chatId(b.key), { limit: 100 })).filter(
      (m) => m.state === 'delivered',
    )
    expect(delivered.length).toBeGreaterThan(0)
    expect(delivered.length).toBeLessThan(40)

    // restart the receiver: every message the sender saw acknowledged is on disk
    await b.client.stop({ offline: false })
    if (mode === 'tmpfs') {
      // starting needs to persist the presence nonce: on a full disk that is a typed error
      await expect(reopen(b, bPath)).rejects.toMatchObject({ name: 'StoreError', code: 'full' })
      rmSync(filler)
    }
    const b2 = await reopen(b, bPath, mode === 'tmpfs' ? {} : { maxPages: 10_000 })
    const stored = await b2.client.history(b2.client.chatId(a.key), { limit: 100 })
    const storedIds = new Set(stored.map((m) => m.text))
    for (const m of delivered) expect(storedIds.has(m.text)).toBe(true)

    // room again: the retries bring the rest, each exactly once
    await clock.advance(65_000)
    const all = await b2.client.history(b2.client.chatId(a.key), { limit: 100 })
    expect(all).toHaveLength(40)
    expect(new Set(all.map((m) => m.text)).size).toBe(40)
    expect(await a.client.outbox()).toEqual([])
    await b2.client.stop()
    await a.client.stop()
  })
})

describe('sqlite: file modes', () => {
  const modes = (path: string) =>
    [path, `${path}-wal`, `${path}-shm`].map((f) => (statSync(f).mode & 0o777).toString(8))

  it('behavior: the database, its WAL and its shm are created readable by their owner only (0600)', () => {
    const path = join(newDir(), 'client.db')
    const store = createSqliteStore(path)
    store.addOutgoing(message()) // a write: the WAL now holds history
    expect([`${path}-wal`, `${path}-shm`].every(existsSync)).toBe(true)
    expect(modes(path)).toEqual(['600', '600', '600'])
    store.close()
  })

  it('behavior: a file an older build left world-readable is made private when opened', () => {
    const path = join(newDir(), 'client.db')
    createSqliteStore(path).close()
    chmodSync(path, 0o644)
    const store = createSqliteStore(path)
    store.addOutgoing(message())
    expect(modes(path)).toEqual(['600', '600', '600'])
    store.close()
  })
})

describe('sqlite: damaged files', () => {
  it('error: a file that is not a database is StoreError corrupt', () => {
    const path = join(newDir(), 'client.db')
    writeFileSync(
      path,
      'this is not a sqlite database, just some text that is long enough'.repeat(100),
    )
    expect(() => createSqliteStore(path)).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'corrupt' }),
    )
  })

  it('error: a database with damaged pages is StoreError corrupt', () => {
    const path = join(newDir(), 'client.db')
    const s = createSqliteStore(path)
    for (let i = 0; i < 200; i++) s.setMeta(`k${i}`, 'v'.repeat(200))
    s.close()
    const bytes = readFileSync(path)
    // keep the header page, scribble over the b-tree pages behind it
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 131) & 0xff
    writeFileSync(path, bytes)
    expect(() => createSqliteStore(path)).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'corrupt' }),
    )
  })

  it('behavior: the schema version is recorded and reopening does not migrate twice', () => {
    const path = join(newDir(), 'client.db')
    createSqliteStore(path).close()
    createSqliteStore(path).close()
    const out = execFileSync('node', [
      '-e',
      `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});const d=new D(${JSON.stringify(path)});console.log(JSON.stringify(d.prepare('select version from migrations').all()));console.log(d.pragma('journal_mode',{simple:true}))`,
    ]).toString()
    expect(out).toBe('[{"version":1},{"version":2},{"version":3}]\nwal\n')
    expect(SCHEMA_VERSION).toBe(3)
  })

  it('behavior: a version 2 file is migrated to version 3 (profiles) and keeps its data', () => {
    const path = join(newDir(), 'client.db')
    const s = createSqliteStore(path)
    s.setMeta('kept', 'yes')
    const read = {
      peer: new Uint8Array(32).fill(1),
      chatid: new Uint8Array(16).fill(2),
      msgid: new Uint8Array(16).fill(3),
    }
    s.putPendingRead(read)
    s.close()
    // take the file back to version 2: what a client of the previous release left behind
    execFileSync('node', [
      '-e',
      `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});const d=new D(${JSON.stringify(path)});d.exec('DROP TABLE profiles; DELETE FROM migrations WHERE version = 3');d.close()`,
    ])
    const t = createSqliteStore(path)
    expect(t.getMeta('kept')).toBe('yes')
    expect(t.pendingReads()).toEqual([read])
    const profile = {
      hash: new Uint8Array(32).fill(4),
      theirs: undefined,
      acked: 1,
      pending: undefined,
    }
    t.putProfile(profile)
    expect(t.getProfile(profile.hash)).toEqual(profile)
    t.close()
  })

  it('behavior: a version 1 file is migrated to the current version and keeps its data', () => {
    const path = join(newDir(), 'client.db')
    const s = createSqliteStore(path)
    s.setMeta('kept', 'yes')
    s.addIncoming({
      peer: new Uint8Array(32).fill(1),
      chatid: new Uint8Array(16).fill(2),
      msgid: new Uint8Array(16).fill(3),
      outgoing: false,
      mtype: 1,
      body: new Uint8Array([104, 105]),
      state: 'read',
      time: 1,
    })
    s.close()
    // take the file back to version 1: what a client of the previous release left behind
    execFileSync('node', [
      '-e',
      `const D=require(${JSON.stringify(require.resolve('better-sqlite3'))});const d=new D(${JSON.stringify(path)});d.exec('DROP TABLE profiles; DROP TABLE pending_reads; DELETE FROM migrations WHERE version >= 2');d.close()`,
    ])
    const t = createSqliteStore(path)
    expect(t.getMeta('kept')).toBe('yes')
    expect(t.history(new Uint8Array(16).fill(2), { limit: 10 })).toHaveLength(1)
    const read = {
      peer: new Uint8Array(32).fill(1),
      chatid: new Uint8Array(16).fill(2),
      msgid: new Uint8Array(16).fill(3),
    }
    t.putPendingRead(read)
    expect(t.pendingReads()).toEqual([read])
    t.close()
  })
})
