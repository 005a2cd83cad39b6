// The client's end-to-end protocol operations (§5.3, §10, §11) behind one interface, so the
// state machine in client.ts never touches key material: sessions and pending offers are
// opaque objects that live in memory only and are destroyed (wiped) when dropped.
import type { FrameOf } from '@chat6/wire'

/** An established session (§10.3): its id and a way to wipe its keys. */
export interface Session {
  readonly sid: Uint8Array
  destroy(): void
}

/** Our outstanding offer: holds the ephemeral secret until the confirm arrives. */
export interface PendingOffer {
  destroy(): void
}

/** What two friends compare out of band: 60 digits, grouped for display, and a QR payload. */
export interface SafetyNumber {
  readonly digits: string
  readonly text: string
  readonly qr: Uint8Array
}

export type PresenceType = 'CLIENT_ONLINE' | 'CLIENT_UPDATE'
export type ReceiptType = 'MESSAGE_RECV' | 'MESSAGE_READ'

export interface MessageFields {
  chatid: Uint8Array
  msgid: Uint8Array
  mtype: number
}

/** Everything the client signs, seals or opens, bound to its own identity. */
export interface Protocol {
  /** Our client key and hash. */
  readonly key: Uint8Array
  readonly hash: Uint8Array
  clientHash(key: Uint8Array): Uint8Array
  presence(
    type: PresenceType,
    fields: { nonce: number; nickname: string; icon: Uint8Array | undefined },
  ): FrameOf<PresenceType>
  offline(nonce: number): FrameOf<'CLIENT_OFFLINE'>
  /** A FRIEND_REQUEST to `peerKey` with a fresh ephemeral key; `hash` is its MSGHASH. */
  offer(
    peerKey: Uint8Array,
    nonce: number,
  ): { frame: FrameOf<'FRIEND_REQUEST'>; hash: Uint8Array; pending: PendingOffer }
  /** Whether a FRIEND_REQUEST is addressed to us and its proof verifies. */
  verifyRequest(frame: FrameOf<'FRIEND_REQUEST'>): boolean
  /** Answers a verified request: our FRIEND_CONFIRM and the new session (undefined: refused). */
  answer(
    request: FrameOf<'FRIEND_REQUEST'>,
    nonce: number,
  ): { frame: FrameOf<'FRIEND_CONFIRM'>; session: Session } | undefined
  /** Completes our offer with a confirm from `peerKey`; undefined if it does not verify or bind. */
  complete(
    pending: PendingOffer,
    requestHash: Uint8Array,
    peerKey: Uint8Array,
    confirm: FrameOf<'FRIEND_CONFIRM'>,
  ): Session | undefined
  sealMessage(
    session: Session,
    peerHash: Uint8Array,
    fields: MessageFields,
    body: Uint8Array,
  ): FrameOf<'MESSAGE_SEND'>
  /** The plaintext, or undefined if it does not open under this session. */
  openMessage(session: Session, frame: FrameOf<'MESSAGE_SEND'>): Uint8Array | undefined
  sealReceipt(
    session: Session,
    type: ReceiptType,
    peerHash: Uint8Array,
    fields: { chatid: Uint8Array; msgid: Uint8Array },
  ): FrameOf<ReceiptType>
  openReceipt(session: Session, frame: FrameOf<ReceiptType>): boolean
  /** The default chat of us and a peer (§11). */
  defaultChatId(peerKey: Uint8Array): Uint8Array
  /** The safety number both sides compute for the pair. */
  safetyNumber(peerKey: Uint8Array): SafetyNumber
  /** Wipes our identity secret. */
  destroy(): void
}
