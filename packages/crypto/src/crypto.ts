// createCrypto: picks a backend at run time and checks every argument before it reaches one.
import { _abytes, _aint, _copy } from './_utils.ts'
import type { RawBackend } from './backends/_raw.ts'
import { _loadNodeCrypto, _nativeBackend } from './backends/native.ts'
import { _nobleBackend } from './backends/noble.ts'
import { BackendUnavailableError, CryptoInputError } from './errors.ts'
import type { Crypto, KeyPair, RandomSource, ScryptParams } from './types.ts'

/** Options of {@link createCrypto}. */
export interface CreateCryptoOptions {
  /**
   * `'noble'`: pure JavaScript, everywhere. `'native'`: node:crypto (OpenSSL); throws
   * `BackendUnavailableError` where there is none. `'auto'` (default): native when available.
   */
  backend?: 'auto' | 'noble' | 'native'
  /**
   * Source of every random byte this object hands out (keys, nonces, salts). Default: the
   * platform CSPRNG. Inject a deterministic source only in tests and vector generation.
   */
  random?: RandomSource
}

/**
 * Whether the native backend can be used in this runtime.
 * @returns true when node:crypto is reachable through `process.getBuiltinModule`
 * @example
 * ```ts
 * if (!nativeAvailable()) console.warn('using pure-JS crypto')
 * ```
 */
export function nativeAvailable(): boolean {
  return _loadNodeCrypto() !== undefined
}

/**
 * Creates the primitive set used by every other function of this package.
 * @param opts - backend choice and optional random source
 * @returns a {@link Crypto} whose methods check their arguments and never return Node Buffers
 * @example
 * ```ts
 * import { createCrypto } from '@chat6/crypto'
 * const crypto = createCrypto()               // native on Node, noble in a browser
 * const digest = crypto.sha256(new Uint8Array([1, 2, 3]))
 * ```
 */
export function createCrypto(opts: CreateCryptoOptions = {}): Crypto {
  if (typeof opts !== 'object' || opts === null)
    throw new CryptoInputError('opts', 'expected an object')
  const choice = opts.backend ?? 'auto'
  if (choice !== 'auto' && choice !== 'noble' && choice !== 'native')
    throw new CryptoInputError('opts.backend', "expected 'auto', 'noble' or 'native'")
  const random = opts.random
  if (random !== undefined && typeof random !== 'function')
    throw new CryptoInputError('opts.random', 'expected a function')
  const checkedRandom =
    random === undefined
      ? undefined
      : (length: number): Uint8Array => {
          const out = random(length)
          if (!(out instanceof Uint8Array) || out.length !== length)
            throw new CryptoInputError('opts.random', `random source must return ${length} bytes`)
          return out
        }
  const noble = _nobleBackend(checkedRandom)
  let raw: RawBackend = noble
  if (choice !== 'noble') {
    const node = _loadNodeCrypto()
    if (node !== undefined) raw = _nativeBackend(node, noble, checkedRandom)
    else if (choice === 'native')
      throw new BackendUnavailableError(
        'native backend needs node:crypto via process.getBuiltinModule (Node ≥ 20.16)',
      )
  }
  return _checked(raw)
}

const _MAX_HKDF = 255 * 32

function _checkScrypt(params: ScryptParams): void {
  if (typeof params !== 'object' || params === null)
    throw new CryptoInputError('params', 'expected an object')
  const { N } = params
  if (!Number.isSafeInteger(N) || N < 2 || N > 2 ** 30 || (N & (N - 1)) !== 0)
    throw new CryptoInputError('params.N', 'expected a power of two in [2, 2^30]')
  _aint('params.r', params.r, 1, 1024)
  _aint('params.p', params.p, 1, 1024)
  _aint('params.dkLen', params.dkLen, 1, 1024)
  // RFC 7914 §2: N < 2^(128·r/8). OpenSSL enforces it, so both backends must.
  if (N >= 2 ** (16 * params.r))
    throw new CryptoInputError('params.N', 'expected N < 2^(16·r) (RFC 7914 §2)')
  if (128 * N * params.r * params.p > 2 ** 31)
    throw new CryptoInputError('params', 'scrypt memory 128·N·r·p over 2 GiB')
}

