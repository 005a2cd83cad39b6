// A QR code of a client key for the terminal (`chat6 whoami --qr`, `/mykey`), drawn with half
// blocks so that two rows of modules take one line. Encoding is paulmillr's `qr` (zero
// dependencies, ISO/IEC 18004, from the author of the noble libraries the crypto layer uses).
import encodeQR from 'qr'

/**
 * Modules of light border around the code: ISO/IEC 18004 asks for 4, phone readers take 2.
 * With 2 and the lowest error correction (a screen is not a scratched label), the code of a key
 * is version 3 and takes 17 lines, so it fits a 24-line chat screen.
 */
const QUIET_ZONE = 2

/**
 * The QR code of `text` as lines of half blocks: light modules are drawn, dark ones left blank,
 * which reads right on the dark background most terminals have. With `color`, the code is
 * painted black on white, so it scans on a light background too.
 * @example
 * ```ts
 * for (const line of qrLines(toBase64(client.key), { color: false })) console.log(line)
 * ```
 */
export function qrLines(text: string, options: { color: boolean }): string[] {
  const grid = encodeQR(text, 'raw', { ecc: 'low', border: QUIET_ZONE })
  // a light row below the last one, so that an odd row count pairs up
  const light = grid.map(() => false)
  const rows = grid.length % 2 === 0 ? grid : [...grid, light]
  const out: string[] = []
  for (let y = 0; y < rows.length; y += 2) {
    let line = ''
    const top = rows[y] ?? light
    const bottom = rows[y + 1] ?? light
    for (let x = 0; x < top.length; x++) {
      const t = top[x] !== true
      const b = bottom[x] !== true
      line += t && b ? '█' : t ? '▀' : b ? '▄' : ' '
    }
    out.push(options.color ? `\u001b[97;40m${line}\u001b[0m` : line)
  }
  return out
}
