// An independent, minimal chat6 v1 peer written from docs/protocol.md and docs/vectors/v1.json
// alone. It imports nothing from @chat6/*: only node:net and node:crypto. It is a test fixture
// for interop.test.ts, which checks it against the vectors and against the reference over TCP.
//
// What it covers: the line codec (§2–§4, §14), hash/signing/proof inputs and the e2e AD (§5),
// HELLO and the link MAC (§6), keepalive answers (§7), presence with proof (§8.1), the session
// handshake as requester (§10) and MESSAGE_SEND/RECV with XChaCha20-Poly1305 (§11).
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  sign as edSign,
  verify as edVerify,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto'
import { connect } from 'node:net'

// ---------------------------------------------------------------------------------------------
// constants (§13)

export const PROTOCOL_VERSION = 1
export const MAX_LINE_BYTES = 65_536
export const MAX_FIELDS = 40
export const MAX_CLOCK_SKEW = 300_000
export const METRIC_INFINITY = 4_294_967_295
export const DEFAULT_TTL = 64
const MAX_UINT = Number.MAX_SAFE_INTEGER
const ZERO32 = Buffer.alloc(32)

// ---------------------------------------------------------------------------------------------
// values (§3)

const B64_RE = /^[A-Za-z0-9+/]*={0,2}$/

/** Canonical base64 (RFC 4648 §4, padded, zero unused bits) → bytes, or undefined. */
export function b64decode(s) {
  if (typeof s !== 'string' || s.length % 4 !== 0 || !B64_RE.test(s)) return undefined
  const bytes = Buffer.from(s, 'base64')
  return bytes.toString('base64') === s ? bytes : undefined
}
export const b64 = (bytes) => Buffer.from(bytes).toString('base64')
export const hex = (bytes) => Buffer.from(bytes).toString('hex')
export const unhex = (s) => Buffer.from(s, 'hex')

const UINT_RE = /^(0|[1-9][0-9]*)$/
const TOKEN_RE = /^[a-z0-9_]{1,32}$/
const NAME_RE = /^[a-z][a-z0-9_]{0,31}$/
const TYPE_RE = /^[A-Z_]+$/
// C0, DEL and C1 controls (§3 text)
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find control characters
const CONTROL_RE = /[\u0000-\u001f\u007f-\u009f]/
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** RFC 5952 canonical text of an IPv6 address, or undefined (no IPv4 tail, no zone). */
export function canonicalIpv6(text) {
  if (!/^[0-9a-fA-F:]+$/.test(text)) return undefined
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const part = (s) => (s === '' ? [] : s.split(':'))
  const head = part(halves[0])
  const tail = halves.length === 2 ? part(halves[1]) : []
  const groups = [...head, ...tail]
  if (groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined
  if (halves.length === 1 && groups.length !== 8) return undefined
  if (halves.length === 2 && groups.length > 7) return undefined
  const words = [
    ...head.map((g) => Number.parseInt(g, 16)),
    ...Array(8 - groups.length).fill(0),
    ...tail.map((g) => Number.parseInt(g, 16)),
  ]
  // longest run of at least two zero words, the first one on a tie
  let best = -1
  let bestLen = 1
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && words[j] === 0) j++
    if (j - i > bestLen) {
      best = i
      bestLen = j - i
    }
    i = j
  }
  const h = (ws) => ws.map((w) => w.toString(16)).join(':')
  return best < 0 ? h(words) : `${h(words.slice(0, best))}::${h(words.slice(best + bestLen))}`
}

// kinds: each has enc(value) → wire string, dec(wire) → value | undefined
const uint = (min, max) => ({
  enc: (v) => String(v),
  dec: (s) => {
    if (!UINT_RE.test(s) || s.length > 16) return undefined
    const n = Number(s)
    return n >= min && n <= max && n <= MAX_UINT ? n : undefined
  },
  valid: (v) => Number.isSafeInteger(v) && v >= min && v <= max,
})
const bin = (min, max = min) => ({
  enc: (v) => (typeof v === 'string' ? v : b64(v)),
  dec: (s) => {
    const bytes = b64decode(s)
    return bytes && bytes.length >= min && bytes.length <= max ? s : undefined
  },
  valid: (v) => {
    const bytes = typeof v === 'string' ? b64decode(v) : v
    return bytes !== undefined && bytes.length >= min && bytes.length <= max
  },
})
const text = (min, max) => ({
  enc: (v) => b64(Buffer.from(v, 'utf8')),
  dec: (s) => {
    const bytes = b64decode(s)
    if (!bytes || bytes.length < min || bytes.length > max) return undefined
    let str
    try {
      str = utf8.decode(bytes)
    } catch {
      return { utf8Error: true }
    }
    return CONTROL_RE.test(str) ? { utf8Error: true } : str
  },
  valid: (v) => typeof v === 'string' && Buffer.byteLength(v) >= min && Buffer.byteLength(v) <= max,
})
const token = {
  enc: (v) => v,
  dec: (s) => (TOKEN_RE.test(s) ? s : undefined),
  valid: (v) => TOKEN_RE.test(v),
}
const addr = {
  enc: (v) => `${v.ip},${v.port}`,
  dec: (s) => {
    const comma = s.lastIndexOf(',')
    if (comma < 0) return undefined
    const ip = s.slice(0, comma)
    const port = uint(1, 65535).dec(s.slice(comma + 1))
    return port !== undefined && canonicalIpv6(ip) === ip ? { ip, port } : undefined
  },
  valid: (v) => canonicalIpv6(v.ip) === v.ip && uint(1, 65535).valid(v.port),
}

