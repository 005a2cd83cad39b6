// End-to-end messages and receipts (§5.4, §11).
import { decode, encode, type FrameOf } from '@chat6/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  answerSession,
  type Crypto,
  completeSession,
  createClientIdentity,
  defaultChatId,
  offerSession,
  openMessage,
  openReceipt,
  sealMessage,
  sealReceipt,
} from '../src/index.ts'
import { backends, flip, hex, utf8 } from './_helpers.ts'

type Send = FrameOf<'MESSAGE_SEND'>
const T = 1_767_225_600_000

function pair(c: Crypto, n = T) {
  const alice = createClientIdentity(c)
  const bob = createClientIdentity(c)
  const { request, pending } = offerSession(c, alice, bob.publicKey, n)
  const r = answerSession(c, bob, request, n + 1)
  if (!r.ok) throw r.error
  const done = completeSession(pending, r.confirm)
  if (!done.ok) throw done.error
  return { alice, bob, sA: done.session, sB: r.session }
}

function errCode(r: { ok: boolean; error?: { name: string; code: string } }): string | undefined {
  expect(r.ok).toBe(false)
  expect(r.error?.name).toBe('MessageError')
  return r.error?.code
}

describe.each(backends)('%s', (_name, c) => {
  const { alice, bob, sA, sB } = pair(c)
  const chatid = defaultChatId(alice.hash, bob.hash)

  it('behavior: messages open in both directions, and survive encode/decode of the line', () => {
    const m = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('hello bob'), timestamp: T })
    const r = openMessage(sB, m)
    expect(r.ok && new TextDecoder().decode(r.plaintext)).toBe('hello bob')
    const back = sealMessage(sB, { chatid, mtype: 1000, plaintext: utf8('hi alice') })
    expect(openMessage(sA, back).ok).toBe(true)
    // through the wire codec, as an envelope
    const line = encode({ signature: new Uint8Array(32), hash: new Uint8Array(32), frame: m })
    const d = decode(line)
    expect(d.ok && openMessage(sB, d.envelope as never).ok).toBe(true)
    expect(m.message.length).toBe(24 + 9 + 16)
    expect(hex(m.origin)).toBe(hex(alice.hash))
    expect(hex(m.target_hash)).toBe(hex(bob.hash))
  })

  it('behavior: every message gets a fresh nonce and msgid', () => {
    const a = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('x') })
    const b = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('x') })
    expect(hex(a.message.subarray(0, 24))).not.toBe(hex(b.message.subarray(0, 24)))
    expect(hex(a.msgid)).not.toBe(hex(b.msgid))
  })

  it('error: moving a ciphertext to another chat, message, type, sender or recipient fails', () => {
    const m = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('secret') })
    expect(errCode(openMessage(sB, { ...m, chatid: flip(m.chatid, 0) }))).toBe('decrypt_failed')
    expect(errCode(openMessage(sB, { ...m, msgid: flip(m.msgid, 9) }))).toBe('decrypt_failed')
    expect(errCode(openMessage(sB, { ...m, mtype: 2 }))).toBe('decrypt_failed')
    expect(errCode(openMessage(sB, { ...m, origin: bob.hash }))).toBe('wrong_origin')
    expect(errCode(openMessage(sB, { ...m, target_hash: alice.hash }))).toBe('wrong_target')
    expect(errCode(openMessage(sB, { ...m, sid: flip(m.sid, 1) }))).toBe('wrong_session')
    // reflected back to the sender: wrong origin
    expect(errCode(openMessage(sA, m))).toBe('wrong_origin')
    // the per-hop ttl and the timestamp are not bound: relays change them
    expect(openMessage(sB, { ...m, ttl: 3, timestamp: 5 }).ok).toBe(true)
  })

  it('error: a message under one session does not open under another session of the pair', () => {
    const other = pair(c, T + 100)
    const m = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('x') })
    expect(errCode(openMessage(other.sB, m))).toBe('wrong_session')
    expect(errCode(openMessage(other.sB, { ...m, sid: other.sB.sid }))).toBe('wrong_origin')
    const spoof = {
      ...m,
      origin: other.sA.ownHash,
      target_hash: other.sB.ownHash,
      sid: other.sB.sid,
    }
    expect(errCode(openMessage(other.sB, spoof))).toBe('decrypt_failed')
  })

  it('behavior: any single-bit flip in the message field is rejected', () => {
    const m = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('a fairly ordinary message') })
    fc.assert(
      fc.property(fc.integer({ min: 0, max: m.message.length * 8 - 1 }), (bit) => {
        expect(errCode(openMessage(sB, { ...m, message: flip(m.message, bit) }))).toBe(
          'decrypt_failed',
        )
      }),
      { numRuns: 200 },
    )
  })

  it('behavior: seal/open round trip for any plaintext and ids', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 2048 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.integer({ min: 1, max: 65535 }),
        (plaintext, chat, msgid, mtype) => {
          const m = sealMessage(sA, { chatid: chat, msgid, mtype, plaintext })
          const r = openMessage(sB, m)
          expect(r.ok && hex(r.plaintext)).toBe(hex(plaintext))
        },
      ),
      { numRuns: 100 },
    )
  })

  it('behavior: the largest message (32768 bytes) seals and opens', () => {
    const big = new Uint8Array(32768).fill(7)
    const m = sealMessage(sA, { chatid, mtype: 1000, plaintext: big })
    expect(openMessage(sB, m).ok).toBe(true)
    expect(() =>
      sealMessage(sA, { chatid, mtype: 1, plaintext: new Uint8Array(32769) }),
    ).toThrowError(expect.objectContaining({ field: 'input.plaintext' }))
    expect(() => sealMessage(sA, { chatid, mtype: 1, plaintext: new Uint8Array(0) })).toThrowError(
      expect.objectContaining({ field: 'input.plaintext' }),
    )
  })

  it('error: parties given to sealMessage must be the session parties', () => {
    expect(() =>
      sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('x'), target_hash: alice.hash }),
    ).toThrowError(expect.objectContaining({ field: 'input.target_hash' }))
  })

  it('behavior: receipts authenticate; RECV and READ cannot be swapped or forged', () => {
    const m = sealMessage(sA, { chatid, mtype: 1, plaintext: utf8('x') })
    const recv = sealReceipt(sB, 'MESSAGE_RECV', { chatid: m.chatid, msgid: m.msgid })
    expect(recv.auth.length).toBe(40)
    expect(openReceipt(sA, recv)).toEqual({ ok: true, type: 'MESSAGE_RECV' })
    const read = sealReceipt(sB, 'MESSAGE_READ', { chatid: m.chatid, msgid: m.msgid })
    expect(openReceipt(sA, read)).toEqual({ ok: true, type: 'MESSAGE_READ' })
    expect(errCode(openReceipt(sA, { ...recv, type: 'MESSAGE_READ' }))).toBe('decrypt_failed')
    expect(errCode(openReceipt(sA, { ...recv, msgid: flip(recv.msgid, 0) }))).toBe('decrypt_failed')
    expect(errCode(openReceipt(sA, { ...recv, auth: flip(recv.auth, 300) }))).toBe('decrypt_failed')
    // a relay that forges a receipt without the key
    expect(errCode(openReceipt(sA, { ...recv, auth: new Uint8Array(40) }))).toBe('decrypt_failed')
    expect(errCode(openReceipt(sA, m as never))).toBe('wrong_type')
    expect(errCode(openMessage(sA, recv as unknown as Send))).toBe('wrong_type')
  })

  it('error: a destroyed session opens nothing', () => {
    const p = pair(c, T + 7)
    const m = sealMessage(p.sA, { chatid, mtype: 1, plaintext: utf8('x') })
    p.sB.destroy()
    expect(errCode(openMessage(p.sB, m))).toBe('destroyed')
    expect(() => sealMessage(p.sB, { chatid, mtype: 1, plaintext: utf8('x') })).toThrowError(
      expect.objectContaining({ field: 'session' }),
    )
  })
})

describe('defaultChatId', () => {
  it('behavior: symmetric, 16 bytes, different per pair', () => {
    const a = new Uint8Array(32).fill(1)
    const b = new Uint8Array(32).fill(2)
    const d = new Uint8Array(32).fill(3)
    expect(hex(defaultChatId(a, b))).toBe(hex(defaultChatId(b, a)))
    expect(defaultChatId(a, b).length).toBe(16)
    expect(hex(defaultChatId(a, b))).not.toBe(hex(defaultChatId(a, d)))
  })
})
