// Fuzz target: the stream splitter (§2, §6.6). A stream of lines of random lengths (some over
// the limit, some without a final LF) is cut into random chunks, and the chunks are scribbled over
// once pushed (a caller may reuse its buffer). The splitter must yield what a plain reference
// yields (split on LF; a line of more than the limit is one `line_too_long`), in order, and never
// hold more than `maxLineBytes - 1` bytes.
import fc from 'fast-check'
import { createLineSplitter, type SplitItem } from '../src/index.ts'
import { runsFromEnv } from './runs.ts'

/** Cases per run of `pnpm fuzz` (CHAT6_FUZZ_RUNS overrides). */
export const numRuns = runsFromEnv()

/** One case: the limit, the lines (lengths), whether the stream ends with LF, the cuts. */
export interface SplitterCase {
  max: number
  lines: number[]
  endsWithLf: boolean
  cuts: number[]
  fill: number
}

export const splitterInput: fc.Arbitrary<SplitterCase> = fc
  .integer({ min: 1, max: 48 })
  .chain((max) =>
    fc.record({
      max: fc.constant(max),
      lines: fc.array(
        fc.oneof(
          fc.integer({ min: 0, max: Math.max(0, max - 1) }),
          fc.constantFrom(max - 1, max, max + 1).filter((n) => n >= 0),
          fc.integer({ min: 0, max: 3 * max }),
        ),
        { maxLength: 12 },
      ),
      endsWithLf: fc.boolean(),
      cuts: fc.array(fc.nat(), { maxLength: 10 }),
      fill: fc.integer({ min: 0, max: 255 }).filter((b) => b !== 0x0a),
    }),
  )

type Out = string

/** What the splitter must yield for the whole stream. */
function reference(c: SplitterCase, stream: Uint8Array): Out[] {
  const out: Out[] = []
  let start = 0
  for (let i = 0; i < stream.length; i++) {
    if (stream[i] !== 0x0a) continue
    const len = i - start
    out.push(
      len + 1 > c.max ? '!line_too_long' : Buffer.from(stream.subarray(start, i)).toString('hex'),
    )
    start = i + 1
  }
  // an unfinished line is reported once it cannot fit any more
  if (stream.length - start + 1 > c.max) out.push('!line_too_long')
  return out
}

/** Checks one case; throws on a violation. Exported for the deterministic slice. */
export function checkSplitter(c: SplitterCase): void {
  // line k is made of a byte that tells lines apart, so a mix-up shows
  const parts: number[] = []
  c.lines.forEach((len, k) => {
    for (let i = 0; i < len; i++) {
      const b = (c.fill + 31 * k + i) % 256
      parts.push(b === 0x0a ? 0x0b : b)
    }
    if (k < c.lines.length - 1 || c.endsWithLf) parts.push(0x0a)
  })
  const stream = Uint8Array.from(parts)
  const at = [...new Set(c.cuts.map((x) => x % (stream.length + 1)))].sort((a, b) => a - b)
  const s = createLineSplitter({ maxLineBytes: c.max })
  const got: Out[] = []
  let prev = 0
  for (const cut of [...at, stream.length]) {
    const chunk = stream.slice(prev, cut)
    prev = cut
    const items: SplitItem[] = s.push(chunk)
    for (const it of items)
      got.push(it.ok ? Buffer.from(it.line).toString('hex') : `!${it.error.code}`)
    // the caller reuses its buffer: what the splitter keeps must be its own copy
    chunk.fill(0x0a)
    if (s.buffered > c.max - 1) throw new Error(`holds ${s.buffered} bytes, limit ${c.max}`)
  }
  const want = reference(c, stream)
  if (JSON.stringify(got) !== JSON.stringify(want))
    throw new Error(`got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`)
}

/** The splitter property. */
export const splitterProperty = fc.property(splitterInput, checkSplitter)
