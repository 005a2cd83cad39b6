// config.json in the data dir: the network settings `chat6 init` saved, so that later commands
// need no flags (command-line options override them), and the chat screen's colours, keys and
// notifications and typing indicator (read by tui/settings.ts). Format and example: README
// "Config file".
import { readFile, writeFile } from 'node:fs/promises'
import { type HostPort, parseHostPort } from './addr.ts'
import { CliError } from './errors.ts'

/** Saved settings. */
export interface Config {
  /** Nodes to dial, as typed (`[ADDR]:PORT`). */
  peers: string[]
  /** Where chat/daemon listen, as typed; absent: they accept no connections. */
  listen: string | undefined
  allowLoopback: boolean
  allowUla: boolean
  /** The chat screen's sections (`colors`, `keys`, `notify`, `typing`) as written; checked where used. */
  chat: { colors?: unknown; keys?: unknown; notify?: unknown; typing?: unknown }
}

/** Settings when there is no config.json. */
export const EMPTY_CONFIG: Config = {
  peers: [],
  listen: undefined,
  allowLoopback: false,
  allowUla: false,
  chat: {},
}

async function readJson(file: string): Promise<Record<string, unknown> | undefined> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw e
  }
  try {
    const v = JSON.parse(text) as unknown
    if (typeof v !== 'object' || v === null || Array.isArray(v))
      throw new Error('expected a JSON object')
    return v as Record<string, unknown>
  } catch (e) {
    throw new CliError('failed', `${file} is not valid: ${(e as Error).message}`, { cause: e })
  }
}

/**
 * Reads config.json; a missing file is the empty config.
 * @throws CliError `failed` naming the file when it is not valid
 */
export async function readConfig(file: string): Promise<Config> {
  const v = await readJson(file)
  if (v === undefined) return EMPTY_CONFIG
  try {
    const peers = Array.isArray(v.peers)
      ? v.peers.filter((p): p is string => typeof p === 'string')
      : []
    for (const p of peers) parseHostPort(p, { host: '::', port: 7600 }, file)
    return {
      peers,
      listen: typeof v.listen === 'string' ? v.listen : undefined,
      allowLoopback: v.allowLoopback === true,
      allowUla: v.allowUla === true,
      chat: { colors: v.colors, keys: v.keys, notify: v.notify, typing: v.typing },
    }
  } catch (e) {
    throw new CliError('failed', `${file} is not valid: ${(e as Error).message}`, { cause: e })
  }
}

/** Writes the network settings to config.json (owner-only), keeping its other sections. */
export async function writeConfig(file: string, config: Omit<Config, 'chat'>): Promise<void> {
  const kept = (await readJson(file)) ?? {}
  const merged = { ...kept, ...config }
  await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 })
}

export type { HostPort }
