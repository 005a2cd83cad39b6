// fast-check arbitraries of valid frames of every type, written from §4 by hand rather than
// derived from the schemas under test. Lengths and numbers lean toward their bounds.
import fc from 'fast-check'
import type { Envelope, Frame, FrameType } from '../src/index.ts'

// plain objects, like the decoder makes (fast-check also makes null-prototype ones)
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }): fc.Arbitrary<T> =>
  fc.record(model, { noNullPrototype: true }) as fc.Arbitrary<T>

const MAX_UINT = Number.MAX_SAFE_INTEGER

const len = (min: number, max: number) =>
  min === max
    ? fc.constant(min)
    : fc.oneof(
        fc.constantFrom(min, max),
        fc.integer({ min, max: Math.min(max, min + 64) }),
        fc.integer({ min, max }),
      )

/**
 * Bytes of min..max length. Long ones are filled from a seed: fast-check builds arrays element
 * by element, which for a 32 KiB message costs seconds per run and buys nothing here.
 */
export const bytes = (min: number, max = min) =>
  len(min, max).chain((n) =>
    n <= 64
      ? fc.uint8Array({ minLength: n, maxLength: n })
      : fc.integer().map((seed) => {
          const b = new Uint8Array(n)
          let x = seed | 1
          for (let i = 0; i < n; i++) {
            x ^= x << 13
            x ^= x >>> 17
            x ^= x << 5
            b[i] = x
          }
          return b
        }),
  )

export const uint = (min = 0, max = MAX_UINT) =>
  fc.oneof(
    fc.constantFrom(min, max),
    fc.integer({ min, max: Math.min(max, 1000) }),
    fc.integer({ min, max }),
  )

const utf8Length = (s: string) => new TextEncoder().encode(s).length
const isControl = (c: number) => c < 0x20 || (c >= 0x7f && c <= 0x9f)

/** `text(min..max)`: any Unicode without controls, including BOM, NBSP, astral characters. */
export const text = (min: number, max: number) =>
  fc
    .array(
      fc.oneof(
        fc.string({ unit: 'binary', maxLength: 4 }),
        fc.constantFrom('\uFEFF', '\u00A0', '\u2028', '🦊', 'é', 'a', '\u00FF', '\u0100'),
      ),
      { minLength: 1, maxLength: 24 },
    )
    .map((parts) =>
      [...parts.join('')].filter((ch) => !isControl(ch.codePointAt(0) as number)).join(''),
    )
    .map((s) => {
      let out = ''
      for (const ch of s) {
        if (utf8Length(out + ch) > max) break
        out += ch
      }
      return out
    })
    .filter((s) => utf8Length(s) >= min && !/\p{Surrogate}/u.test(s))

export const token = fc.stringMatching(/^[a-z0-9_]{1,32}$/)

/** RFC 5952 text of an address with many zero groups, so that `::` placement gets exercised. */
export const ipv6 = fc
  .array(fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 0, max: 0xffff })), {
    minLength: 8,
    maxLength: 8,
  })
  .map((groups) => {
    const b = new Uint8Array(16)
    groups.forEach((g, i) => {
      b[2 * i] = g >>> 8
      b[2 * i + 1] = g
    })
    return b
  })

export const neighbor = record({ ip: ipv6, port: uint(1, 65535) })

const key = bytes(32)
const id16 = bytes(16)
const proof = bytes(64)
const ttl = uint(0, 64)
const head = <T extends FrameType>(type: T) => ({ type: fc.constant(type), timestamp: uint() })

const presence = <T extends 'CLIENT_ONLINE' | 'CLIENT_UPDATE'>(type: T) =>
  fc.record(
    {
      ...head(type),
      clientkey: key,
      nonce: uint(),
      nickname: text(1, 64),
      icon: bytes(1, 16384),
      proof,
      metric: uint(0, 4294967295),
      ttl,
    },
    {
      requiredKeys: [
        'type',
        'timestamp',
        'clientkey',
        'nonce',
        'nickname',
        'proof',
        'metric',
        'ttl',
      ],
      noNullPrototype: true,
    },
  )

const receipt = <T extends 'MESSAGE_RECV' | 'MESSAGE_READ'>(type: T) =>
  record({
    ...head(type),
    target_hash: key,
    origin: key,
    sid: id16,
    chatid: id16,
    msgid: id16,
    auth: bytes(40),
    ttl,
  })

/** Valid frames of each type, as plain objects like the decoder makes. */
export const frames: { [T in FrameType]: fc.Arbitrary<Extract<Frame, { type: T }>> } = {
  HELLO: record({
    ...head('HELLO'),
    version: uint(1, 65535),
    nodekey: key,
    linkkey: key,
    port: uint(0, 65535),
  }),
  BYE: record({ ...head('BYE'), reason: token }),
  KEEPALIVE_REQUEST: record({ ...head('KEEPALIVE_REQUEST'), id: uint() }),
  KEEPALIVE_RESPONSE: record({ ...head('KEEPALIVE_RESPONSE'), id: uint() }),
  NEIGHBORS_REQUEST: record({ ...head('NEIGHBORS_REQUEST') }),
  NEIGHBORS_RESPONSE: record({
    ...head('NEIGHBORS_RESPONSE'),
    neighbor: fc
      .array(neighbor, { maxLength: 32 })
      .map((list) => list.map(({ ip, port }) => ({ ip: format(ip), port }))),
  }),
  CLIENT_ONLINE: presence('CLIENT_ONLINE'),
  CLIENT_UPDATE: presence('CLIENT_UPDATE'),
  CLIENT_OFFLINE: record({ ...head('CLIENT_OFFLINE'), clientkey: key, nonce: uint(), proof, ttl }),
  ROUTE_REQUEST: record({ ...head('ROUTE_REQUEST'), target_hash: key, nonce: uint(), ttl }),
  FRIEND_REQUEST: record({
    ...head('FRIEND_REQUEST'),
    target_hash: key,
    clientkey: key,
    nonce: uint(),
    sessionkey: key,
    proof,
    ttl,
  }),
  FRIEND_CONFIRM: record({
    ...head('FRIEND_CONFIRM'),
    target_hash: key,
    clientkey: key,
    nonce: uint(),
    sessionkey: key,
    request: key,
    proof,
    ttl,
  }),
  MESSAGE_SEND: record({
    ...head('MESSAGE_SEND'),
    target_hash: key,
    origin: key,
    sid: id16,
    chatid: id16,
    msgid: id16,
    mtype: uint(1, 65535),
    message: bytes(41, 32808),
    ttl,
  }),
  MESSAGE_RECV: receipt('MESSAGE_RECV'),
  MESSAGE_READ: receipt('MESSAGE_READ'),
}

// formatIPv6 is under test elsewhere; here a tiny independent RFC 5952 writer
function format(b: Uint8Array): string {
  const g = Array.from(
    { length: 8 },
    (_, i) => ((b[2 * i] as number) << 8) | (b[2 * i + 1] as number),
  )
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; i++) {
    let j = i
    while (j < 8 && g[j] === 0) j++
    if (j - i > bestLen) [best, bestLen] = [i, j - i]
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':')
  return best < 0 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`
}

export const anyFrame: fc.Arbitrary<Frame> = fc.oneof(
  ...Object.values(frames),
) as fc.Arbitrary<Frame>

export const envelopeOf = (frame: fc.Arbitrary<Frame>): fc.Arbitrary<Envelope> =>
  record({ signature: fc.oneof(bytes(32), bytes(64)), hash: bytes(32), frame })

export const anyEnvelope = envelopeOf(anyFrame)
