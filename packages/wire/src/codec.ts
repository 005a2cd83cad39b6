// The line reader of §2: one hand-written scanner that validates field by field as it goes (a
// relay decodes every frame it forwards). The writer is encode.ts.
import { _b64Length, _b64Scan, _b64Scanned } from './base64.ts'
import {
  _MAX_NAME_CHARS,
  _MAX_U16,
  HASH_BYTES,
  MAX_FIELDS,
  MAX_LINE_BYTES,
  MAX_UINT,
  SIGNATURE_BYTES_HELLO,
  SIGNATURE_BYTES_MAC,
} from './constants.ts'
import { _wireError, type DecodeErrorCode, type WireError } from './errors.ts'
import { parseIPv6 } from './ipv6.ts'
import { _bytes } from './pool.ts'
import type { Frame } from './schema.ts'
import { type _FieldSpec, _specsByTypeLength, type _TypeSpec } from './spec.ts'
import { _textFromBytes } from './text.ts'

const SP = 0x20
const LF = 0x0a
const EQ = 0x3d
const COMMA = 0x2c

const utf8Encoder = new TextEncoder()
const _asciiDecoder = new TextDecoder()

/**
 * A frame with its MSGSIGNATURE and MSGHASH: everything one line carries.
 *
 * @example
 * ```ts
 * const env: Envelope<FrameOf<'BYE'>> = {
 *   signature: ZERO_SIGNATURE,
 *   hash: sha256(hashInput(frame)),
 *   frame: { type: 'BYE', timestamp: Date.now(), reason: 'shutdown' },
 * }
 * ```
 */
export interface Envelope<F extends Frame = Frame> {
  /** 32 bytes (link MAC or the zero MAC) or 64 bytes (HELLO's Ed25519 signature), §5.2. */
  signature: Uint8Array
  /** SHA-256 of the hash input, §5.1. */
  hash: Uint8Array
  frame: F
}

/**
 * What {@link decode} makes of a line. On success it also hands out the two byte strings the
 * receiver must check (§5.1, §5.2), as views into the line: no copy, no re-encoding.
 */
export type DecodeResult =
  | {
      ok: true
      envelope: Envelope
      /** The §5.1 hash input: SHA-256 of it must equal `envelope.hash`. */
      hashInput: Uint8Array
      /** The §5.2 signing input: what `envelope.signature` authenticates. */
      signingInput: Uint8Array
    }
  | { ok: false; error: WireError }

/**
 * MSGSIGNATURE of a BYE sent before the link is up: 32 zero bytes, authenticating nothing
 * (§5.2, §6.4). Do not mutate it.
 *
 * @example
 * ```ts
 * encode({ signature: ZERO_SIGNATURE, hash, frame: { type: 'BYE', timestamp, reason: 'busy' } })
 * ```
 */
export const ZERO_SIGNATURE: Uint8Array<ArrayBuffer> = new Uint8Array(SIGNATURE_BYTES_MAC)

const fail = (code: DecodeErrorCode, message: string, field?: string): DecodeResult => ({
  ok: false,
  error: _wireError(code, message, field),
})

/**
 * Decodes one line, checking everything §2–§4 ask of it: the header, the type, every field's
 * name, order and value, and that the line is the one canonical encoding of its frame. It never
 * throws, and its work is bounded by the line length.
 *
 * It does not check MSGHASH or MSGSIGNATURE: that takes keys and SHA-256, which belong to the
 * crypto layer; the returned `hashInput` and `signingInput` are what it needs.
 *
 * @param line - one line, with or without its final LF; a string must be ASCII
 * @returns the envelope and the §5 inputs, or a §14 error
 * @example
 * ```ts
 * const r = decode(line)
 * if (!r.ok) return drop(r.error.code)
 * if (!equal(sha256(r.hashInput), r.envelope.hash)) return drop('bad_hash')
 * ```
 */
