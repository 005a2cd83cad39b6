// IPv6 addresses in RFC 5952 canonical text, the only form an `addr` value may take (§3): one
// spelling per address, so neighbour lists compare and deduplicate as plain strings.

/**
 * Formats 16 address bytes as RFC 5952 canonical text: lower-case hex without leading zeros,
 * the longest run of two or more zero groups (the first on a tie) as `::`, and never the
 * dotted IPv4 forms.
 *
 * @param bytes - exactly 16 bytes
 * @returns the canonical text
 * @throws RangeError if `bytes` is not 16 bytes long (a programmer error)
 * @example
 * ```ts
 * formatIPv6(parseIPv6('2001:db8::1')!) // '2001:db8::1'
 * ```
 */
export function formatIPv6(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array) || bytes.length !== 16) {
    throw new RangeError('formatIPv6: expected 16 bytes')
  }
  const groups: number[] = []
  for (let i = 0; i < 16; i += 2)
    groups.push(((bytes[i] as number) << 8) | (bytes[i + 1] as number))
  let bestStart = -1
  let bestLen = 1 // RFC 5952 §4.2.2: a single zero group is never shortened
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++
      continue
    }
    let j = i
    while (j < 8 && groups[j] === 0) j++
    if (j - i > bestLen) {
      bestStart = i
      bestLen = j - i
    }
    i = j
  }
  const hex = (from: number, to: number) =>
    groups
      .slice(from, to)
      .map((g) => g.toString(16))
      .join(':')
  if (bestStart < 0) return hex(0, 8)
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`
}

/**
 * Parses an IPv6 address given in RFC 5952 canonical text. Every other spelling — upper case,
 * leading zeros, an uncompressed or wrongly compressed zero run, a zone index (`%eth0`), dotted
 * IPv4 — gives `undefined`, as does anything that is not an address.
 *
 * @param text - untrusted text
 * @returns the 16 address bytes, or `undefined`
 * @example
 * ```ts
 * parseIPv6('2001:db8::1')        // Uint8Array(16)
 * parseIPv6('2001:0db8::1')       // undefined: leading zero
 * parseIPv6('::ffff:192.0.2.1')   // undefined: embedded IPv4
 * ```
 */
export function parseIPv6(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (typeof text !== 'string' || text.length < 2 || text.length > 39) return undefined
  const head: number[] = []
  const tail: number[] = []
  let groups = head
  let compressed = false
  let i = 0
  const n = text.length
  if (text.startsWith('::')) {
    compressed = true
    groups = tail
    i = 2
  }
  while (i < n) {
    let value = 0
    let digits = 0
    for (; i < n && digits < 5; i++, digits++) {
      const d = hexDigit(text.charCodeAt(i))
      if (d < 0) break
      value = (value << 4) | d
    }
    if (digits === 0 || digits > 4) return undefined
    groups.push(value)
    if (i === n) break
    if (text.charCodeAt(i) !== 0x3a) return undefined
    i++
    if (text.charCodeAt(i) === 0x3a) {
      if (compressed) return undefined
      compressed = true
      groups = tail
      i++
    } else if (i === n) {
      return undefined // a trailing single ':'
    }
  }
  const count = head.length + tail.length
  if (compressed ? count > 7 : count !== 8) return undefined
  const bytes = new Uint8Array(16)
  head.forEach((g, k) => {
    bytes[2 * k] = g >>> 8
    bytes[2 * k + 1] = g
  })
  const off = 8 - tail.length
  tail.forEach((g, k) => {
    bytes[2 * (off + k)] = g >>> 8
    bytes[2 * (off + k) + 1] = g
  })
  // Canonical means "what formatIPv6 writes": one comparison covers case, leading zeros and
  // where `::` may stand.
  return formatIPv6(bytes) === text ? bytes : undefined
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  return -1
}