// ---------------------------------------------------------------------------------------------
// frames (§4): fields in canonical order; [name, kind, flags]

const K32 = bin(32)
const PROOF = bin(64)
const TTL = uint(0, 64)
const PRESENCE = [
  ['clientkey', K32],
  ['nonce', uint(0, MAX_UINT)],
  ['nickname', text(1, 64)],
  ['icon', bin(1, 16_384), 'optional'],
  ['proof', PROOF],
  ['metric', uint(0, METRIC_INFINITY)],
  ['ttl', TTL],
]
const RECEIPT = [
  ['target_hash', K32],
  ['origin', K32],
  ['sid', bin(16)],
  ['chatid', bin(16)],
  ['msgid', bin(16)],
  ['auth', bin(40)],
  ['ttl', TTL],
]
export const SCHEMA = {
  HELLO: [
    ['version', uint(1, 65535)],
    ['nodekey', K32],
    ['linkkey', K32],
    ['port', uint(0, 65535)],
  ],
  BYE: [['reason', token]],
  KEEPALIVE_REQUEST: [['id', uint(0, MAX_UINT)]],
  KEEPALIVE_RESPONSE: [['id', uint(0, MAX_UINT)]],
  NEIGHBORS_REQUEST: [],
  NEIGHBORS_RESPONSE: [['neighbor', addr, 'repeat']],
  CLIENT_ONLINE: PRESENCE,
  CLIENT_UPDATE: PRESENCE,
  CLIENT_OFFLINE: [
    ['clientkey', K32],
    ['nonce', uint(0, MAX_UINT)],
    ['proof', PROOF],
    ['ttl', TTL],
  ],
  ROUTE_REQUEST: [
    ['target_hash', K32],
    ['nonce', uint(0, MAX_UINT)],
    ['ttl', TTL],
  ],
  FRIEND_REQUEST: [
    ['target_hash', K32],
    ['clientkey', K32],
    ['nonce', uint(0, MAX_UINT)],
    ['sessionkey', K32],
    ['proof', PROOF],
    ['ttl', TTL],
  ],
  FRIEND_CONFIRM: [
    ['target_hash', K32],
    ['clientkey', K32],
    ['nonce', uint(0, MAX_UINT)],
    ['sessionkey', K32],
    ['request', K32],
    ['proof', PROOF],
    ['ttl', TTL],
  ],
  MESSAGE_SEND: [
    ['target_hash', K32],
    ['origin', K32],
    ['sid', bin(16)],
    ['chatid', bin(16)],
    ['msgid', bin(16)],
    ['mtype', uint(1, 65535)],
    ['message', bin(41, 32_808)],
    ['ttl', TTL],
  ],
  MESSAGE_RECV: RECEIPT,
  MESSAGE_READ: RECEIPT,
}
const PER_HOP = new Set(['metric', 'ttl'])

export class FrameError extends Error {
  constructor(code) {
    super(`chat6 frame: ${code}`)
    this.name = 'FrameError'
    this.code = code
  }
}

/** The `name=value` strings of a frame object ({ type, timestamp, ...fields }), in order. */
function fieldStrings(frame, { skip = new Set() } = {}) {
  const schema = SCHEMA[frame.type]
  if (!schema) throw new FrameError('unknown_type')
  const out = []
  for (const [name, kind, flag] of schema) {
    if (skip.has(name)) continue
    const v = frame[name]
    if (v === undefined) {
      if (flag === 'optional' || flag === 'repeat') continue
      throw new FrameError('missing_field')
    }
    const values = flag === 'repeat' ? v : [v]
    for (const one of values) {
      if (!kind.valid(one)) throw new FrameError('bad_value')
      out.push(`${name}=${kind.enc(one)}`)
    }
  }
  return out
}

/** §5.1 hash input (per-hop fields left out); `leaveOut` drops more (proof: §5.3, AEAD: §5.4). */
export function hashInput(frame, leaveOut = []) {
  const skip = new Set([...PER_HOP, ...leaveOut])
  return Buffer.from([frame.type, ...fieldStrings(frame, { skip })].join(' '), 'ascii')
}
export const proofInput = (frame) => hashInput(frame, ['proof'])
export const msgHash = (frame) => sha256(hashInput(frame))
/** §5.4 associated data of a MESSAGE_* frame. */
export function associatedData(frame) {
  const field = frame.type === 'MESSAGE_SEND' ? 'message' : 'auth'
  return Buffer.concat([context('chat6/v1/e2e'), hashInput(frame, [field])])
}
/** §5.2 signing input: everything after the first space of the line. */
export function signingInput(frame, hash = msgHash(frame)) {
  const body = [frame.type, ...fieldStrings(frame)].join(' ')
  return Buffer.from(`${b64(hash)} ${frame.timestamp} ${body}`, 'ascii')
}
export const lineOf = (signature, signing) => `${b64(signature)} ${signing.toString('ascii')}`