export function decode(line: Uint8Array | string): DecodeResult {
  let src: Uint8Array
  if (typeof line === 'string') {
    // before encoding, so that an oversized string costs nothing
    if (line.length > MAX_LINE_BYTES)
      return fail('line_too_long', `longer than ${MAX_LINE_BYTES} bytes`)
    src = ascii8(line)
    if (src.length !== line.length) return fail('bad_byte', 'a character outside printable ASCII')
  } else if (line instanceof Uint8Array) {
    src = line
  } else {
    return fail('bad_structure', 'expected a string or a Uint8Array')
  }
  let end = src.length
  if (end > 0 && src[end - 1] === LF) end--
  if (end + 1 > MAX_LINE_BYTES) return fail('line_too_long', `longer than ${MAX_LINE_BYTES} bytes`)
  const r = parse(src, end)
  // The scanner only accepts printable bytes, so a valid line needs no byte pass. A refused one
  // gets it, so that a bad byte wins over whatever the scanner tripped on first.
  if (!r.ok && hasBadByte(src, end)) return fail('bad_byte', 'a byte outside 0x20-0x7E')
  return r
}

/**
 * The UTF-8 bytes of `s`, from the pool when they fit (the returned §5 inputs are views into
 * them, so they must stay put). Only an ASCII string gives as many bytes as it has characters.
 */
function ascii8(s: string): Uint8Array {
  const n = s.length
  const out = _bytes(n)
  const done = utf8Encoder.encodeInto(s, out)
  return done.read === n && done.written === n ? out : utf8Encoder.encode(s)
}

function hasBadByte(src: Uint8Array, end: number): boolean {
  for (let i = 0; i < end; i++) {
    const b = src[i] as number
    if (b < 0x20 || b > 0x7e) return true
  }
  return false
}

function parse(src: Uint8Array, end: number): DecodeResult {
  // Header: four tokens. indexOf never passes `end`, as at most an LF follows it.
  const sigEnd = src.indexOf(SP)
  if (sigEnd < 0) return fail('bad_structure', 'fewer than four header tokens')
  if (sigEnd === 0) return fail('bad_structure', 'leading space')
  const hashEnd = src.indexOf(SP, sigEnd + 1)
  if (hashEnd < 0) return fail('bad_structure', 'fewer than four header tokens')
  if (hashEnd === sigEnd + 1) return fail('bad_structure', 'two spaces in a row')
  const tsEnd = src.indexOf(SP, hashEnd + 1)
  if (tsEnd < 0) return fail('bad_structure', 'fewer than four header tokens')
  if (tsEnd === hashEnd + 1) return fail('bad_structure', 'two spaces in a row')
  let typeEnd = src.indexOf(SP, tsEnd + 1)
  if (typeEnd < 0) typeEnd = end
  if (typeEnd === tsEnd + 1) {
    return fail(
      'bad_structure',
      typeEnd === end ? 'fewer than four header tokens' : 'two spaces in a row',
    )
  }

  const sigBytes =
    sigEnd === _b64Length(SIGNATURE_BYTES_MAC)
      ? SIGNATURE_BYTES_MAC
      : sigEnd === _b64Length(SIGNATURE_BYTES_HELLO)
        ? SIGNATURE_BYTES_HELLO
        : 0
  const signature = sigBytes === 0 ? undefined : _b64Scan(src, 0, sigEnd, sigBytes, sigBytes)
  if (signature === undefined || _b64Scanned.end !== sigEnd) {
    return fail('bad_signature', 'MSGSIGNATURE is not canonical base64 of 32 or 64 bytes')
  }
  const hash = _b64Scan(src, sigEnd + 1, hashEnd, HASH_BYTES, HASH_BYTES)
  if (hash === undefined || _b64Scanned.end !== hashEnd) {
    return fail('bad_hash', 'MSGHASH is not canonical base64 of 32 bytes')
  }
  const timestamp = parseUint(src, hashEnd + 1, tsEnd)
  if (timestamp < 0 || scanned !== tsEnd) return fail('bad_timestamp', 'TIMESTAMP is not a uint')
  const spec = findType(src, tsEnd + 1, typeEnd)
  if (spec === undefined) return fail('unknown_type', 'not a frame type of §4')
  const frame: Record<string, unknown> = { type: spec.type, timestamp }
  const hashInputEnd = _parseFields(spec, src, typeEnd, end, frame)
  if (typeof hashInputEnd !== 'number') return { ok: false, error: hashInputEnd }
  return {
    ok: true,
    envelope: { signature, hash, frame: frame as Frame },
    hashInput: view(src, tsEnd + 1, hashInputEnd),
    signingInput: view(src, sigEnd + 1, end),
  }
}

