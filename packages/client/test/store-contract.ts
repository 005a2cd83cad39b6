// One contract for every Store implementation (memory and SQLite run the same suite).
import { describe, expect, it } from 'vitest'
import type { MessageRecord, NewMessage, ProfileRecord, Store } from '../src/store/types.ts'

const bytes = (n: number, fill: number) => new Uint8Array(n).fill(fill)

export function message(over: Partial<NewMessage> = {}): NewMessage {
  return {
    peer: bytes(32, 1),
    chatid: bytes(16, 2),
    msgid: bytes(16, 3),
    outgoing: true,
    mtype: 1,
    body: new TextEncoder().encode('hello'),
    state: 'queued',
    time: 1000,
    ...over,
  }
}

const read = (peer: number, msgid: number) => ({
  peer: bytes(32, peer),
  chatid: bytes(16, 2),
  msgid: bytes(16, msgid),
})

const friendRecord = (n: number, addedAt: number) => ({
  hash: bytes(32, n),
  key: bytes(32, n + 100),
  nickname: `friend${n}`,
  icon: undefined,
  status: 'friend' as const,
  verified: false,
  keyChanged: false,
  previousKey: undefined,
  lastRequestNonce: n,
  addedAt,
})

const requestRecord = (n: number, receivedAt: number) => ({
  hash: bytes(32, n),
  key: bytes(32, n + 100),
  nickname: `stranger${n}`,
  nonce: n,
  receivedAt,
  conflictsWith: undefined,
})

const profileRecord = (n: number, theirs = true): ProfileRecord => ({
  hash: bytes(32, n),
  theirs: theirs
    ? {
        nickname: `friend${n}`,
        icon: bytes(3, n),
        status: 'away',
        note: 'at lunch',
        caps: ['file1', 'typing'],
        receivedAt: 100 + n,
      }
    : undefined,
  acked: n,
  pending: { msgid: bytes(16, n), version: n + 1 },
})

/** A store with something of every kind, for transactions to change. */
function populated(s: Store): Store {
  s.setMeta('a', 'before-a')
  s.setMeta('b', 'before-b')
  s.putIdentity({
    key: bytes(32, 7),
    secret: bytes(48, 8),
    sealed: true,
    nickname: 'me',
    icon: undefined,
    createdAt: 1,
  })
  s.putFriend(friendRecord(20, 10))
  s.putFriend(friendRecord(21, 11))
  s.putFriend(friendRecord(22, 12))
  s.putRequest(requestRecord(30, 5))
  s.putRequest(requestRecord(31, 6))
  s.putBlocked({ hash: bytes(32, 40), key: bytes(32, 41), reason: 'blocked', at: 2 })
  const sent = s.addOutgoing(message({ msgid: bytes(16, 50) }))
  s.addOutgoing(message({ msgid: bytes(16, 51) }))
  s.addIncoming(message({ msgid: bytes(16, 52), outgoing: false, state: 'delivered' }))
  s.advance(sent, 'sent')
  s.putPendingRead(read(1, 1))
  s.putPendingRead(read(2, 1))
  s.putPendingRead(read(1, 2))
  s.putPendingRead(read(3, 1))
  s.putProfile(profileRecord(20))
  s.putProfile(profileRecord(21))
  return s
}

/** Everything the Store API shows, in the order it shows it. */
function dump(s: Store) {
  return {
    meta: ['a', 'b', 'c'].map((k) => s.getMeta(k)),
    identity: s.getIdentity(),
    friends: s.friends(),
    requests: s.requests(),
    blocked: s.blocked(),
    outbox: s.outbox(),
    history: s.history(bytes(16, 2), { limit: 100 }),
    pending: s.pendingReads(),
    profiles: [20, 21, 22].map((n) => s.getProfile(bytes(32, n))),
  }
}

