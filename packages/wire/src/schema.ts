// Zod schemas of the 15 frame types of §4. They are the source of the frame types, and the
// order of each schema's keys is the canonical field order the codec follows.
import * as z from 'zod'
import {
  _AUTH_BYTES,
  _ID_BYTES,
  _KEY_BYTES,
  _MAX_U16,
  _MESSAGE_MAX_BYTES,
  _MESSAGE_MIN_BYTES,
  _PROOF_BYTES,
  MAX_ICON_BYTES,
  MAX_NEIGHBORS_PER_RESPONSE,
  MAX_NICKNAME_BYTES,
  MAX_TTL,
  MAX_UINT,
  METRIC_INFINITY,
} from './constants.ts'
import { parseIPv6 } from './ipv6.ts'
import { _hasControl, _hasLoneSurrogate } from './text.ts'

/** @internal How a field is written on the line (§3); read by the codec. */
export interface _FieldKind {
  kind: 'b64' | 'text' | 'uint' | 'token' | 'addr'
  /** b64, text: byte length; uint: value; token: characters. */
  min: number
  max: number
  /** For a repeatable field: most occurrences. */
  repeat?: number
}

/** @internal Attaches the wire form to each field schema, so the schemas stay the one source. */
export const _fieldKinds = z.registry<_FieldKind>()

const utf8Length = (s: string) => new TextEncoder().encode(s).length

/** `b64(min..max)`: raw bytes, base64 on the line. */
function b64(min: number, max = min) {
  return z
    .instanceof(Uint8Array)
    .refine((b) => b.length >= min && b.length <= max, {
      message: min === max ? `expected ${min} bytes` : `expected ${min} to ${max} bytes`,
    })
    .register(_fieldKinds, { kind: 'b64', min, max })
}

/** `uint(min..max)`: a safe integer in range. */
function uint(min = 0, max = MAX_UINT) {
  return z.int().min(min).max(max).register(_fieldKinds, { kind: 'uint', min, max })
}

/** `text(min..max)`: a string whose UTF-8 is min..max bytes, without controls (§3). */
function text(min: number, max: number) {
  return z
    .string()
    .superRefine((s, ctx) => {
      if (_hasLoneSurrogate(s) || _hasControl(s)) {
        ctx.addIssue({
          code: 'custom',
          message: 'not UTF-8 text without controls',
          params: { wire: 'bad_utf8' },
        })
        return
      }
      const n = utf8Length(s)
      if (n < min || n > max)
        ctx.addIssue({ code: 'custom', message: `expected ${min} to ${max} UTF-8 bytes` })
    })
    .register(_fieldKinds, { kind: 'text', min, max })
}

/** `token`: 1–32 of `a–z 0–9 _` (§3). */
function token() {
  return z
    .string()
    .regex(/^[a-z0-9_]{1,32}$/)
    .register(_fieldKinds, { kind: 'token', min: 1, max: 32 })
}

/** One `neighbor` value: an RFC 5952 IPv6 address and a port (§3 `addr`). */
export const neighborSchema = z.strictObject({
  ip: z
    .string()
    .refine((s) => parseIPv6(s) !== undefined, { message: 'not RFC 5952 canonical IPv6' }),
  port: z.int().min(1).max(_MAX_U16),
})

const key = () => b64(_KEY_BYTES)
const id16 = () => b64(_ID_BYTES)
const proof = () => b64(_PROOF_BYTES)
const ttl = () => uint(0, MAX_TTL)
const header = <T extends string>(type: T) => ({ type: z.literal(type), timestamp: uint() })