/**
 * @internal Reads the fields of `spec` from `src[p..end)`, where `p` is just past the type name,
 * into `frame`. Each value parser finds where its value ends, so the line is read once, not once
 * to find spaces and again to decode. Returns where the hash input ends (§5.1), or the error.
 * The frame decoder uses it after the header; so does the payload decoder of §17 (payloads/).
 */
export function _parseFields(
  spec: _TypeSpec,
  src: Uint8Array,
  p: number,
  end: number,
  frame: Record<string, unknown>,
): number | WireError {
  const fail = _wireError
  const fields = spec.fields
  for (const f of fields) if (f.repeat > 0) frame[f.name] = []
  let seen = 0
  let last = -1
  let reps = 0
  let count = 0
  let hashInputEnd = p
  while (p < end) {
    const start = p + 1
    if (start === end) return fail('bad_structure', 'trailing space')
    if (src[start] === SP) return fail('bad_structure', 'two spaces in a row')
    if (++count > MAX_FIELDS) return fail('too_many_fields', `more than ${MAX_FIELDS} fields`)

    // Name: up to 32 characters before the first '='.
    const limit = Math.min(end, start + _MAX_NAME_CHARS + 1)
    let eq = start
    for (; eq < limit; eq++) {
      const c = src[eq]
      if (c === EQ || c === SP) break
    }
    if (eq === limit || src[eq] !== EQ) {
      return fail('bad_field', 'a field without "=" or with a name over 32 characters')
    }
    const idx = findField(fields, src, start, eq, last)
    if (idx < 0) {
      return validName(src, start, eq)
        ? fail('unknown_field', `not a field of ${spec.type}`, ascii(src, start, eq))
        : fail('bad_field', 'an invalid field name')
    }
    const f = fields[idx] as _FieldSpec
    const bit = 1 << idx
    if ((seen & bit) !== 0) {
      if (idx !== last || f.repeat === 0) {
        return f.repeat === 0
          ? fail('duplicate_field', `${f.name} given twice`, f.name)
          : fail('field_order', `${f.name} repeated out of place`, f.name)
      }
      if (++reps > f.repeat) {
        return fail('too_many_fields', `more than ${f.repeat} ${f.name} fields`, f.name)
      }
    } else if (idx < last) {
      return fail('field_order', `${f.name} out of canonical order`, f.name)
    } else {
      seen |= bit
      reps = 1
    }
    last = idx

    const value = parseValue(f, src, eq + 1, end)
    const stop = scanned
    if (value === undefined || (stop !== end && src[stop] !== SP)) {
      return fail('bad_value', `bad ${f.kind} value`, f.name)
    }
    if (value === BAD_UTF8) return fail('bad_utf8', 'not UTF-8 text without controls', f.name)
    if (f.repeat > 0) (frame[f.name] as unknown[]).push(value)
    else frame[f.name] = value
    if (!f.perHop) hashInputEnd = stop
    p = stop
  }
  if ((seen & spec.requiredMask) !== spec.requiredMask) {
    const missing = fields.find(
      (_f, i) => (spec.requiredMask & ~seen & (1 << i)) !== 0,
    ) as _FieldSpec
    return fail('missing_field', `${spec.type} needs ${missing.name}`, missing.name)
  }
  return hashInputEnd
}

/** A view, not a subarray: a Node Buffer's subarray is a Buffer, and we hand out plain bytes. */
function view(src: Uint8Array, from: number, to: number): Uint8Array {
  return new Uint8Array(src.buffer, src.byteOffset + from, to - from)
}

function ascii(src: Uint8Array, from: number, to: number): string {
  let s = ''
  for (let i = from; i < to; i++) s += String.fromCharCode(src[i] as number)
  return s
}

