// The exit codes of `chat6`, one per outcome a script may want to tell apart. They are part of
// the command's public contract (README "Exit codes"): never renumber one.

/** Exit codes of the `chat6` command. */
export const EXIT = {
  /** Done: for `send`, the message was delivered. */
  OK: 0,
  /** Failed for a reason not listed below (I/O, store, a bug). */
  FAILURE: 1,
  /** Bad usage: unknown command or option, missing or malformed argument. */
  USAGE: 2,
  /** `send`: stored in the outbox but not delivered yet (friend offline or no receipt in time). */
  QUEUED: 3,
  /** Not found: no identity in the data dir, unknown friend, no such request. */
  NOT_FOUND: 4,
  /** Passphrase: wrong, or needed and none given. */
  PASSPHRASE: 5,
  /** Conflict: the identity exists already, or the data dir is in use by another chat6. */
  CONFLICT: 6,
  /** Network: cannot listen (port in use), no peer reachable, no running node to ask. */
  NETWORK: 7,
  /** The command needs a part of chat6 that is not available in this build yet. */
  UNAVAILABLE: 8,
} as const

/** One of the {@link EXIT} values. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]
