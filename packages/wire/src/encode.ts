// The writer of §2–§5.2: sizes a line (or its signing or hash input) before filling it, checking
// each value as the schemas would, so that what it writes is the one canonical line.
import { _b64Length, _b64Write } from './base64.ts'
import type { decode, Envelope } from './codec.ts'
import {
  _MAX_U16,
  HASH_BYTES,
  MAX_LINE_BYTES,
  SIGNATURE_BYTES_HELLO,
  SIGNATURE_BYTES_MAC,
} from './constants.ts'
import { type DecodeErrorCode, WireEncodeError } from './errors.ts'
import { parseIPv6 } from './ipv6.ts'
import { _bytes } from './pool.ts'
import type { Frame } from './schema.ts'
import { type _FieldSpec, _specs, type _TypeSpec } from './spec.ts'
import { _textToBytes } from './text.ts'

const SP = 0x20
const LF = 0x0a
const EQ = 0x3d

const asciiDecoder = new TextDecoder()

/** What the writer emits: the whole line, the §5.2 signing input, or the §5.1 hash input. */
const Mode = { Line: 0, Signing: 1, Hash: 2 } as const
type Mode = (typeof Mode)[keyof typeof Mode]

/** One field occurrence ready to write: its spec and its bytes (base64'd) or ASCII text. */
interface Piece {
  f: _FieldSpec
  v: Uint8Array | string
}

const encodeFail = (code: DecodeErrorCode, message: string, field?: string): never => {
  throw new WireEncodeError(code, message, field)
}

/** Validates one value as the schemas do, and turns it into what is written. */
function prepare(f: _FieldSpec, v: unknown): Uint8Array | string {
  switch (f.kind) {
    case 'b64':
      if (!(v instanceof Uint8Array))
        return encodeFail('bad_value', `${f.name} must be a Uint8Array`, f.name)
      if (v.length < f.min || v.length > f.max) {
        return encodeFail('bad_value', `${f.name} must be ${f.min}..${f.max} bytes`, f.name)
      }
      return v
    case 'uint':
      if (!Number.isSafeInteger(v) || (v as number) < f.min || (v as number) > f.max) {
        return encodeFail('bad_value', `${f.name} must be an integer in ${f.min}..${f.max}`, f.name)
      }
      return String(v)
    case 'text': {
      if (typeof v !== 'string')
        return encodeFail('bad_value', `${f.name} must be a string`, f.name)
      const bytes = _textToBytes(v)
      if (bytes === undefined)
        return encodeFail('bad_utf8', `${f.name} has a control or lone surrogate`, f.name)
      if (bytes.length < f.min || bytes.length > f.max) {
        return encodeFail('bad_value', `${f.name} must be ${f.min}..${f.max} UTF-8 bytes`, f.name)
      }
      return bytes
    }
    case 'token':
      if (typeof v !== 'string' || !/^[a-z0-9_]{1,32}$/.test(v)) {
        return encodeFail('bad_value', `${f.name} must be 1-32 of a-z 0-9 _`, f.name)
      }
      return v
    case 'addr': {
      const a = v as { ip?: unknown; port?: unknown } | null
      if (typeof a !== 'object' || a === null)
        return encodeFail('bad_value', `${f.name} must be { ip, port }`, f.name)
      for (const k in a)
        if (k !== 'ip' && k !== 'port') encodeFail('bad_value', `${f.name} has a key ${k}`, f.name)
      if (typeof a.ip !== 'string' || parseIPv6(a.ip) === undefined) {
        return encodeFail('bad_value', `${f.name}.ip must be RFC 5952 canonical IPv6`, f.name)
      }
      if (
        !Number.isSafeInteger(a.port) ||
        (a.port as number) < 1 ||
        (a.port as number) > _MAX_U16
      ) {
        return encodeFail('bad_value', `${f.name}.port must be 1..65535`, f.name)
      }
      return `${a.ip},${a.port}`
    }
  }
}

function write(
  frame: Frame,
  signature: Uint8Array | undefined,
  hash: Uint8Array | undefined,
  mode: Mode,
  omit: string | undefined,
): Uint8Array<ArrayBuffer> {
  if (typeof frame !== 'object' || frame === null)
    return encodeFail('bad_structure', 'frame must be an object')
  const spec = _specs.get(frame.type)
  if (spec === undefined)
    return encodeFail('unknown_type', `unknown frame type ${String(frame.type)}`)
  return writeSpec(spec, frame as unknown as Record<string, unknown>, signature, hash, mode, omit)
}

/**
 * @internal `TYPE *(SP name=value)` of an object of `spec`, checked as {@link encode} checks
 * frames: a frame's hash input, or the line of a §17 payload (payloads/).
 */
export function _writeFields(
  spec: _TypeSpec,
  record: Record<string, unknown>,
): Uint8Array<ArrayBuffer> {
  return writeSpec(spec, record, undefined, undefined, Mode.Hash, undefined)
}

