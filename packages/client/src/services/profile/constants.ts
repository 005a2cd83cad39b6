// Constants of the profile service: PROFILE (§17.3) and TYPING (§17.4).
import { MAX_CAPS, MAX_NOTE_BYTES, payloadMtype } from '@chat6/wire'

/** mtype of PROFILE: nickname, icon, status, note and capabilities, end to end (§17.3). */
export const MTYPE_PROFILE = payloadMtype('PROFILE')
/** mtype of TYPING, ephemeral (§17.4). */
export const MTYPE_TYPING = payloadMtype('TYPING')

/** Longest status message, in UTF-8 bytes (§17.3). Most `cap` values in one PROFILE (§17.3). */
export { MAX_CAPS, MAX_NOTE_BYTES }

/** While the user types, TYPING `active` goes again at most this often, ms (§17.4). */
export const TYPING_REPEAT = 5_000
/** A friend's `active` lapses after this long without a newer one, ms (§17.4). */
export const TYPING_LAPSE = 10_000

/** The capability token of TYPING, listed in our PROFILE (§17.3, §17.4). */
export const CAP_TYPING = 'typing'

/** The `status` values a receiver shows; any other is shown as `online` (§17.3). */
export const AVAILABILITIES = ['online', 'away', 'busy'] as const
