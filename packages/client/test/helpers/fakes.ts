// Fakes for pure state-machine tests: a Protocol with no real cryptography (frames carry their
// "keys" in the clear) and an in-process mesh of NodeLinks with switchable presence. The
// integration tests use the real crypto and real nodes instead.
import { createHash, randomBytes } from 'node:crypto'
import type { Frame, FrameOf } from '@chat6/wire'
import { copyBytes, equalBytes, toHex } from '../../src/bytes.ts'
import type { Clock } from '../../src/clock.ts'
import type { LinkHandlers, NodeLink, PresenceChange, PresenceInfo } from '../../src/link.ts'
import type { PendingOffer, Protocol, Session } from '../../src/protocol.ts'
import { isChatMtype } from '../../src/store/types.ts'

export const sha256 = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => {
  const h = createHash('sha256')
  for (const p of parts) h.update(p)
  return new Uint8Array(h.digest())
}
const bytes = (n: number) => new Uint8Array(randomBytes(n))
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

interface FakeSession extends Session {
  destroyed: boolean
}
interface FakePending extends PendingOffer {
  ek: Uint8Array
  destroyed: boolean
}

/** Every session and pending offer a fake protocol made, to check they get destroyed. */
export interface FakeProtocol extends Protocol {
  sessions: FakeSession[]
  pendings: FakePending[]
}

/** A Protocol whose "proof" is the signer's key and whose "encryption" prefixes the sid. */
export function fakeProtocol(givenKey: Uint8Array = bytes(32)): FakeProtocol {
  const key = copyBytes(givenKey)
  const hash = sha256(key)
  const sessions: FakeSession[] = []
  const pendings: FakePending[] = []
  const frameHash = (f: Frame) =>
    sha256(
      new TextEncoder().encode(
        JSON.stringify({ ...f, ttl: 0, timestamp: 0 }, (_, v) =>
          v instanceof Uint8Array ? toHex(v) : v,
        ),
      ),
    )
  const session = (a: Uint8Array, b: Uint8Array): FakeSession => {
    const s: FakeSession = {
      sid: sha256(a, b).slice(0, 16),
      destroyed: false,
      destroy() {
        s.destroyed = true
      },
    }
    sessions.push(s)
    return s
  }
  return {
    key,
    hash,
    sessions,
    pendings,
    clientHash: (k) => sha256(k),
    presence: (type, f) => ({
      type,
      timestamp: 0,
      clientkey: key,
      nonce: f.nonce,
      nickname: f.nickname,
      ...(f.icon ? { icon: copyBytes(f.icon) } : {}),
      proof: concat(key, new Uint8Array(32)),
      metric: 0,
      ttl: 64,
    }),
    offline: (nonce) => ({
      type: 'CLIENT_OFFLINE',
      timestamp: 0,
      clientkey: key,
      nonce,
      proof: concat(key, new Uint8Array(32)),
      ttl: 64,
    }),
    offer(peerKey, nonce) {
      const ek = bytes(32)
      const frame: FrameOf<'FRIEND_REQUEST'> = {
        type: 'FRIEND_REQUEST',
        timestamp: 0,
        target_hash: sha256(peerKey),
        clientkey: key,
        nonce,
        sessionkey: ek,
        proof: concat(key, new Uint8Array(32)),
        ttl: 64,
      }
      const pending: FakePending = {
        ek,
        destroyed: false,
        destroy() {
          pending.destroyed = true
        },
      }
      pendings.push(pending)
      return { frame, hash: frameHash(frame), pending }
    },
    verifyRequest: (f) =>
      equalBytes(f.proof.slice(0, 32), f.clientkey) && equalBytes(f.target_hash, hash),
    answer(request, nonce) {
      const ek = bytes(32)
      const frame: FrameOf<'FRIEND_CONFIRM'> = {
        type: 'FRIEND_CONFIRM',
        timestamp: 0,
        target_hash: sha256(request.clientkey),
        clientkey: key,
        nonce,
        sessionkey: ek,
        request: frameHash(request),
        proof: concat(key, new Uint8Array(32)),
        ttl: 64,
      }
      return { frame, session: session(request.sessionkey, ek) }
    },
    complete(pending, requestHash, peerKey, confirm) {
      const p = pending as FakePending
      if (p.destroyed || !equalBytes(confirm.request, requestHash)) return undefined
      if (
        !equalBytes(confirm.clientkey, peerKey) ||
        !equalBytes(confirm.proof.slice(0, 32), peerKey)
      )
        return undefined
      return session(p.ek, confirm.sessionkey)
    },
    sealMessage: (s, peerHash, f, body) => ({
      type: 'MESSAGE_SEND',
      timestamp: 0,
      target_hash: copyBytes(peerHash),
      origin: hash,
      sid: copyBytes(s.sid),
      chatid: copyBytes(f.chatid),
      msgid: copyBytes(f.msgid),
      mtype: f.mtype,
      message: concat(s.sid, new Uint8Array(25), body),
      ttl: 64,
    }),
    openMessage: (s, f) =>
      (s as FakeSession).destroyed || !equalBytes(f.message.slice(0, 16), s.sid)
        ? undefined
        : f.message.slice(41),
    sealReceipt: (s, type, peerHash, f) => ({
      type,
      timestamp: 0,
      target_hash: copyBytes(peerHash),
      origin: hash,
      sid: copyBytes(s.sid),
      chatid: copyBytes(f.chatid),
      msgid: copyBytes(f.msgid),
      auth: concat(s.sid, new Uint8Array(24)),
      ttl: 64,
    }),
    openReceipt: (s, f) => !(s as FakeSession).destroyed && equalBytes(f.auth.slice(0, 16), s.sid),
    defaultChatId: (peer) => {
      const [a, b] = toHex(key) < toHex(peer) ? [key, peer] : [peer, key]
      return sha256(a, b).slice(0, 16)
    },
    safetyNumber: (peer) => {
      const digits = toHex(sha256(...[key, peer].sort((a, b) => (toHex(a) < toHex(b) ? -1 : 1))))
      return { digits, text: digits, qr: new Uint8Array(65) }
    },
    destroy() {},
  }
}

