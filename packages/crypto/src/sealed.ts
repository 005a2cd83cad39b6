// Passphrase-sealed secrets (the stored client identity): scrypt + XChaCha20-Poly1305 in a
// small versioned binary format whose header is the AEAD's associated data.
import { _abytes, _aint, _concat, _utf8, _wipe, type Bytes } from './_utils.ts'
import { CryptoInputError, SealedBoxError } from './errors.ts'
import { _acrypto } from './identity.ts'
import type { Crypto } from './types.ts'

/** scrypt cost of a sealed box. */
export interface SealParams {
  /** CPU/memory cost, a power of two (default 2^15). */
  N?: number
  /** Block size (default 8). */
  r?: number
  /** Parallelism (default 1). */
  p?: number
}

/** Default scrypt cost: about 32 MiB and a fraction of a second. */
export const DEFAULT_SEAL_PARAMS: Readonly<Required<SealParams>> = Object.freeze({
  N: 2 ** 15,
  r: 8,
  p: 1,
})

/** The first four bytes (ASCII) of every sealed box. */
export const SEALED_MAGIC = 'C6SB'
const _MAGIC = _utf8(SEALED_MAGIC)
const _VERSION = 1
const _KDF_SCRYPT = 1
const _SALT = 16
const _NONCE = 24
const _TAG = 16
/** Bytes before the ciphertext: magic 4, version 1, kdf 1, log2 N 1, r 1, p 1, salt 16, nonce 24. */
const _HEADER = 4 + 1 + 1 + 3 + _SALT + _NONCE
// Bounds on what a blob may ask for, so that a crafted blob cannot demand gigabytes.
const _MAX_LOG_N = 22
const _MAX_R = 32
const _MAX_P = 16
const _MAX_MEMORY = 2 ** 30

function _passphrase(passphrase: string | Uint8Array): Bytes {
  // NFKC, so that the same passphrase typed on another keyboard or system gives the same bytes.
  if (typeof passphrase === 'string') return _utf8(passphrase.normalize('NFKC'))
  return new Uint8Array(_abytes('passphrase', passphrase))
}

function _params(params: SealParams | undefined): { logN: number; r: number; p: number } {
  if (params !== undefined && (typeof params !== 'object' || params === null))
    throw new CryptoInputError('params', 'expected an object')
  const N = params?.N ?? DEFAULT_SEAL_PARAMS.N
  const logN = Math.log2(N)
  if (!Number.isInteger(logN) || logN < 1 || logN > _MAX_LOG_N)
    throw new CryptoInputError('params.N', `expected a power of two in [2, 2^${_MAX_LOG_N}]`)
  const r = _aint('params.r', params?.r ?? DEFAULT_SEAL_PARAMS.r, 1, _MAX_R)
  const p = _aint('params.p', params?.p ?? DEFAULT_SEAL_PARAMS.p, 1, _MAX_P)
  if (N >= 2 ** (16 * r))
    throw new CryptoInputError('params.N', 'expected N < 2^(16·r) (RFC 7914 §2)')
  if (128 * N * r * p > _MAX_MEMORY)
    throw new CryptoInputError('params', 'scrypt memory 128·N·r·p over 1 GiB')
  return { logN, r, p }
}

/**
 * Seals a secret under a passphrase. Format (all offsets in bytes):
 * `"C6SB"(4) | version=1 (1) | kdf=1 scrypt (1) | log2 N (1) | r (1) | p (1) | salt (16) |
 * nonce (24) | XChaCha20-Poly1305(key, nonce, secret, AD = the 49 header bytes)`, where
 * `key = scrypt(passphrase, salt, N, r, p, 32)` and a string passphrase is UTF-8 of its NFKC form.
 * @param crypto - primitives (salt and nonce come from its random source)
 * @param passphrase - string or bytes
 * @param secret - the bytes to protect (e.g. `identity.exportSeed()`)
 * @param params - scrypt cost, default {@link DEFAULT_SEAL_PARAMS}
 * @returns the sealed box
 * @example
 * ```ts
 * const blob = await sealSecret(crypto, 'correct horse', alice.exportSeed())
 * ```
 */
export async function sealSecret(
  crypto: Crypto,
  passphrase: string | Uint8Array,
  secret: Uint8Array,
  params?: SealParams,
): Promise<Bytes> {
  _acrypto(crypto)
  const pw = _passphrase(passphrase)
  _abytes('secret', secret)
  const { logN, r, p } = _params(params)
  const salt = crypto.randomBytes(_SALT)
  const nonce = crypto.randomBytes(_NONCE)
  const header = _concat(_MAGIC, new Uint8Array([_VERSION, _KDF_SCRYPT, logN, r, p]), salt, nonce)
  const key = await crypto.scrypt(pw, salt, { N: 2 ** logN, r, p, dkLen: 32 })
  try {
    return _concat(header, crypto.xchacha20poly1305.seal(key, nonce, secret, header))
  } finally {
    _wipe(key, pw)
  }
}

/**
 * Opens a box made by {@link sealSecret}.
 * @param crypto - primitives
 * @param passphrase - the passphrase it was sealed with
 * @param blob - the sealed box (untrusted: its cost parameters are bounded before use)
 * @returns the secret
 * @throws SealedBoxError `corrupt` (not a box, truncated, out-of-range parameters),
 *   `unsupported_version`, `unsupported_kdf`, or `bad_passphrase` (wrong passphrase, or the box
 *   was altered: the two cannot be told apart)
 * @example
 * ```ts
 * const seed = await openSealed(crypto, 'correct horse', blob)
 * ```
 */
export async function openSealed(
  crypto: Crypto,
  passphrase: string | Uint8Array,
  blob: Uint8Array,
): Promise<Bytes> {
  _acrypto(crypto)
  const pw = _passphrase(passphrase)
  _abytes('blob', blob)
  if (blob.length < _HEADER + _TAG)
    throw new SealedBoxError('corrupt', 'too short to be a sealed box')
  for (let i = 0; i < 4; i++)
    if (blob[i] !== _MAGIC[i]) throw new SealedBoxError('corrupt', 'not a chat6 sealed box')
  if (blob[4] !== _VERSION)
    throw new SealedBoxError('unsupported_version', `version ${blob[4]} is not supported`)
  if (blob[5] !== _KDF_SCRYPT)
    throw new SealedBoxError('unsupported_kdf', `KDF ${blob[5]} is not supported`)
  let params: { logN: number; r: number; p: number }
  try {
    params = _params({ N: 2 ** (blob[6] as number), r: blob[7] as number, p: blob[8] as number })
  } catch (cause) {
    throw new SealedBoxError('corrupt', 'scrypt parameters out of range', { cause })
  }
  const header = blob.subarray(0, _HEADER)
  const salt = blob.subarray(9, 9 + _SALT)
  const nonce = blob.subarray(9 + _SALT, _HEADER)
  const key = await crypto.scrypt(pw, salt, {
    N: 2 ** params.logN,
    r: params.r,
    p: params.p,
    dkLen: 32,
  })
  try {
    return crypto.xchacha20poly1305.open(key, nonce, blob.subarray(_HEADER), header)
  } catch (cause) {
    throw new SealedBoxError('bad_passphrase', 'wrong passphrase, or the box was altered', {
      cause,
    })
  } finally {
    _wipe(key, pw)
  }
}
