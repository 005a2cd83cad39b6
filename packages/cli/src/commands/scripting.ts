// The scripting commands (add, friends, send, history, requests, accept, reject): each runs
// against a session, its own or that of a running chat/daemon on the same data dir.
import type { Friend, Message } from '@chat6/client'
import { clientHash } from '@chat6/crypto'
import { intOption, secondsOption, stringOption } from '../args.ts'
import type { Context } from '../context.ts'
import { EXIT } from '../exit-codes.ts'
import { dateTime, sanitize, shortHash, stateMark, table, toBase64, toHex } from '../format.ts'
import { type PresentedRequest, pickRequest, presentRequests } from '../requests.ts'
import { parseKey, resolveNamed } from '../resolve.ts'
import type { Session } from '../session.ts'

/** Default time `send` waits for the delivery receipt, ms. */
export const SEND_WAIT_MS = 10_000
/** Time after which an offline friend's message is reported queued (without --wait), ms. */
export const OFFLINE_WAIT_MS = 3_000

const friendJson = (f: Friend) => ({
  nickname: f.nickname ?? null,
  key: toBase64(f.key),
  hash: toHex(f.hash),
  status: f.status,
  online: f.online,
  reachable: f.reachable,
  keyed: f.keyed,
  verified: f.verified,
  keyChanged: f.keyChanged,
  availability: f.availability,
  note: f.note ?? null,
  typing: f.typing,
})

const requestJson = (r: PresentedRequest) => ({
  nickname: r.nickname ?? null,
  nicknameVerified: false,
  nicknameOfAFriend: r.conflict,
  key: toBase64(r.key),
  hash: toHex(r.hash),
  receivedAt: new Date(r.receivedAt).toISOString(),
  conflictsWith: r.conflictsWith === undefined ? null : toBase64(r.conflictsWith),
})

const messageJson = (m: Message) => ({
  seq: m.seq,
  outgoing: m.outgoing,
  text: m.text ?? null,
  mtype: m.mtype,
  state: m.state,
  time: new Date(m.time).toISOString(),
  msgid: toBase64(m.msgid),
})

/** Online with a route: what the user calls online. */
export const available = (f: Friend | undefined) => f?.online === true && f.reachable

/**
 * A friend's presence in words: `online`, `online but unreachable` (they announced themselves
 * but no route to them is known here yet), or `offline`.
 */
export const availability = (f: Pick<Friend, 'online' | 'reachable'>) =>
  f.online ? (f.reachable ? 'online' : 'online but unreachable') : 'offline'

/**
 * What a friend says of themselves in their PROFILE: `away · at lunch`, `busy`, or `-` when they
 * said nothing (online, no message).
 */
export const statusOf = (f: Pick<Friend, 'availability' | 'note'>) =>
  f.note === undefined
    ? f.availability === 'online'
      ? '-'
      : f.availability
    : `${f.availability} · ${sanitize(f.note)}`

const name = (f: { nickname: string | undefined; hash: Uint8Array }) =>
  f.nickname === undefined ? shortHash(f.hash) : sanitize(f.nickname)