function writeSpec(
  spec: _TypeSpec,
  record: Record<string, unknown>,
  signature: Uint8Array | undefined,
  hash: Uint8Array | undefined,
  mode: Mode,
  omit: string | undefined,
): Uint8Array<ArrayBuffer> {
  const frame = record as { timestamp?: unknown }
  for (const k in record) {
    if (k !== 'type' && k !== 'timestamp' && !spec.byName.has(k)) {
      encodeFail('unknown_field', `${spec.type} has no field ${k}`, k)
    }
  }
  if (omit !== undefined && !spec.byName.has(omit)) {
    encodeFail('unknown_field', `${spec.type} has no field ${omit}`, omit)
  }

  let len = spec.typeBytes.length
  let ts = ''
  if (mode !== Mode.Hash) {
    if (!(hash instanceof Uint8Array) || hash.length !== HASH_BYTES) {
      encodeFail('bad_hash', `hash must be ${HASH_BYTES} bytes`)
    }
    const t = frame.timestamp
    if (!Number.isSafeInteger(t) || (t as number) < 0)
      encodeFail('bad_timestamp', 'timestamp must be a uint')
    ts = String(t)
    len += _b64Length(HASH_BYTES) + 1 + ts.length + 1
  }
  if (mode === Mode.Line) {
    const n = signature instanceof Uint8Array ? signature.length : -1
    if (n !== SIGNATURE_BYTES_MAC && n !== SIGNATURE_BYTES_HELLO) {
      encodeFail(
        'bad_signature',
        `signature must be ${SIGNATURE_BYTES_MAC} or ${SIGNATURE_BYTES_HELLO} bytes`,
      )
    }
    len += _b64Length(n) + 1 + 1 // the space after it and the final LF
  }

  const pieces: Piece[] = []
  for (const f of spec.fields) {
    const v = record[f.name]
    if (v === undefined) {
      if (!f.optional) encodeFail('missing_field', `${spec.type} needs ${f.name}`, f.name)
      continue
    }
    if (f.repeat > 0) {
      if (!Array.isArray(v)) return encodeFail('bad_value', `${f.name} must be an array`, f.name)
      if (v.length > f.repeat)
        encodeFail('too_many_fields', `more than ${f.repeat} ${f.name}`, f.name)
      for (const item of v) pieces.push({ f, v: prepare(f, item) })
    } else {
      pieces.push({ f, v: prepare(f, v) })
    }
  }
  // Validation is over; from here on only what the mode asks for is measured and written.
  const out = pieces.filter((p) => mode !== Mode.Hash || (!p.f.perHop && p.f.name !== omit))
  for (const p of out) {
    len +=
      2 + p.f.nameBytes.length + (typeof p.v === 'string' ? p.v.length : _b64Length(p.v.length))
  }
  if (mode === Mode.Line && len > MAX_LINE_BYTES)
    encodeFail('line_too_long', `line of ${len} bytes`)

  const buf = _bytes(len)
  let o = 0
  if (mode === Mode.Line) {
    o = _b64Write(signature as Uint8Array, buf, o)
    buf[o++] = SP
  }
  if (mode !== Mode.Hash) {
    o = _b64Write(hash as Uint8Array, buf, o)
    buf[o++] = SP
    o = writeAscii(ts, buf, o)
    buf[o++] = SP
  }
  buf.set(spec.typeBytes, o)
  o += spec.typeBytes.length
  for (const p of out) {
    buf[o++] = SP
    buf.set(p.f.nameBytes, o)
    o += p.f.nameBytes.length
    buf[o++] = EQ
    o = typeof p.v === 'string' ? writeAscii(p.v, buf, o) : _b64Write(p.v, buf, o)
  }
  if (mode === Mode.Line) buf[o++] = LF
  return buf
}

function writeAscii(s: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i)
  return pos + s.length
}

/**
 * Encodes an envelope as its one canonical line, final LF included. The frame is checked first
 * (cheaply, without zod): a frame {@link decode} would refuse is a programmer error and throws.
 *
 * @param env - signature (32 or 64 bytes), hash (32 bytes) and a valid frame
 * @returns the line's bytes, LF included
 * @throws WireEncodeError with the §14 code the line would have earned
 * @example
 * ```ts
 * const frame: Frame = { type: 'KEEPALIVE_REQUEST', timestamp: Date.now(), id: 0 }
 * const hash = sha256(hashInput(frame))
 * const line = encode({ signature: mac(signingInput(frame, hash)), hash, frame })
 * socket.write(line)
 * ```
 */
export function encode(env: Envelope): Uint8Array<ArrayBuffer> {
  return write(env.frame, env.signature, env.hash, Mode.Line, undefined)
}

/**
 * {@link encode}, as a string (final LF included).
 *
 * @example
 * ```ts
 * encodeToString(env).endsWith('\n') // true
 * ```
 */
export function encodeToString(env: Envelope): string {
  return asciiDecoder.decode(encode(env))
}

/**
 * The §5.1 hash input of a frame: `TYPE` and its end-to-end fields, per-hop fields left out.
 * With `omit`, that field is left out too, which gives the §5.3 proof input (`'proof'`) or the
 * §5.4 associated-data body (`'message'`, `'auth'`), without the context prefix.
 *
 * @param frame - a valid frame
 * @param omit - a field of the frame's type to leave out
 * @returns ASCII bytes
 * @throws WireEncodeError on an invalid frame, or an `omit` the type does not have
 * @example
 * ```ts
 * const hash = sha256(hashInput(frame))
 * const proofInput = hashInput(frame, 'proof')
 * ```
 */
export function hashInput(
  frame: Frame,
  omit?: 'proof' | 'message' | 'auth',
): Uint8Array<ArrayBuffer> {
  return write(frame, undefined, undefined, Mode.Hash, omit)
}

/**
 * The §5.2 signing input: the line after its first space, without the LF, that is
 * `<hash> <timestamp> <TYPE> fields…`, per-hop fields included.
 *
 * @param frame - a valid frame
 * @param hash - its MSGHASH, 32 bytes
 * @returns ASCII bytes
 * @throws WireEncodeError on an invalid frame or hash
 * @example
 * ```ts
 * const signature = ed25519.sign(concat(HELLO_CONTEXT, signingInput(hello, hash)), nodeSecret)
 * ```
 */
export function signingInput(frame: Frame, hash: Uint8Array): Uint8Array<ArrayBuffer> {
  return write(frame, undefined, hash, Mode.Signing, undefined)
}
