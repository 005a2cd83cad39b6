// One sample frame of every type with its line written out by hand (base64 computed outside
// this code base), so a codec bug cannot hide behind a round trip.
import type { Envelope, Frame, FrameType } from '../src/index.ts'

export const fill = (n: number, v: number) => new Uint8Array(n).fill(v)
export const ascii = (b: Uint8Array) => new TextDecoder().decode(b)
export const bytesOf = (s: string) => new TextEncoder().encode(s)

export const TS = 1767225600000
export const HASH = fill(32, 0x11)
export const MAC = fill(32, 0x22)
export const SIG64 = fill(64, 0x33)

// base64 of the values above and below
export const B = {
  hash: 'ERERERERERERERERERERERERERERERERERERERERERE=',
  mac: 'IiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiI=',
  sig64: 'MzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMzMw==',
  k1: 'AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE=',
  k2: 'AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=',
  proof: 'RERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERERA==',
  nick: 'w4VsaWNlIPCfpoo=', // 'Ålice 🦊'
  icon: 'iVBORw==', // 89 50 4E 47
  a16: 'CgoKCgoKCgoKCgoKCgoKCg==',
  b16: 'CwsLCwsLCwsLCwsLCwsLCw==',
  c16: 'DAwMDAwMDAwMDAwMDAwMDA==',
  msg: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJyg=', // bytes 0..40
  auth: 'VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVQ==',
}

const K1 = fill(32, 1)
const K2 = fill(32, 2)
const PROOF = fill(64, 0x44)
const MSG = Uint8Array.from({ length: 41 }, (_, i) => i)
const receipt = {
  target_hash: K1,
  origin: K2,
  sid: fill(16, 0x0a),
  chatid: fill(16, 0x0b),
  msgid: fill(16, 0x0c),
  auth: fill(40, 0x55),
  ttl: 64,
}
const receiptLine = `target_hash=${B.k1} origin=${B.k2} sid=${B.a16} chatid=${B.b16} msgid=${B.c16} auth=${B.auth}`

export interface Sample {
  env: Envelope
  /** The line without its LF. */
  line: string
  /** The §5.1 hash input. */
  hashInput: string
}

const sample = (frame: Frame, fields: string, perHop = '', signature = MAC): Sample => {
  const sig = signature === SIG64 ? B.sig64 : B.mac
  const body = `${frame.type}${fields ? ` ${fields}` : ''}`
  return {
    env: { signature, hash: HASH, frame },
    line: `${sig} ${B.hash} ${frame.timestamp} ${body}${perHop ? ` ${perHop}` : ''}`,
    hashInput: body,
  }
}

