// IPv6 address handling for the allow-list (§12.1): lenient parsing of what sockets and users
// give us, RFC 5952 text for the wire (@chat6/wire's formatIPv6), scope classification and
// per-prefix keys.
import { formatIPv6 } from '@chat6/wire'

/** Scope of an address, for the allow-list of §12.1. */
export type AddressScope =
  | 'global' // 2000::/3
  | 'loopback' // ::1
  | 'ula' // fc00::/7
  | 'link_local' // fe80::/10
  | 'multicast' // ff00::/8
  | 'unspecified' // ::
  | 'ipv4_mapped' // ::ffff:0:0/96
  | 'ipv4' // dotted quad
  | 'other' // any other IPv6 block
  | 'invalid' // not an address

/** Which scopes besides global unicast a node allows (§12.1). */
export interface AddressPolicy {
  /** Allow `::1` (tests). */
  allowLoopback?: boolean
  /** Allow `fc00::/7`. */
  allowUla?: boolean
}

/** Parses any textual IPv6 address (compressed or not, embedded IPv4 allowed, no zone) to 16 bytes. */
export function parseIPv6Loose(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length > 45 || text.includes('%')) return undefined
  let s = text.toLowerCase()
  const words: number[] = []
  let v4: number[] | undefined
  const lastColon = s.lastIndexOf(':')
  if (s.includes('.')) {
    const quad = s.slice(lastColon + 1).split('.')
    if (quad.length !== 4) return undefined
    v4 = []
    for (const q of quad) {
      if (!/^\d{1,3}$/.test(q) || Number(q) > 255 || (q.length > 1 && q[0] === '0'))
        return undefined
      v4.push(Number(q))
    }
    s = s.slice(0, lastColon + 1)
    if (s.endsWith('::')) s = `${s}`
    else if (s.endsWith(':')) s = s.slice(0, -1)
    else return undefined
  }
  const parseGroup = (g: string): number | undefined =>
    /^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : undefined
  const need = v4 === undefined ? 8 : 6
  const dbl = s.indexOf('::')
  if (dbl !== s.lastIndexOf('::')) return undefined
  if (dbl === -1) {
    const groups = s.split(':')
    if (groups.length !== need) return undefined
    for (const g of groups) {
      const v = parseGroup(g)
      if (v === undefined) return undefined
      words.push(v)
    }
  } else {
    const left = s.slice(0, dbl)
    const right = s.slice(dbl + 2)
    const lg = left === '' ? [] : left.split(':')
    const rg = right === '' ? [] : right.split(':')
    if (lg.length + rg.length > need - 1) return undefined
    for (const g of lg) {
      const v = parseGroup(g)
      if (v === undefined) return undefined
      words.push(v)
    }
    for (let i = lg.length + rg.length; i < need; i++) words.push(0)
    for (const g of rg) {
      const v = parseGroup(g)
      if (v === undefined) return undefined
      words.push(v)
    }
  }
  const out = new Uint8Array(16)
  words.forEach((w, i) => {
    out[2 * i] = w >> 8
    out[2 * i + 1] = w & 0xff
  })
  if (v4 !== undefined) out.set(v4, 12)
  return out
}

/**
 * The scope of an address given as text.
 * @example
 * ```ts
 * addressScope('2001:db8::1') // 'global'
 * addressScope('::ffff:192.0.2.1') // 'ipv4_mapped'
 * ```
 */
export function addressScope(host: string): AddressScope {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return 'ipv4'
  const b = parseIPv6Loose(host)
  if (b === undefined) return 'invalid'
  return scopeOf(b)
}

/** The scope of 16 address bytes. */
export function scopeOf(b: Uint8Array): AddressScope {
  const zeroUpTo = (n: number) => b.subarray(0, n).every((x) => x === 0)
  if (zeroUpTo(10) && b[10] === 0xff && b[11] === 0xff) return 'ipv4_mapped'
  if (zeroUpTo(15)) return b[15] === 0 ? 'unspecified' : b[15] === 1 ? 'loopback' : 'other'
  const b0 = b[0] ?? 0
  if (b0 === 0xff) return 'multicast'
  if (b0 === 0xfe && ((b[1] ?? 0) & 0xc0) === 0x80) return 'link_local'
  if ((b0 & 0xfe) === 0xfc) return 'ula'
  if ((b0 & 0xe0) === 0x20) return 'global'
  return 'other'
}

/**
 * Whether an address may be dialled, accepted or disclosed under `policy` (§12.1): global
 * unicast always, loopback and ULA only when the policy allows them.
 * @example
 * ```ts
 * isAllowedAddress('2001:db8::1') // true
 * isAllowedAddress('::1') // false
 * isAllowedAddress('::1', { allowLoopback: true }) // true
 * ```
 */
export function isAllowedAddress(host: string, policy: AddressPolicy = {}): boolean {
  const scope = addressScope(host)
  return (
    scope === 'global' ||
    (scope === 'loopback' && policy.allowLoopback === true) ||
    (scope === 'ula' && policy.allowUla === true)
  )
}

/** Whether `host` is an IPv6 literal that is neither IPv4 nor IPv4-mapped (§6.1). */
export function isPlainIPv6(host: string): boolean {
  const scope = addressScope(host)
  return scope !== 'invalid' && scope !== 'ipv4' && scope !== 'ipv4_mapped'
}

/**
 * The canonical (RFC 5952) text of an address, or undefined if it is not IPv6.
 * @example
 * ```ts
 * canonicalHost('2001:0DB8:0:0:0:0:0:1') // '2001:db8::1'
 * canonicalHost('example.org') // undefined
 * ```
 */
export function canonicalHost(host: string): string | undefined {
  const b = parseIPv6Loose(host)
  return b === undefined ? undefined : formatIPv6(b)
}

/** Key of the /`bits` prefix of an address (bits a multiple of 16), for the per-prefix limits of §12.1. */
export function prefixKey(host: string, bits: 48 | 64): string {
  const b = parseIPv6Loose(host)
  if (b === undefined) return host
  return Array.from(b.subarray(0, bits / 8), (x) => x.toString(16).padStart(2, '0')).join('')
}
