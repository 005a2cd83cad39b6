// Bad input at a live node over real TCP on ::1 (§2, §3, §6.2, §6.5, §6.6, §14): every malformed,
// out-of-place or unauthenticated line is dropped (counted by reason, the connection stays) or
// answered with BYE and a reason (counted in framesOut.BYE), and the node keeps serving its
// honest neighbour throughout — the same link, carrying routed frames both ways.
import { base64Encode } from '@chat6/wire'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EvilPeer } from './evil-peer.ts'
import { drops, type Live, startLive } from './live.ts'

let live: Live
beforeAll(async () => {
  live = await startLive()
})
afterAll(async () => {
  await live?.stop()
})

const b64 = (n: number, fill = 1) => base64Encode(new Uint8Array(n).fill(fill))
const byes = () => live.target.stats().framesOut.BYE ?? 0

/** Waits for the node's BYE; checks its reason, that it closed, and that the BYE was counted. */
async function expectBye(p: EvilPeer, reason: string, byesBefore: number) {
  await live.wait(() => p.closed, `the node closes after BYE ${reason}`)
  expect(p.byeReason()).toBe(reason)
  expect(byes()).toBe(byesBefore + 1)
  await live.stillServes()
}

/** The link is still up and in step: a keepalive request is answered. */
async function linkStays(p: EvilPeer) {
  const id = 900_000 + Math.floor(Math.random() * 1000)
  p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id })
  await live.wait(
    () => p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === id),
    'the node still answers on the link',
  )
  expect(p.closed).toBe(false)
}

/** Sends a line the decoder refuses, with a correct MAC: dropped as bad_frame, link stays. */
async function expectDecodeDrop(hashInputText: string) {
  const p = await live.evilUp()
  const before = drops(live.target, 'bad_frame')
  p.sendSigningInput(p.signingInputFor(hashInputText))
  await live.wait(() => drops(live.target, 'bad_frame') === before + 1, 'the line is dropped')
  await linkStays(p)
  await live.stillServes()
}

const ONLINE = (over: { clientkey?: string; nickname?: string; extra?: string } = {}) =>
  `CLIENT_ONLINE clientkey=${over.clientkey ?? b64(32)} nonce=5 nickname=${over.nickname ?? base64Encode(new TextEncoder().encode('eve'))}${over.extra ?? ''} proof=${b64(64)} metric=0 ttl=64`

describe('bad input before the handshake: BYE with a reason', () => {
  it('error: garbage bytes instead of HELLO earn BYE bad_frame', async () => {
    const n = byes()
    const p = await live.evil()
    const junk = crypto.getRandomValues(new Uint8Array(300)).map((b) => (b === 0x0a ? 0x00 : b))
    p.write(junk)
    p.write('\n')
    await expectBye(p, 'bad_frame', n)
  })

  it('error: a line without LF growing past MAX_LINE_BYTES earns BYE line_too_long', async () => {
    const n = byes()
    const p = await live.evil()
    const chunk = new Uint8Array(16_384).fill(0x41)
    let sent = 0
    while (!p.closed && sent < 1_048_576) {
      p.write(chunk)
      sent += chunk.length
      await new Promise((r) => setTimeout(r, 1))
    }
    await expectBye(p, 'line_too_long', n)
    // the node refused as soon as the line could no longer fit, not after a megabyte
    expect(sent).toBeLessThan(1_048_576)
  })

  it('error: a HELLO with an over-long field (port 70000) earns BYE bad_frame', async () => {
    const n = byes()
    const p = await live.evil()
    const hello = p.helloFrame()
    const si = p.signingInputFor(
      `HELLO version=1 nodekey=${base64Encode(hello.nodekey)} linkkey=${base64Encode(hello.linkkey)} port=70000`,
    )
    p.writeLine(`${b64(64)} ${si}`)
    await expectBye(p, 'bad_frame', n)
  })

  it('error: a frame before HELLO earns BYE protocol', async () => {
    const n = byes()
    const p = await live.evil()
    p.writeLine(`${b64(32, 9)} ${p.signingInputFor('KEEPALIVE_REQUEST id=0')}`)
    await expectBye(p, 'protocol', n)
  })

  it('error: a second HELLO earns BYE protocol', async () => {
    const p = await live.evilUp()
    const n = byes()
    p.hello()
    await expectBye(p, 'protocol', n)
  })

  it('error: HELLO of another protocol version earns BYE version', async () => {
    const n = byes()
    const p = await live.evil()
    p.hello({ version: 2 })
    await expectBye(p, 'version', n)
  })

  it('error: HELLO with a bad signature earns BYE bad_signature', async () => {
    const n = byes()
    const p = await live.evil()
    p.hello({}, { badSignature: true })
    await expectBye(p, 'bad_signature', n)
  })

  it('error: HELLO with a wrong MSGHASH (validly signed) earns BYE bad_signature', async () => {
    const n = byes()
    const p = await live.evil()
    p.helloWithBadHash()
    await expectBye(p, 'bad_signature', n)
  })

  it('error: HELLO stamped an hour in the past earns BYE clock', async () => {
    const n = byes()
    const p = await live.evil()
    p.hello({ timestamp: Date.now() - 3_600_000 })
    await expectBye(p, 'clock', n)
  })

  it('error: HELLO stamped an hour in the future earns BYE clock', async () => {
    const n = byes()
    const p = await live.evil()
    p.hello({ timestamp: Date.now() + 3_600_000 })
    await expectBye(p, 'clock', n)
  })

  it('error: a HELLO whose link key is a low-order point earns BYE bad_signature', async () => {
    const n = byes()
    const p = await live.evil()
    p.hello({ linkkey: new Uint8Array(32) })
    await expectBye(p, 'bad_signature', n)
  })
})

