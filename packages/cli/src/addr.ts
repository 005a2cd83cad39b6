// Parsing of the IPv6 addresses users type: `[ADDR]:PORT`, `[ADDR]`, `:PORT`, `PORT`, and the
// wire form `ADDR,PORT` (§3). IPv4 is refused with a message that says chat6 is IPv6-only.
import { isIP } from 'node:net'
import { CliError } from './errors.ts'

/** Default port of a node (protocol.md §6.1, §13). */
export const DEFAULT_PORT = 7600

/** A host and port. */
export interface HostPort {
  host: string
  port: number
}

/** Scope of an address, as far as the CLI needs to imply `--allow-loopback`/`--allow-ula`. */
export function scopeOf(host: string): 'loopback' | 'ula' | 'other' {
  const h = host.toLowerCase()
  if (h === '::1' || h === '0:0:0:0:0:0:0:1') return 'loopback'
  if (/^f[cd][0-9a-f]{0,2}:/.test(h)) return 'ula'
  return 'other'
}

function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new CliError('usage', `bad port '${text}' in ${what}: expected 0..65535`)
  return Number(text)
}

/**
 * Parses an address as typed by a user.
 * @param text - `[2001:db8::1]:7600`, `[::1]`, `:7600`, `7600` or `2001:db8::1,7600`
 * @param defaults - host and port used where the text leaves them out
 * @param what - names the option in error messages (`--peer`)
 * @throws CliError `usage` for IPv4, a hostname, a bad port or bad brackets
 */
export function parseHostPort(text: string, defaults: HostPort, what: string): HostPort {
  const t = text.trim()
  let host = defaults.host
  let port = defaults.port
  if (/^\d+$/.test(t)) {
    port = parsePort(t, what)
  } else if (t.startsWith(':') && /^:\d+$/.test(t)) {
    port = parsePort(t.slice(1), what)
  } else if (t.startsWith('[')) {
    const m = /^\[([^\]]+)\](?::(\d*))?$/.exec(t)
    if (m === null || m[1] === undefined)
      throw new CliError('usage', `bad address '${text}' for ${what}: expected [ADDR]:PORT`)
    host = m[1]
    if (m[2] !== undefined) port = parsePort(m[2], what)
  } else if (t.includes(',')) {
    const i = t.lastIndexOf(',')
    host = t.slice(0, i)
    port = parsePort(t.slice(i + 1), what)
  } else if (isIP(t) === 6) {
    host = t
  } else {
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3})(?::\d+)?$/.test(t)
    throw new CliError(
      'usage',
      v4
        ? `'${text}' is IPv4: chat6 is IPv6-only (use e.g. [2001:db8::1]:7600)`
        : `bad address '${text}' for ${what}: expected [IPV6]:PORT`,
    )
  }
  if (host.includes('%'))
    throw new CliError('usage', `'${text}': zone indexes (%eth0) are not supported`)
  if (isIP(host) === 4 || host.startsWith('::ffff:'))
    throw new CliError('usage', `'${text}' is IPv4: chat6 is IPv6-only`)
  if (isIP(host) !== 6) throw new CliError('usage', `'${host}' in ${what} is not an IPv6 address`)
  return { host, port }
}

/** `[host]:port`, the form users type and logs show. */
export function formatHostPort(a: HostPort): string {
  return `[${a.host}]:${a.port}`
}

/** What {@link peerAddress} needs of a peer (the node's PeerInfo). */
export interface PeerAddressInfo {
  remote: HostPort
  listenPort: number
  direction: 'inbound' | 'outbound'
}

/**
 * The address of a peer as logs and `chat6 status` show it: where it accepts connections. An
 * inbound peer's connection comes from an ephemeral port, so its listen port is shown instead;
 * one that listens nowhere shows `[ADDR]` alone.
 */
export function peerAddress(p: PeerAddressInfo): string {
  if (p.direction === 'outbound') return formatHostPort(p.remote)
  return p.listenPort > 0
    ? formatHostPort({ host: p.remote.host, port: p.listenPort })
    : `[${p.remote.host}]`
}

/**
 * Why a dial failed, from the node's `DialError` (or `dial:failed` event): its `code`, then the
 * system's reason from its `message` without the address the message repeats. Any code the node
 * adds shows up as it is.
 * @example
 * ```ts
 * dialReason({ code: 'refused', message: 'dial [::1]:7999 failed: connect ECONNREFUSED ::1:7999' })
 * // 'refused (connect ECONNREFUSED)'
 * ```
 */
export function dialReason(f: { code: string; message: string }): string {
  const reason = f.message
    .replace(/^dial \S+ failed:\s*/, '')
    .replace(/\s+\[?[0-9a-f:.]+\]?[:,]\d+$/i, '')
    .trim()
  return reason === '' || reason === f.code ? f.code : `${f.code} (${reason})`
}

/**
 * What a node says once about an address it stops dialling (`dial:failed` with `forgotten`):
 * one learnt from a neighbour that never brought a link up.
 * @example
 * ```ts
 * forgottenText({ address: { host: '2001:db8::9', port: 7600 }, failures: 5 })
 * // 'forgetting [2001:db8::9]:7600, never reached after 5 tries'
 * ```
 */
export function forgottenText(f: { address: HostPort; failures: number }): string {
  return `forgetting ${formatHostPort(f.address)}, never reached after ${f.failures} tries`
}

/**
 * Reads a bootstrap file: one address a line, `#` starts a comment, blank lines ignored.
 * @throws CliError `usage` naming the line of a bad address
 */
export function parseBootstrapFile(text: string, file: string): HostPort[] {
  const out: HostPort[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') return
    try {
      out.push(parseHostPort(line, { host: '::', port: DEFAULT_PORT }, `${file}:${i + 1}`))
    } catch (e) {
      if (e instanceof CliError) throw new CliError('usage', `${file}:${i + 1}: ${e.message}`)
      throw e
    }
  })
  return out
}
