// Domain-separation strings and sizes, each from the section of docs/protocol.md that defines it.

/** Context of a HELLO's Ed25519 signature (§5.2). */
export const HELLO_CONTEXT = 'chat6/v1/hello'
/** Context of a client proof (§5.3). */
export const PROOF_CONTEXT = 'chat6/v1/proof'
/** Context of end-to-end associated data (§5.4). */
export const E2E_CONTEXT = 'chat6/v1/e2e'
/** HKDF info of the link MAC keys (§6.3). */
export const LINK_INFO = 'chat6/v1/link'
/** HKDF info of the session keys (§10.3). */
export const SESSION_INFO = 'chat6/v1/session'
/** Context of the default chat id of a pair (§11). */
export const CHAT_CONTEXT = 'chat6/v1/chat'
/** Context of safety-number fingerprints (§10.6). */
export const SAFETY_CONTEXT = 'chat6/v1/safety'

/** Bytes of a link MAC (§5.2). */
export const MAC_BYTES = 32
/** Bytes of the XChaCha20-Poly1305 nonce prefixed to `message` and `auth` (§11). */
export const NONCE_BYTES = 24
/** Bytes of the Poly1305 tag (§11). */
export const TAG_BYTES = 16
/** Bytes of `sid`, `chatid` and `msgid` (§4). */
export const ID_BYTES = 16
