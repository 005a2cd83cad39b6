// docs/vectors/v1.json: re-derived from its seeds with both backends, and every entry checked
// again from the spec's formulas with the bare primitives. `CHAT6_WRITE_VECTORS=1` rewrites it.
import { readFileSync, writeFileSync } from 'node:fs'
import { decode } from '@chat6/wire'
import { describe, expect, it } from 'vitest'
import { makeVectors, VECTORS_FILE, vectorsText } from '../scripts/make-vectors.ts'
import { verifyHello, verifyPreLinkBye } from '../src/index.ts'
import { backends, hex, unhex, utf8 } from './_helpers.ts'

if (process.env.CHAT6_WRITE_VECTORS === '1')
  writeFileSync(VECTORS_FILE, vectorsText(await makeVectors('noble')))

// biome-ignore lint/suspicious/noExplicitAny: the file is JSON, checked field by field below
const file: any = JSON.parse(readFileSync(VECTORS_FILE, 'utf8'))

const SPEC_FILE = new URL('../../../docs/protocol.md', import.meta.url)

describe('docs/protocol.md §15', () => {
  it('behavior: every example line of the walk-through is a line of the vector file', () => {
    const spec = readFileSync(SPEC_FILE, 'utf8')
    const section = spec.slice(spec.indexOf('## 15. Test vectors'), spec.indexOf('## 16.'))
    const lines = [...section.matchAll(/```\n([^`]+?)\n```/g)].map((m) => m[1] as string)
    expect(lines.length).toBeGreaterThanOrEqual(3)
    const known = new Set(file.frames.map((f: { line: string }) => f.line))
    for (const line of lines) expect(known.has(line), line.slice(0, 60)).toBe(true)
  })
})

const u64be = (n: number) => {
  const b = new Uint8Array(8)
  new DataView(b.buffer).setBigUint64(0, BigInt(n))
  return b
}
const cat = (...parts: Uint8Array[]) => new Uint8Array(Buffer.concat(parts))

describe.each(backends)('%s', (name, c) => {
  it('behavior: the generator reproduces docs/vectors/v1.json exactly', async () => {
    const text = vectorsText(await makeVectors(name as 'noble' | 'native'))
    expect(text).toBe(readFileSync(VECTORS_FILE, 'utf8'))
  })

  it('behavior: there is a vector for every frame type of §4', () => {
    const types = new Set(file.frames.map((f: { frame: { type: string } }) => f.frame.type))
    expect(types.size).toBe(15)
  })

  it('behavior: every line decodes, hashes and authenticates as §5 says', () => {
    for (const v of file.frames) {
      const d = decode(v.line)
      if (!d.ok) throw new Error(`${v.name}: ${d.error.code}`)
      expect(hex(d.hashInput), v.name).toBe(v.hashInput)
      expect(hex(d.signingInput), v.name).toBe(v.signingInput)
      expect(hex(c.sha256(d.hashInput)), v.name).toBe(v.hash)
      if (v.signedBy === 'node-ed25519') expect(verifyHello(c, d), v.name).toEqual({ ok: true })
      else if (v.signedBy === 'zero') expect(verifyPreLinkBye(c, d), v.name).toEqual({ ok: true })
      else {
        const mac = c.hmacSha256(unhex(v.macKey), cat(u64be(v.counter), d.signingInput))
        expect(hex(mac), v.name).toBe(v.signature)
      }
    }
  })

  it('behavior: link keys follow §6.3', () => {
    const l = file.link
    const shared = c.x25519.sharedSecret(unhex(file.keys.linkI.secret), unhex(l.E_R))
    expect(hex(shared)).toBe(l.shared)
    expect(hex(c.x25519.sharedSecret(unhex(file.keys.linkR.secret), unhex(l.E_I)))).toBe(l.shared)
    const okm = c.hkdfSha256(shared, unhex(l.H_I + l.H_R), utf8('chat6/v1/link'), 64)
    expect(hex(okm)).toBe(l.kIR + l.kRI)
  })

  it('behavior: proof, session keys, message and receipts follow §5.3, §10.3 and §11', () => {
    const p = file.proof
    expect(p.signed).toBe(hex(cat(utf8('chat6/v1/proof\0'), utf8(p.proofInput))))
    expect(
      c.ed25519.verify(unhex(p.proof), unhex(p.signed), unhex(file.keys.alice.clientkey)),
    ).toBe(true)

    const s = file.session
    expect(hex(c.x25519.sharedSecret(unhex(s.ekB), unhex(s.EKA)))).toBe(s.shared)
    const okm = c.hkdfSha256(
      unhex(s.shared),
      unhex(s.requestHash + s.confirmHash),
      utf8('chat6/v1/session'),
      80,
    )
    expect(hex(okm)).toBe(s.kAB + s.kBA + s.sid)

    const m = file.message
    const opened = c.xchacha20poly1305.open(
      unhex(s.kAB),
      unhex(m.nonce),
      unhex(m.sealed),
      unhex(m.ad),
    )
    expect(new TextDecoder().decode(opened)).toBe(m.plaintext)
    const d = decode(m.line)
    if (!d.ok) throw new Error(d.error.code)
    expect(m.ad.startsWith(hex(utf8('chat6/v1/e2e\0')))).toBe(true)
    for (const r of [file.receipt.recv, file.receipt.read]) {
      const auth = unhex(r.auth)
      expect(
        c.xchacha20poly1305.open(unhex(s.kBA), auth.subarray(0, 24), auth.subarray(24), unhex(r.ad))
          .length,
      ).toBe(0)
    }
    const h = [unhex(file.chatid.hA), unhex(file.chatid.hB)].sort(Buffer.compare)
    const chat = c.sha256(cat(utf8('chat6/v1/chat\0'), ...(h as Uint8Array[]))).subarray(0, 16)
    expect(hex(chat)).toBe(file.chatid.chatid)
  })

  it('behavior: the sealed box opens from its documented parts', async () => {
    const v = file.sealed
    const key = await c.scrypt(utf8(v.passphrase), unhex(v.salt), { ...v.params, dkLen: 32 })
    expect(hex(key)).toBe(v.key)
    const blob = unhex(v.blob)
    expect(
      hex(c.xchacha20poly1305.open(key, unhex(v.nonce), blob.subarray(49), blob.subarray(0, 49))),
    ).toBe(v.secret)
  })
})