function sameBytes(src: Uint8Array, from: number, to: number, name: Uint8Array): boolean {
  if (to - from !== name.length) return false
  for (let i = 0; i < name.length; i++) if (src[from + i] !== name[i]) return false
  return true
}

function findType(src: Uint8Array, from: number, to: number): _TypeSpec | undefined {
  const candidates = _specsByTypeLength.get(to - from)
  if (candidates === undefined) return undefined
  for (const s of candidates) if (sameBytes(src, from, to, s.typeBytes)) return s
  return undefined
}

/** Index of the field named src[from..to); tries the canonical successors of `last` first. */
function findField(
  fields: readonly _FieldSpec[],
  src: Uint8Array,
  from: number,
  to: number,
  last: number,
): number {
  const n = fields.length
  const first = Math.max(last, 0)
  for (let k = 0; k < n; k++) {
    const i = (first + k) % n
    if (sameBytes(src, from, to, (fields[i] as _FieldSpec).nameBytes)) return i
  }
  return -1
}

/** §2 `name`: a lower-case letter, then lower-case letters, digits and '_'; at most 32. */
function validName(src: Uint8Array, from: number, to: number): boolean {
  if (to === from || to - from > _MAX_NAME_CHARS) return false
  const c0 = src[from] as number
  if (c0 < 0x61 || c0 > 0x7a) return false
  for (let i = from + 1; i < to; i++) if (!isTokenByte(src[i] as number)) return false
  return true
}

function isTokenByte(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
}

/** Where the value last read by parseUint or parseValue ended. */
let scanned = 0

/**
 * §3 `uint` starting at `from`, up to the first non-digit (recorded in `scanned`), or -1. At
 * most 16 digits are read, so the arithmetic stays exact below 2^53.
 */
function parseUint(src: Uint8Array, from: number, limit: number): number {
  const stop = Math.min(limit, from + 17)
  let n = 0
  let i = from
  for (; i < stop; i++) {
    const d = (src[i] as number) - 0x30
    if (d < 0 || d > 9) break
    n = n * 10 + d
  }
  scanned = i
  const len = i - from
  if (len === 0 || len > 16 || (len > 1 && src[from] === 0x30)) return -1
  return n <= MAX_UINT ? n : -1
}

const BAD_UTF8 = Symbol('bad_utf8')

type Value = Uint8Array | string | number | { ip: string; port: number }

/** The value of field `f` starting at `from`; records where it ended in `scanned`. */
function parseValue(
  f: _FieldSpec,
  src: Uint8Array,
  from: number,
  end: number,
): Value | typeof BAD_UTF8 | undefined {
  switch (f.kind) {
    case 'b64': {
      const bytes = _b64Scan(src, from, end, f.min, f.max)
      scanned = _b64Scanned.end
      return bytes
    }
    case 'uint': {
      const n = parseUint(src, from, end)
      return n >= f.min && n <= f.max ? n : undefined
    }
    case 'text': {
      const bytes = _b64Scan(src, from, end, f.min, f.max)
      scanned = _b64Scanned.end
      if (bytes === undefined) return undefined
      return _textFromBytes(bytes) ?? BAD_UTF8
    }
    case 'token': {
      const limit = Math.min(end, from + f.max + 1)
      let i = from
      while (i < limit && isTokenByte(src[i] as number)) i++
      scanned = i
      return i - from >= f.min && i - from <= f.max ? ascii(src, from, i) : undefined
    }
    case 'addr': {
      // `<ipv6>,<port>`: an address is at most 39 characters, which bounds the search
      const limit = Math.min(end, from + 40)
      let comma = from
      while (comma < limit && src[comma] !== COMMA) comma++
      scanned = comma
      if (comma === limit || comma === from) return undefined
      const port = parseUint(src, comma + 1, end)
      if (port < 1 || port > _MAX_U16) return undefined
      const ip = ascii(src, from, comma)
      return parseIPv6(ip) === undefined ? undefined : { ip, port }
    }
  }
}
