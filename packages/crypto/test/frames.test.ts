// HELLO signatures, link keys and MACs, the pre-link BYE, and client proofs (§5, §6.3, §6.4).
import { decode, encode, type Frame, type FrameOf } from '@chat6/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  type Crypto,
  createClientIdentity,
  createNodeKey,
  deriveLinkKeys,
  frameHash,
  type LinkMac,
  sealFrame,
  signProof,
  verifyFrame,
  verifyHello,
  verifyPreLinkBye,
  verifyProof,
} from '../src/index.ts'
import { backends, flip } from './_helpers.ts'

const T = 1_767_225_600_000

function decoded(line: Uint8Array) {
  const r = decode(line)
  if (!r.ok) throw new Error(`decode failed: ${r.error.code} ${r.error.message}`)
  return r
}

function helloPair(c: Crypto) {
  const nodeI = createNodeKey(c)
  const nodeR = createNodeKey(c)
  const linkI = c.x25519.keygen()
  const linkR = c.x25519.keygen()
  const helloI = sealFrame(
    c,
    {
      type: 'HELLO',
      timestamp: T,
      version: 1,
      nodekey: nodeI.publicKey,
      linkkey: linkI.publicKey,
      port: 7600,
    },
    { nodeKey: nodeI },
  )
  const helloR = sealFrame(
    c,
    {
      type: 'HELLO',
      timestamp: T + 1,
      version: 1,
      nodekey: nodeR.publicKey,
      linkkey: linkR.publicKey,
      port: 0,
    },
    { nodeKey: nodeR },
  )
  const I = deriveLinkKeys(c, {
    role: 'initiator',
    linkSecret: linkI.secretKey,
    peerLinkKey: linkR.publicKey,
    helloHashI: helloI.hash,
    helloHashR: helloR.hash,
  })
  const R = deriveLinkKeys(c, {
    role: 'responder',
    linkSecret: linkR.secretKey,
    peerLinkKey: linkI.publicKey,
    helloHashI: helloI.hash,
    helloHashR: helloR.hash,
  })
  return { nodeI, nodeR, helloI, helloR, I, R }
}

function send(c: Crypto, mac: LinkMac, frame: Frame) {
  return decoded(encode(sealFrame(c, frame, { mac })))
}

