// The frame trace of a mesh: every line a node writes, with the virtual time it was written and
// what the fault injector did to it, and a printer that makes a failing seed readable.

/** What happened to a traced line. */
export type TraceFate = 'sent' | 'dropped' | 'duplicated' | 'delayed' | 'reordered' | 'cut'

/** One line written by one node to another. */
export interface TraceEntry {
  /** Position in the trace, from 0, counting entries dropped by the limit. */
  readonly seq: number
  /** Virtual monotonic time of the write, ms. */
  readonly at: number
  /** Name of the writing node (`n0`, `n1`, … or a custom name). */
  readonly from: string
  /** Name of the node written to, or its address when unknown. */
  readonly to: string
  /** Frame type: the fourth token of the line (`?` when absent). */
  readonly type: string
  /** The line without its LF. */
  readonly line: string
  readonly fate: TraceFate
}

/** Options of {@link formatTrace} and {@link Trace.print}. */
export interface FormatTraceOptions {
  /** Only the last `last` matching entries. */
  last?: number
  /** Only these frame types. */
  types?: readonly string[]
  /** Leave out these frame types (default: keepalives). */
  omit?: readonly string[]
  /** Only lines written or received by this node. */
  node?: string
  /** Print values in full instead of their first 8 characters. */
  full?: boolean
}

/** The trace a mesh records; see {@link formatTrace} for the text form. */
export interface Trace {
  /** The entries held, oldest first (at most the mesh's `traceLimit`). */
  readonly entries: readonly TraceEntry[]
  /** Entries that fell out of the limit. */
  readonly discarded: number
  /** The held entries as text. */
  print(opts?: FormatTraceOptions): string
  /** Forgets every entry. */
  clear(): void
}

const PER_HOP = new Set(['metric', 'ttl', 'nonce', 'id', 'mtype', 'port', 'version', 'reason'])

/** Fields of a line (after the four header tokens), values shortened unless `full`. */
function fieldsOf(line: string, full: boolean): string {
  const tokens = line.split(' ').slice(4)
  return tokens
    .map((t) => {
      const eq = t.indexOf('=')
      if (eq < 0 || full) return t
      const name = t.slice(0, eq)
      const value = t.slice(eq + 1)
      if (PER_HOP.has(name) || value.length <= 10) return t
      return `${name}=${value.slice(0, 8)}…`
    })
    .join(' ')
}

/**
 * Renders trace entries as one line each: virtual time, sequence, sender → receiver, type,
 * fields (base64 values shortened), and the fate when it was not a plain send.
 * @param entries - entries to print, oldest first
 * @param opts - filters; keepalives are left out unless `omit` is given
 * @returns the text, one entry per line
 * @example
 * ```ts
 * console.log(formatTrace(mesh.trace.entries, { last: 50, node: 'n3' }))
 * //   31.204s #812 n3 → n7 CLIENT_ONLINE clientkey=q83vEjRW… nonce=1767225600000 … metric=0 ttl=64
 * ```
 */
export function formatTrace(entries: readonly TraceEntry[], opts: FormatTraceOptions = {}): string {
  const omit = new Set(opts.omit ?? ['KEEPALIVE_REQUEST', 'KEEPALIVE_RESPONSE'])
  const types = opts.types === undefined ? undefined : new Set(opts.types)
  let picked = entries.filter(
    (e) =>
      (types === undefined ? !omit.has(e.type) : types.has(e.type)) &&
      (opts.node === undefined || e.from === opts.node || e.to === opts.node),
  )
  if (opts.last !== undefined) picked = picked.slice(Math.max(0, picked.length - opts.last))
  return picked
    .map((e) => {
      const time = `${(e.at / 1000).toFixed(3)}s`.padStart(10)
      const fate = e.fate === 'sent' ? '' : ` [${e.fate}]`
      const fields = fieldsOf(e.line, opts.full === true)
      return `${time} #${e.seq} ${e.from} → ${e.to} ${e.type}${fields ? ` ${fields}` : ''}${fate}`
    })
    .join('\n')
}

/** @internal A bounded trace that the mesh appends to. */
export class TraceRecorder implements Trace {
  private list: TraceEntry[] = []
  private next = 0
  discarded = 0
  enabled: boolean

  constructor(
    private readonly limit: number,
    enabled = true,
  ) {
    this.enabled = enabled && limit > 0
  }

  get entries(): readonly TraceEntry[] {
    return this.list
  }

  record(e: Omit<TraceEntry, 'seq' | 'type'>): void {
    if (!this.enabled) return
    let sp = -1
    for (let i = 0; i < 3; i++) {
      sp = e.line.indexOf(' ', sp + 1)
      if (sp < 0) break
    }
    const end = sp < 0 ? -1 : e.line.indexOf(' ', sp + 1)
    const type = sp < 0 ? '?' : e.line.slice(sp + 1, end < 0 ? undefined : end)
    this.list.push({ ...e, seq: this.next++, type })
    // Trim in batches so that a long run does not shift the array on every line.
    if (this.list.length > this.limit * 1.25) {
      const cut = this.list.length - this.limit
      this.list = this.list.slice(cut)
      this.discarded += cut
    }
  }

  print(opts?: FormatTraceOptions): string {
    return formatTrace(this.list, opts)
  }

  clear(): void {
    this.discarded += this.list.length
    this.list = []
  }
}
