// Where a node finds its first peers (§12.3): the shipped bootstrap list, operator additions
// (option, file, CHAT6_BOOTSTRAP) and the last-known nodes saved at the previous clean stop.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { canonicalHost } from './address.ts'
import { DEFAULT_PORT } from './constants.ts'
import type { Address } from './transport.ts'

/**
 * The bootstrap nodes shipped with this implementation (§12.3). Empty until operators of
 * permanent nodes are listed: see "Bootstrap" in the README for how to get a node listed, and how
 * users add nodes with `bootstrap`, a file, or `CHAT6_BOOTSTRAP`.
 */
export const BOOTSTRAP_NODES: readonly Address[] = []

/** Persists the last-known nodes between runs. */
export interface KnownNodesStore {
  /** The saved addresses (empty when there are none or the file is unreadable). */
  load(): Promise<Address[]>
  /** Replaces the saved addresses. */
  save(nodes: Address[]): Promise<void>
}

/** File name of the last-known nodes inside the data directory. */
export const KNOWN_NODES_FILE = 'known-nodes.json'

/**
 * The default data directory: `$XDG_DATA_HOME/chat6`, else `~/.local/share/chat6`.
 * @param env - environment to read (default `process.env`)
 * @example
 * ```ts
 * defaultDataDir({ XDG_DATA_HOME: '/var/lib' }) // '/var/lib/chat6'
 * ```
 */
export function defaultDataDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_DATA_HOME
  return xdg !== undefined && xdg !== ''
    ? join(xdg, 'chat6')
    : join(homedir(), '.local', 'share', 'chat6')
}

const valid = (a: unknown): a is Address =>
  typeof a === 'object' &&
  a !== null &&
  typeof (a as Address).host === 'string' &&
  canonicalHost((a as Address).host) !== undefined &&
  Number.isInteger((a as Address).port) &&
  (a as Address).port >= 1 &&
  (a as Address).port <= 65535

/**
 * Keeps last-known nodes as JSON (`{"version":1,"nodes":[{"host":"2001:db8::1","port":7600}]}`)
 * in `dir`/known-nodes.json, written atomically.
 * @example
 * ```ts
 * createNode({ knownNodes: createFileKnownNodesStore(defaultDataDir()) })
 * ```
 */
export function createFileKnownNodesStore(dir: string): KnownNodesStore {
  const file = join(dir, KNOWN_NODES_FILE)
  return {
    async load() {
      try {
        const data = JSON.parse(await readFile(file, 'utf8')) as { nodes?: unknown }
        return Array.isArray(data.nodes)
          ? data.nodes.filter(valid).map((a) => ({ host: a.host, port: a.port }))
          : []
      } catch {
        return []
      }
    },
    async save(nodes) {
      await mkdir(dir, { recursive: true })
      const tmp = `${file}.${process.pid}.tmp`
      await writeFile(tmp, `${JSON.stringify({ version: 1, nodes }, null, 2)}\n`, { mode: 0o600 })
      await rename(tmp, file)
    },
  }
}

/**
 * Keeps last-known nodes in memory (tests, or nodes that should remember nothing).
 * @param initial - the addresses `load()` returns until the first `save()`
 * @example
 * ```ts
 * const node = createNode({ knownNodes: createMemoryKnownNodesStore([{ host: '2001:db8::1', port: 7600 }]) })
 * ```
 */
export function createMemoryKnownNodesStore(
  initial: Address[] = [],
): KnownNodesStore & { nodes: Address[] } {
  const store = {
    nodes: [...initial],
    load: async () => [...store.nodes],
    save: async (nodes: Address[]) => {
      store.nodes = [...nodes]
    },
  }
  return store
}

/**
 * Parses a bootstrap list: entries separated by whitespace or commas, each `[ipv6]:port`,
 * `[ipv6]` or a bare `ipv6` (port 7600). Lines starting with `#` are comments. Invalid entries
 * are returned in `invalid`.
 * @example
 * ```ts
 * parseBootstrapList('[2001:db8::1]:7600 2001:db8::2') // two addresses
 * ```
 */
export function parseBootstrapList(text: string): { nodes: Address[]; invalid: string[] } {
  const nodes: Address[] = []
  const invalid: string[] = []
  const body = text
    .split('\n')
    .map((l) => l.replace(/#.*$/, ''))
    .join(' ')
  for (const tok of body.split(/[\s,]+/)) {
    if (tok === '') continue
    const m = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(tok)
    const host = canonicalHost(m ? (m[1] as string) : tok)
    const port = m?.[2] !== undefined ? Number(m[2]) : DEFAULT_PORT
    if (host === undefined || port < 1 || port > 65535) invalid.push(tok)
    else nodes.push({ host, port })
  }
  return { nodes, invalid }
}

/**
 * The addresses in `CHAT6_BOOTSTRAP` (see {@link parseBootstrapList}).
 * @param env - environment to read (default `process.env`)
 * @example
 * ```ts
 * bootstrapFromEnv({ CHAT6_BOOTSTRAP: '[2001:db8::1]:7600' }) // [{ host: '2001:db8::1', port: 7600 }]
 * ```
 */
export function bootstrapFromEnv(env: Record<string, string | undefined> = process.env): Address[] {
  const v = env.CHAT6_BOOTSTRAP
  return v === undefined ? [] : parseBootstrapList(v).nodes
}
