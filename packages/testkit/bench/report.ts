// What every testkit bench reports: lines for people on stdout and, when CHAT6_BENCH_JSON names a
// file, the same figures as JSON for the workspace aggregator (bench/run.ts at the root).
import { writeFileSync } from 'node:fs'

/** One measured figure; `reference` is measured in the same run, never a constant. */
export interface Figure {
  /** Stable key, e.g. `presence.n1000.framesPerLink`. */
  key: string
  value: number
  unit: string
  /** What the figure is compared with and that thing's value, when it has one. */
  reference?: { label: string; value: number }
  /** Anything else worth keeping (sizes, raw counts). */
  detail?: Record<string, unknown>
}

/** Collects figures and writes them on {@link Report.save}. */
export class Report {
  readonly figures: Figure[] = []
  readonly data: Record<string, unknown> = {}

  constructor(readonly bench: string) {}

  add(f: Figure): void {
    this.figures.push(f)
  }

  /** Writes `{ bench, figures, data }` to CHAT6_BENCH_JSON when it is set. */
  save(): void {
    const path = process.env.CHAT6_BENCH_JSON
    if (path === undefined || path === '') return
    const out = { bench: this.bench, figures: this.figures, data: this.data }
    writeFileSync(path, `${JSON.stringify(out, null, 2)}\n`)
  }
}

/** Heap in use plus array-buffer backing stores (which V8 keeps outside the heap), bytes. */
export function heapBytes(): number {
  const m = process.memoryUsage()
  return m.heapUsed + m.arrayBuffers
}

/** Heap after full collections (needs `--expose-gc`), bytes. */
export function settledHeap(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with node --expose-gc')
  gc()
  gc()
  return heapBytes()
}

export const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })

export const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN
}