/**
 * Decode one line (without its LF). Returns { frame, signature, hash, signingInput } or throws a
 * FrameError with the §14 code. Checks that the line is the canonical encoding of its frame.
 */
export function decodeLine(line) {
  if (Buffer.byteLength(line, 'latin1') + 1 > MAX_LINE_BYTES) throw new FrameError('line_too_long')
  if (!/^[\x20-\x7e]*$/.test(line)) throw new FrameError('bad_byte')
  const tokens = line.split(' ')
  if (tokens.length < 4 || tokens.some((t) => t === '')) throw new FrameError('bad_structure')
  const [sigText, hashText, tsText, type, ...fields] = tokens
  const signature = b64decode(sigText)
  if (!signature || (signature.length !== 32 && signature.length !== 64))
    throw new FrameError('bad_signature')
  const hash = b64decode(hashText)
  if (hash?.length !== 32) throw new FrameError('bad_hash')
  const timestamp = uint(0, MAX_UINT).dec(tsText)
  if (timestamp === undefined) throw new FrameError('bad_timestamp')
  const schema = SCHEMA[type]
  if (!TYPE_RE.test(type) || !schema) throw new FrameError('unknown_type')
  if (fields.length > MAX_FIELDS) throw new FrameError('too_many_fields')
  const frame = { type, timestamp }
  let pos = 0
  for (const f of fields) {
    const eq = f.indexOf('=')
    if (eq < 0 || !NAME_RE.test(f.slice(0, eq))) throw new FrameError('bad_field')
    const name = f.slice(0, eq)
    const idx = schema.findIndex(([n]) => n === name)
    if (idx < 0) throw new FrameError('unknown_field')
    const [, kind, flag] = schema[idx]
    if (idx < pos - 1 || (idx === pos - 1 && flag !== 'repeat')) {
      throw new FrameError(frame[name] !== undefined ? 'duplicate_field' : 'field_order')
    }
    const raw = f.slice(eq + 1)
    const value = raw === '' ? undefined : kind.dec(raw)
    if (value === undefined) throw new FrameError('bad_value')
    if (value?.utf8Error) throw new FrameError('bad_utf8')
    if (flag === 'repeat') {
      frame[name] ??= []
      frame[name].push(value)
      if (frame[name].length > 32) throw new FrameError('too_many_fields')
    } else frame[name] = value
    pos = idx + 1
  }
  for (const [name, , flag] of schema) {
    if (frame[name] === undefined && !flag) throw new FrameError('missing_field')
  }
  if (type === 'NEIGHBORS_RESPONSE') frame.neighbor ??= []
  const signing = Buffer.from(line.slice(sigText.length + 1), 'ascii')
  // one valid encoding only: re-encode and compare
  if (lineOf(signature, signingInput(frame, hash)) !== line) throw new FrameError('bad_value')
  return { frame, signature, hash, signingInput: signing }
}

// ---------------------------------------------------------------------------------------------
// crypto (§5, §6.3, §10.3, §11) on node:crypto only

export const sha256 = (...parts) => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return h.digest()
}
const context = (name) => Buffer.concat([Buffer.from(name, 'ascii'), Buffer.from([0])])
const hmac = (key, ...parts) => {
  const h = createHmac('sha256', key)
  for (const p of parts) h.update(p)
  return h.digest()
}
const hkdf = (ikm, salt, info, len) =>
  Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from(info, 'ascii'), len))
const u64be = (n) => {
  const b = Buffer.alloc(8)
  b.writeBigUInt64BE(BigInt(n))
  return b
}

const ED_PKCS8 = unhex('302e020100300506032b657004220420')
const ED_SPKI = unhex('302a300506032b6570032100')
const X_PKCS8 = unhex('302e020100300506032b656e04220420')
const X_SPKI = unhex('302a300506032b656e032100')
const der = (prefix, key) => Buffer.concat([prefix, Buffer.from(key)])

/** Ed25519 keypair from a 32-byte seed (RFC 8032). */
export function ed25519(seed = randomBytes(32)) {
  const privateKey = createPrivateKey({ key: der(ED_PKCS8, seed), format: 'der', type: 'pkcs8' })
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12)
  return {
    publicKey: Buffer.from(publicKey),
    sign: (msg) => edSign(null, msg, privateKey),
  }
}
// the eight points of order dividing 8, canonical encodings (§5: MUST refuse them as keys)
const SMALL_ORDER = new Set([
  '0100000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000080',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa',
])
/**
 * Whether 32 bytes are a canonical point encoding as far as the encoding goes: y < p, and no
 * sign bit on x = 0 (y = ±1). OpenSSL accepts both non-canonical forms (it verifies a signature
 * under the key 0x01 00…00 80), so a verifier on node:crypto has to check them itself.
 */
export function canonicalPointEncoding(enc) {
  const b = Buffer.from(enc)
  const sign = b[31] & 0x80
  const top = b[31] & 0x7f
  const midFF = b.subarray(1, 31).every((x) => x === 0xff)
  const mid00 = b.subarray(1, 31).every((x) => x === 0)
  if (top === 0x7f && midFF && b[0] >= 0xed) return false // y >= p
  if (sign && top === 0 && mid00 && b[0] === 1) return false // y = 1, x = 0 with sign bit
  if (sign && top === 0x7f && midFF && b[0] === 0xec) return false // y = -1, x = 0 with sign bit
  return true
}
/**
 * Ed25519 verify with the §5 rules: never throws; refuses non-canonical A or R, small-order A.
 * OpenSSL refuses S >= L itself but accepts small-order and non-canonical keys.
 */
