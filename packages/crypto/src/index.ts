// Public face of @chat6/crypto: primitives behind two backends, identities, frame hashes,
// signatures and link MACs, client proofs, sessions, messages, safety numbers, sealed storage.
export type { Bytes } from './_utils.ts'
export * from './constants.ts'
export { type CreateCryptoOptions, createCrypto, nativeAvailable } from './crypto.ts'
export * from './errors.ts'
export {
  type DecodedLine,
  type FrameCheck,
  frameHash,
  type SealWith,
  sealFrame,
  verifyFrame,
  verifyHello,
  verifyPreLinkBye,
} from './frames.ts'
export {
  type ClientIdentity,
  clientHash,
  createClientIdentity,
  createNodeKey,
  type NodeKey,
} from './identity.ts'
export { deriveLinkKeys, type LinkKeyInput, type LinkMac, type LinkRole } from './link.ts'
export {
  associatedData,
  defaultChatId,
  type MessageInput,
  type OpenResult,
  openMessage,
  openReceipt,
  type Receipt,
  type ReceiptInput,
  type ReceiptType,
  sealMessage,
  sealReceipt,
} from './message.ts'
export {
  type ProvenFrame,
  type ProvenType,
  proofMessage,
  signProof,
  type UnprovenFrame,
  verifyProof,
} from './proof.ts'
export {
  compareQr,
  SAFETY_ITERATIONS,
  SAFETY_QR_VERSION,
  type SafetyNumber,
  safetyNumber,
} from './safety.ts'
export {
  DEFAULT_SEAL_PARAMS,
  openSealed,
  SEALED_MAGIC,
  type SealParams,
  sealSecret,
} from './sealed.ts'
export {
  answerSession,
  completeSession,
  type HandshakeOptions,
  offerSession,
  type PendingSession,
  type Session,
  type SessionResult,
} from './session.ts'
export type * from './types.ts'