function _checked(raw: RawBackend): Crypto {
  const ed = raw.ed25519
  const x = raw.x25519
  const aead = raw.xchacha20poly1305
  const keyPair = (secretKey: Uint8Array, publicKey: Uint8Array): KeyPair =>
    Object.freeze({ secretKey, publicKey }) as KeyPair
  return Object.freeze({
    backend: raw.backend,
    sha256: (data: Uint8Array) => raw.sha256(_abytes('data', data)),
    sha512: (data: Uint8Array) => raw.sha512(_abytes('data', data)),
    hmacSha256: (key: Uint8Array, data: Uint8Array) =>
      raw.hmacSha256(_abytes('key', key), _abytes('data', data)),
    hkdfSha256: (ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number) =>
      raw.hkdfSha256(
        _abytes('ikm', ikm),
        _abytes('salt', salt),
        _abytes('info', info),
        _aint('length', length, 1, _MAX_HKDF),
      ),
    randomBytes: (length: number) => raw.randomBytes(_aint('length', length, 0, 65536)),
    ed25519: Object.freeze({
      keygen: (seed?: Uint8Array) => {
        const secretKey =
          seed === undefined ? raw.randomBytes(32) : _copy(_abytes('seed', seed, 32))
        return keyPair(secretKey, ed.publicKey(secretKey))
      },
      publicKey: (secretKey: Uint8Array) => ed.publicKey(_abytes('secretKey', secretKey, 32)),
      sign: (message: Uint8Array, secretKey: Uint8Array) =>
        ed.sign(_abytes('message', message), _abytes('secretKey', secretKey, 32)),
      signer: (secretKey: Uint8Array) => {
        const s = ed.signer(_abytes('secretKey', secretKey, 32))
        return Object.freeze({
          sign: (message: Uint8Array) => s.sign(_abytes('message', message)),
          destroy: () => s.destroy(),
        })
      },
      verify: (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) =>
        signature instanceof Uint8Array &&
        message instanceof Uint8Array &&
        publicKey instanceof Uint8Array &&
        ed.verify(signature, message, publicKey),
    }),
    x25519: Object.freeze({
      keygen: (seed?: Uint8Array) => {
        const secretKey =
          seed === undefined ? raw.randomBytes(32) : _copy(_abytes('seed', seed, 32))
        return keyPair(secretKey, x.publicKey(secretKey))
      },
      publicKey: (secretKey: Uint8Array) => x.publicKey(_abytes('secretKey', secretKey, 32)),
      sharedSecret: (secretKey: Uint8Array, peerPublicKey: Uint8Array) =>
        x.sharedSecret(
          _abytes('secretKey', secretKey, 32),
          _abytes('peerPublicKey', peerPublicKey, 32),
        ),
      ephemeral: () => {
        const k = x.ephemeral()
        return Object.freeze({
          publicKey: k.publicKey,
          agree: (peerPublicKey: Uint8Array) =>
            k.agree(_abytes('peerPublicKey', peerPublicKey, 32)),
          destroy: () => k.destroy(),
        })
      },
    }),
    xchacha20poly1305: Object.freeze({
      seal: (key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, ad?: Uint8Array) =>
        aead.seal(
          _abytes('key', key, 32),
          _abytes('nonce', nonce, 24),
          _abytes('plaintext', plaintext),
          ad === undefined ? undefined : _abytes('ad', ad),
        ),
      open: (key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array, ad?: Uint8Array) =>
        aead.open(
          _abytes('key', key, 32),
          _abytes('nonce', nonce, 24),
          _abytes('sealed', sealed),
          ad === undefined ? undefined : _abytes('ad', ad),
        ),
    }),
    scrypt: async (password: Uint8Array, salt: Uint8Array, params: ScryptParams) => {
      _abytes('password', password)
      _abytes('salt', salt)
      _checkScrypt(params)
      return raw.scrypt(password, salt, {
        N: params.N,
        r: params.r,
        p: params.p,
        dkLen: params.dkLen,
      })
    },
  })
}
