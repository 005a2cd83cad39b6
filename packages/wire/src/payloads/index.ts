// End-to-end payloads (§17): the payload types, one family per file, and their codec.
export { decodePayload, encodePayload, type PayloadResult, payloadMtype } from './codec.ts'
export { MAX_CAPS, MAX_NOTE_BYTES, profileSchema, typingSchema } from './profile.ts'
export {
  PAYLOAD_TYPES,
  type Payload,
  type PayloadOf,
  type PayloadType,
  type PayloadTypeSpec,
} from './registry.ts'
