// Per-hop rewrite of a routed frame (§9): new timestamp and ttl − 1, straight on the bytes of
// the received signing input. Valid because a decoded line is the one canonical encoding of its
// frame (§2) and `ttl` is always its last field (§4).

const SP = 0x20
const TTL = [0x20, 0x74, 0x74, 0x6c, 0x3d] // " ttl="

/**
 * The signing input of the same frame with `timestamp` and `ttl` replaced.
 * @param si - `<hash> <timestamp> <TYPE> … ttl=<n>`, as decoded
 * @returns undefined if `si` does not end in a ttl field
 * @internal
 */
export function rewriteHop(si: Uint8Array, timestamp: number, ttl: number): Uint8Array | undefined {
  const hashEnd = si.indexOf(SP)
  const tsEnd = hashEnd < 0 ? -1 : si.indexOf(SP, hashEnd + 1)
  if (tsEnd < 0) return undefined
  let ttlAt = -1
  for (let i = si.length - 6; i > tsEnd; i--) {
    if (
      si[i] === SP &&
      si[i + 1] === TTL[1] &&
      si[i + 2] === TTL[2] &&
      si[i + 3] === TTL[3] &&
      si[i + 4] === TTL[4]
    ) {
      ttlAt = i
      break
    }
  }
  if (ttlAt < 0) return undefined
  const ts = String(timestamp)
  const tl = String(ttl)
  const headLen = hashEnd + 1
  const midLen = ttlAt + 5 - tsEnd
  const out = new Uint8Array(headLen + ts.length + midLen + tl.length)
  out.set(si.subarray(0, headLen), 0)
  let o = headLen
  for (let i = 0; i < ts.length; i++) out[o++] = ts.charCodeAt(i)
  out.set(si.subarray(tsEnd, ttlAt + 5), o)
  o += midLen
  for (let i = 0; i < tl.length; i++) out[o++] = tl.charCodeAt(i)
  return out
}
