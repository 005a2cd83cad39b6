// `text` values (§3): UTF-8 without C0/C1 controls, so that a nickname cannot drive a terminal.
// fatal: reject invalid UTF-8 instead of replacing it; ignoreBOM: keep a leading U+FEFF, or
// the bytes EF BB BF would decode and re-encode to something shorter
const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
const utf8Encoder = new TextEncoder()

/** @internal True if `s` holds a C0 or C1 control character (U+0000–001F, U+007F–009F). */
export function _hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true
  }
  return false
}

/** @internal True if `s` has a lone surrogate, which UTF-8 cannot carry. */
export function _hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0xd800 || c > 0xdfff) continue
    if (c >= 0xdc00) return true
    const d = s.charCodeAt(i + 1)
    if (!(d >= 0xdc00 && d <= 0xdfff)) return true
    i++
  }
  return false
}

/** @internal The string a `text` value's bytes hold, or `undefined` (§14 `bad_utf8`). */
export function _textFromBytes(bytes: Uint8Array): string | undefined {
  let s: string
  try {
    s = utf8Decoder.decode(bytes)
  } catch {
    return undefined
  }
  return _hasControl(s) ? undefined : s
}

/**
 * @internal The UTF-8 bytes of a `text` value, or `undefined` (§14 `bad_utf8`). Length bounds
 * are the caller's, as they differ per field.
 */
export function _textToBytes(s: string): Uint8Array | undefined {
  if (_hasLoneSurrogate(s) || _hasControl(s)) return undefined
  return utf8Encoder.encode(s)
}
