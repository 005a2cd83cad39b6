// Text output: keys and hashes, delivery marks, times, tables, and the sanitising and width
// measuring that keep text from the network from driving or breaking the terminal.

/** Standard base64 of bytes (the form of keys on the wire and on the command line). */
export function toBase64(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(b)
  return btoa(s)
}

/** Bytes of standard base64, or undefined if the text is not canonical base64. */
export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined
  try {
    const s = atob(text)
    const out = new Uint8Array(s.length)
    for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i)
    return toBase64(out) === text ? out : undefined
  } catch {
    return undefined
  }
}

/** Lower-case hex. */
export function toHex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** The short id of a client shown in lists: the first 8 hex digits of its hash. */
export function shortHash(hash: Uint8Array): string {
  return toHex(hash).slice(0, 8)
}

/**
 * The fingerprint of a client: the first 16 bytes of its hash as 8 groups of 4 upper-case hex
 * digits, easy to read aloud and compare.
 * @example
 * ```ts
 * fingerprint(hash) // 'A1B2 C3D4 E5F6 0718 293A 4B5C 6D7E 8F90'
 * ```
 */
export function fingerprint(hash: Uint8Array): string {
  const hex = toHex(hash.subarray(0, 16)).toUpperCase()
  return hex.match(/.{4}/g)?.join(' ') ?? hex
}

/** Delivery state of a message (the client's MessageState). */
export type DeliveryState = 'queued' | 'sent' | 'delivered' | 'received' | 'read'

/** The mark shown after an outgoing message: … queued, ✓ sent, ✓✓ delivered, ✓✓ read. */
export function stateMark(state: DeliveryState, ascii = false): string {
  switch (state) {
    case 'queued':
      return ascii ? '...' : '…'
    case 'sent':
      return ascii ? 'v' : '✓'
    case 'delivered':
      return ascii ? 'vv' : '✓✓'
    case 'read':
      return ascii ? 'vv read' : '✓✓ read'
    case 'received':
      return ''
  }
}

// C0, DEL and C1 controls (ESC, CSI, BEL…), bidi overrides and isolates, and line/paragraph
// separators: any of them in a nickname or a message could move the cursor or fake output.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g

/**
 * Text from the network made safe for a terminal: controls become `�`, tabs a space, and
 * newlines are kept only if `multiline`.
 */
export function sanitize(text: string, multiline = false): string {
  const cleaned = text.replace(UNSAFE, '\ufffd').replace(/\t/g, ' ')
  return multiline ? cleaned.replace(/\r\n?/g, '\n') : cleaned.replace(/\r\n?|\n/g, ' ')
}

// Wide (two-column) ranges: CJK, Hangul, fullwidth forms, emoji. Enough for a chat screen.
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x23e9, 0x23ec],
  [0x23f0, 0x23f0],
  [0x23f3, 0x23f3],
  [0x25fd, 0x25fe],
  [0x2614, 0x2615],
  [0x2648, 0x2653],
  [0x267f, 0x267f],
  [0x2693, 0x2693],
  [0x26a1, 0x26a1],
  [0x26aa, 0x26ab],
  [0x26bd, 0x26be],
  [0x26c4, 0x26c5],
  [0x26ce, 0x26ce],
  [0x26d4, 0x26d4],
  [0x26ea, 0x26ea],
  [0x26f2, 0x26f5],
  [0x26fa, 0x26fd],
  [0x2705, 0x2705],
  [0x270a, 0x270b],
  [0x2728, 0x2728],
  [0x274c, 0x274c],
  [0x2753, 0x2755],
  [0x2757, 0x2757],
  [0x2795, 0x2797],
  [0x27b0, 0x27b0],
  [0x27bf, 0x27bf],
  [0x2b1b, 0x2b1c],
  [0x2b50, 0x2b50],
  [0x2b55, 0x2b55],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f680, 0x1f6ff],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
]

/** Columns a code point takes in a terminal: 0 (combining, joiners), 1 or 2. */
export function charWidth(cp: number): number {
  if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff) return 0
  if ((cp >= 0x300 && cp <= 0x36f) || (cp >= 0xfe00 && cp <= 0xfe0f)) return 0
  if (cp < 0x1100) return 1
  for (const [lo, hi] of WIDE) if (cp >= lo && cp <= hi) return 2
  return 1
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences start with ESC
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]/g

/** Columns a string takes on screen; ANSI colour sequences count zero. */
export function displayWidth(text: string): number {
  let w = 0
  const plain = text.includes('\u001b') ? text.replace(ANSI, '') : text
  for (let i = 0; i < plain.length; i++) {
    const c = plain.charCodeAt(i)
    // printable ASCII, the common case, without a code point lookup
    if (c >= 0x20 && c < 0x7f) w += 1
    else {
      const cp = plain.codePointAt(i) ?? 0
      if (cp > 0xffff) i++
      w += charWidth(cp)
    }
  }
  return w
}

/**
 * Cuts a string (which may hold ANSI colour sequences) to at most `width` columns, adding `…`
 * when it cut, and pads it with spaces to exactly `width` if `pad`.
 */
export function fit(text: string, width: number, pad = true): string {
  if (width <= 0) return ''
  const total = displayWidth(text)
  if (total <= width) return pad ? text + ' '.repeat(width - total) : text
  let out = ''
  let w = 0
  const limit = width - 1
  for (let i = 0; i < text.length; ) {
    if (text[i] === '\u001b') {
      ANSI.lastIndex = i
      const m = ANSI.exec(text)
      if (m !== null && m.index === i) {
        out += m[0]
        i += m[0].length
        continue
      }
    }
    const cp = text.codePointAt(i) ?? 0
    const ch = String.fromCodePoint(cp)
    const cw = charWidth(cp)
    if (w + cw > limit) break
    out += ch
    w += cw
    i += ch.length
  }
  out += '…'
  w += 1
  return pad ? out + ' '.repeat(Math.max(0, width - w)) : out
}

/**
 * Wraps text to lines of at most `width` columns, at spaces when it can; `\n` starts a new line.
 * Linear in the length of the text, so a 40 KB message without a space wraps in a millisecond.
 */
export function wrap(text: string, width: number): string[] {
  if (width <= 0) return []
  const out: string[] = []
  for (const para of text.split('\n')) {
    let line = ''
    let lineW = 0
    for (const word of para.split(/( +)/)) {
      if (word === '') continue
      const ww = displayWidth(word)
      if (lineW + ww <= width) {
        line += word
        lineW += ww
        continue
      }
      if (line.trim() !== '') out.push(line.trimEnd())
      line = ''
      lineW = 0
      if (/^ +$/.test(word)) continue
      if (ww <= width) {
        line = word
        lineW = ww
        continue
      }
      // a word longer than the line is broken by columns, in one pass over it
      for (const ch of word) {
        const w = charWidth(ch.codePointAt(0) ?? 0)
        if (lineW + w > width) {
          out.push(line)
          line = ''
          lineW = 0
        }
        line += ch
        lineW += w
      }
    }
    out.push(line.trimEnd())
  }
  return out
}

/** `HH:MM` of a wall-clock time, local time zone. */
export function clockTime(ms: number): string {
  const d = new Date(ms)
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`
}

/** `YYYY-MM-DD HH:MM` of a wall-clock time, local time zone. */
export function dateTime(ms: number): string {
  const d = new Date(ms)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** Columns padded to their widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths: number[] = []
  for (const r of rows)
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, displayWidth(c))
    })
  return rows
    .map((r) =>
      r
        .map((c, i) =>
          i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - displayWidth(c)),
        )
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}
