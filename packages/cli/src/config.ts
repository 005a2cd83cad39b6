// config.json in the data dir: the network settings `chat6 init` saved, so that later commands
// need no flags. Command-line options override it.
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
}

/** Settings when there is no config.json. */
export const EMPTY_CONFIG: Config = {
  peers: [],
  listen: undefined,
  allowLoopback: false,
  allowUla: false,
}

/**
 * Reads config.json; a missing file is the empty config.
 * @throws CliError `failed` naming the file when it is not valid
 */
export async function readConfig(file: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG
    throw e
  }
  try {
    const v = JSON.parse(text) as Partial<Config>
    const peers = Array.isArray(v.peers) ? v.peers.filter((p) => typeof p === 'string') : []
    for (const p of peers) parseHostPort(p, { host: '::', port: 7600 }, file)
    return {
      peers,
      listen: typeof v.listen === 'string' ? v.listen : undefined,
      allowLoopback: v.allowLoopback === true,
      allowUla: v.allowUla === true,
    }
  } catch (e) {
    throw new CliError('failed', `${file} is not valid: ${(e as Error).message}`, { cause: e })
  }
}

/** Writes config.json (owner-only). */
export async function writeConfig(file: string, config: Config): Promise<void> {
  await writeFile(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 })
}

export type { HostPort }