interface Member {
  hash: Uint8Array
  key: Uint8Array
  handlers: LinkHandlers
  presence: PresenceInfo | undefined
  reachable: boolean
  attached: boolean
}

/** A frame the fake mesh carried (or refused). */
export interface Carried {
  from: string
  frame: Frame
  delivered: boolean
}

/** An in-process stand-in for a mesh of nodes: routes frames by target_hash, async. */
export function fakeMesh(clock: Clock) {
  const members = new Map<string, Member>()
  const log: Carried[] = []
  /** Return true to drop a frame in flight. */
  let dropFilter: (frame: Frame, from: string) => boolean = () => false

  const info = (m: Member): PresenceInfo | undefined =>
    m.presence && { ...m.presence, reachable: m.presence.online && m.reachable }
  const notify = (m: Member, kind: PresenceChange['kind']) => {
    for (const other of members.values()) {
      if (other === m || !other.attached) continue
      const change = { kind, hash: m.hash, info: info(m) }
      const handlers = other.handlers
      clock.setTimeout(
        () => other.attached && other.handlers === handlers && handlers.onPresence(change),
        0,
      )
    }
  }

  const attach = (clientkey: Uint8Array, handlers: LinkHandlers): NodeLink => {
    const hash = sha256(clientkey)
    const hex = toHex(hash)
    const m: Member = members.get(hex) ?? {
      hash,
      key: clientkey,
      handlers,
      presence: undefined,
      reachable: true,
      attached: true,
    }
    m.handlers = handlers
    m.attached = true
    members.set(hex, m)
    return {
      announce(frame) {
        if (!m.attached) return { ok: false, reason: 'detached' }
        const online = frame.type !== 'CLIENT_OFFLINE'
        m.presence = {
          clientkey,
          online,
          reachable: online,
          nickname: 'nickname' in frame ? frame.nickname : m.presence?.nickname,
          icon: 'icon' in frame ? frame.icon : undefined,
          nonce: frame.nonce,
        }
        log.push({ from: hex, frame, delivered: true })
        notify(
          m,
          frame.type === 'CLIENT_ONLINE'
            ? 'online'
            : frame.type === 'CLIENT_UPDATE'
              ? 'update'
              : 'offline',
        )
        return { ok: true }
      },
      send(frame) {
        const target = members.get(toHex(frame.target_hash))
        const ok =
          !!target &&
          target.attached &&
          !!target.presence?.online &&
          target.reachable &&
          m.reachable
        const dropped = ok && dropFilter(frame, hex)
        log.push({ from: hex, frame, delivered: ok && !dropped })
        if (!ok) return { ok: false, reason: 'no_route' }
        const handlers = target.handlers
        if (!dropped)
          clock.setTimeout(
            () => target.handlers === handlers && target.attached && handlers.onFrame(frame),
            0,
          )
        return { ok: true }
      },
      lookup(h) {
        const other = members.get(toHex(h))
        return other && info(other)
      },
      detach() {
        m.attached = false
      },
    }
  }

  return {
    attach,
    log,
    /** Frames of a type sent by the client with this key. */
    sent(type: Frame['type'], fromKey?: Uint8Array) {
      const from = fromKey && toHex(sha256(fromKey))
      return log.filter((c) => c.frame.type === type && (from === undefined || c.from === from))
    },
    /**
     * Like `sent`, but only frames of chat messages (mtype 1 or 1000+) and their receipts: not
     * the PROFILE and TYPING payloads (§17) clients exchange on their own.
     */
    chat(type: 'MESSAGE_SEND' | 'MESSAGE_RECV' | 'MESSAGE_READ', fromKey?: Uint8Array) {
      const chatIds = new Set(
        log
          .filter((c) => c.frame.type === 'MESSAGE_SEND' && isChatMtype(c.frame.mtype))
          .map((c) => toHex((c.frame as FrameOf<'MESSAGE_SEND'>).msgid)),
      )
      return this.sent(type, fromKey).filter((c) =>
        chatIds.has(toHex((c.frame as FrameOf<typeof type>).msgid)),
      )
    },
    drop(filter: (frame: Frame, from: string) => boolean) {
      dropFilter = filter
    },
    setReachable(key: Uint8Array, reachable: boolean) {
      const m = members.get(toHex(sha256(key)))
      if (!m) return
      m.reachable = reachable
      notify(m, reachable ? 'reachable' : 'unreachable')
    },
    /** The client vanishes without CLIENT_OFFLINE (its process died): the mesh marks it offline. */
    crash(key: Uint8Array) {
      const m = members.get(toHex(sha256(key)))
      if (!m) return
      m.attached = false
      if (m.presence) m.presence = { ...m.presence, online: false }
      notify(m, 'offline')
    },
  }
}
