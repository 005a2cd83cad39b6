// Where decoded bytes live. V8 keeps a typed array of up to 64 bytes on the JS heap (~30 ns to
// make), but gives a longer one a backing store of its own, which costs ~0.75 µs: more than
// decoding a 1 KiB message. So, as Node's Buffer pool does, longer byte strings are carved out of
// a shared slab, and a slab is freed once nothing carved from it is referenced. Requests over
// POOLED_MAX get a buffer of their own, which the work of filling them outweighs anyway.

/** @internal Longest byte string V8 keeps on the JS heap. */
export const _ON_HEAP_MAX = 64
const SLAB_BYTES = 16 * 1024
const POOLED_MAX = 4 * 1024

/**
 * @internal The current slab and the first free byte in it. Reserve with {@link _poolReserve},
 * write at `pos`, then {@link _poolTake} what was written.
 */
export const _pool = { bytes: new Uint8Array(0), pos: 0 }

/**
 * @internal
 * Makes room for `n` bytes at `_pool.pos`, starting a new slab if the current one is too full.
 * Returns false, and leaves the pool alone, if `n` is too large to pool.
 */
export function _poolReserve(n: number): boolean {
  if (n > POOLED_MAX) return false
  if (_pool.pos + n > _pool.bytes.length) {
    _pool.bytes = new Uint8Array(SLAB_BYTES)
    _pool.pos = 0
  }
  return true
}

/** @internal The `n` bytes written at `_pool.pos` (after a reserve), which are now the caller's. */
export function _poolTake(n: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(_pool.bytes.buffer, _pool.pos, n)
  _pool.pos = (_pool.pos + n + 7) & ~7 // 8-aligned, as Node's pool
  return out
}

/** @internal `n` fresh bytes: on the JS heap up to 64, else from the pool when they fit in it. */
export function _bytes(n: number): Uint8Array<ArrayBuffer> {
  return n > _ON_HEAP_MAX && _poolReserve(n) ? _poolTake(n) : new Uint8Array(n)
}
