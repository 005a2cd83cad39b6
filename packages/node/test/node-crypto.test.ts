import { createCrypto, deriveLinkKeys } from '@chat6/crypto'
import { describe, expect, it } from 'vitest'
import { createNodeCrypto } from '../src/index.ts'

describe('node crypto', () => {
  it('behavior: the fast link MAC equals @chat6/crypto deriveLinkKeys, both directions, many counters', () => {
    const crypto = createCrypto()
    const fast = createNodeCrypto(crypto)
    const i = crypto.x25519.ephemeral()
    const r = crypto.x25519.keygen()
    const hI = crypto.randomBytes(32)
    const hR = crypto.randomBytes(32)
    const mine = fast.linkMacs('I', i, r.publicKey, hI, hR)
    const theirsR = deriveLinkKeys(crypto, {
      role: 'responder',
      linkSecret: r.secretKey,
      peerLinkKey: i.publicKey,
      helloHashI: hI,
      helloHashR: hR,
    })
    const theirsI = deriveLinkKeys(crypto, {
      role: 'initiator',
      linkSecret: i,
      peerLinkKey: r.publicKey,
      helloHashI: hI,
      helloHashR: hR,
    })
    for (let n = 0; n < 50; n++) {
      const si = crypto.randomBytes(1 + n * 37)
      const m = mine.sign(si)
      expect(theirsI.sign(si)).toEqual(new Uint8Array(m))
      expect(theirsR.verify(si, m)).toBe(true)
      const back = theirsR.sign(si)
      expect(mine.verify(si, back)).toBe(true)
    }
    expect(mine.verify(new Uint8Array(3), new Uint8Array(32))).toBe(false)
  })

  it('behavior: fast and portable hashes agree', () => {
    const crypto = createCrypto()
    const data = crypto.randomBytes(1000)
    expect(createNodeCrypto(crypto).sha256(data)).toEqual(
      createNodeCrypto(crypto, { fast: false }).sha256(data),
    )
    expect(createNodeCrypto(crypto).hashMatches(data, crypto.sha256(data))).toBe(true)
  })

  it('error: a low-order peer link key is refused', () => {
    const crypto = createCrypto()
    const k = crypto.x25519.ephemeral()
    expect(() =>
      createNodeCrypto(crypto).linkMacs(
        'I',
        k,
        new Uint8Array(32),
        new Uint8Array(32),
        new Uint8Array(32),
      ),
    ).toThrow()
  })
})