export function ed25519Verify(publicKey, msg, signature) {
  try {
    if (publicKey.length !== 32 || signature.length !== 64) return false
    if (!canonicalPointEncoding(publicKey) || !canonicalPointEncoding(signature.subarray(0, 32)))
      return false
    if (SMALL_ORDER.has(hex(publicKey))) return false
    const key = createPublicKey({ key: der(ED_SPKI, publicKey), format: 'der', type: 'spki' })
    return edVerify(null, msg, key, signature)
  } catch {
    return false
  }
}

/** X25519 keypair from a 32-byte secret (RFC 7748; the secret is used as given). */
export function x25519(secret = randomBytes(32)) {
  const privateKey = createPrivateKey({ key: der(X_PKCS8, secret), format: 'der', type: 'pkcs8' })
  const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(12)
  return {
    publicKey: Buffer.from(publicKey),
    agree(peerPublic) {
      const pub = createPublicKey({ key: der(X_SPKI, peerPublic), format: 'der', type: 'spki' })
      const shared = diffieHellman({ privateKey, publicKey: pub })
      if (shared.equals(ZERO32)) throw new Error('X25519: all-zero shared secret')
      return shared
    },
  }
}

/** HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): 32-byte key, 16-byte nonce → 32-byte subkey. */
export function hchacha20(key, nonce16) {
  const s = new Uint32Array(16)
  s[0] = 0x61707865
  s[1] = 0x3320646e
  s[2] = 0x79622d32
  s[3] = 0x6b206574
  for (let i = 0; i < 8; i++) s[4 + i] = key.readUInt32LE(4 * i)
  for (let i = 0; i < 4; i++) s[12 + i] = nonce16.readUInt32LE(4 * i)
  const rotl = (v, c) => (v << c) | (v >>> (32 - c))
  const qr = (a, b, c, d) => {
    s[a] += s[b]
    s[d] = rotl(s[d] ^ s[a], 16)
    s[c] += s[d]
    s[b] = rotl(s[b] ^ s[c], 12)
    s[a] += s[b]
    s[d] = rotl(s[d] ^ s[a], 8)
    s[c] += s[d]
    s[b] = rotl(s[b] ^ s[c], 7)
  }
  for (let i = 0; i < 10; i++) {
    qr(0, 4, 8, 12)
    qr(1, 5, 9, 13)
    qr(2, 6, 10, 14)
    qr(3, 7, 11, 15)
    qr(0, 5, 10, 15)
    qr(1, 6, 11, 12)
    qr(2, 7, 8, 13)
    qr(3, 4, 9, 14)
  }
  const out = Buffer.alloc(32)
  for (let i = 0; i < 4; i++) out.writeUInt32LE(s[i], 4 * i)
  for (let i = 0; i < 4; i++) out.writeUInt32LE(s[12 + i], 16 + 4 * i)
  return out
}
const xSetup = (key, nonce) => {
  const sub = hchacha20(Buffer.from(key), Buffer.from(nonce).subarray(0, 16))
  const iv = Buffer.concat([Buffer.alloc(4), Buffer.from(nonce).subarray(16, 24)])
  return { sub, iv }
}
/** XChaCha20-Poly1305 seal: ciphertext || tag(16). */
export function xseal(key, nonce, plaintext, ad) {
  const { sub, iv } = xSetup(key, nonce)
  const c = createCipheriv('chacha20-poly1305', sub, iv, { authTagLength: 16 })
  c.setAAD(ad, { plaintextLength: plaintext.length })
  return Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()])
}
/** XChaCha20-Poly1305 open: plaintext, or undefined if it does not authenticate. */
export function xopen(key, nonce, sealed, ad) {
  if (sealed.length < 16) return undefined
  try {
    const { sub, iv } = xSetup(key, nonce)
    const d = createDecipheriv('chacha20-poly1305', sub, iv, { authTagLength: 16 })
    d.setAAD(ad, { plaintextLength: sealed.length - 16 })
    d.setAuthTag(sealed.subarray(sealed.length - 16))
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()])
  } catch {
    return undefined
  }
}

/** §6.3 link keys. */
export function linkKeys(shared, hI, hR) {
  const okm = hkdf(shared, Buffer.concat([hI, hR]), 'chat6/v1/link', 64)
  return { kIR: okm.subarray(0, 32), kRI: okm.subarray(32, 64) }
}
/** §10.3 session keys. */
export function sessionKeys(shared, hReq, hConf) {
  const okm = hkdf(shared, Buffer.concat([hReq, hConf]), 'chat6/v1/session', 80)
  return { kAB: okm.subarray(0, 32), kBA: okm.subarray(32, 64), sid: okm.subarray(64, 80) }
}
export const linkMac = (key, counter, signing) => hmac(key, u64be(counter), signing)
export const helloSignature = (nodeKey, signing) =>
  nodeKey.sign(Buffer.concat([context('chat6/v1/hello'), signing]))
export const proofOf = (clientKey, frame) =>
  clientKey.sign(Buffer.concat([context('chat6/v1/proof'), proofInput(frame)]))
