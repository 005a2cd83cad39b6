// `chat6 set-status`: your availability (online, away, busy) and status message, told to your
// friends in your PROFILE (protocol §17.3), end to end. Kept in the data dir: every later chat
// or daemon keeps telling friends who have not heard it yet.
import { availabilityArg } from '../args.ts'
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { sanitize } from '../format.ts'
import type { Session } from '../session.ts'
import { available, waitUntil } from './scripting.ts'

/** Time an own session waits for sessions with the friends online, so their PROFILE leaves, ms. */
export const TELL_WAIT_MS = 5000

/** `chat6 set-status STATUS [NOTE…]`. Exit 0: stored (and sent to every friend keyed now). */
export async function runSetStatus(ctx: Context, session: Session): Promise<number> {
  const { values, args } = ctx.parsed
  const availability = availabilityArg(args.STATUS ?? '')
  const note = args.NOTE
  if (note !== undefined && values['clear-note'] === true)
    throw new CliError('usage', 'give a NOTE or --clear-note, not both')
  const { client } = session
  await client.setStatus({
    availability,
    ...(note !== undefined ? { note } : values['clear-note'] === true ? { note: null } : {}),
  })
  if (!ctx.forwarded) {
    // a node of our own: give presence and sessions a moment, so that friends online now get
    // the new PROFILE from this run rather than from the next chat or daemon
    await session.settled()
    await waitUntil(
      session,
      async () => (await client.friends()).filter(available).every((f) => f.keyed),
      TELL_WAIT_MS,
      ctx.signal,
    )
    await new Promise((r) => setTimeout(r, 300))
  }
  const friends = await client.friends()
  const told = friends.filter((f) => f.keyed).length
  const rest = friends.filter((f) => f.status === 'friend').length - told
  const status = client.status
  if (ctx.json) {
    ctx.out(`${JSON.stringify({ ...status, note: status.note ?? null, told, later: rest })}\n`)
    return EXIT.OK
  }
  const shown =
    status.note === undefined
      ? status.availability
      : `${status.availability} · ${sanitize(status.note)}`
  ctx.out(
    `you are ${shown}: sent to ${told} friend${told === 1 ? '' : 's'} online` +
      (rest > 0
        ? `; ${rest} other${rest === 1 ? '' : 's'} get it when you are next online together (chat6 chat or chat6 daemon)`
        : '') +
      '\n',
  )
  return EXIT.OK
}
