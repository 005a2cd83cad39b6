// Readers of each package bench's output. The wire and node benches print text for people, so
// their lines are matched by the phrases that name each figure; a line that no longer matches
// turns into a missing figure (reported as such), never into a wrong one. Crypto comes from
// vitest's --outputJson; client and testkit write their figures to CHAT6_BENCH_JSON.

/** A figure as the package benches report it (the testkit/client JSON shape). */
export interface Figure {
  key: string
  value: number
  unit: string
  reference?: { label: string; value: number }
  detail?: Record<string, unknown>
}

const num = (s: string | undefined): number =>
  s === undefined ? Number.NaN : Number(s.replaceAll(',', ''))

/**
 * The wire codec bench: `  <name>   <rate> /s   wire ÷ this = …` lines under the group
 * headings `encode` and `decode + validate`; returns rate by `group/name`.
 */
export function parseWire(text: string): Map<string, number> {
  const out = new Map<string, number>()
  let group = ''
  for (const line of text.split('\n')) {
    const head = /^(\S.*?)\s*$/.exec(line)
    if (head?.[1] !== undefined && !line.startsWith(' ')) group = head[1]
    const m = /^\s+(.+?)\s{2,}([\d,]+(?:\.\d+)?) \/s/.exec(line)
    if (m?.[1] !== undefined) out.set(`${group}/${m[1].trim()}`, num(m[2]))
  }
  return out
}

/** The node relay bench: per-core relay rates, end-to-end rates and the 1k frames/s latency. */
export function parseRelay(text: string): Record<string, number> {
  const pick = (re: RegExp, i = 1): number => num(re.exec(text)?.[i])
  return {
    relayUsPerFrame: pick(/relay B alone\s+([\d.]+) µs CPU per relayed frame/),
    relayPerCore: pick(/relay B alone.*?= ([\d,]+) frames\/s per core/),
    bareUsPerLine: pick(/bare relay alone\s+([\d.]+) µs CPU per line/),
    barePerCore: pick(/bare relay alone.*?= ([\d,]+) lines\/s per core/),
    chainEndToEnd: pick(/chat6 chain\s+([\d,]+) frames\/s end to end/),
    bareEndToEnd: pick(/bare socket chain\s+([\d,]+) frames\/s end to end/),
    latencyHopP50: pick(/per hop p50 ([\d.]+) ms/),
    latencyHopP99: pick(/per hop p50 [\d.]+ ms, p99 ([\d.]+) ms/),
  }
}

interface VitestBench {
  name: string
  hz: number
  rme: number
  sampleCount: number
}
interface VitestJson {
  files: Array<{ groups: Array<{ fullName: string; benchmarks: VitestBench[] }> }>
}

/** Vitest's bench JSON: ops/s by group title (after the last `>`) and backend name. */
export function parseVitestBench(json: unknown): Map<string, Map<string, VitestBench>> {
  const out = new Map<string, Map<string, VitestBench>>()
  for (const file of (json as VitestJson).files ?? []) {
    for (const g of file.groups ?? []) {
      const title = g.fullName.split(' > ').pop()?.trim() ?? g.fullName
      out.set(title, new Map(g.benchmarks.map((b) => [b.name, b])))
    }
  }
  return out
}
