// The profile service (§17.3, §17.4): our PROFILE (nickname, icon, availability, note and the
// capabilities of the client's services) to every friend, durably through the outbox, and
// theirs kept in the store, where it takes precedence over the nickname and icon of presence.
// Our profile has a version that goes up when it changes; each friend's record says which one
// they acknowledged, and which one is in the outbox to them (at most one at a time, so that a
// retried older PROFILE never arrives after a newer one). It also carries TYPING (typing.ts).
import { decodePayload, encodePayload, type PayloadOf, WireEncodeError } from '@chat6/wire'
import type { Friend, Status, StatusUpdate } from '../../api.ts'
import { copyBytes, equalBytes, toBase64 } from '../../bytes.ts'
import { MSGID_BYTES } from '../../constants.ts'
import { ClientError } from '../../errors.ts'
import type { IdentityRecord, ProfileRecord } from '../../store/types.ts'
import type { Outbox } from '../outbox.ts'
import type { Payloads } from '../payloads.ts'
import type { Peers } from '../peers.ts'
import { type BaseComponents, type PeerState, ready } from '../types.ts'
import { AVAILABILITIES, CAP_TYPING, MAX_CAPS, MAX_NOTE_BYTES, MTYPE_PROFILE } from './constants.ts'
import { createTyping } from './typing.ts'

/** Our profile and our friends'. */
export interface Profile {
  /**
   * Takes the capability tokens of the client's services (with `typing`) once they are all
   * built, and makes our current PROFILE: a new version if it differs from the last one made.
   */
  start(caps: readonly string[]): void
  /** Our availability and note. */
  readonly status: Status
  /** Changes them, stores them and sends the new PROFILE to every keyed friend. */
  setStatus(update: StatusUpdate): void
  /** Our nickname or icon changed: sends the new PROFILE. */
  changed(): void
  /** Whether the friend's latest PROFILE lists `cap` (§17.2): false until one arrived. */
  supports(key: Uint8Array, cap: string): boolean
  /** The user is (or stopped) typing in this friend's chat (§17.4). */
  setTyping(p: PeerState, active: boolean): void
  stop(): void
}

/** Meta keys of our own profile. */
const META = {
  availability: 'profile.availability',
  note: 'profile.note',
  version: 'profile.version',
  body: 'profile.body',
} as const

const isAvailability = (s: string | undefined): s is Status['availability'] =>
  (AVAILABILITIES as readonly string[]).includes(s ?? '')

/**
 * Creates the profile service.
 *
 * @param c - components; `identity` reads our current nickname and icon; `enabled: false`
 *   makes a client without PROFILE and TYPING (a version-1 client, for tests): it sends none,
 *   and what arrives is kept as any message of an unknown mtype (§17.2)
 * @example
 * ```ts
 * const profile = createProfile({ ...components, random, peers, payloads, outbox, identity })
 * profile.start(['typing'])
 * profile.setStatus({ availability: 'away', note: 'at lunch' })
 * ```
 */
