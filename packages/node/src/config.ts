// What a node runs with: its options resolved against DEFAULTS, and its components with their
// defaults filled in.
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from '@chat6/wire'
import type { AddressPolicy } from './address.ts'
import { systemClock } from './clock.ts'
import { DEFAULTS, RATE_LIMIT_BYE_FACTOR } from './constants.ts'
import {
  createFileKnownNodesStore,
  createMemoryKnownNodesStore,
  defaultDataDir,
} from './known-nodes.ts'
import type { LinkConfig } from './link.ts'
import { silentLogger } from './logger.ts'
import type { NodeCrypto } from './node-crypto.ts'
import { checkOptions } from './options.ts'
import { systemRandom } from './random.ts'
import type { Transport } from './transport.ts'
import type { NodeComponents, NodeInit } from './types.ts'

/** Options resolved against {@link DEFAULTS}. @internal */
export type ResolvedConfig = { -readonly [K in keyof typeof DEFAULTS]: number } & LinkConfig &
  Required<AddressPolicy>

/** @internal */
export function resolveConfig(init: NodeInit): ResolvedConfig {
  checkOptions(init)
  const tunables = { ...DEFAULTS } as { -readonly [K in keyof typeof DEFAULTS]: number }
  for (const k of Object.keys(DEFAULTS) as Array<keyof typeof DEFAULTS>) {
    const v = (init as Partial<Record<string, number>>)[k]
    if (v !== undefined) tunables[k] = v
  }
  return {
    ...tunables,
    rateLimitByeFactor: RATE_LIMIT_BYE_FACTOR,
    maxLineBytes: MAX_LINE_BYTES,
    protocolVersion: PROTOCOL_VERSION,
    allowLoopback: init.allowLoopback ?? false,
    allowUla: init.allowUla ?? false,
  }
}

/** Resolves the components of `init`, defaulting what is missing. @internal */
export function resolveComponents(
  init: NodeInit,
  defaults: { transport: () => Transport; crypto: () => NodeCrypto },
): NodeComponents {
  let knownNodes = init.knownNodes
  if (knownNodes === undefined) {
    knownNodes =
      init.dataDir === false
        ? createMemoryKnownNodesStore()
        : createFileKnownNodesStore(init.dataDir ?? defaultDataDir())
  }
  return {
    transport: init.transport ?? defaults.transport(),
    clock: init.clock ?? systemClock,
    random: init.random ?? systemRandom,
    crypto: init.crypto ?? defaults.crypto(),
    logger: init.logger ?? silentLogger,
    knownNodes,
  }
}
