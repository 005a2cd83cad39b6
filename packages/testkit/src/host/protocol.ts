// The JSON lines a test host and its test exchange: a config on the command line, commands on
// stdin, reports on stdout.
import type { Address } from '@chat6/node'

/** How a host starts. */
export interface HostConfig {
  /** Name, also its client's nickname. */
  name: string
  /** TCP port to listen on, on every address of its namespace. */
  port: number
  /** Addresses it dials (its bootstrap list). */
  peers: Address[]
  /** Links it keeps dialling for (default: the node's TARGET_PEERS). */
  targetPeers?: number
  /** Accept every friend request. */
  acceptAll?: boolean
  /** Shorter timers so that failures are noticed within a test's patience (ms). */
  timers?: {
    keepaliveInterval?: number
    keepaliveTimeout?: number
    backoffMin?: number
    backoffMax?: number
    maintainInterval?: number
    retryInterval?: number
  }
}

/** A command on stdin. */
export type HostCommand =
  | { cmd: 'status' }
  | { cmd: 'befriend'; key: string }
  | { cmd: 'send'; to: string; text: string }
  | { cmd: 'stop' }

/** A report on stdout. */
export type HostReport =
  | { event: 'ready'; name: string; nodeId: string; clientKey: string; clientId: string }
  | { event: 'peers'; peers: string[] }
  | { event: 'clients'; reachable: string[] }
  | { event: 'status'; peers: string[]; reachable: string[] }
  | { event: 'friend'; key: string; online: boolean; reachable: boolean; keyed: boolean }
  | { event: 'message'; from: string; msgid: string; text: string }
  | { event: 'sent'; msgid: string; text: string }
  | { event: 'receipt'; msgid: string; state: string }
  | { event: 'stopped' }
  | { event: 'error'; message: string }
  | { event: 'fatal'; message: string }

/** Parses and checks the command-line config; throws naming the bad field. */
export function parseConfig(text: string | undefined): HostConfig {
  if (text === undefined) throw new Error('usage: main.js <HostConfig JSON>')
  const c = JSON.parse(text) as HostConfig
  if (typeof c.name !== 'string' || c.name === '') throw new Error('config.name: expected a name')
  if (!Number.isInteger(c.port)) throw new Error('config.port: expected a port')
  if (!Array.isArray(c.peers)) throw new Error('config.peers: expected addresses')
  return c
}
