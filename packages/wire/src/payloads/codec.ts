// The payload codec of §17.1: a payload line (a frame's hash-input grammar: `TYPE *(SP field)`,
// the field kinds of §3, canonical order, one encoding only), optionally LF and raw data.
import { _parseFields } from '../codec.ts'
import { MAX_MESSAGE_BYTES } from '../constants.ts'
import { _writeFields } from '../encode.ts'
import { _wireError, WireEncodeError, type WireError } from '../errors.ts'
import { _buildSpec, type _TypeSpec } from '../spec.ts'
import { PAYLOAD_TYPES, type Payload, type PayloadType, type PayloadTypeSpec } from './registry.ts'

const SP = 0x20
const LF = 0x0a

let specs: Map<string, _TypeSpec> | undefined
/** Built on first use, so that importing the package costs nothing for it. */
function specOf(type: string): _TypeSpec | undefined {
  if (specs === undefined) {
    specs = new Map()
    for (const [name, t] of Object.entries(PAYLOAD_TYPES)) {
      specs.set(name, _buildSpec(name, t.schema.shape as never))
    }
  }
  return specs.get(type)
}

/** What {@link decodePayload} makes of a plaintext. */
export type PayloadResult =
  | { ok: true; payload: Payload; data: Uint8Array | undefined }
  | { ok: false; error: WireError }

const fail = (code: WireError['code'], message: string, field?: string): PayloadResult => ({
  ok: false,
  error: _wireError(code, message, field),
})

/**
 * The `mtype` a payload type is carried under (§17.5).
 *
 * @param type - a payload type name
 * @returns its mtype
 * @example
 * ```ts
 * payloadMtype('TYPING') // 3
 * ```
 */
export function payloadMtype(type: PayloadType): number {
  return PAYLOAD_TYPES[type].mtype
}

/**
 * Encodes a payload as the plaintext of a MESSAGE_SEND (§17.1): its line, then LF and `data`
 * for the types that carry data.
 *
 * @param payload - a valid payload
 * @param data - the raw data, for types that carry it (and only then)
 * @returns the plaintext bytes
 * @throws WireEncodeError on an invalid payload, data where none belongs (or none where it must
 *   be), or a plaintext over `MAX_MESSAGE_BYTES`
 * @example
 * ```ts
 * const plaintext = encodePayload({ type: 'TYPING', state: 'active' })
 * ```
 */
export function encodePayload(payload: Payload, data?: Uint8Array): Uint8Array<ArrayBuffer> {
  if (typeof payload !== 'object' || payload === null)
    throw new WireEncodeError('bad_structure', 'payload must be an object')
  const t = PAYLOAD_TYPES[payload.type as PayloadType] as PayloadTypeSpec | undefined
  const spec = specOf(String(payload.type))
  if (t === undefined || spec === undefined) {
    throw new WireEncodeError('unknown_type', `unknown payload type ${String(payload.type)}`)
  }
  if (t.data !== (data !== undefined)) {
    throw new WireEncodeError(
      'bad_structure',
      t.data ? `${payload.type} carries data` : `${payload.type} carries no data`,
    )
  }
  if (data !== undefined && (!(data instanceof Uint8Array) || data.length === 0)) {
    throw new WireEncodeError('bad_value', 'data must be a non-empty Uint8Array')
  }
  const line = _writeFields(spec, payload as unknown as Record<string, unknown>)
  const broken = t.check?.(payload as never)
  if (broken !== undefined) throw new WireEncodeError('bad_value', broken)
  const size = line.length + (data === undefined ? 0 : 1 + data.length)
  if (size > MAX_MESSAGE_BYTES) {
    throw new WireEncodeError('line_too_long', `a payload of ${size} bytes`)
  }
  if (data === undefined) return line
  const out = new Uint8Array(size)
  out.set(line)
  out[line.length] = LF
  out.set(data, line.length + 1)
  return out
}

/**
 * Decodes the plaintext of a MESSAGE_SEND of a payload `mtype` (§17.1). Never throws on untrusted
 * input; the error codes are those of §14.
 *
 * @param mtype - the frame's `mtype`: the payload's type must belong to it
 * @param plaintext - the opened message
 * @returns the payload and its data (a view into `plaintext`), or why it was refused
 * @example
 * ```ts
 * const r = decodePayload(frame.mtype, body)
 * if (r.ok && r.payload.type === 'TYPING') showTyping(r.payload.state)
 * ```
 */
export function decodePayload(mtype: number, plaintext: Uint8Array): PayloadResult {
  if (!(plaintext instanceof Uint8Array)) return fail('bad_structure', 'expected a Uint8Array')
  if (plaintext.length > MAX_MESSAGE_BYTES)
    return fail('line_too_long', `longer than ${MAX_MESSAGE_BYTES} bytes`)
  let end = plaintext.indexOf(LF)
  if (end < 0) end = plaintext.length
  for (let i = 0; i < end; i++) {
    const c = plaintext[i] as number
    if (c < 0x20 || c > 0x7e) return fail('bad_byte', 'a byte outside 0x20-0x7E in the line')
  }
  let typeEnd = plaintext.indexOf(SP)
  if (typeEnd < 0 || typeEnd > end) typeEnd = end
  if (typeEnd === 0) return fail('bad_structure', 'no payload type')
  let name = ''
  for (let i = 0; i < typeEnd; i++) name += String.fromCharCode(plaintext[i] as number)
  const t = (PAYLOAD_TYPES as Record<string, PayloadTypeSpec>)[name]
  const spec = specOf(name)
  if (t === undefined || spec === undefined || !Object.hasOwn(PAYLOAD_TYPES, name))
    return fail('unknown_type', 'not a payload type of §19')
  if (t.mtype !== mtype) return fail('unknown_type', `${name} does not belong to mtype ${mtype}`)
  const hasData = end < plaintext.length
  if (hasData !== t.data || (hasData && end + 1 === plaintext.length)) {
    return fail('bad_structure', t.data ? `${name} needs data after LF` : `${name} has no data`)
  }
  const payload: Record<string, unknown> = { type: name }
  const r = _parseFields(spec, plaintext, typeEnd, end, payload)
  if (typeof r !== 'number') return { ok: false, error: r }
  const broken = t.check?.(payload as never)
  if (broken !== undefined) return fail('bad_value', broken)
  const data = hasData
    ? new Uint8Array(plaintext.buffer, plaintext.byteOffset + end + 1, plaintext.length - end - 1)
    : undefined
  return { ok: true, payload: payload as Payload, data }
}
