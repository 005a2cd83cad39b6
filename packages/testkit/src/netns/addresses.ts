// ULA numbering of lab links: link k is the /64 `<ula>:<k>::/64` inside the /48 `<ula>::/48`.

/** The address prefix of link `k` without the interface id, e.g. `fd63:6836:0:3::`. */
export function linkPrefix(ula: string, k: number): string {
  if (!/^f[cd][0-9a-f]{2}:[0-9a-f]{1,4}$/.test(ula))
    throw new RangeError(`ula: expected the first 32 bits of an fc00::/7 prefix, got ${ula}`)
  if (!Number.isInteger(k) || k < 0 || k > 0xffff)
    throw new RangeError(`link index ${k} out of 0..65535`)
  return `${ula}:0:${k.toString(16)}::`
}
