// The profile family of §19: what a client tells its friends about itself, end to end.
import * as z from 'zod'
import { MAX_ICON_BYTES, MAX_NICKNAME_BYTES } from '../constants.ts'
import { _field } from '../schema.ts'

/** Longest status message, in UTF-8 bytes (§17.3). */
export const MAX_NOTE_BYTES = 140
/** Most `cap` fields of a PROFILE (§17.3). */
export const MAX_CAPS = 16

/**
 * PROFILE (mtype 2, §17.3): nickname, icon, status and status message, and the payload families
 * the sender implements (`cap`, ascending, without repeats).
 */
export const profileSchema = z.strictObject({
  type: z.literal('PROFILE'),
  nickname: _field.text(1, MAX_NICKNAME_BYTES),
  icon: _field.b64(1, MAX_ICON_BYTES).optional(),
  status: _field.token().optional(),
  note: _field.text(1, MAX_NOTE_BYTES).optional(),
  cap: _field.repeated(_field.token(), MAX_CAPS).optional(),
})

/** TYPING (mtype 3, §17.4): ephemeral; `state` is `active` or `idle`. */
export const typingSchema = z.strictObject({
  type: z.literal('TYPING'),
  state: _field.token(),
})

/** `cap` values are in ascending byte order without repeats, so a set has one encoding (§17.3). */
function capsInOrder(p: z.infer<typeof profileSchema>): string | undefined {
  const caps = p.cap ?? []
  for (let i = 1; i < caps.length; i++) {
    if ((caps[i - 1] as string) >= (caps[i] as string)) return 'cap values out of order or repeated'
  }
  return undefined
}

/** The family's payload types, with the mtype each belongs to (§17.5). */
export const profilePayloads = {
  PROFILE: { mtype: 2, schema: profileSchema, data: false, check: capsInOrder },
  TYPING: { mtype: 3, schema: typingSchema, data: false },
} as const
