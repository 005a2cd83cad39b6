// Turns network options (flags, then config.json) into a started @chat6/node, and waits for the
// first peer with a clear error when none can be reached.
import { readFile } from 'node:fs/promises'
import { addressKey, type Chat6Node, createNode, type NodeInit } from '@chat6/node'
import {
  DEFAULT_PORT,
  dialReason,
  formatHostPort,
  type HostPort,
  parseBootstrapFile,
  parseHostPort,
  scopeOf,
} from './addr.ts'
import { intOption, listOption, type OptionValues, stringOption } from './args.ts'
import type { Config } from './config.ts'
import { CliError, errnoOf, toCliError } from './errors.ts'

/** Where a node listens and what it dials. */
export interface NetworkPlan {
  listen: HostPort | false
  peers: HostPort[]
  allowLoopback: boolean
  allowUla: boolean
  maxPeers: number | undefined
}

/**
 * The plan of a command's node: flags win over config.json; `::1` and `fc00::/7` addresses in
 * `--listen`/`--peer` imply `--allow-loopback`/`--allow-ula`.
 * @param defaultListen - where to listen without `--listen` (relays `[::]:7600`, clients: not)
 */
export async function networkPlan(
  values: OptionValues,
  config: Config,
  defaultListen: HostPort | false,
): Promise<NetworkPlan> {
  const listenText = stringOption(values, 'listen') ?? config.listen
  const listen =
    listenText === undefined
      ? defaultListen
      : parseHostPort(listenText, { host: '::', port: DEFAULT_PORT }, '--listen')
  const given = listOption(values, 'peer')
  const peerTexts = given.length > 0 ? given : config.peers
  const peers = peerTexts.map((p) => parseHostPort(p, { host: '::', port: DEFAULT_PORT }, '--peer'))
  const file = stringOption(values, 'bootstrap')
  if (file !== undefined) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (e) {
      throw new CliError('usage', `cannot read --bootstrap ${file}: ${(e as Error).message}`)
    }
    peers.push(...parseBootstrapFile(text, file))
  }
  for (const p of peers)
    if (p.host === '::' || p.port === 0)
      throw new CliError('usage', `cannot dial ${formatHostPort(p)}: give an address and a port`)
  const all = [...peers, ...(listen === false ? [] : [listen])]
  return {
    listen,
    peers,
    allowLoopback:
      values['allow-loopback'] === true ||
      config.allowLoopback ||
      all.some((a) => scopeOf(a.host) === 'loopback'),
    allowUla:
      values['allow-ula'] === true || config.allowUla || all.some((a) => scopeOf(a.host) === 'ula'),
    maxPeers:
      values['max-peers'] === undefined ? undefined : intOption(values, 'max-peers', 32, 1, 1024),
  }
}

/**
 * Creates and starts the node of a plan.
 * @param dataDir - where known-nodes.json lives; false: remember nothing (demo)
 * @throws CliError `network` when it cannot listen
 */
export async function startNode(
  plan: NetworkPlan,
  dataDir: string | false,
  extra: Partial<NodeInit> = {},
): Promise<Chat6Node> {
  const init: NodeInit = {
    listen: plan.listen,
    bootstrap: plan.peers,
    allowLoopback: plan.allowLoopback,
    allowUla: plan.allowUla,
    dataDir,
    ...(plan.maxPeers === undefined ? {} : { maxPeers: plan.maxPeers }),
    ...extra,
  }
  const node = createNode(init)
  try {
    await node.start()
  } catch (e) {
    await node.stop().catch(() => {})
    throw listenError(e, plan.listen)
  }
  return node
}

// why a node cannot listen, once and in our words (Node's own says the address twice)
const LISTEN_ERRNO: Record<string, string> = {
  EADDRINUSE: 'the port is in use (is another chat6 node or chat running there?)',
  EADDRNOTAVAIL: 'that address is not one of this host',
  EACCES: 'permission denied (ports below 1024 need privileges)',
}

/** The error of a node that could not start listening on `listen`. */
function listenError(e: unknown, listen: HostPort | false): CliError {
  const where = listen === false ? '' : ` on ${formatHostPort(listen)}`
  const errno = errnoOf(e)
  const why = errno === undefined ? undefined : LISTEN_ERRNO[errno]
  if (why !== undefined)
    return new CliError('network', `cannot listen${where}: ${why}`, { cause: e })
  const err = toCliError(e)
  return new CliError(
    err.code === 'failed' ? 'network' : err.code,
    `cannot listen${where}: ${err.message}`,
    {
      cause: e,
    },
  )
}

/**
 * Resolves once the node has a peer; rejects after `timeoutMs` naming what was tried.
 * @throws CliError `network`
 */
export function waitForPeer(
  node: Chat6Node,
  plan: NetworkPlan,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (node.peers().length > 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const done = (e?: Error) => {
      off()
      clearTimeout(t)
      signal?.removeEventListener('abort', onAbort)
      if (e) reject(e)
      else resolve()
    }
    const onAbort = () => done(new CliError('failed', 'aborted'))
    signal?.addEventListener('abort', onAbort)
    const failures = new Map<string, string>()
    const offFailed = node.on('dial:failed', (f) =>
      failures.set(addressKey(f.address), dialReason(f)),
    )
    const offPeer = node.on('peer:connect', () => done())
    const off = () => {
      offFailed()
      offPeer()
    }
    const t = setTimeout(() => {
      const tried = plan.peers
        .map((p) => {
          const why = failures.get(addressKey(p))
          return why === undefined
            ? `${formatHostPort(p)} did not answer`
            : `${formatHostPort(p)} ${why}`
        })
        .join(', ')
      done(
        new CliError(
          'network',
          plan.peers.length === 0
            ? 'no peer to connect to: give --peer [ADDR]:PORT (or save one with chat6 init --peer)'
            : `no peer reachable within ${Math.round(timeoutMs / 1000)} s: ${tried}`,
        ),
      )
    }, timeoutMs)
  })
}