describe('bad input after the handshake: dropped and counted, the link stays', () => {
  it('error: garbage bytes (a line) are dropped as bad_frame', async () => {
    const p = await live.evilUp()
    const before = drops(live.target, 'bad_frame')
    p.writeLine(crypto.getRandomValues(new Uint8Array(200)).map((b) => (b === 0x0a ? 0x20 : b)))
    await live.wait(() => drops(live.target, 'bad_frame') === before + 1, 'the line is dropped')
    await linkStays(p)
    await live.stillServes()
  })

  it('error: an over-long field (a 65-byte nickname) is dropped', async () => {
    await expectDecodeDrop(ONLINE({ nickname: b64(65, 0x61) }))
  })

  it('error: invalid base64 in a field is dropped', async () => {
    await expectDecodeDrop(ONLINE({ clientkey: `!${b64(32).slice(1)}` }))
  })

  it('error: non-canonical base64 (non-zero unused bits) is dropped', async () => {
    // 32 bytes of 0x01 end in "AQE=": the last data character may only be A, E, I, … (low bits 0)
    const key = b64(32)
    expect(key.endsWith('E=')).toBe(true)
    await expectDecodeDrop(ONLINE({ clientkey: `${key.slice(0, -2)}F=` }))
  })

  it('error: a non-canonical MSGHASH token is dropped', async () => {
    const p = await live.evilUp()
    const before = drops(live.target, 'bad_frame')
    const si = p.signingInputFor('KEEPALIVE_REQUEST id=7')
    const hash = si.slice(0, 44)
    // flip the last data character's unused bits
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const last = alphabet.indexOf(hash[42] as string)
    const bad = `${hash.slice(0, 42)}${alphabet[last ^ 1]}=`
    p.sendSigningInput(`${bad}${si.slice(44)}`)
    await live.wait(() => drops(live.target, 'bad_frame') === before + 1, 'the line is dropped')
    await linkStays(p)
  })

  it('error: a nickname that is not valid UTF-8 is dropped', async () => {
    await expectDecodeDrop(ONLINE({ nickname: base64Encode(new Uint8Array([0x61, 0xff, 0xfe])) }))
  })

  it('error: a nickname with a terminal escape (C0 control) is dropped', async () => {
    await expectDecodeDrop(ONLINE({ nickname: base64Encode(new TextEncoder().encode('\x1b[2J')) }))
  })

  it('error: an unknown frame type is dropped', async () => {
    await expectDecodeDrop('MESSAGE_DELETE target_hash=AAAA ttl=1')
  })

  it('error: a duplicate field is dropped', async () => {
    await expectDecodeDrop('KEEPALIVE_REQUEST id=1 id=2')
  })

  it('error: a missing field is dropped', async () => {
    await expectDecodeDrop('KEEPALIVE_REQUEST')
  })

  it('error: fields out of canonical order are dropped', async () => {
    await expectDecodeDrop(`ROUTE_REQUEST nonce=1 target_hash=${b64(32)} ttl=3`)
  })

  it('error: a wrong MSGHASH under a valid MAC is dropped as bad_hash', async () => {
    const p = await live.evilUp()
    const before = drops(live.target, 'bad_hash')
    const si = p.signingInputFor('KEEPALIVE_REQUEST id=3')
    p.sendSigningInput(`${b64(32, 0x33)}${si.slice(44)}`)
    await live.wait(() => drops(live.target, 'bad_hash') === before + 1, 'the line is dropped')
    expect(p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === 3)).toBe(false)
    await linkStays(p)
    await live.stillServes()
  })

  for (const [when, skew] of [
    ['an hour in the past', -3_600_000],
    ['an hour in the future', 3_600_000],
    ['a day in the past', -86_400_000],
  ] as const) {
    it(`error: a frame stamped ${when} is dropped as timestamp`, async () => {
      const p = await live.evilUp()
      const before = drops(live.target, 'timestamp')
      p.send({ type: 'KEEPALIVE_REQUEST', timestamp: Date.now() + skew, id: 11 })
      await live.wait(() => drops(live.target, 'timestamp') === before + 1, 'the frame is dropped')
      expect(p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === 11)).toBe(false)
      await linkStays(p)
      await live.stillServes()
    })
  }

  it('error: a frame with a bad link MAC earns BYE bad_signature (fatal, §6.5)', async () => {
    const p = await live.evilUp()
    const n = byes()
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 1 }, { tamperMac: true })
    await expectBye(p, 'bad_signature', n)
  })

  it('error: a line replayed inside the connection fails the counter and earns BYE bad_signature', async () => {
    const p = await live.evilUp()
    const n = byes()
    p.send({ type: 'KEEPALIVE_REQUEST', timestamp: 0, id: 21 })
    await live.wait(() => p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === 21), 'answered')
    // the same bytes again: its MAC was for counter k, the node now expects k + 1
    const mine = p.pipe
    const si = p.signingInputOf({ type: 'KEEPALIVE_REQUEST', timestamp: Date.now(), id: 22 })
    const mac = p.mac?.sign(new TextEncoder().encode(si)) as Uint8Array
    const line = new TextEncoder().encode(`${base64Encode(mac)} ${si}\n`)
    mine.write(line)
    await live.wait(() => p.framesOf('KEEPALIVE_RESPONSE').some((f) => f.id === 22), 'answered')
    mine.write(line)
    await expectBye(p, 'bad_signature', n)
  })

  it('error: more than MAX_DROPS_PER_MINUTE bad lines earn BYE abuse, the honest link stays', async () => {
    const p = await live.evilUp()
    const n = byes()
    for (let i = 0; i < 101; i++) p.writeLine(`junk ${i}`)
    await expectBye(p, 'abuse', n)
  })
})

describe('refusals are counted by reason', () => {
  // An operator must tell a version mismatch from a bad-signature or clock flood: every BYE a
  // node sends, refused handshakes included, is counted by its reason in stats().byesOut.
  it('error: every refusal answered with BYE is counted by its reason', async () => {
    const byReason = () => live.target.stats().byesOut
    const before = { ...byReason() }
    for (const [reason, act] of [
      ['version', (p: EvilPeer) => p.hello({ version: 2 })],
      ['clock', (p: EvilPeer) => p.hello({ timestamp: Date.now() - 3_600_000 })],
      ['bad_signature', (p: EvilPeer) => p.hello({}, { badSignature: true })],
    ] as const) {
      const p = await live.evil()
      act(p)
      await live.wait(() => p.closed, `BYE ${reason}`)
      expect(byReason()[reason]).toBe((before[reason] ?? 0) + 1)
    }
  })
})