export function verifyProof(frame) {
  const key = b64decode(frame.clientkey)
  const proof = b64decode(frame.proof)
  if (!key || !proof) return false
  return ed25519Verify(key, Buffer.concat([context('chat6/v1/proof'), proofInput(frame)]), proof)
}
/** §11 default chat of a pair of client hashes. */
export function defaultChatId(hA, hB) {
  const [lo, hi] = Buffer.compare(hA, hB) <= 0 ? [hA, hB] : [hB, hA]
  return sha256(context('chat6/v1/chat'), lo, hi).subarray(0, 16)
}
/** §10.6 fingerprint of one key and the safety number of two. */
export function fingerprint(key) {
  let f = createHash('sha512').update(context('chat6/v1/safety')).update(key).digest()
  for (let i = 1; i <= 5200; i++) f = createHash('sha512').update(f).update(key).digest()
  return f
}
export function safetyNumber(keyA, keyB) {
  const [lo, hi] = Buffer.compare(keyA, keyB) <= 0 ? [keyA, keyB] : [keyB, keyA]
  const fLow = fingerprint(lo)
  const fHigh = fingerprint(hi)
  const digits = (f) => {
    let s = ''
    for (let i = 0; i < 6; i++) {
      const n = f.readUIntBE(5 * i, 5) % 100_000
      s += String(n).padStart(5, '0')
    }
    return s
  }
  const all = digits(fLow) + digits(fHigh)
  return {
    fingerprintLow: fLow,
    fingerprintHigh: fHigh,
    digits: all,
    text: all.match(/.{5}/g).join(' '),
    qr: Buffer.concat([Buffer.from([1]), fLow.subarray(0, 32), fHigh.subarray(0, 32)]),
  }
}

/** Seal a MESSAGE_SEND (`message` left out of the frame) or a receipt (`auth` left out). */
export function sealFrame(frame, key, nonce = randomBytes(24), plaintext = Buffer.alloc(0)) {
  const ad = associatedData(frame)
  const sealed = xseal(key, nonce, plaintext, ad)
  const field = frame.type === 'MESSAGE_SEND' ? 'message' : 'auth'
  return { ...frame, [field]: b64(Buffer.concat([nonce, sealed])) }
}
/** Open a MESSAGE_* frame's AEAD field: the plaintext (empty for receipts) or undefined. */
export function openFrame(frame, key) {
  const field = frame.type === 'MESSAGE_SEND' ? 'message' : 'auth'
  const bytes = b64decode(frame[field])
  if (!bytes || bytes.length < 40) return undefined
  return xopen(key, bytes.subarray(0, 24), bytes.subarray(24), associatedData(frame))
}

// ---------------------------------------------------------------------------------------------
// an independent client identity (§8.1, §10, §11)

