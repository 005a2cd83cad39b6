// Where chat6 keeps its files: the data dir (flag, env, then the platform's data directory) and
// the names of the files in it.
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

/** What decides the data dir; injected so the rule is unit-tested on every platform. */
export interface DataDirInput {
  flag: string | undefined
  env: Readonly<Record<string, string | undefined>>
  platform: NodeJS.Platform
  home: string
  cwd: string
}

/**
 * The data dir: `--data-dir`, else `$CHAT6_DATA_DIR`, else the platform's data directory:
 * `$XDG_DATA_HOME/chat6` or `~/.local/share/chat6` (Linux and other Unixes),
 * `~/Library/Application Support/chat6` (macOS), `%LOCALAPPDATA%\chat6` (Windows).
 * @example
 * ```ts
 * resolveDataDir({ flag: undefined, env: {}, platform: 'linux', home: '/home/a', cwd: '/' })
 * // → '/home/a/.local/share/chat6'
 * ```
 */
export function resolveDataDir(input: DataDirInput): string {
  const { flag, env, platform, home, cwd } = input
  const given = flag ?? (env.CHAT6_DATA_DIR === '' ? undefined : env.CHAT6_DATA_DIR)
  if (given !== undefined) return resolve(cwd, given)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'chat6')
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA ?? join(home, 'AppData', 'Local')
    return join(base, 'chat6')
  }
  // XDG: a relative $XDG_DATA_HOME is invalid and must be ignored
  const xdg = env.XDG_DATA_HOME
  const base =
    xdg !== undefined && xdg !== '' && isAbsolute(xdg) ? xdg : join(home, '.local', 'share')
  return join(base, 'chat6')
}

/** The files of a data dir. */
export interface DataFiles {
  dir: string
  /** SQLite store of the client: identity (sealed), friends, requests, messages, outbox. */
  store: string
  /** Saved settings: peers, listen, allow-list. */
  config: string
  /** Last-known nodes, written by a node at its clean stop (§12.3). */
  knownNodes: string
  /** Unix socket of a running `chat6 node`: `chat6 status` asks it. */
  nodeSocket: string
  /**
   * Unix socket of the process that has the client open (chat, daemon, or a scripting command):
   * it is the data dir's lock, and other commands are forwarded to it.
   */
  clientSocket: string
}

/** The paths of the files in `dir`. */
export function dataFiles(dir: string): DataFiles {
  return {
    dir,
    store: join(dir, 'client.db'),
    config: join(dir, 'config.json'),
    knownNodes: join(dir, 'known-nodes.json'),
    nodeSocket: socketPath(dir, 'node.sock'),
    clientSocket: socketPath(dir, 'client.sock'),
  }
}

/** Longest Unix socket path that works on Linux and macOS (sun_path is 108 and 104 bytes). */
const MAX_SOCKET_PATH = 100

/**
 * `dir/name`, or when that is too long for a Unix socket, a name in the temp dir derived from
 * `dir` (so every process computes the same one).
 */
export function socketPath(dir: string, name: string): string {
  if (process.platform === 'win32') {
    const id = createHash('sha256').update(dir).digest('hex').slice(0, 16)
    return `\\\\.\\pipe\\chat6-${id}-${name}`
  }
  const inside = join(dir, name)
  if (Buffer.byteLength(inside) <= MAX_SOCKET_PATH) return inside
  const id = createHash('sha256').update(dir).digest('hex').slice(0, 16)
  return join(tmpdir(), `chat6-${id}-${name}`)
}
