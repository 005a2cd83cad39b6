// Public face of @chat6/node: the relay node that carries frames for clients. Types, factories
// and errors only; the classes behind them stay private. Test helpers (the memory network, the
// virtual clock, seeded randomness, mesh invariants) are in `@chat6/node/testing`.

import { resolveComponents } from './config.ts'
import { Relay } from './node.ts'
import { createNodeCrypto } from './node-crypto.ts'
import { createTcpTransport } from './tcp.ts'
import type { Chat6Node, NodeInit } from './types.ts'

export {
  type AddressPolicy,
  type AddressScope,
  addressScope,
  canonicalHost,
  isAllowedAddress,
} from './address.ts'
export { type Clock, systemClock, type TimerId } from './clock.ts'
export { DEFAULTS } from './constants.ts'
export { type CandidateSource, MAX_DISCOVERED_FAILURES } from './dialer.ts'
export {
  AttachError,
  type AttachErrorCode,
  DialError,
  type DialErrorCode,
  NodeError,
  type NodeErrorOptions,
  NodeInputError,
  NodeStateError,
  type NodeStateErrorCode,
  TransportError,
  type TransportErrorCode,
} from './errors.ts'
export { Emitter, type TypedEvents } from './events.ts'
export {
  BOOTSTRAP_NODES,
  bootstrapFromEnv,
  createFileKnownNodesStore,
  createMemoryKnownNodesStore,
  defaultDataDir,
  KNOWN_NODES_FILE,
  type KnownNodesStore,
  parseBootstrapList,
} from './known-nodes.ts'
export { createConsoleLogger, type Logger, type LogLevel, silentLogger } from './logger.ts'
export {
  createNodeCrypto,
  type DecodedLine,
  type LinkMacs,
  type NodeCrypto,
  type NodeCryptoOptions,
  type NodeSigner,
} from './node-crypto.ts'
export { type Random, systemRandom } from './random.ts'
export { BYE_REASONS, type ByeReason, type DropReason } from './reasons.ts'
export { createTcpTransport, type TcpTransportInit } from './tcp.ts'
export {
  type Address,
  addressKey,
  type Connection,
  type DialOptions,
  type Listener,
  type Transport,
} from './transport.ts'
export type * from './types.ts'

/**
 * Creates a relay node. Nothing happens until `start()`.
 * @param init - options and components; every one has a default (TCP on `[::]:7600`, system
 *   clock, @chat6/crypto, known nodes in `defaultDataDir()`)
 * @returns the node
 * @example
 * ```ts
 * import { createNode } from '@chat6/node'
 *
 * const node = createNode({ listen: { host: '::', port: 7600 } })
 * node.on('peer:connect', (peer) => console.log('peer', peer.id))
 * await node.start()
 * // … later
 * await node.stop()
 * ```
 */
export function createNode(init: NodeInit = {}): Chat6Node {
  const components = resolveComponents(init, {
    transport: () => createTcpTransport(),
    crypto: () => createNodeCrypto(),
  })
  return new Relay(init, components)
}