export class Identity {
  constructor({ seed = randomBytes(32), nickname = 'stranger', now = Date.now } = {}) {
    this.ed = ed25519(seed)
    this.key = this.ed.publicKey
    this.hash = sha256(this.key)
    this.nickname = nickname
    this.now = now
    this.lastNonce = 0
    /** friends by client hash (b64): { key, sessions: [newest, previous] } */
    this.friends = new Map()
    /** outstanding requests by target hash (b64): { eph, hash, target } */
    this.outstanding = new Map()
  }
  nextNonce() {
    this.lastNonce = Math.max(this.lastNonce + 1, this.now())
    return this.lastNonce
  }
  /** A signed CLIENT_ONLINE as the home node sends it (metric 0, ttl 64). */
  online(type = 'CLIENT_ONLINE') {
    const frame = {
      type,
      timestamp: 0,
      clientkey: b64(this.key),
      nonce: this.nextNonce(),
      nickname: this.nickname,
      metric: 0,
      ttl: DEFAULT_TTL,
      proof: b64(Buffer.alloc(64)),
    }
    return { ...frame, proof: b64(proofOf(this.ed, frame)) }
  }
  friend(key) {
    const h = b64(sha256(key))
    let f = this.friends.get(h)
    if (!f) {
      f = { key: Buffer.from(key), hash: sha256(key), sessions: [] }
      this.friends.set(h, f)
    }
    return f
  }
  /** FRIEND_REQUEST to `target` (their client key), with a fresh ephemeral key (§10.1). */
  request(target, { ephSecret } = {}) {
    const friend = this.friend(target)
    const eph = x25519(ephSecret)
    const frame = {
      type: 'FRIEND_REQUEST',
      timestamp: 0,
      target_hash: b64(friend.hash),
      clientkey: b64(this.key),
      nonce: this.nextNonce(),
      sessionkey: b64(eph.publicKey),
      proof: b64(Buffer.alloc(64)),
      ttl: DEFAULT_TTL,
    }
    const signed = { ...frame, proof: b64(proofOf(this.ed, frame)) }
    this.outstanding.set(b64(friend.hash), { eph, hash: msgHash(signed), friend })
    return signed
  }
  /** Accept a FRIEND_CONFIRM (§10.2): the new session, or a string saying why not. */
  confirmed(frame) {
    if (frame.type !== 'FRIEND_CONFIRM') return 'type'
    if (frame.target_hash !== b64(this.hash)) return 'target'
    const from = b64(sha256(b64decode(frame.clientkey)))
    const pending = this.outstanding.get(from)
    if (!pending) return 'no_request'
    if (frame.request !== b64(pending.hash)) return 'request'
    if (!verifyProof(frame)) return 'bad_proof'
    this.outstanding.delete(from) // consumed: a second confirm is refused
    const shared = pending.eph.agree(b64decode(frame.sessionkey))
    const k = sessionKeys(shared, pending.hash, msgHash(frame))
    const session = { sid: k.sid, send: k.kAB, recv: k.kBA }
    pending.friend.sessions = [session, ...pending.friend.sessions].slice(0, 2)
    return session
  }
  /** Answer a FRIEND_REQUEST from a friend (§10.2, as B). */
  confirm(request) {
    if (!verifyProof(request)) return undefined
    const friend = this.friend(b64decode(request.clientkey))
    const eph = x25519()
    const frame = {
      type: 'FRIEND_CONFIRM',
      timestamp: 0,
      target_hash: b64(friend.hash),
      clientkey: b64(this.key),
      nonce: this.nextNonce(),
      sessionkey: b64(eph.publicKey),
      request: b64(msgHash(request)),
      proof: b64(Buffer.alloc(64)),
      ttl: DEFAULT_TTL,
    }
    const signed = { ...frame, proof: b64(proofOf(this.ed, frame)) }
    const shared = eph.agree(b64decode(request.sessionkey))
    const k = sessionKeys(shared, msgHash(request), msgHash(signed))
    friend.sessions = [{ sid: k.sid, send: k.kBA, recv: k.kAB }, ...friend.sessions].slice(0, 2)
    return signed
  }
  /** MESSAGE_SEND of `text` to a keyed friend under the newest session. */
  message(friendKey, body, { mtype = 1, msgid = randomBytes(16), nonce } = {}) {
    const friend = this.friend(friendKey)
    const session = friend.sessions[0]
    if (!session) throw new Error('friend not keyed')
    const frame = {
      type: 'MESSAGE_SEND',
      timestamp: 0,
      target_hash: b64(friend.hash),
      origin: b64(this.hash),
      sid: b64(session.sid),
      chatid: b64(defaultChatId(this.hash, friend.hash)),
      msgid: b64(msgid),
      mtype,
      ttl: DEFAULT_TTL,
    }
    const plaintext = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body)
    return sealFrame(frame, session.send, nonce, plaintext)
  }
  /** Open an incoming MESSAGE_* by its origin and sid: { friend, session, plaintext } or undefined. */
  open(frame) {
    const friend = this.friends.get(frame.origin)
    if (!friend || frame.target_hash !== b64(this.hash)) return undefined
    const session = friend.sessions.find((s) => b64(s.sid) === frame.sid)
    if (!session) return undefined
    const plaintext = openFrame(frame, session.recv)
    return plaintext ? { friend, session, plaintext } : undefined
  }
  /** The receipt (MESSAGE_RECV or MESSAGE_READ) for an incoming MESSAGE_SEND, newest session. */
  receipt(message, type = 'MESSAGE_RECV') {
    const friend = this.friends.get(message.origin)
    const session = friend.sessions[0]
    const frame = {
      type,
      timestamp: 0,
      target_hash: message.origin,
      origin: b64(this.hash),
      sid: b64(session.sid),
      chatid: message.chatid,
      msgid: message.msgid,
      ttl: DEFAULT_TTL,
    }
    return sealFrame(frame, session.send)
  }
}

// ---------------------------------------------------------------------------------------------
// the node side: one outbound link (§6, §7) hosting at most one Identity

