// HChaCha20 (draft-irtf-cfrg-xchacha-03 §2.2): derives the XChaCha20 subkey. Needed by the native
// backend, because node:crypto has ChaCha20-Poly1305 with a 12-byte nonce but not XChaCha20.
// Written on words read little-endian through DataView, so it is independent of host byte order.

const _SIGMA = [0x61707865, 0x3320646e, 0x79622d32, 0x6b206574] // "expand 32-byte k"

function _rotl(x: number, n: number): number {
  return (x << n) | (x >>> (32 - n))
}

/**
 * HChaCha20(key, nonce16) → 32-byte subkey.
 * @param key - 32-byte key
 * @param nonce - 16 bytes (the first 16 bytes of the XChaCha20 nonce)
 * @returns 32-byte subkey
 */
export function _hchacha20(key: Uint8Array, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const kv = new DataView(key.buffer, key.byteOffset, 32)
  const nv = new DataView(nonce.buffer, nonce.byteOffset, 16)
  const s = new Uint32Array(16)
  for (let i = 0; i < 4; i++) s[i] = _SIGMA[i] as number
  for (let i = 0; i < 8; i++) s[4 + i] = kv.getUint32(4 * i, true)
  for (let i = 0; i < 4; i++) s[12 + i] = nv.getUint32(4 * i, true)
  const qr = (a: number, b: number, c: number, d: number): void => {
    s[a] = ((s[a] as number) + (s[b] as number)) | 0
    s[d] = _rotl((s[d] as number) ^ (s[a] as number), 16)
    s[c] = ((s[c] as number) + (s[d] as number)) | 0
    s[b] = _rotl((s[b] as number) ^ (s[c] as number), 12)
    s[a] = ((s[a] as number) + (s[b] as number)) | 0
    s[d] = _rotl((s[d] as number) ^ (s[a] as number), 8)
    s[c] = ((s[c] as number) + (s[d] as number)) | 0
    s[b] = _rotl((s[b] as number) ^ (s[c] as number), 7)
  }
  for (let round = 0; round < 10; round++) {
    qr(0, 4, 8, 12)
    qr(1, 5, 9, 13)
    qr(2, 6, 10, 14)
    qr(3, 7, 11, 15)
    qr(0, 5, 10, 15)
    qr(1, 6, 11, 12)
    qr(2, 7, 8, 13)
    qr(3, 4, 9, 14)
  }
  // The subkey is state words 0..3 and 12..15, without the feed-forward addition of ChaCha20.
  const out = new Uint8Array(32)
  const ov = new DataView(out.buffer)
  for (let i = 0; i < 4; i++) {
    ov.setUint32(4 * i, s[i] as number, true)
    ov.setUint32(16 + 4 * i, s[12 + i] as number, true)
  }
  s.fill(0)
  return out
}