/** Sleeps, resolving early (to false) when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(true), ms)
    signal?.addEventListener('abort', () => {
      clearTimeout(t)
      resolve(false)
    })
  })
}

/** Resolves when `pred` holds (checked on each event of the session's client), or at timeout. */
export async function waitUntil(
  session: Session,
  pred: () => Promise<boolean> | boolean,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<boolean> {
  if (await pred()) return true
  return new Promise((resolve) => {
    let finished = false
    const offs: (() => void)[] = []
    const finish = (v: boolean) => {
      if (finished) return
      finished = true
      clearTimeout(t)
      clearInterval(poll)
      for (const off of offs) off()
      resolve(v)
    }
    const check = () => {
      Promise.resolve(pred()).then(
        (ok) => ok && finish(true),
        () => {},
      )
    }
    for (const ev of ['presence', 'receipt', 'friend-added', 'session', 'friend-request'] as const)
      offs.push(session.client.on(ev, check))
    // presence also moves through the node without a client event (strangers' requests)
    const poll = setInterval(check, 250)
    const t = setTimeout(() => finish(false), timeoutMs)
    signal?.addEventListener('abort', () => finish(false))
  })
}

/** Pending requests with the nicknames their senders present. */
async function presented(session: Session): Promise<PresentedRequest[]> {
  const friends = await session.client.friends()
  return presentRequests(await session.client.requests(), friends, session.node)
}

async function findFriend(session: Session, who: string): Promise<Friend> {
  return resolveNamed(who, await session.client.friends(), 'friend')
}

/** `chat6 friends`. */
export async function runFriends(ctx: Context, session: Session): Promise<number> {
  if (!ctx.forwarded) await session.settled()
  const friends = await session.client.friends()
  if (ctx.json) {
    ctx.out(`${JSON.stringify(friends.map(friendJson), null, 2)}\n`)
    return EXIT.OK
  }
  if (friends.length === 0) {
    ctx.out("no friends yet: add one with 'chat6 add KEY'\n")
    return EXIT.OK
  }
  const rows = friends.map((f) => [
    name(f),
    shortHash(f.hash),
    f.status === 'requested' ? 'request sent' : availability(f),
    statusOf(f),
    f.keyChanged ? 'KEY CHANGED' : f.verified ? 'verified' : '',
  ])
  ctx.out(`${table([['NAME', 'HASH', 'PRESENCE', 'STATUS', ''], ...rows])}\n`)
  return EXIT.OK
}

/** `chat6 add KEY`. Exit 0 when they accepted within --wait or the request went out; 3 if saved only. */
export async function runAdd(ctx: Context, session: Session): Promise<number> {
  const { values, args } = ctx.parsed
  const key = parseKey(args.KEY ?? '')
  const wait = secondsOption(values, 'wait', 0)
  const hash = clientHash(key)
  // without --nick, the client keeps the nickname they announce as soon as it sees it
  const nick = stringOption(values, 'nick')
  const hex = toHex(hash)
  const known = (await session.client.friends()).find((x) => toHex(x.hash) === hex)
  const theyAsked = (await session.client.requests()).some((r) => toHex(r.hash) === hex)
  const f = await session.client.addFriend(key, nick === undefined ? {} : { nickname: nick })
  const current = async () => (await session.client.friends()).find((x) => toHex(x.hash) === hex)
  // adding a friend again, or someone whose request is waiting, is said as what it is
  if (known?.status === 'friend' || theyAsked) {
    const who = name(known ?? f)
    if (ctx.json)
      ctx.out(
        `${JSON.stringify({ ...friendJson(f), request: known ? 'already-friends' : 'accepted' })}\n`,
      )
    else if (known) ctx.out(`${who} is already your friend: nothing sent\n`)
    else ctx.out(`${who} had asked you: accepted, you are friends\n`)
    return EXIT.OK
  }
  if (!ctx.forwarded) await session.settled()
  const online = await waitUntil(
    session,
    async () => available(await current()),
    Math.max(wait, 1000),
    ctx.signal,
  )
  let accepted = (await current())?.status === 'friend'
  if (!accepted && online && wait > 0)
    accepted = await waitUntil(
      session,
      async () => (await current())?.status === 'friend',
      wait,
      ctx.signal,
    )
  // the request goes out when their presence is seen; give it a moment to leave the process
  if (online && !ctx.forwarded) await sleep(300, ctx.signal)
  const who = name((await current()) ?? f)
  const state = accepted ? 'accepted' : online ? 'sent' : 'saved'
  const again = known !== undefined ? ' again' : ''
  if (ctx.json)
    ctx.out(`${JSON.stringify({ ...friendJson((await current()) ?? f), request: state })}\n`)
  else if (accepted) ctx.out(`${who} accepted: you are friends\n`)
  else if (online)
    ctx.out(`friend request sent${again} to ${who}; they accept with 'chat6 accept'\n`)
  else
    ctx.out(
      `${who} is ${availability((await current()) ?? f)}: the request is saved and is sent when you are both online (chat6 chat or chat6 daemon)\n`,
    )
  return online || accepted ? EXIT.OK : EXIT.QUEUED
}

/** `chat6 send FRIEND TEXT`. Exit 0 when delivered, 3 when it stays queued. */
export async function runSend(ctx: Context, session: Session): Promise<number> {
  const { values, args } = ctx.parsed
  const explicitWait = values.wait !== undefined
  const wait = secondsOption(values, 'wait', SEND_WAIT_MS)
  const friend = await findFriend(session, args.FRIEND ?? '')
  if (friend.status === 'requested')
    ctx.err(
      `chat6: note: ${name(friend)} has not accepted your request yet; the message waits for that\n`,
    )
  const started = Date.now()
  const sent = await session.client.send(friend.key, args.TEXT ?? '')
  const id = toHex(sent.msgid)
  let state: string = sent.state
  const off = session.client.on('receipt', (r) => {
    if (toHex(r.msgid) === id) state = r.state
  })
  try {
    const delivered = () => state === 'delivered' || state === 'read'
    const hex = toHex(friend.hash)
    const now = async () => (await session.client.friends()).find((f) => toHex(f.hash) === hex)
    const isOnline = async () => available(await now())
    let online: boolean
    if (ctx.forwarded) {
      // the chat or daemon that runs this has been online a while: it knows their presence now
      online = delivered() || (await isOnline())
    } else {
      // a node of our own has just started: give presence a moment to arrive
      await session.settled()
      online = await waitUntil(
        session,
        async () => delivered() || (await isOnline()),
        explicitWait ? wait : Math.min(wait, OFFLINE_WAIT_MS),
        ctx.signal,
      )
    }
    if (online || explicitWait)
      await waitUntil(session, delivered, Math.max(0, wait - (Date.now() - started)), ctx.signal)
    const who = name(friend)
    const presence =
      friend.status === 'requested' ? 'not a friend yet' : availability((await now()) ?? friend)
    if (ctx.json)
      ctx.out(
        `${JSON.stringify({ to: who, key: toBase64(friend.key), msgid: toBase64(sent.msgid), state: delivered() ? state : state === 'sent' ? 'sent' : 'queued', presence })}\n`,
      )
    if (delivered()) {
      if (!ctx.json) ctx.out(`delivered to ${who} ${stateMark(state as 'delivered')}\n`)
      return EXIT.OK
    }
    if (!ctx.json)
      ctx.out(
        (presence === 'online'
          ? `sent to ${who} but no delivery receipt yet: `
          : presence === 'not a friend yet'
            ? `${who} has not accepted your request yet: `
            : `${who} is ${presence}: `) +
          "the message is queued in the outbox; 'chat6 daemon', 'chat6 chat' or 'chat6 send --wait' delivers it\n",
      )
    return EXIT.QUEUED
  } finally {
    off()
  }
}

/** `chat6 history FRIEND`. */
export async function runHistory(ctx: Context, session: Session): Promise<number> {
  const { values, args } = ctx.parsed
  const limit = intOption(values, 'limit', 50, 1, 1000)
  const friend = await findFriend(session, args.FRIEND ?? '')
  const messages = await session.client.history(session.client.chatId(friend.key), { limit })
  if (values['mark-read'] === true) {
    // the client sends each read receipt now if the friend is keyed, or keeps it in the data
    // dir and sends it the next time they are: nothing to wait for here
    for (const m of messages) {
      if (m.outgoing || m.state === 'read') continue
      await session.client.markRead(m)
      m.state = 'read'
    }
  }
  if (ctx.json) {
    ctx.out(`${JSON.stringify(messages.map(messageJson), null, 2)}\n`)
    return EXIT.OK
  }
  if (messages.length === 0) {
    ctx.out(`no messages with ${name(friend)} yet\n`)
    return EXIT.OK
  }
  for (const m of messages) {
    const who = m.outgoing ? 'you' : name(friend)
    // a message of several lines prints as several, the later ones indented under the first
    const body =
      m.text === undefined
        ? `(${m.body.length} bytes, type ${m.mtype})`
        : sanitize(m.text, true).replace(/\n/g, `\n${' '.repeat(dateTime(m.time).length + 1)}  `)
    const mark = m.outgoing ? ` ${stateMark(m.state)}` : m.state === 'read' ? '' : ' (new)'
    ctx.out(`${dateTime(m.time)} ${who}: ${body}${mark}\n`)
  }
  return EXIT.OK
}

/** `chat6 requests`. */
export async function runRequests(ctx: Context, session: Session): Promise<number> {
  if (!ctx.forwarded) await session.settled()
  const requests = await presented(session)
  if (ctx.json) {
    ctx.out(`${JSON.stringify(requests.map(requestJson), null, 2)}\n`)
    return EXIT.OK
  }
  if (requests.length === 0) {
    ctx.out('no pending friend requests\n')
    return EXIT.OK
  }
  const rows = requests.map((r) => [
    r.nickname === undefined ? '(no name)' : `${sanitize(r.nickname)}?`,
    shortHash(r.hash),
    dateTime(r.receivedAt),
    toBase64(r.key),
    r.conflict ? 'uses the name of a friend!' : '',
  ])
  ctx.out(`${table([['NAME', 'HASH', 'RECEIVED', 'KEY', ''], ...rows])}\n`)
  ctx.out(
    "names are what the sender says (unverified, hence '?'); accept with 'chat6 accept NAME|HASH|KEY', reject with 'chat6 reject …'\n",
  )
  return EXIT.OK
}

/** `chat6 accept KEY`. */
export async function runAccept(ctx: Context, session: Session): Promise<number> {
  if (!ctx.forwarded) await session.settled()
  const request = pickRequest(ctx.parsed.args.KEY ?? '', await presented(session))
  const friend = await session.client.accept(request.key)
  const hex = toHex(friend.hash)
  // the confirmation (or our own request) leaves once a session is up with them
  const keyed = await waitUntil(
    session,
    async () => (await session.client.friends()).find((f) => toHex(f.hash) === hex)?.keyed === true,
    5000,
    ctx.signal,
  )
  if (keyed && !ctx.forwarded) await sleep(300, ctx.signal)
  if (ctx.json) ctx.out(`${JSON.stringify({ ...friendJson(friend), connected: keyed })}\n`)
  else
    ctx.out(
      `accepted ${name(friend)}: you are friends${keyed ? '' : " (they learn it when you are both online: 'chat6 daemon' or 'chat6 chat')"}\n`,
    )
  return EXIT.OK
}

/** `chat6 reject KEY`. */
export async function runReject(ctx: Context, session: Session): Promise<number> {
  const request = pickRequest(ctx.parsed.args.KEY ?? '', await presented(session))
  await session.client.reject(request.key)
  if (ctx.json) ctx.out(`${JSON.stringify({ ...requestJson(request), rejected: true })}\n`)
  else ctx.out(`rejected ${name(request)}; that key is blocked from now on\n`)
  return EXIT.OK
}
