// Public face of @chat6/wire: the frames of docs/protocol.md §4 as zod schemas and types, the
// canonical line codec of §2–§5.2, the stream splitter, and the wire-level constants of §13.
export { base64Decode, base64Encode } from './base64.ts'
export { checkFrame } from './check.ts'
export { type DecodeResult, decode, type Envelope, ZERO_SIGNATURE } from './codec.ts'
export {
  DEFAULT_TTL,
  HASH_BYTES,
  MAX_FIELDS,
  MAX_ICON_BYTES,
  MAX_LINE_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_NEIGHBORS_PER_RESPONSE,
  MAX_NICKNAME_BYTES,
  MAX_TTL,
  MAX_UINT,
  METRIC_INFINITY,
  PROTOCOL_VERSION,
  SIGNATURE_BYTES_HELLO,
  SIGNATURE_BYTES_MAC,
} from './constants.ts'
export { encode, encodeToString, hashInput, signingInput } from './encode.ts'
export {
  DECODE_ERROR_CODES,
  type DecodeErrorCode,
  WireEncodeError,
  type WireError,
} from './errors.ts'
export { formatIPv6, parseIPv6 } from './ipv6.ts'
export {
  decodePayload,
  encodePayload,
  MAX_CAPS,
  MAX_NOTE_BYTES,
  PAYLOAD_TYPES,
  type Payload,
  type PayloadOf,
  type PayloadResult,
  type PayloadType,
  type PayloadTypeSpec,
  payloadMtype,
  profileSchema,
  typingSchema,
} from './payloads/index.ts'
export {
  byeSchema,
  clientOfflineSchema,
  clientOnlineSchema,
  clientUpdateSchema,
  FRAME_TYPES,
  type Frame,
  type FrameOf,
  type FrameType,
  frameSchema,
  frameSchemas,
  friendConfirmSchema,
  friendRequestSchema,
  helloSchema,
  keepaliveRequestSchema,
  keepaliveResponseSchema,
  messageReadSchema,
  messageRecvSchema,
  messageSendSchema,
  type Neighbor,
  neighborSchema,
  neighborsRequestSchema,
  neighborsResponseSchema,
  ROUTED_FRAME_TYPES,
  type RoutedFrameType,
  routeRequestSchema,
} from './schema.ts'
export { PER_HOP_FIELDS } from './spec.ts'
export { createLineSplitter, type LineSplitter, type SplitItem } from './splitter.ts'