export function createProfile(
  c: Pick<BaseComponents, 'store' | 'clock' | 'protocol' | 'events' | 'hooks' | 'guard'> & {
    random: (length: number) => Uint8Array
    peers: Peers
    payloads: Pick<Payloads, 'handle' | 'sendEphemeral'>
    outbox: Pick<Outbox, 'enqueue'>
    identity: () => IdentityRecord
    enabled?: boolean
  },
): Profile {
  const { store, clock, peers } = c
  const enabled = c.enabled ?? true
  const records = new Map<string, ProfileRecord>()
  let caps: string[] = []
  const stored = store.getMeta(META.availability)
  let status: Status = {
    availability: isAvailability(stored) ? stored : 'online',
    // no note is kept as '', which no note can be (§17.3: 1..140 bytes)
    note: store.getMeta(META.note) || undefined,
  }
  let version = Number(store.getMeta(META.version) ?? 0)
  /** Our current PROFILE, made by start(). */
  let body: Uint8Array | undefined

  const recordOf = (p: PeerState): ProfileRecord => {
    let r = records.get(p.hex)
    if (!r) {
      r = store.getProfile(p.record.hash) ?? {
        hash: p.record.hash,
        theirs: undefined,
        acked: 0,
        pending: undefined,
      }
      records.set(p.hex, r)
    }
    return r
  }
  /** Stores a friend's record; the cache follows only once the store took it. */
  const put = (p: PeerState, r: ProfileRecord) => {
    store.putProfile(r)
    records.set(p.hex, r)
  }

  /** Our PROFILE with `s` as status; throws WireEncodeError if a field is not valid. */
  const encode = (s: Status) => {
    const { nickname, icon } = c.identity()
    const payload: PayloadOf<'PROFILE'> = { type: 'PROFILE', nickname }
    if (icon !== undefined) payload.icon = copyBytes(icon)
    if (s.availability !== 'online') payload.status = s.availability
    if (s.note !== undefined) payload.note = s.note
    if (caps.length > 0) payload.cap = caps
    return encodePayload(payload)
  }

  /** Sends our current PROFILE to a keyed friend who has not acknowledged it (§17.3). */
  const offer = (p: PeerState) => {
    if (!enabled || body === undefined || !ready(p)) return
    const r = recordOf(p)
    if (r.pending !== undefined || r.acked >= version) return
    // a friend who acknowledged a PROFILE but never sent one is a version-1 client, which shows
    // payloads as messages: it gets the first only, the next once it sends a PROFILE (§17.3)
    if (r.acked > 0 && r.theirs === undefined) return
    const msgid = c.random(MSGID_BYTES)
    const message = {
      peer: p.record.key,
      chatid: c.protocol.defaultChatId(p.record.key),
      msgid,
      outgoing: true,
      mtype: MTYPE_PROFILE,
      body,
      state: 'queued' as const,
      time: clock.wallNow(),
    }
    try {
      store.transaction(() => {
        put(p, { ...r, pending: { msgid, version } })
        c.outbox.enqueue(message)
      })
    } catch (error) {
      records.delete(p.hex)
      throw error
    }
  }

  /**
   * Makes our PROFILE with `next` as status, stores it with `keep` (our status) in one
   * transaction, and if it changed, makes it a new version and offers it to every friend.
   */
  const publish = (next: Status, keep?: () => void) => {
    const bytes = encode(next)
    const b64 = toBase64(bytes)
    const changed = b64 !== store.getMeta(META.body)
    const before = version
    try {
      store.transaction(() => {
        keep?.()
        if (!changed) return
        store.setMeta(META.body, b64)
        store.setMeta(META.version, String(before + 1))
        version = before + 1
        body = bytes
        for (const p of peers.values()) offer(p)
      })
    } catch (error) {
      version = before
      records.clear()
      throw error
    }
    body = bytes
    status = next
  }

  const typing = enabled
    ? createTyping({
        ...c,
        supports: (p, cap) => recordOf(p).theirs?.caps.includes(cap) ?? false,
        changed: (p) => c.events.emit('typing', peers.view(p)),
      })
    : undefined

  if (enabled) {
    c.payloads.handle(MTYPE_PROFILE, ({ peer: p, body: plaintext }, { ack }) => {
      const r = decodePayload(MTYPE_PROFILE, plaintext)
      if (!r.ok || r.payload.type !== 'PROFILE') {
        // acknowledged, so the sender stops retrying, and otherwise ignored (§17.2)
        ack()
        const why = r.ok ? 'not a PROFILE' : r.error.code
        c.events.emit(
          'error',
          new ClientError('protocol', `a PROFILE that does not decode: ${why}`),
        )
        return
      }
      const { nickname, icon, status: token, note, cap } = r.payload
      const theirs = {
        nickname,
        icon,
        status: token,
        note,
        caps: cap ?? [],
        receivedAt: clock.wallNow(),
      }
      // kept before it is acknowledged (§11): a StoreError here sends no MESSAGE_RECV
      put(p, { ...recordOf(p), theirs })
      ack()
      c.events.emit('presence', peers.view(p))
      offer(p)
    })
  }

  c.hooks.on('keyed', ({ peer }) => offer(peer))
  c.hooks.on('outgoing', (m) => {
    if (m.mtype !== MTYPE_PROFILE || (m.state !== 'delivered' && m.state !== 'read')) return
    const p = peers.byKey(m.peer)
    if (!p) return
    const r = recordOf(p)
    if (!r.pending || !equalBytes(r.pending.msgid, m.msgid)) return
    put(p, { ...r, acked: Math.max(r.acked, r.pending.version), pending: undefined })
    // a change made while that one was on its way goes now
    offer(p)
  })
  c.hooks.on('removed', (p) => {
    store.deleteProfile(p.record.hash)
    records.delete(p.hex)
  })

  peers.extendView((p): Partial<Friend> => {
    const theirs = recordOf(p).theirs
    const now = typing?.isTyping(p) ?? false
    if (!theirs) return { typing: now }
    return {
      // their PROFILE takes precedence over presence, whose version-2 records carry neither
      nickname: theirs.nickname,
      icon: theirs.icon,
      availability: isAvailability(theirs.status) ? theirs.status : 'online',
      note: theirs.note,
      typing: now,
    }
  })

  const invalid = (what: string, error: unknown): never => {
    if (!(error instanceof WireEncodeError)) throw error
    throw new ClientError('invalid_argument', what, { cause: error })
  }

  return {
    start: (serviceCaps) => {
      const all = [...new Set([CAP_TYPING, ...serviceCaps])].sort()
      if (all.length > MAX_CAPS) {
        throw new ClientError('invalid_argument', `at most ${MAX_CAPS} capabilities (§17.3)`)
      }
      caps = enabled ? all : []
      try {
        publish(status)
      } catch (error) {
        invalid(`our PROFILE cannot be made: ${(error as Error).message}`, error)
      }
    },
    get status() {
      return status
    },
    setStatus: (update) => {
      const next: Status = {
        availability: update.availability ?? status.availability,
        note: update.note === null ? undefined : (update.note ?? status.note),
      }
      if (!isAvailability(next.availability)) {
        throw new ClientError(
          'invalid_argument',
          `availability is one of ${AVAILABILITIES.join(', ')}`,
        )
      }
      try {
        encode(next)
      } catch (error) {
        invalid(`a note is 1..${MAX_NOTE_BYTES} UTF-8 bytes without control characters`, error)
      }
      publish(next, () => {
        store.setMeta(META.availability, next.availability)
        store.setMeta(META.note, next.note ?? '')
      })
    },
    changed: () => publish(status),
    supports: (key, cap) => {
      const p = peers.byKey(key)
      return p !== undefined && (recordOf(p).theirs?.caps.includes(cap) ?? false)
    },
    setTyping: (p, active) => typing?.set(p, active),
    stop: () => typing?.stop(),
  }
}