export class Peer {
  /**
   * @param {{ nodeSeed?: Buffer, linkSecret?: Buffer, now?: () => number, identity?: Identity,
   *   autoAck?: boolean, log?: (dir: 'in' | 'out', line: string) => void }} [opts]
   */
  constructor(opts = {}) {
    this.node = ed25519(opts.nodeSeed)
    this.link = x25519(opts.linkSecret)
    this.now = opts.now ?? Date.now
    this.identity = opts.identity
    this.autoAck = opts.autoAck ?? true
    this.log = opts.log ?? (() => {})
    this.socket = undefined
    this.state = 'idle' // idle → hello_sent → up → closed
    this.sendCounter = 0
    this.recvCounter = 0
    this.keys = undefined
    this.received = [] // every decoded frame in arrival order, with { dir, line, frame }
    this.waiters = []
    this.bye = undefined // the BYE the peer sent us: { reason, preLink, macOk }
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve
    })
    this.presence = new Map() // client hash (b64) → { frame, proofOk }
    this.inbox = [] // { from, text, frame }
    this.receipts = [] // { type, msgid, authOk }
    this.keepaliveId = 0
    this.drops = []
  }

  get nodeKey() {
    return this.node.publicKey
  }
  get id() {
    return b64(this.node.publicKey)
  }

  /** The HELLO line; `tamper` may change the frame or break the signature (for the reject test). */
  helloLine({ version = PROTOCOL_VERSION, port = 0, timestamp = this.now(), badSignature } = {}) {
    const frame = {
      type: 'HELLO',
      timestamp,
      version,
      nodekey: b64(this.node.publicKey),
      linkkey: b64(this.link.publicKey),
      port,
    }
    const hash = msgHash(frame)
    const signing = signingInput(frame, hash)
    const sig = helloSignature(this.node, signing)
    if (badSignature) sig[0] ^= 0x01
    this.helloHash = hash
    return lineOf(sig, signing)
  }

  /** TCP connect to [host]:port; resolves when connected (nothing sent yet). */
  open(host, port, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, family: 6 })
      const timer = setTimeout(() => {
        socket.destroy()
        reject(new Error(`connect [${host}]:${port} timed out`))
      }, timeoutMs)
      socket.once('connect', () => {
        clearTimeout(timer)
        resolve()
      })
      socket.once('error', (err) => {
        clearTimeout(timer)
        reject(err)
      })
      this.socket = socket
      let buf = ''
      socket.setEncoding('latin1')
      socket.on('data', (chunk) => {
        buf += chunk
        if (buf.length > MAX_LINE_BYTES && buf.indexOf('\n') < 0) {
          this.drop('line_too_long')
          this.close('line_too_long')
          return
        }
        let nl = buf.indexOf('\n')
        while (nl >= 0) {
          const line = buf.slice(0, nl)
          buf = buf.slice(nl + 1)
          this.onLine(line)
          if (this.state === 'closed') return
          nl = buf.indexOf('\n')
        }
      })
      socket.on('close', () => {
        this.state = 'closed'
        this.resolveClosed()
        this.wake()
      })
    })
  }

  /** Connect and complete the handshake as the connecting side (I). */
  async connect(host, port, { timeoutMs = 10_000, port: helloPort = 0 } = {}) {
    await this.open(host, port, timeoutMs)
    this.writeRaw(this.helloLine({ port: helloPort }))
    this.state = 'hello_sent'
    await this.waitFor((e) => e.frame.type === 'HELLO' || e.frame.type === 'BYE', timeoutMs)
    if (this.state !== 'up') throw new Error(`handshake failed: ${this.bye?.reason ?? this.state}`)
    // §7: each side sends KEEPALIVE_REQUEST right after the link is up
    this.keepalive()
    return this
  }

  /**
   * Connect and send only a HELLO (optionally broken), then wait for the answer: the peer's
   * HELLO or its BYE. Resolves with the BYE seen ({ reason, preLink, hashOk }) or undefined.
   */
  async tryHello(host, port, helloOpts = {}, timeoutMs = 10_000) {
    await this.open(host, port, timeoutMs)
    this.writeRaw(this.helloLine(helloOpts))
    this.state = 'hello_sent'
    await this.waitFor((e) => e.frame.type === 'HELLO' || e.frame.type === 'BYE', timeoutMs)
    return this.bye
  }

  writeRaw(line) {
    if (!this.socket || this.socket.destroyed) return
    this.log('out', line)
    this.socket.write(`${line}\n`, 'latin1')
  }

  /** Send a frame on the up link with its MSGHASH, timestamp and link MAC. */
  send(frame) {
    if (this.state !== 'up') throw new Error(`link not up (${this.state})`)
    const f = { ...frame, timestamp: this.now() }
    const signing = signingInput(f)
    const mac = linkMac(this.keys.send, this.sendCounter++, signing)
    const line = lineOf(mac, signing)
    this.received.push({ dir: 'out', line, frame: f })
    this.writeRaw(line)
    return { line, hash: msgHash(f) }
  }

  /** Send a frame whose link MAC is wrong (it still uses up a counter value). */
  sendBadMac(frame) {
    const signing = signingInput({ ...frame, timestamp: this.now() })
    const mac = linkMac(this.keys.send, this.sendCounter++, signing)
    mac[0] ^= 0x80
    this.writeRaw(lineOf(mac, signing))
  }

  keepalive() {
    return this.send({ type: 'KEEPALIVE_REQUEST', id: this.keepaliveId++ })
  }

  drop(reason, line) {
    this.drops.push({ reason, line })
  }

  onLine(line) {
    this.log('in', line)
    const counter = this.state === 'up' ? this.recvCounter++ : undefined
    let decoded
    try {
      decoded = decodeLine(line)
    } catch (err) {
      if (this.state !== 'up') return this.close('bad_frame')
      return this.drop(err.code ?? 'bad_frame', line)
    }
    const { frame, signature, hash, signingInput: signing } = decoded
    const hashOk = hash.equals(msgHash(frame))
    if (frame.type === 'BYE') {
      // §6.5: a BYE closes whatever its MAC; record how it was authenticated
      const preLink = signature.length === 32 && signature.equals(ZERO32)
      const macOk =
        counter !== undefined &&
        signature.length === 32 &&
        timingSafeEqual(signature, linkMac(this.keys.recv, counter, signing))
      this.bye = { reason: frame.reason, preLink, macOk, hashOk, signature }
      this.push({ dir: 'in', line, frame })
      return this.close()
    }
    if (this.state === 'hello_sent') {
      if (frame.type !== 'HELLO') return this.close('protocol')
      if (!hashOk) return this.close('bad_signature')
      const nodekey = b64decode(frame.nodekey)
      const helloSigned = Buffer.concat([context('chat6/v1/hello'), signing])
      if (signature.length !== 64 || !ed25519Verify(nodekey, helloSigned, signature))
        return this.close('bad_signature')
      if (Math.abs(frame.timestamp - this.now()) > MAX_CLOCK_SKEW) return this.close('clock')
      if (frame.version !== PROTOCOL_VERSION) return this.close('version')
      const shared = this.link.agree(b64decode(frame.linkkey))
      const { kIR, kRI } = linkKeys(shared, this.helloHash, hash)
      this.keys = { send: kIR, recv: kRI }
      this.peerNodeKey = nodekey
      this.state = 'up'
      this.push({ dir: 'in', line, frame })
      return
    }
    if (this.state !== 'up') return
    if (frame.type === 'HELLO') return this.close('protocol')
    const mac = linkMac(this.keys.recv, counter, signing)
    if (signature.length !== 32 || !timingSafeEqual(signature, mac))
      return this.close('bad_signature')
    if (!hashOk) return this.drop('bad_hash', line)
    if (Math.abs(frame.timestamp - this.now()) > MAX_CLOCK_SKEW) return this.drop('timestamp', line)
    this.handle(frame)
    this.push({ dir: 'in', line, frame })
  }

  /** Built-in behaviour of a node hosting one client. */
  handle(frame) {
    switch (frame.type) {
      case 'KEEPALIVE_REQUEST':
        this.send({ type: 'KEEPALIVE_RESPONSE', id: frame.id })
        break
      case 'NEIGHBORS_REQUEST':
        this.send({ type: 'NEIGHBORS_RESPONSE', neighbor: [] })
        break
      case 'CLIENT_ONLINE':
      case 'CLIENT_UPDATE':
      case 'CLIENT_OFFLINE': {
        const h = b64(sha256(b64decode(frame.clientkey)))
        const held = this.presence.get(h)
        if (held && held.frame.nonce > frame.nonce) break
        const proofOk = verifyProof(frame)
        if (proofOk) this.presence.set(h, { frame, proofOk })
        frame.proofOk = proofOk
        break
      }
      default:
        if (this.identity && frame.target_hash === b64(this.identity.hash)) this.routed(frame)
    }
  }

  /** Frames for our client (§9 step 2). */
  routed(frame) {
    const me = this.identity
    switch (frame.type) {
      case 'FRIEND_CONFIRM':
        frame.outcome = me.confirmed(frame)
        break
      case 'FRIEND_REQUEST': {
        // a friend's request is confirmed at once (§10.2)
        const h = b64(sha256(b64decode(frame.clientkey)))
        if (me.friends.has(h)) {
          const confirm = me.confirm(frame)
          if (confirm) this.send(confirm)
        }
        break
      }
      case 'MESSAGE_SEND': {
        const opened = me.open(frame)
        frame.opened = opened
        if (!opened) break
        const dup = this.inbox.some(
          (m) =>
            m.frame.origin === frame.origin &&
            m.frame.chatid === frame.chatid &&
            m.frame.msgid === frame.msgid,
        )
        if (!dup)
          this.inbox.push({ from: frame.origin, text: opened.plaintext.toString('utf8'), frame })
        if (this.autoAck) this.send(me.receipt(frame, 'MESSAGE_RECV'))
        break
      }
      case 'MESSAGE_RECV':
      case 'MESSAGE_READ': {
        const opened = me.open(frame)
        this.receipts.push({
          type: frame.type,
          msgid: frame.msgid,
          authOk: opened !== undefined && opened.plaintext.length === 0,
        })
        break
      }
    }
  }

  push(entry) {
    this.received.push(entry)
    this.wake()
  }
  wake() {
    for (const w of [...this.waiters]) w.check()
  }

  /** Wait for an incoming frame matching `pred` (seen before or after the call). */
  waitFor(pred, timeoutMs = 5000, what = 'frame') {
    return this.until(() => this.received.find((e) => e.dir === 'in' && pred(e)), timeoutMs, what)
  }
  /** Wait until `fn()` returns something truthy (checked on every incoming line and close). */
  until(fn, timeoutMs = 5000, what = 'condition') {
    return new Promise((resolve, reject) => {
      const w = {
        check: () => {
          let v
          try {
            v = fn()
          } catch (err) {
            done()
            return reject(err)
          }
          if (v) {
            done()
            resolve(v)
          } else if (this.state === 'closed' && !w.afterClose) {
            w.afterClose = true // one more chance: the close itself may be what we wait for
            queueMicrotask(() => w.check())
          } else if (this.state === 'closed') {
            done()
            reject(
              new Error(`${what}: link closed (${this.bye ? `BYE ${this.bye.reason}` : 'no BYE'})`),
            )
          }
        },
      }
      const timer = setTimeout(() => {
        done()
        reject(new Error(`${what}: not within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.waiters = this.waiters.filter((x) => x !== w)
      }
      this.waiters.push(w)
      w.check()
    })
  }

  /** Send BYE (MAC'd if the link is up, zero-signed before) and close. */
  close(reason) {
    if (this.state === 'closed') return this.closed
    if (reason && this.socket && !this.socket.destroyed) {
      if (this.state === 'up') this.send({ type: 'BYE', reason })
      else {
        const f = { type: 'BYE', timestamp: this.now(), reason }
        this.writeRaw(lineOf(ZERO32, signingInput(f)))
      }
      this.sentBye = reason
    }
    this.state = 'closed'
    const s = this.socket
    if (s) {
      s.end()
      setTimeout(() => s.destroy(), 1000).unref()
    } else this.resolveClosed()
    this.wake()
    return this.closed
  }
}
