// The §10 handshake, and what a hostile relay or a key thief can and cannot do to it.
import type { FrameOf } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import {
  answerSession,
  type ClientIdentity,
  type Crypto,
  clientHash,
  completeSession,
  createClientIdentity,
  frameHash,
  offerSession,
  type Session,
  signProof,
} from '../src/index.ts'
import { backends, hex, native, noble } from './_helpers.ts'

type Request = FrameOf<'FRIEND_REQUEST'>
type Confirm = FrameOf<'FRIEND_CONFIRM'>
const T = 1_767_225_600_000

function ok<T extends { ok: boolean }>(r: T): Extract<T, { ok: true }> {
  if (!r.ok)
    throw new Error(
      `expected ok, got ${JSON.stringify((r as unknown as { error: { code: string } }).error.code)}`,
    )
  return r as Extract<T, { ok: true }>
}

function code(r: { ok: boolean; error?: { name: string; code: string } }): string | undefined {
  expect(r.ok).toBe(false)
  expect(r.error?.name).toBe('SessionError')
  return r.error?.code
}

function handshake(cA: Crypto, cB: Crypto, alice: ClientIdentity, bob: ClientIdentity, n = T) {
  const { request, pending } = offerSession(cA, alice, bob.publicKey, n)
  const { confirm, session: sB } = ok(answerSession(cB, bob, request, n + 1))
  const { session: sA } = ok(completeSession(pending, confirm))
  return { request, confirm, pending, sA, sB }
}

function expectPaired(sA: Session, sB: Session): void {
  expect(hex(sA.sid)).toBe(hex(sB.sid))
  expect(hex(sA.sendKey)).toBe(hex(sB.receiveKey))
  expect(hex(sA.receiveKey)).toBe(hex(sB.sendKey))
  expect(hex(sA.sendKey)).not.toBe(hex(sA.receiveKey))
  expect(hex(sA.peerHash)).toBe(hex(sB.ownHash))
  expect(hex(sB.peerHash)).toBe(hex(sA.ownHash))
}

