import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createLineSplitter, decode, MAX_LINE_BYTES, type SplitItem } from '../src/index.ts'
import { ascii, bytesOf, samples } from './fixtures.ts'

const lines = (items: SplitItem[]) => items.map((i) => (i.ok ? ascii(i.line) : `!${i.error.code}`))

/** Cuts `data` at the given offsets (taken modulo its length). */
function chunks(data: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const c of [...at, data.length]) {
    out.push(data.slice(prev, c))
    prev = c
  }
  return out
}

describe('createLineSplitter', () => {
  it('behavior: splits lines and drops the LF; keeps an unfinished line', () => {
    const s = createLineSplitter()
    expect(lines(s.push(bytesOf('a b\nc')))).toEqual(['a b'])
    expect(s.buffered).toBe(1)
    expect(lines(s.push(bytesOf('d\n\nx')))).toEqual(['cd', ''])
    expect(s.buffered).toBe(1)
  })

  it('behavior: lines feed straight into decode', () => {
    const s = createLineSplitter()
    const stream = bytesOf(
      Object.values(samples)
        .map((x) => `${x.line}\n`)
        .join(''),
    )
    const out = chunks(stream, [7, 100, 101, 1000]).flatMap((c) => s.push(c))
    expect(out).toHaveLength(15)
    for (const item of out) expect(item.ok && decode(item.line).ok).toBe(true)
  })

  it('behavior: a line within one chunk is a plain Uint8Array view of it, not a copy', () => {
    const s = createLineSplitter()
    const chunk = Buffer.from('abc\ndef\n')
    const [a] = s.push(chunk)
    expect(a?.ok && a.line.buffer).toBe(chunk.buffer)
    expect(a?.ok && a.line.constructor).toBe(Uint8Array)
  })

  it('behavior: a buffered partial line is copied, so the caller may reuse its chunk', () => {
    const s = createLineSplitter()
    const chunk = bytesOf('abc')
    s.push(chunk)
    chunk.fill(0x7a)
    expect(lines(s.push(bytesOf('\n')))).toEqual(['abc'])
  })

  it('error: a line over the limit yields one line_too_long and splitting resumes after it', () => {
    const s = createLineSplitter({ maxLineBytes: 4 })
    expect(lines(s.push(bytesOf('abc\nabcd\nxy')))).toEqual(['abc', '!line_too_long'])
    expect(lines(s.push(bytesOf('z')))).toEqual([])
    expect(lines(s.push(bytesOf('zz')))).toEqual(['!line_too_long'])
    expect(s.buffered).toBe(0)
    expect(lines(s.push(bytesOf('more and more')))).toEqual([])
    expect(lines(s.push(bytesOf('still\nok\n')))).toEqual(['ok'])
  })

  it('behavior: the default limit is MAX_LINE_BYTES including the LF', () => {
    const s = createLineSplitter()
    const max = new Uint8Array(MAX_LINE_BYTES).fill(0x61)
    max[MAX_LINE_BYTES - 1] = 0x0a
    expect(s.push(max).map((i) => i.ok)).toEqual([true])
    expect(s.push(new Uint8Array(MAX_LINE_BYTES).fill(0x61)).map((i) => i.ok)).toEqual([false])
  })

  it('error: an invalid limit throws', () => {
    expect(() => createLineSplitter({ maxLineBytes: 0 })).toThrow(RangeError)
    expect(() => createLineSplitter({ maxLineBytes: 1.5 })).toThrow(RangeError)
  })

  it('behavior: any chunking of a stream gives the same lines as splitting it whole', () => {
    const line = fc.uint8Array({ maxLength: 40 }).map((b) => b.map((x) => (x === 0x0a ? 0x20 : x)))
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        (ls, cuts) => {
          const data = new Uint8Array(ls.reduce((n, l) => n + l.length + 1, 0))
          let o = 0
          for (const l of ls) {
            data.set(l, o)
            data[o + l.length] = 0x0a
            o += l.length + 1
          }
          const s = createLineSplitter()
          const out = chunks(data, cuts).flatMap((c) => s.push(c))
          expect(out.map((i) => (i.ok ? Array.from(i.line) : null))).toEqual(
            ls.map((l) => Array.from(l)),
          )
          expect(s.buffered).toBe(0)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('behavior: arbitrary bytes never throw, never buffer past the limit, and every line fits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.uint8Array({ maxLength: 120 }), { maxLength: 20 }),
        (max, stream) => {
          const s = createLineSplitter({ maxLineBytes: max })
          for (const chunk of stream) {
            for (const item of s.push(chunk)) {
              if (item.ok) expect(item.line.length + 1).toBeLessThanOrEqual(max)
              else expect(item.error.code).toBe('line_too_long')
            }
            expect(s.buffered).toBeLessThan(max)
          }
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('behavior: reports each overlong line once, however it is chunked', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { maxLength: 20 }), (cuts) => {
        const data = bytesOf(`ok\n${'x'.repeat(30)}\nok2\n${'y'.repeat(11)}\n`)
        const s = createLineSplitter({ maxLineBytes: 11 })
        expect(lines(chunks(data, cuts).flatMap((c) => s.push(c)))).toEqual([
          'ok',
          '!line_too_long',
          'ok2',
          '!line_too_long',
        ])
      }),
    )
  })
})
