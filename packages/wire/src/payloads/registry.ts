// The registry of the end-to-end payload types of §17, one family per file. A new family adds its
// file and one entry below.
import type * as z from 'zod'
import { profilePayloads } from './profile.ts'

/** How a payload type is carried: its `mtype`, its schema, whether raw data follows its line. */
export interface PayloadTypeSpec {
  readonly mtype: number
  readonly schema: z.ZodObject
  readonly data: boolean
  /**
   * Rules of the type beyond its fields' kinds (an order among repeated values, say): the reason
   * a decoded payload breaks them, or undefined. {@link decodePayload} refuses it as `bad_value`.
   */
  readonly check?: (payload: never) => string | undefined
}

/**
 * Every payload type of §17, by name.
 *
 * @example
 * ```ts
 * PAYLOAD_TYPES.PROFILE.mtype // 2
 * ```
 */
export const PAYLOAD_TYPES = {
  ...profilePayloads,
} as const satisfies Record<string, PayloadTypeSpec>

/** A payload type name of §17. */
export type PayloadType = keyof typeof PAYLOAD_TYPES

/** The payload of one type, as {@link decodePayload} returns it and {@link encodePayload} takes it. */
export type PayloadOf<T extends PayloadType> = z.infer<(typeof PAYLOAD_TYPES)[T]['schema']>

/** Any payload, discriminated on `type`. */
export type Payload = { [T in PayloadType]: PayloadOf<T> }[PayloadType]