export const samples: Record<FrameType, Sample> = {
  HELLO: sample(
    { type: 'HELLO', timestamp: TS, version: 1, nodekey: K1, linkkey: K2, port: 7600 },
    `version=1 nodekey=${B.k1} linkkey=${B.k2} port=7600`,
    '',
    SIG64,
  ),
  BYE: sample({ type: 'BYE', timestamp: TS, reason: 'shutdown' }, 'reason=shutdown'),
  KEEPALIVE_REQUEST: sample({ type: 'KEEPALIVE_REQUEST', timestamp: TS, id: 0 }, 'id=0'),
  KEEPALIVE_RESPONSE: sample({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: 12345 }, 'id=12345'),
  NEIGHBORS_REQUEST: sample({ type: 'NEIGHBORS_REQUEST', timestamp: TS }, ''),
  NEIGHBORS_RESPONSE: sample(
    {
      type: 'NEIGHBORS_RESPONSE',
      timestamp: TS,
      neighbor: [
        { ip: '2001:db8::1', port: 7600 },
        { ip: '2001:db8:0:1:1:1:1:1', port: 65535 },
      ],
    },
    'neighbor=2001:db8::1,7600 neighbor=2001:db8:0:1:1:1:1:1,65535',
  ),
  CLIENT_ONLINE: sample(
    {
      type: 'CLIENT_ONLINE',
      timestamp: TS,
      clientkey: K1,
      nonce: TS,
      nickname: 'Ålice 🦊',
      icon: Uint8Array.of(0x89, 0x50, 0x4e, 0x47),
      proof: PROOF,
      metric: 0,
      ttl: 64,
    },
    `clientkey=${B.k1} nonce=${TS} nickname=${B.nick} icon=${B.icon} proof=${B.proof}`,
    'metric=0 ttl=64',
  ),
  CLIENT_UPDATE: sample(
    {
      type: 'CLIENT_UPDATE',
      timestamp: TS,
      clientkey: K1,
      nonce: TS + 1,
      nickname: 'Ålice 🦊',
      proof: PROOF,
      metric: 4294967295,
      ttl: 0,
    },
    `clientkey=${B.k1} nonce=${TS + 1} nickname=${B.nick} proof=${B.proof}`,
    'metric=4294967295 ttl=0',
  ),
  CLIENT_OFFLINE: sample(
    {
      type: 'CLIENT_OFFLINE',
      timestamp: TS,
      clientkey: K1,
      nonce: 9007199254740991,
      proof: PROOF,
      ttl: 3,
    },
    `clientkey=${B.k1} nonce=9007199254740991 proof=${B.proof}`,
    'ttl=3',
  ),
  ROUTE_REQUEST: sample(
    { type: 'ROUTE_REQUEST', timestamp: TS, target_hash: K1, nonce: 7, ttl: 64 },
    `target_hash=${B.k1} nonce=7`,
    'ttl=64',
  ),
  FRIEND_REQUEST: sample(
    {
      type: 'FRIEND_REQUEST',
      timestamp: TS,
      target_hash: K1,
      clientkey: K2,
      nonce: TS,
      sessionkey: K1,
      proof: PROOF,
      ttl: 64,
    },
    `target_hash=${B.k1} clientkey=${B.k2} nonce=${TS} sessionkey=${B.k1} proof=${B.proof}`,
    'ttl=64',
  ),
  FRIEND_CONFIRM: sample(
    {
      type: 'FRIEND_CONFIRM',
      timestamp: TS,
      target_hash: K2,
      clientkey: K1,
      nonce: TS,
      sessionkey: K2,
      request: HASH,
      proof: PROOF,
      ttl: 63,
    },
    `target_hash=${B.k2} clientkey=${B.k1} nonce=${TS} sessionkey=${B.k2} request=${B.hash} proof=${B.proof}`,
    'ttl=63',
  ),
  MESSAGE_SEND: sample(
    {
      type: 'MESSAGE_SEND',
      timestamp: TS,
      target_hash: K1,
      origin: K2,
      sid: fill(16, 0x0a),
      chatid: fill(16, 0x0b),
      msgid: fill(16, 0x0c),
      mtype: 1,
      message: MSG,
      ttl: 64,
    },
    `target_hash=${B.k1} origin=${B.k2} sid=${B.a16} chatid=${B.b16} msgid=${B.c16} mtype=1 message=${B.msg}`,
    'ttl=64',
  ),
  MESSAGE_RECV: sample({ type: 'MESSAGE_RECV', timestamp: TS, ...receipt }, receiptLine, 'ttl=64'),
  MESSAGE_READ: sample({ type: 'MESSAGE_READ', timestamp: TS, ...receipt }, receiptLine, 'ttl=64'),
}

/**
 * The value with every Uint8Array replaced by a hex string tagged with its class, for deep
 * comparisons: vitest compares typed arrays element by element, which for 32 KiB messages makes
 * property tests crawl.
 */
export function norm(v: unknown): unknown {
  if (v instanceof Uint8Array)
    return `${v.constructor.name}:${Buffer.from(v.buffer, v.byteOffset, v.length).toString('hex')}`
  if (Array.isArray(v)) return v.map(norm)
  if (typeof v === 'object' && v !== null) {
    const out: Record<string, unknown> = Object.create(Object.getPrototypeOf(v))
    for (const [k, x] of Object.entries(v)) out[k] = norm(x)
    return out
  }
  return v
}
