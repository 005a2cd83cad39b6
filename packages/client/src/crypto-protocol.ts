// The Protocol of client.ts on @chat6/crypto: proofs (§5.3), sessions (§10) and end-to-end
// frames (§11). Timestamps are our wall clock; each hop rewrites them anyway (§6.6).
import {
  answerSession,
  type ClientIdentity,
  type Crypto,
  type Session as CryptoSession,
  clientHash,
  completeSession,
  defaultChatId,
  offerSession,
  openMessage,
  openReceipt,
  type PendingSession,
  safetyNumber,
  sealMessage,
  sealReceipt,
  signProof,
  verifyProof,
} from '@chat6/crypto'
import { DEFAULT_TTL, type FrameOf } from '@chat6/wire'
import { copyBytes, equalBytes } from './bytes.ts'
import type { Clock } from './clock.ts'
import type { Protocol, Session } from './protocol.ts'

/** @internal */
export function createCryptoProtocol(
  crypto: Crypto,
  identity: ClientIdentity,
  clock: Clock,
): Protocol {
  const now = () => Math.floor(clock.wallNow())
  const session = (s: Session) => s as CryptoSession
  return {
    key: identity.publicKey,
    hash: identity.hash,
    clientHash: (key) => clientHash(key),
    presence: (type, f) =>
      signProof<FrameOf<typeof type>>(identity, {
        type,
        timestamp: now(),
        clientkey: identity.publicKey,
        nonce: f.nonce,
        nickname: f.nickname,
        ...(f.icon ? { icon: copyBytes(f.icon) } : {}),
        metric: 0,
        ttl: DEFAULT_TTL,
      }),
    offline: (nonce) =>
      signProof<FrameOf<'CLIENT_OFFLINE'>>(identity, {
        type: 'CLIENT_OFFLINE',
        timestamp: now(),
        clientkey: identity.publicKey,
        nonce,
        ttl: DEFAULT_TTL,
      }),
    offer: (peerKey, nonce) => {
      const { request, requestHash, pending } = offerSession(crypto, identity, peerKey, nonce, {
        timestamp: now(),
      })
      return { frame: request, hash: requestHash, pending }
    },
    verifyRequest: (frame) =>
      equalBytes(frame.target_hash, identity.hash) && verifyProof(crypto, frame),
    answer: (request, nonce) => {
      const r = answerSession(crypto, identity, request, nonce, { timestamp: now() })
      return r.ok ? { frame: r.confirm, session: r.session } : undefined
    },
    complete: (pending, _requestHash, _peerKey, confirm) => {
      // completeSession checks the binding itself: request hash, target, expected key, proof
      const r = completeSession(pending as PendingSession, confirm)
      return r.ok ? r.session : undefined
    },
    sealMessage: (s, _peerHash, f, body) =>
      sealMessage(session(s), {
        chatid: f.chatid,
        msgid: f.msgid,
        mtype: f.mtype,
        plaintext: body,
        timestamp: now(),
      }),
    openMessage: (s, frame) => {
      const r = openMessage(session(s), frame)
      return r.ok ? r.plaintext : undefined
    },
    sealReceipt: (s, type, _peerHash, f) =>
      sealReceipt(session(s), type, { chatid: f.chatid, msgid: f.msgid, timestamp: now() }),
    openReceipt: (s, frame) => openReceipt(session(s), frame).ok,
    defaultChatId: (peerKey) => defaultChatId(identity.hash, clientHash(peerKey)),
    safetyNumber: (peerKey) => safetyNumber(crypto, identity.publicKey, peerKey),
    destroy: () => identity.destroy(),
  }
}