describe.each(backends)('%s', (_name, c) => {
  const alice = createClientIdentity(c)
  const bob = createClientIdentity(c)
  const mallory = createClientIdentity(c)

  it('behavior: request, confirm and complete give both sides the same session', () => {
    const { request, confirm, sA, sB, pending } = handshake(c, c, alice, bob)
    expectPaired(sA, sB)
    expect(sA.role).toBe('requester')
    expect(sB.role).toBe('responder')
    expect(hex(request.target_hash)).toBe(hex(bob.hash))
    expect(hex(confirm.target_hash)).toBe(hex(alice.hash))
    expect(hex(confirm.request)).toBe(hex(frameHash(c, request)))
    expect(request.ttl).toBe(64)
    expect(request.timestamp).toBe(T)
    expect(pending.done).toBe(true)
  })

  it('behavior: two sessions of the same pair never share keys or sid', () => {
    const one = handshake(c, c, alice, bob, T)
    const two = handshake(c, c, alice, bob, T + 10)
    const crossed = handshake(c, c, bob, alice, T + 20) // B's own request, crossing A's
    const all = [one.sA, two.sA, crossed.sB].flatMap((s) => [
      hex(s.sendKey),
      hex(s.receiveKey),
      hex(s.sid),
    ])
    expect(new Set(all).size).toBe(all.length)
  })

  it('error: a relay that swaps EK_A in the request breaks its proof (bad_proof)', () => {
    const { request } = offerSession(c, alice, bob.publicKey, T)
    const swapped: Request = { ...request, sessionkey: c.x25519.keygen().publicKey }
    expect(code(answerSession(c, bob, swapped, T + 1))).toBe('bad_proof')
  })

  it('error: a relay that swaps EK_B in the confirm breaks its proof (bad_proof)', () => {
    const { request, pending } = offerSession(c, alice, bob.publicKey, T)
    const { confirm } = ok(answerSession(c, bob, request, T + 1))
    const swapped: Confirm = { ...confirm, sessionkey: c.x25519.keygen().publicKey }
    expect(code(completeSession(pending, swapped))).toBe('bad_proof')
    // the refusal leaves the pending request usable for the genuine confirm
    expect(ok(completeSession(pending, confirm)).session.role).toBe('requester')
  })

  it('error: a relay that swaps both keys cannot re-sign either side', () => {
    const { request, pending } = offerSession(c, alice, bob.publicKey, T)
    // Mallory re-signs the request with her own key: Bob sees Mallory, not Alice
    const { clientkey: _, proof: __, ...rest } = request
    const resigned = signProof<Request>(mallory, {
      ...rest,
      clientkey: mallory.publicKey,
      sessionkey: c.x25519.keygen().publicKey,
    })
    const r = ok(answerSession(c, bob, resigned, T + 1))
    expect(hex(r.session.peerClientKey)).toBe(hex(mallory.publicKey))
    // and her confirm, signed by herself, is refused by Alice: wrong key and wrong request
    expect(code(completeSession(pending, r.confirm))).toBe('wrong_request')
    const forged = signProof<Confirm>(mallory, {
      type: 'FRIEND_CONFIRM',
      timestamp: T,
      target_hash: alice.hash,
      clientkey: mallory.publicKey,
      nonce: T,
      sessionkey: c.x25519.keygen().publicKey,
      request: pending.requestHash,
      ttl: 64,
    })
    expect(code(completeSession(pending, forged))).toBe('unexpected_key')
    expect(code(completeSession(pending, { ...forged, clientkey: bob.publicKey }))).toBe(
      'bad_proof',
    )
  })

  it('error: a dropped confirm leaves no session; the re-sent request completes normally', () => {
    const first = offerSession(c, alice, bob.publicKey, T)
    ok(answerSession(c, bob, first.request, T + 1)) // confirm lost on the way
    first.pending.destroy() // Alice replaces it after RETRY_INTERVAL
    const second = handshake(c, c, alice, bob, T + 30_000)
    expectPaired(second.sA, second.sB)
  })

  it('error: a replayed FRIEND_CONFIRM from an earlier session is refused', () => {
    const old = handshake(c, c, alice, bob, T)
    const { pending } = offerSession(c, alice, bob.publicKey, T + 60_000)
    expect(code(completeSession(pending, old.confirm))).toBe('wrong_request')
    expect(code(completeSession(old.pending, old.confirm))).toBe('used')
  })

  it('error: a replayed FRIEND_REQUEST gives the replayer no usable key', () => {
    const { request, sA } = handshake(c, c, alice, bob, T)
    // Bob (if his nonce check were bypassed) answers again; the new session differs from Alice's
    const again = ok(answerSession(c, bob, request, T + 5))
    expect(hex(again.session.receiveKey)).not.toBe(hex(sA.sendKey))
  })

  it('error: KCI — a thief of IK_A cannot complete a session to A as B', () => {
    const thief = createClientIdentity(c, alice.exportSeed()) // IK_A stolen
    const { pending } = offerSession(c, alice, bob.publicKey, T)
    const base = {
      type: 'FRIEND_CONFIRM' as const,
      timestamp: T,
      target_hash: alice.hash,
      nonce: T,
      sessionkey: c.x25519.keygen().publicKey,
      request: pending.requestHash,
      ttl: 64,
    }
    // signed with A's key, claiming B's key: the proof does not verify under IK_B
    const asBob = {
      ...signProof<Confirm>(thief, { ...base, clientkey: alice.publicKey }),
      clientkey: bob.publicKey,
    }
    expect(code(completeSession(pending, asBob))).toBe('bad_proof')
    // signed as A itself: not the key A expects
    expect(
      code(
        completeSession(
          pending,
          signProof<Confirm>(thief, { ...base, clientkey: alice.publicKey }),
        ),
      ),
    ).toBe('unexpected_key')
    // nor can the thief offer a session to A in B's name
    const { request } = offerSession(c, thief, alice.publicKey, T)
    expect(code(answerSession(c, alice, { ...request, clientkey: bob.publicKey }, T))).toBe(
      'bad_proof',
    )
  })

  it('error: frames addressed to someone else are refused (wrong_target)', () => {
    const { request, pending } = offerSession(c, alice, bob.publicKey, T)
    expect(code(answerSession(c, mallory, request, T + 1))).toBe('wrong_target')
    const { confirm } = ok(answerSession(c, bob, request, T + 1))
    const toMallory = signProof<Confirm>(bob, { ...confirm, target_hash: mallory.hash })
    expect(code(completeSession(pending, toMallory))).toBe('wrong_target')
  })

  it('error: a signed low-order session key is refused (low_order)', () => {
    const { request } = offerSession(c, mallory, bob.publicKey, T)
    const evil = signProof<Request>(mallory, { ...request, sessionkey: new Uint8Array(32) })
    expect(code(answerSession(c, bob, evil, T + 1))).toBe('low_order')
    const { pending, request: req } = offerSession(c, alice, bob.publicKey, T)
    const { confirm } = ok(answerSession(c, bob, req, T + 1))
    const lowConfirm = signProof<Confirm>(bob, {
      ...confirm,
      sessionkey: new Uint8Array(32).fill(0),
    })
    expect(code(completeSession(pending, lowConfirm))).toBe('low_order')
  })

  it('error: wrong frame types and envelopes whose hash does not match are refused', () => {
    const { request, pending } = offerSession(c, alice, bob.publicKey, T)
    const { confirm } = ok(answerSession(c, bob, request, T + 1))
    expect(code(answerSession(c, bob, confirm as unknown as Request, T))).toBe('wrong_type')
    expect(code(completeSession(pending, request as unknown as Confirm))).toBe('wrong_type')
    const env = { signature: new Uint8Array(32), hash: new Uint8Array(32), frame: confirm }
    expect(code(completeSession(pending, env))).toBe('bad_hash')
    const good = { signature: new Uint8Array(32), hash: frameHash(c, confirm), frame: confirm }
    expect(ok(completeSession(pending, good)).session.sid.length).toBe(16)
  })

  it('behavior: destroy() wipes the session keys and the pending ephemeral secret', () => {
    const { sA } = handshake(c, c, alice, bob)
    const k = sA.sendKey
    const r = sA.receiveKey
    sA.destroy()
    expect(sA.destroyed).toBe(true)
    expect(k.every((b) => b === 0) && r.every((b) => b === 0)).toBe(true)
    expect(() => sA.sendKey).toThrowError(expect.objectContaining({ name: 'CryptoInputError' }))
    const { pending } = offerSession(c, alice, bob.publicKey, T)
    pending.destroy()
    expect(pending.done).toBe(true)
  })

  it('behavior: the target hash of a request is the client hash of the peer key', () => {
    const { request } = offerSession(c, alice, bob.publicKey, T)
    expect(hex(request.target_hash)).toBe(hex(clientHash(bob.publicKey)))
  })
})

describe('interop', () => {
  it('behavior: a noble client and a native client agree on the session', () => {
    const alice = createClientIdentity(noble)
    const bob = createClientIdentity(native)
    const { sA, sB } = handshake(noble, native, alice, bob)
    expectPaired(sA, sB)
  })
})
