// createClient: resolves components (node attachment, crypto, clock, random), loads or makes
// the identity (sealed under the passphrase when given), and starts the state machine.
import {
  type ClientIdentity,
  type Crypto,
  createClientIdentity,
  createCrypto,
  openSealed,
  type SealParams,
  sealSecret,
} from '@chat6/crypto'
import type { Chat6Node } from '@chat6/node'
import type { Client } from './api.ts'
import { copyBytes, equalBytes } from './bytes.ts'
import { startCore } from './client.ts'
import { type Clock, systemClock } from './clock.ts'
import { createCryptoProtocol } from './crypto-protocol.ts'
import { ClientError, checkSignal, StoreError } from './errors.ts'
import { type ClientLimits, DEFAULT_LIMITS } from './limits.ts'
import type { Attach } from './link.ts'
import { attachTo } from './node-link.ts'
import { checkIcon, checkNickname } from './services/presence.ts'
import type { IdentityRecord, Store } from './store/types.ts'

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The node in this process to attach to. Give this or `attachment`. */
  node?: Chat6Node
  /** A custom attachment (for example a wrapped node); overrides `node`. */
  attachment?: Attach
  /** Where the identity, friends and messages live; the client closes it on stop(). */
  store: Store
  /** Primitives (default `createCrypto()`). */
  crypto?: Crypto
  /** Time and timers (default the system clock); share the node's virtual clock in tests. */
  clock?: Clock
  /** Random bytes for message ids (default `crypto.randomBytes`). */
  random?: (length: number) => Uint8Array
  /** Nickname of a new identity (required the first time; later use setNickname). */
  nickname?: string
  /** Icon of a new identity (1..16384 bytes). */
  icon?: Uint8Array
  /** Seals the identity secret in the store (scrypt + XChaCha20-Poly1305); needed to load it again. */
  passphrase?: string | Uint8Array
  /** scrypt cost of sealing (default crypto's DEFAULT_SEAL_PARAMS). */
  sealParams?: SealParams
  /** 32-byte seed of a new identity (tests and vectors); omit to generate one. */
  seed?: Uint8Array
  /** Timer and limit overrides (default: the constants of docs/protocol.md). */
  limits?: Partial<ClientLimits>
  signal?: AbortSignal
}

async function loadIdentity(
  crypto: Crypto,
  store: Store,
  options: ClientOptions,
  clock: Clock,
): Promise<{ identity: ClientIdentity; record: IdentityRecord }> {
  const stored = store.getIdentity()
  if (!stored) {
    if (options.nickname === undefined) {
      throw new ClientError('invalid_argument', 'a new identity needs a nickname')
    }
    checkNickname(options.nickname)
    checkIcon(options.icon)
    const identity = createClientIdentity(crypto, options.seed)
    const seed = identity.exportSeed()
    const secret =
      options.passphrase === undefined
        ? copyBytes(seed)
        : await sealSecret(crypto, options.passphrase, seed, options.sealParams)
    seed.fill(0)
    const record: IdentityRecord = {
      key: identity.publicKey,
      secret,
      sealed: options.passphrase !== undefined,
      nickname: options.nickname,
      icon: options.icon,
      createdAt: clock.wallNow(),
    }
    store.putIdentity(record)
    return { identity, record }
  }

  let seed: Uint8Array
  if (stored.sealed) {
    if (options.passphrase === undefined) {
      throw new ClientError(
        'passphrase_required',
        'the stored identity is sealed: give the passphrase',
      )
    }
    try {
      seed = await openSealed(crypto, options.passphrase, stored.secret)
    } catch (error) {
      const code = (error as { name?: string; code?: string }).code
      if ((error as Error).name === 'SealedBoxError' && code === 'bad_passphrase') {
        throw new ClientError('wrong_passphrase', 'wrong passphrase for the stored identity', {
          cause: error,
        })
      }
      throw new StoreError('corrupt', 'the stored identity cannot be opened', { cause: error })
    }
  } else {
    seed = copyBytes(stored.secret)
  }
  const identity = createClientIdentity(crypto, seed)
  let record = stored
  if (!stored.sealed && options.passphrase !== undefined) {
    // sealing an identity that was kept in the clear
    record = {
      ...stored,
      secret: await sealSecret(crypto, options.passphrase, seed, options.sealParams),
      sealed: true,
    }
    store.putIdentity(record)
  }
  seed.fill(0)
  if (!equalBytes(identity.publicKey, stored.key)) {
    identity.destroy()
    throw new ClientError('identity_mismatch', 'the stored secret does not match the stored key')
  }
  if (options.seed !== undefined) {
    const given = createClientIdentity(crypto, options.seed)
    const same = equalBytes(given.publicKey, identity.publicKey)
    given.destroy()
    if (!same) {
      identity.destroy()
      throw new ClientError('identity_mismatch', 'the store holds another identity than `seed`')
    }
  }
  return { identity, record }
}

/**
 * Creates and starts a client: loads (or makes) its identity, attaches to the node, announces
 * CLIENT_ONLINE and starts sessions with every friend online.
 *
 * @param options - node or attachment, store, and identity options
 * @returns the running client
 * @throws ClientError `wrong_passphrase`, `passphrase_required`, `invalid_argument`; StoreError
 * @example
 * ```ts
 * const node = createNode({ listen: { host: '::', port: 7600 } })
 * await node.start()
 * const client = await createClient({
 *   node,
 *   store: createSqliteStore(join(dataDir, 'client.db')),
 *   nickname: 'alice',
 *   passphrase: process.env.CHAT6_PASSPHRASE,
 * })
 * client.on('message', (m) => console.log(m.text))
 * ```
 */
export async function createClient(options: ClientOptions): Promise<Client> {
  checkSignal(options.signal)
  const attach = options.attachment ?? (options.node ? attachTo(options.node) : undefined)
  if (!attach) throw new ClientError('invalid_argument', 'give `node` or `attachment`')
  const crypto = options.crypto ?? createCrypto()
  const clock = options.clock ?? systemClock
  const { store } = options
  const { identity, record } = await loadIdentity(crypto, store, options, clock)
  try {
    checkSignal(options.signal)
    return await startCore({
      store,
      protocol: createCryptoProtocol(crypto, identity, clock),
      clock,
      random: options.random ?? ((n) => crypto.randomBytes(n)),
      identity: record,
      limits: { ...DEFAULT_LIMITS, ...options.limits },
      attach: (handlers) => attach(identity.publicKey, handlers),
    })
  } catch (error) {
    identity.destroy()
    throw error
  }
}