/** HELLO (§4, §6.2): the first frame on a link, signed by `nodekey`. */
export const helloSchema = z.strictObject({
  ...header('HELLO'),
  version: uint(1, _MAX_U16),
  nodekey: key(),
  linkkey: key(),
  port: uint(0, _MAX_U16),
})
/** BYE (§4, §6.5): the reason a link closes. */
export const byeSchema = z.strictObject({ ...header('BYE'), reason: token() })
/** KEEPALIVE_REQUEST (§7). */
export const keepaliveRequestSchema = z.strictObject({ ...header('KEEPALIVE_REQUEST'), id: uint() })
/** KEEPALIVE_RESPONSE (§7): echoes the request's `id`. */
export const keepaliveResponseSchema = z.strictObject({
  ...header('KEEPALIVE_RESPONSE'),
  id: uint(),
})
/** NEIGHBORS_REQUEST (§12.2): has no fields. */
export const neighborsRequestSchema = z.strictObject({ ...header('NEIGHBORS_REQUEST') })
/** NEIGHBORS_RESPONSE (§12.2): 0..32 `neighbor` addresses. */
export const neighborsResponseSchema = z.strictObject({
  ...header('NEIGHBORS_RESPONSE'),
  neighbor: z
    .array(neighborSchema)
    .max(MAX_NEIGHBORS_PER_RESPONSE)
    .register(_fieldKinds, { kind: 'addr', min: 0, max: 0, repeat: MAX_NEIGHBORS_PER_RESPONSE }),
})

const presenceFields = () => ({
  clientkey: key(),
  nonce: uint(),
  nickname: text(1, MAX_NICKNAME_BYTES),
  icon: b64(1, MAX_ICON_BYTES).optional(),
  proof: proof(),
  metric: uint(0, METRIC_INFINITY),
  ttl: ttl(),
})
/** CLIENT_ONLINE (§8.1): a client's presence and, through `metric`, a route to it. */
export const clientOnlineSchema = z.strictObject({
  ...header('CLIENT_ONLINE'),
  ...presenceFields(),
})
/** CLIENT_UPDATE (§8.1): same fields as CLIENT_ONLINE. */
export const clientUpdateSchema = z.strictObject({
  ...header('CLIENT_UPDATE'),
  ...presenceFields(),
})
/** CLIENT_OFFLINE (§8.1). */
export const clientOfflineSchema = z.strictObject({
  ...header('CLIENT_OFFLINE'),
  clientkey: key(),
  nonce: uint(),
  proof: proof(),
  ttl: ttl(),
})
/** ROUTE_REQUEST (§8.3): asks for presence newer than `nonce`. */
export const routeRequestSchema = z.strictObject({
  ...header('ROUTE_REQUEST'),
  target_hash: key(),
  nonce: uint(),
  ttl: ttl(),
})
/** FRIEND_REQUEST (§10.1): a signed session offer. */
export const friendRequestSchema = z.strictObject({
  ...header('FRIEND_REQUEST'),
  target_hash: key(),
  clientkey: key(),
  nonce: uint(),
  sessionkey: key(),
  proof: proof(),
  ttl: ttl(),
})
/** FRIEND_CONFIRM (§10.2): the signed answer to the request whose MSGHASH is `request`. */
export const friendConfirmSchema = z.strictObject({
  ...header('FRIEND_CONFIRM'),
  target_hash: key(),
  clientkey: key(),
  nonce: uint(),
  sessionkey: key(),
  request: key(),
  proof: proof(),
  ttl: ttl(),
})
/** MESSAGE_SEND (§11): an end-to-end encrypted message. */
export const messageSendSchema = z.strictObject({
  ...header('MESSAGE_SEND'),
  target_hash: key(),
  origin: key(),
  sid: id16(),
  chatid: id16(),
  msgid: id16(),
  mtype: uint(1, _MAX_U16),
  message: b64(_MESSAGE_MIN_BYTES, _MESSAGE_MAX_BYTES),
  ttl: ttl(),
})
const receiptFields = () => ({
  target_hash: key(),
  origin: key(),
  sid: id16(),
  chatid: id16(),
  msgid: id16(),
  auth: b64(_AUTH_BYTES),
  ttl: ttl(),
})
/** MESSAGE_RECV (§11): the receiver stored the message. */
export const messageRecvSchema = z.strictObject({ ...header('MESSAGE_RECV'), ...receiptFields() })
/** MESSAGE_READ (§11): the receiver's user read the message. */
export const messageReadSchema = z.strictObject({ ...header('MESSAGE_READ'), ...receiptFields() })

/**
 * The schema of each frame type, by type name. Keys of each object schema are the wire field
 * names in canonical order (§4).
 *
 * @example
 * ```ts
 * frameSchemas.HELLO.shape.version // the zod schema of HELLO's `version`
 * ```
 */
