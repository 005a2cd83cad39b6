// Wire-level limits and sizes of chat6 v1. Each one cites the section of docs/protocol.md that
// defines it; a change here is a protocol change.

/** Protocol version carried in HELLO (§4, §13). */
export const PROTOCOL_VERSION = 1
/** Longest line a peer may send, including its LF (§2, §13). */
export const MAX_LINE_BYTES = 65_536
/** Most fields one frame may carry, header excluded (§13). */
export const MAX_FIELDS = 40
/** Longest nickname, in UTF-8 bytes (§4 `nickname` text(1..64), §13). */
export const MAX_NICKNAME_BYTES = 64
/** Largest presence icon, in bytes (§4 `icon` b64(1..16384), §13). */
export const MAX_ICON_BYTES = 16_384
/** Largest message plaintext, in bytes (§11, §13). */
export const MAX_MESSAGE_BYTES = 32_768
/** Most `neighbor` fields in one NEIGHBORS_RESPONSE (§4, §12.2, §13). */
export const MAX_NEIGHBORS_PER_RESPONSE = 32
/** Route metric meaning "retracted", and the largest `metric` (§4, §8.2, §13). */
export const METRIC_INFINITY = 4_294_967_295
/** `ttl` a home node or a client puts on a new flooded or routed frame (§8.2, §13). */
export const DEFAULT_TTL = 64
/** Largest `ttl` a frame may carry (§4 `ttl` uint(0..64), §13). */
export const MAX_TTL = 64
/** Largest integer on the wire, 2^53 − 1, so every uint is exact in a JS number (§3). */
export const MAX_UINT = Number.MAX_SAFE_INTEGER
/** MSGSIGNATURE length of every frame but HELLO: an HMAC-SHA256 or the zero MAC (§5.2). */
export const SIGNATURE_BYTES_MAC = 32
/** MSGSIGNATURE length of HELLO: an Ed25519 signature (§5.2). */
export const SIGNATURE_BYTES_HELLO = 64
/** MSGHASH length: a SHA-256 digest (§5.1). */
export const HASH_BYTES = 32

// Field sizes of §4 that have no name in §13; kept here so the schemas read like the table.
/** Ed25519 and X25519 public keys, client hashes, `request` (§1, §4). */
export const _KEY_BYTES = 32
/** `sid`, `chatid`, `msgid` (§4, §10.3, §11). */
export const _ID_BYTES = 16
/** `proof`: an Ed25519 signature (§4, §5.3). */
export const _PROOF_BYTES = 64
/** XChaCha20-Poly1305 nonce and tag that frame `message` and `auth` (§11). */
export const _AEAD_NONCE_BYTES = 24
export const _AEAD_TAG_BYTES = 16
/** `message` = nonce || ciphertext of at least one plaintext byte || tag (§4 b64(41..32808), §11). */
export const _MESSAGE_MIN_BYTES = _AEAD_NONCE_BYTES + 1 + _AEAD_TAG_BYTES
export const _MESSAGE_MAX_BYTES = _AEAD_NONCE_BYTES + MAX_MESSAGE_BYTES + _AEAD_TAG_BYTES
/** `auth` on receipts = nonce || tag of the empty plaintext (§4 b64(40), §11). */
export const _AUTH_BYTES = _AEAD_NONCE_BYTES + _AEAD_TAG_BYTES
/** Longest `token` and field name (§2, §3). */
export const _MAX_NAME_CHARS = 32
/** Largest `mtype`, `version` and port (§3, §4). */
export const _MAX_U16 = 65_535