describe.each(backends)('%s', (_name, c) => {
  it('behavior: a HELLO verifies against its own nodekey, and a changed one does not', () => {
    const { helloI } = helloPair(c)
    const line = encode(helloI)
    expect(verifyHello(c, decoded(line))).toEqual({ ok: true })
    const other = createNodeKey(c)
    const forged = { ...helloI, frame: { ...helloI.frame, nodekey: other.publicKey } }
    forged.hash = frameHash(c, forged.frame)
    expect(verifyHello(c, decoded(encode(forged)))).toEqual({ ok: false, code: 'bad_signature' })
    const badHash = { ...helloI, hash: flip(helloI.hash, 3) }
    expect(verifyHello(c, decoded(encode(badHash)))).toEqual({ ok: false, code: 'bad_hash' })
  })

  it('behavior: a HELLO signature is not a valid proof or plain Ed25519 signature (domain separation)', () => {
    const { helloI, nodeI } = helloPair(c)
    const r = decoded(encode(helloI))
    expect(c.ed25519.verify(helloI.signature, r.signingInput, nodeI.publicKey)).toBe(false)
  })

  it('error: sealFrame refuses a HELLO whose nodekey is not the signing key', () => {
    const a = createNodeKey(c)
    const b = createNodeKey(c)
    const hello: FrameOf<'HELLO'> = {
      type: 'HELLO',
      timestamp: T,
      version: 1,
      nodekey: b.publicKey,
      linkkey: b.publicKey,
      port: 1,
    }
    expect(() => sealFrame(c, hello, { nodeKey: a })).toThrowError(
      expect.objectContaining({ field: 'frame.nodekey' }),
    )
    expect(() =>
      sealFrame(c, { type: 'BYE', timestamp: T, reason: 'x' }, { nodeKey: a }),
    ).toThrowError(expect.objectContaining({ name: 'CryptoInputError' }))
    expect(() =>
      sealFrame(c, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 1 }, { zero: true }),
    ).toThrowError(expect.objectContaining({ field: 'auth' }))
  })

  it('behavior: the node key never serialises its secret', () => {
    const key = createNodeKey(c)
    const json = JSON.stringify(key)
    expect(Object.keys(JSON.parse(json))).toEqual(['nodekey'])
    expect(Object.keys(key).sort()).toEqual(['publicKey', 'toJSON'])
  })

  it('behavior: both ends derive the same link keys; frames flow both ways with counters', () => {
    const { I, R } = helloPair(c)
    for (let i = 0; i < 5; i++) {
      expect(
        verifyFrame(c, send(c, I, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: i }), R),
      ).toEqual({ ok: true })
      expect(
        verifyFrame(c, send(c, R, { type: 'KEEPALIVE_RESPONSE', timestamp: T, id: i }), I),
      ).toEqual({ ok: true })
    }
    expect([I.sent, I.received, R.sent, R.received]).toEqual([5, 5, 5, 5])
  })

  it('error: a replayed, reordered or dropped line fails the MAC, and the counter still advances', () => {
    const { I, R } = helloPair(c)
    const a = send(c, I, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 0 })
    const b = send(c, I, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 1 })
    expect(verifyFrame(c, b, R)).toEqual({ ok: false, code: 'bad_signature' }) // a was dropped
    expect(R.received).toBe(1)
    expect(verifyFrame(c, a, R)).toEqual({ ok: false, code: 'bad_signature' }) // reordered
    // after skipping the lost line, the stream is in step again
    const { I: I2, R: R2 } = helloPair(c)
    send(c, I2, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 0 })
    R2.skip()
    expect(
      verifyFrame(c, send(c, I2, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 1 }), R2).ok,
    ).toBe(true)
  })

  it('error: a line MAC-ed for the other direction does not verify (no reflection)', () => {
    const { I } = helloPair(c)
    const line = send(c, I, { type: 'NEIGHBORS_REQUEST', timestamp: T })
    expect(verifyFrame(c, line, I)).toEqual({ ok: false, code: 'bad_signature' })
  })

  it('behavior: any single-bit flip in a MAC-ed line is rejected', () => {
    fc.assert(
      fc.property(fc.nat(), (r) => {
        const { I, R } = helloPair(c)
        const env = sealFrame(c, { type: 'BYE', timestamp: T, reason: 'shutdown' }, { mac: I })
        const line = encode(env)
        const bit = r % ((line.length - 1) * 8)
        const bad = flip(line, bit)
        const d = decode(bad)
        if (!d.ok) return // the flip broke the grammar: rejected by the decoder
        expect(verifyFrame(c, d, R).ok).toBe(false)
      }),
      { numRuns: 100 },
    )
  })

  it('behavior: a link secret held in an EphemeralKey gives the same MACs as its bytes', () => {
    const mine = c.x25519.ephemeral()
    const peer = c.x25519.keygen()
    const hashes = { helloHashI: c.randomBytes(32), helloHashR: c.randomBytes(32) }
    const I = deriveLinkKeys(c, {
      role: 'initiator',
      linkSecret: mine,
      peerLinkKey: peer.publicKey,
      ...hashes,
    })
    const R = deriveLinkKeys(c, {
      role: 'responder',
      linkSecret: peer.secretKey,
      peerLinkKey: mine.publicKey,
      ...hashes,
    })
    const line = send(c, I, { type: 'KEEPALIVE_REQUEST', timestamp: T, id: 3 })
    expect(verifyFrame(c, line, R).ok).toBe(true)
    // the key is the caller's: deriving does not destroy it
    expect(mine.agree(peer.publicKey)).toHaveLength(32)
    expect(() =>
      deriveLinkKeys(c, {
        role: 'initiator',
        linkSecret: { agree: 1 } as unknown as Uint8Array,
        peerLinkKey: peer.publicKey,
        ...hashes,
      }),
    ).toThrowError(expect.objectContaining({ name: 'CryptoInputError' }))
  })

  it('error: a low-order peer link key is refused with LowOrderPointError', () => {
    const secret = c.randomBytes(32)
    expect(() =>
      deriveLinkKeys(c, {
        role: 'initiator',
        linkSecret: secret,
        peerLinkKey: new Uint8Array(32),
        helloHashI: new Uint8Array(32),
        helloHashR: new Uint8Array(32),
      }),
    ).toThrowError(expect.objectContaining({ name: 'LowOrderPointError' }))
  })

  it('behavior: the pre-link BYE carries the zero signature and is recognised as such', () => {
    const env = sealFrame(c, { type: 'BYE', timestamp: T, reason: 'busy' }, { zero: true })
    const line = new TextDecoder().decode(encode(env))
    expect(line.startsWith('AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= ')).toBe(true)
    expect(verifyPreLinkBye(c, decoded(encode(env)))).toEqual({ ok: true })
    const { I } = helloPair(c)
    const macd = send(c, I, { type: 'BYE', timestamp: T, reason: 'busy' })
    expect(verifyPreLinkBye(c, macd)).toEqual({ ok: false, code: 'bad_signature' })
  })

  it('behavior: presence and offer proofs verify; any change to a signed field breaks them', () => {
    const alice = createClientIdentity(c)
    const online = signProof<FrameOf<'CLIENT_ONLINE'>>(alice, {
      type: 'CLIENT_ONLINE',
      timestamp: T,
      clientkey: alice.publicKey,
      nonce: T,
      nickname: 'alice',
      metric: 0,
      ttl: 64,
    })
    expect(verifyProof(c, online)).toBe(true)
    // per-hop fields and the timestamp are outside the proof (§5.3)
    expect(verifyProof(c, { ...online, metric: 12345, ttl: 3, timestamp: 1 })).toBe(true)
    expect(verifyProof(c, { ...online, nonce: T + 1 })).toBe(false)
    expect(verifyProof(c, { ...online, nickname: 'mallory' })).toBe(false)
    expect(verifyProof(c, { ...online, icon: new Uint8Array([1]) })).toBe(false)
    expect(verifyProof(c, { ...online, type: 'CLIENT_UPDATE' })).toBe(false)
    expect(verifyProof(c, { ...online, proof: flip(online.proof, 77) })).toBe(false)
    const bob = createClientIdentity(c)
    expect(verifyProof(c, { ...online, clientkey: bob.publicKey })).toBe(false)
    expect(() => signProof(bob, online)).toThrowError(
      expect.objectContaining({ field: 'frame.clientkey' }),
    )
  })

  it('behavior: verifyProof never throws on malformed frames', () => {
    const bad = {
      type: 'CLIENT_OFFLINE',
      timestamp: T,
      clientkey: new Uint8Array(3),
      nonce: 1,
      proof: new Uint8Array(64),
      ttl: 1,
    }
    expect(verifyProof(c, bad as FrameOf<'CLIENT_OFFLINE'>)).toBe(false)
    expect(verifyProof(c, { type: 'BYE' } as unknown as FrameOf<'CLIENT_OFFLINE'>)).toBe(false)
  })
})