export const frameSchemas = {
  HELLO: helloSchema,
  BYE: byeSchema,
  KEEPALIVE_REQUEST: keepaliveRequestSchema,
  KEEPALIVE_RESPONSE: keepaliveResponseSchema,
  NEIGHBORS_REQUEST: neighborsRequestSchema,
  NEIGHBORS_RESPONSE: neighborsResponseSchema,
  CLIENT_ONLINE: clientOnlineSchema,
  CLIENT_UPDATE: clientUpdateSchema,
  CLIENT_OFFLINE: clientOfflineSchema,
  ROUTE_REQUEST: routeRequestSchema,
  FRIEND_REQUEST: friendRequestSchema,
  FRIEND_CONFIRM: friendConfirmSchema,
  MESSAGE_SEND: messageSendSchema,
  MESSAGE_RECV: messageRecvSchema,
  MESSAGE_READ: messageReadSchema,
} as const

/** A frame type name of §4. */
export type FrameType = keyof typeof frameSchemas

/**
 * Every frame type of §4, in the order of its table.
 *
 * @example
 * ```ts
 * FRAME_TYPES.includes('HELLO') // true
 * ```
 */
export const FRAME_TYPES = Object.keys(frameSchemas) as readonly FrameType[]

/** A frame type routed hop by hop toward `target_hash` and forwarded once per MSGHASH (§8.3, §9). */
export type RoutedFrameType =
  | 'ROUTE_REQUEST'
  | 'FRIEND_REQUEST'
  | 'FRIEND_CONFIRM'
  | 'MESSAGE_SEND'
  | 'MESSAGE_RECV'
  | 'MESSAGE_READ'

/**
 * The routed frame types (§8.3, §9): a node forwards each MSGHASH of these at most once, and
 * drops a repeat before checking its link MAC.
 *
 * @example
 * ```ts
 * ROUTED_FRAME_TYPES.has('MESSAGE_SEND') // true
 * ROUTED_FRAME_TYPES.has('CLIENT_ONLINE') // false
 * ```
 */
export const ROUTED_FRAME_TYPES: ReadonlySet<FrameType> = new Set<RoutedFrameType>([
  'ROUTE_REQUEST',
  'FRIEND_REQUEST',
  'FRIEND_CONFIRM',
  'MESSAGE_SEND',
  'MESSAGE_RECV',
  'MESSAGE_READ',
])

/**
 * Any frame, discriminated on `type`. Binary fields are `Uint8Array`, `nickname` a string,
 * numbers plain `number`s, `neighbor` an array of `{ ip, port }`.
 *
 * @example
 * ```ts
 * const r = frameSchema.safeParse({ type: 'BYE', timestamp: 0, reason: 'shutdown' })
 * ```
 */
export const frameSchema = z.discriminatedUnion('type', [
  helloSchema,
  byeSchema,
  keepaliveRequestSchema,
  keepaliveResponseSchema,
  neighborsRequestSchema,
  neighborsResponseSchema,
  clientOnlineSchema,
  clientUpdateSchema,
  clientOfflineSchema,
  routeRequestSchema,
  friendRequestSchema,
  friendConfirmSchema,
  messageSendSchema,
  messageRecvSchema,
  messageReadSchema,
])

/** A decoded frame: the wire fields of its type plus `type` and `timestamp`. */
export type Frame = z.infer<typeof frameSchema>

/**
 * The frame of one type.
 *
 * @example
 * ```ts
 * const bye: FrameOf<'BYE'> = { type: 'BYE', timestamp: Date.now(), reason: 'shutdown' }
 * ```
 */
export type FrameOf<T extends FrameType> = Extract<Frame, { type: T }>

/** One `neighbor` of a NEIGHBORS_RESPONSE. */
export type Neighbor = z.infer<typeof neighborSchema>

/** @internal Field constructors of §3, for the payload schemas of §19 (payloads/). */
export const _field = {
  b64,
  uint,
  text,
  token,
  /** A field that may repeat up to `max` times, consecutively (§2); `item` gives its kind. */
  repeated<T extends z.ZodType>(item: T, max: number) {
    const kind = _fieldKinds.get(item)
    if (kind === undefined) throw new Error('@chat6/wire: a repeated field needs a field kind')
    return z
      .array(item)
      .max(max)
      .register(_fieldKinds, { ...kind, repeat: max })
  },
}