/** One change of every kind the Store offers. */
function changeEverything(s: Store): void {
  s.setMeta('a', 'changed')
  s.setMeta('c', 'new')
  s.putIdentity({
    ...(s.getIdentity() as NonNullable<ReturnType<Store['getIdentity']>>),
    nickname: 'new me',
  })
  s.putFriend({ ...friendRecord(20, 10), nickname: 'renamed' })
  s.putFriend(friendRecord(23, 13))
  s.deleteFriend(bytes(32, 21))
  s.putRequest(requestRecord(32, 7))
  s.deleteRequest(bytes(32, 30))
  s.putBlocked({ hash: bytes(32, 42), key: bytes(32, 43), reason: 'rejected', at: 3 })
  s.deleteBlocked(bytes(32, 40))
  s.addOutgoing(message({ msgid: bytes(16, 60) }))
  s.addIncoming(message({ msgid: bytes(16, 61), outgoing: false, state: 'delivered' }))
  s.advance(
    { peer: bytes(32, 1), chatid: bytes(16, 2), msgid: bytes(16, 51), outgoing: true },
    'delivered',
  )
  s.putPendingRead(read(4, 1))
  s.deletePendingRead(read(2, 1))
  s.deletePendingReads(bytes(32, 1))
  s.putProfile({ ...profileRecord(20), acked: 99, pending: undefined })
  s.putProfile(profileRecord(22, false))
  s.deleteProfile(bytes(32, 21))
}

export interface ContractSetup {
  open(): Store
  /** Closes and opens the same store again, if the implementation persists. */
  reopen?(store: Store): Store
}

