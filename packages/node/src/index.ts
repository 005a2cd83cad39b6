// Public face of @chat6/node: the relay node that carries frames for clients. Types, factories
// and errors only; the classes behind them stay private.

import { Relay, resolveComponents } from './node.ts'
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
export {
  type Clock,
  createVirtualClock,
  systemClock,
  type TimerId,
  type VirtualClock,
  type VirtualClockInit,
} from './clock.ts'
export * from './constants.ts'
export type { CandidateSource } from './dialer.ts'
export {
  AttachError,
  DialError,
  type DialErrorCode,
  NodeError,
  type NodeErrorOptions,
  NodeInputError,
  NodeStateError,
  TransportError,
} from './errors.ts'
export type { TypedEvents } from './events.ts'
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
  createMemoryNetwork,
  type InterceptAction,
  type InterceptEvent,
  type MemoryLink,
  type MemoryNetwork,
  type MemoryNetworkInit,
} from './memory.ts'
export {
  createNodeCrypto,
  type DecodedLine,
  type LinkMacs,
  type NodeCrypto,
  type NodeCryptoOptions,
  type NodeSigner,
} from './node-crypto.ts'
export { createSeededRandom, type Random, systemRandom } from './random.ts'
export { BYE_REASONS, type ByeReason, type DropReason } from './reasons.ts'
export { checkNextHopAcyclic, type NextHopView } from './routes.ts'
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
