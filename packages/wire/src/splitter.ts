// Cuts a byte stream into lines (§2) while holding at most one line's worth of bytes, so a peer
// that never sends LF cannot make a receiver buffer without bound (§2, §6.6).
import { MAX_LINE_BYTES } from './constants.ts'
import { _wireError, type WireError } from './errors.ts'

const LF = 0x0a

/** One item out of a {@link LineSplitter}: a line without its LF, or a line that was too long. */
export type SplitItem = { ok: true; line: Uint8Array } | { ok: false; error: WireError }

/**
 * Turns chunks of a stream into lines. Feed it every chunk in order; it returns the lines each
 * chunk completes.
 */
export interface LineSplitter {
  /**
   * Takes the next chunk and returns the items it completes, in order. A line longer than the
   * limit yields one `line_too_long` item as soon as it is known to be too long; its bytes are
   * skipped up to its LF, and splitting goes on with the next line.
   *
   * A line that lies within one chunk is returned as a view into that chunk, without a copy; the
   * splitter never writes to chunks, and a caller must not either while it holds the lines.
   */
  push(chunk: Uint8Array): SplitItem[]
  /** Bytes held of an unfinished line; never more than `maxLineBytes - 1`. */
  readonly buffered: number
}

/**
 * Creates a {@link LineSplitter}.
 *
 * @param opts.maxLineBytes - longest line, LF included; default `MAX_LINE_BYTES` (§2)
 * @throws RangeError if `maxLineBytes` is not an integer of at least 1
 * @example
 * ```ts
 * const splitter = createLineSplitter()
 * socket.on('data', (chunk) => {
 *   for (const item of splitter.push(chunk)) {
 *     if (!item.ok) return bye('line_too_long')
 *     handle(decode(item.line))
 *   }
 * })
 * ```
 */
export function createLineSplitter(opts: { maxLineBytes?: number } = {}): LineSplitter {
  const max = opts.maxLineBytes ?? MAX_LINE_BYTES
  if (!Number.isSafeInteger(max) || max < 1)
    throw new RangeError('maxLineBytes must be an integer >= 1')
  return new Splitter(max)
}

class Splitter implements LineSplitter {
  readonly #max: number
  #parts: Uint8Array[] = []
  #buffered = 0
  /** Inside a line already reported too long: drop bytes up to its LF. */
  #skipping = false

  constructor(max: number) {
    this.#max = max
  }

  get buffered(): number {
    return this.#buffered
  }

  push(chunk: Uint8Array): SplitItem[] {
    const items: SplitItem[] = []
    const n = chunk.length
    let start = 0
    while (start < n) {
      const lf = chunk.indexOf(LF, start)
      if (lf < 0) {
        if (this.#skipping) break
        const rest = n - start
        if (this.#buffered + rest + 1 > this.#max) {
          // too long even if an LF came next: report now, keep nothing
          items.push(tooLong(this.#max))
          this.#reset()
          this.#skipping = true
          break
        }
        // a copy, as the caller may reuse its chunk once push returns
        this.#parts.push(chunk.slice(start))
        this.#buffered += rest
        break
      }
      if (this.#skipping) {
        this.#skipping = false
      } else if (this.#buffered + (lf - start) + 1 > this.#max) {
        items.push(tooLong(this.#max))
      } else {
        items.push({ ok: true, line: this.#take(chunk, start, lf) })
      }
      this.#reset()
      start = lf + 1
    }
    return items
  }

  #take(chunk: Uint8Array, start: number, end: number): Uint8Array {
    if (this.#buffered === 0)
      return new Uint8Array(chunk.buffer, chunk.byteOffset + start, end - start)
    const line = new Uint8Array(this.#buffered + end - start)
    let o = 0
    for (const part of this.#parts) {
      line.set(part, o)
      o += part.length
    }
    line.set(chunk.subarray(start, end), o)
    return line
  }

  #reset(): void {
    this.#parts = []
    this.#buffered = 0
  }
}

function tooLong(max: number): SplitItem {
  return { ok: false, error: _wireError('line_too_long', `a line longer than ${max} bytes`) }
}