export function storeContract(name: string, setup: ContractSetup): void {
  describe(`store contract: ${name}`, () => {
    it('behavior: meta round-trips and overwrites', () => {
      const s = setup.open()
      expect(s.getMeta('x')).toBeUndefined()
      s.setMeta('x', '1')
      s.setMeta('x', '2')
      expect(s.getMeta('x')).toBe('2')
    })

    it('behavior: identity round-trips with and without icon', () => {
      const s = setup.open()
      expect(s.getIdentity()).toBeUndefined()
      const id = {
        key: bytes(32, 7),
        secret: bytes(48, 8),
        sealed: true,
        nickname: 'alice',
        icon: undefined,
        createdAt: 5,
      }
      s.putIdentity(id)
      expect(s.getIdentity()).toEqual(id)
      s.putIdentity({ ...id, icon: bytes(3, 9), nickname: 'al' })
      expect(s.getIdentity()).toEqual({ ...id, icon: bytes(3, 9), nickname: 'al' })
    })

    it('behavior: friends, requests and blocked keys are kept by hash', () => {
      const s = setup.open()
      const friend = {
        hash: bytes(32, 1),
        key: bytes(32, 2),
        nickname: 'bob',
        icon: undefined,
        status: 'requested' as const,
        verified: false,
        keyChanged: true,
        previousKey: bytes(32, 3),
        lastRequestNonce: 42,
        addedAt: 10,
      }
      s.putFriend(friend)
      s.putFriend({ ...friend, hash: bytes(32, 4), key: bytes(32, 5), addedAt: 11 })
      expect(s.getFriend(bytes(32, 1))).toEqual(friend)
      expect(s.friends().map((f) => f.addedAt)).toEqual([10, 11])
      // listed by time then hash, whatever order they were stored in
      s.putFriend({ ...friend, hash: bytes(32, 0), addedAt: 11 })
      s.putFriend({ ...friend, hash: bytes(32, 6), addedAt: 9 })
      expect(s.friends().map((f) => f.hash[0])).toEqual([6, 1, 0, 4])
      s.deleteFriend(bytes(32, 0))
      s.deleteFriend(bytes(32, 6))
      s.putFriend({ ...friend, status: 'friend' })
      expect(s.getFriend(bytes(32, 1))?.status).toBe('friend')
      s.deleteFriend(bytes(32, 1))
      expect(s.getFriend(bytes(32, 1))).toBeUndefined()

      const request = {
        hash: bytes(32, 6),
        key: bytes(32, 7),
        nickname: undefined,
        nonce: 9,
        receivedAt: 3,
        conflictsWith: undefined,
      }
      s.putRequest({ ...request, hash: bytes(32, 8), receivedAt: 4 })
      s.putRequest(request)
      expect(s.requests().map((r) => r.receivedAt)).toEqual([3, 4])
      expect(s.getRequest(bytes(32, 6))).toEqual(request)
      s.deleteRequest(bytes(32, 6))
      expect(s.requests()).toHaveLength(1)

      const blocked = { hash: bytes(32, 9), key: bytes(32, 10), reason: 'rejected' as const, at: 1 }
      s.putBlocked(blocked)
      expect(s.getBlocked(bytes(32, 9))).toEqual(blocked)
      expect(s.blocked()).toEqual([blocked])
      s.deleteBlocked(bytes(32, 9))
      expect(s.blocked()).toEqual([])
    })

    it('behavior: outgoing messages keep order and leave the outbox when delivered', () => {
      const s = setup.open()
      const a = s.addOutgoing(message({ msgid: bytes(16, 1) }))
      const b = s.addOutgoing(message({ msgid: bytes(16, 2), peer: bytes(32, 9) }))
      const c = s.addOutgoing(message({ msgid: bytes(16, 3) }))
      expect(a.seq).toBeLessThan(b.seq)
      expect(b.seq).toBeLessThan(c.seq)
      expect(s.outbox().map((m) => m.msgid[0])).toEqual([1, 2, 3])
      expect(s.outbox({ peer: bytes(32, 1) }).map((m) => m.msgid[0])).toEqual([1, 3])
      expect(s.outbox({ limit: 2 }).map((m) => m.msgid[0])).toEqual([1, 2])
      expect(s.outbox({ peer: bytes(32, 1), limit: 1 }).map((m) => m.msgid[0])).toEqual([1])
      expect(s.outbox({ peer: bytes(32, 1), limit: 0 })).toEqual([])
      expect(s.outbox({ after: a.seq }).map((m) => m.msgid[0])).toEqual([2, 3])
      expect(
        s.outbox({ peer: bytes(32, 1), after: a.seq, limit: 5 }).map((m) => m.msgid[0]),
      ).toEqual([3])
      expect(s.outbox({ after: c.seq })).toEqual([])
      expect(s.advance(a, 'sent')?.state).toBe('sent')
      expect(s.outbox({ peer: bytes(32, 1) }).map((m) => m.msgid[0])).toEqual([1, 3])
      expect(s.advance(a, 'delivered')?.state).toBe('delivered')
      expect(s.outbox({ peer: bytes(32, 1) }).map((m) => m.msgid[0])).toEqual([3])
      expect(s.outbox({ limit: 1 }).map((m) => m.msgid[0])).toEqual([2])
    })

    it('behavior: states only move forward', () => {
      const s = setup.open()
      const a = s.addOutgoing(message())
      expect(s.advance(a, 'read')?.state).toBe('read')
      expect(s.advance(a, 'delivered')).toBeUndefined()
      expect(s.advance(a, 'read')).toBeUndefined()
      expect(s.getMessage(a)?.state).toBe('read')
      expect(s.advance({ ...a, msgid: bytes(16, 99) }, 'read')).toBeUndefined()
    })

    it('error: an outgoing msgid is never stored twice', () => {
      const s = setup.open()
      s.addOutgoing(message())
      expect(() => s.addOutgoing(message())).toThrow()
      expect(s.outbox()).toHaveLength(1)
    })

    it('behavior: incoming messages are deduplicated by (peer, chatid, msgid)', () => {
      const s = setup.open()
      const first = s.addIncoming(message({ outgoing: false, state: 'received' }))
      expect(first.inserted).toBe(true)
      expect(first.message.outgoing).toBe(false)
      const again = s.addIncoming(
        message({ outgoing: false, state: 'received', body: bytes(1, 0) }),
      )
      expect(again.inserted).toBe(false)
      expect(again.message).toEqual(first.message)
      // the same ids from another peer or as our own outgoing are different messages
      expect(
        s.addIncoming(message({ outgoing: false, state: 'received', peer: bytes(32, 5) })).inserted,
      ).toBe(true)
      expect(s.addOutgoing(message()).outgoing).toBe(true)
      const m = first.message
      expect(s.advance(m, 'read')?.state).toBe('read')
      expect(s.getMessage(m)?.state).toBe('read')
      // `outgoing` in the ref picks the direction: our own message with the same ids is untouched
      expect(s.getMessage({ ...m, outgoing: true })?.state).toBe('queued')
    })

    it('behavior: history pages backwards through one chat, oldest first in a page', () => {
      const s = setup.open()
      const seqs: number[] = []
      for (let i = 0; i < 7; i++) {
        const chatid = i === 3 ? bytes(16, 9) : bytes(16, 2)
        seqs.push(s.addOutgoing(message({ msgid: bytes(16, i), chatid })).seq)
      }
      const page1 = s.history(bytes(16, 2), { limit: 4 })
      expect(page1.map((m) => m.msgid[0])).toEqual([2, 4, 5, 6])
      const page2 = s.history(bytes(16, 2), { limit: 4, before: (page1[0] as MessageRecord).seq })
      expect(page2.map((m) => m.msgid[0])).toEqual([0, 1])
      expect(s.history(bytes(16, 9), { limit: 10 })).toHaveLength(1)
    })

    it('behavior: profiles round-trip with and without theirs, and are replaced and deleted by hash', () => {
      const s = setup.open()
      expect(s.getProfile(bytes(32, 1))).toBeUndefined()
      s.putProfile(profileRecord(1))
      s.putProfile(profileRecord(2, false))
      expect(s.getProfile(bytes(32, 1))).toEqual(profileRecord(1))
      expect(s.getProfile(bytes(32, 2))).toEqual(profileRecord(2, false))
      const bare: ProfileRecord = {
        hash: bytes(32, 1),
        theirs: {
          nickname: 'n',
          icon: undefined,
          status: undefined,
          note: undefined,
          caps: [],
          receivedAt: 5,
        },
        acked: 0,
        pending: undefined,
      }
      s.putProfile(bare)
      expect(s.getProfile(bytes(32, 1))).toEqual(bare)
      s.deleteProfile(bytes(32, 1))
      expect(s.getProfile(bytes(32, 1))).toBeUndefined()
      expect(s.getProfile(bytes(32, 2))).toEqual(profileRecord(2, false))
    })

    it('behavior: chatOnly leaves the payloads of mtypes 2..999 out of history and the outbox', () => {
      const s = setup.open()
      const text = s.addOutgoing(message({ msgid: bytes(16, 1) }))
      s.addOutgoing(message({ msgid: bytes(16, 2), mtype: 2 }))
      const app = s.addOutgoing(message({ msgid: bytes(16, 3), mtype: 1000 }))
      s.addOutgoing(message({ msgid: bytes(16, 4), mtype: 999 }))
      const incoming = s.addIncoming(
        message({ msgid: bytes(16, 5), outgoing: false, mtype: 65535 }),
      )
      s.addIncoming(message({ msgid: bytes(16, 6), outgoing: false, mtype: 3 }))
      const chat = bytes(16, 2)
      expect(s.history(chat, { limit: 10 })).toHaveLength(6)
      expect(s.history(chat, { limit: 10, chatOnly: true })).toEqual([text, app, incoming.message])
      // the page is of chat messages: a limit counts only them
      expect(s.history(chat, { limit: 2, chatOnly: true })).toEqual([app, incoming.message])
      expect(s.outbox()).toHaveLength(4)
      expect(s.outbox({ chatOnly: true })).toEqual([text, app])
      expect(s.outbox({ peer: bytes(32, 1), chatOnly: true, limit: 1 })).toEqual([text])
      expect(s.outbox({ peer: bytes(32, 1), after: text.seq, chatOnly: true })).toEqual([app])
    })

    it('behavior: pending read receipts are kept once each, oldest first, and forgotten per receipt or per peer', () => {
      const s = setup.open()
      const read = (peer: number, msgid: number) => ({
        peer: bytes(32, peer),
        chatid: bytes(16, 2),
        msgid: bytes(16, msgid),
      })
      expect(s.pendingReads()).toEqual([])
      s.putPendingRead(read(1, 3))
      s.putPendingRead(read(2, 1))
      s.putPendingRead(read(1, 2))
      s.putPendingRead(read(1, 3))
      // only the three fields are kept, whatever else the caller's object holds
      s.putPendingRead({ ...read(1, 4), body: bytes(1, 0) } as ReturnType<typeof read>)
      expect(s.pendingReads()).toEqual([read(1, 3), read(2, 1), read(1, 2), read(1, 4)])
      expect(s.pendingReads(bytes(32, 1))).toEqual([read(1, 3), read(1, 2), read(1, 4)])
      s.deletePendingRead(read(1, 3))
      s.deletePendingRead(read(1, 99))
      expect(s.pendingReads(bytes(32, 1))).toEqual([read(1, 2), read(1, 4)])
      s.deletePendingReads(bytes(32, 1))
      expect(s.pendingReads()).toEqual([read(2, 1)])
      // kept again after being sent: a new entry, at the end
      s.putPendingRead(read(1, 3))
      expect(s.pendingReads()).toEqual([read(2, 1), read(1, 3)])
    })

    it('behavior: a failed transaction changes nothing', () => {
      const s = setup.open()
      s.setMeta('k', 'before')
      expect(() =>
        s.transaction(() => {
          s.setMeta('k', 'after')
          s.addOutgoing(message())
          s.putPendingRead({ peer: bytes(32, 1), chatid: bytes(16, 2), msgid: bytes(16, 3) })
          throw new Error('boom')
        }),
      ).toThrow('boom')
      expect(s.getMeta('k')).toBe('before')
      expect(s.outbox()).toEqual([])
      expect(s.pendingReads()).toEqual([])
      expect(s.transaction(() => s.addOutgoing(message()).seq)).toBeGreaterThan(0)
    })

    it('behavior: a failed transaction undoes every kind of change, order included', () => {
      const s = populated(setup.open())
      const before = dump(s)
      expect(() =>
        s.transaction(() => {
          changeEverything(s)
          throw new Error('boom')
        }),
      ).toThrow('boom')
      expect(dump(s)).toEqual(before)
      // and the store goes on as if the transaction had never been
      s.transaction(() => changeEverything(s))
      expect(dump(s)).not.toEqual(before)
    })

    it('behavior: a nested transaction is a savepoint: undone alone if the outer one catches', () => {
      const s = populated(setup.open())
      const before = dump(s)
      s.transaction(() => {
        s.setMeta('a', 'outer')
        s.deletePendingRead(read(3, 1)) // the same table as the inner one, before it
        expect(() =>
          s.transaction(() => {
            s.setMeta('b', 'inner')
            s.deletePendingRead(read(1, 2))
            s.deleteFriend(bytes(32, 21))
            throw new Error('inner')
          }),
        ).toThrow('inner')
        s.transaction(() => s.setMeta('c', 'kept'))
      })
      expect(s.getMeta('a')).toBe('outer')
      expect(s.getMeta('b')).toBe('before-b')
      expect(s.getMeta('c')).toBe('kept')
      expect(s.pendingReads()).toEqual([read(1, 1), read(2, 1), read(1, 2)])
      expect(s.friends()).toEqual(before.friends)

      // an outer failure takes the inner, committed part with it
      const middle = dump(s)
      expect(() =>
        s.transaction(() => {
          s.transaction(() => {
            s.deletePendingReads(bytes(32, 1))
            s.addOutgoing(message({ msgid: bytes(16, 77) }))
          })
          s.deletePendingRead(read(2, 1))
          throw new Error('outer')
        }),
      ).toThrow('outer')
      expect(dump(s)).toEqual(middle)
    })

    it('error: a closed store throws StoreError closed', () => {
      const s = setup.open()
      s.close()
      let error: unknown
      try {
        s.getMeta('x')
      } catch (e) {
        error = e
      }
      expect((error as Error).name).toBe('StoreError')
      expect((error as { code: string }).code).toBe('closed')
    })

    if (setup.reopen) {
      const reopen = setup.reopen
      it('behavior: everything survives a reopen', () => {
        const s = setup.open()
        s.setMeta('n', '7')
        const m = s.addOutgoing(message())
        s.addIncoming(message({ outgoing: false, state: 'received', msgid: bytes(16, 5) }))
        const read = { peer: m.peer, chatid: m.chatid, msgid: bytes(16, 5) }
        s.putPendingRead(read)
        s.putProfile(profileRecord(9))
        const t = reopen(s)
        expect(t.getProfile(bytes(32, 9))).toEqual(profileRecord(9))
        expect(t.getMeta('n')).toBe('7')
        expect(t.outbox()).toEqual([m])
        expect(t.pendingReads()).toEqual([read])
        expect(t.history(m.chatid, { limit: 10 })).toHaveLength(2)
        t.close()
      })
    }
  })
}
