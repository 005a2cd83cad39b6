// Topology generators: which pairs of mesh nodes a mesh links, as a sorted list of edges, chosen
// only by the seeded random source so that a seed names one graph.

/** An undirected link between node indexes `a < b`. */
export type Edge = readonly [a: number, b: number]

/**
 * The shape of a mesh. `line`, `ring`, `star` and `grid` are fixed; `random` is a connected graph
 * of the given mean degree (a random spanning tree plus random extra edges); `edges` lists links.
 */
export type Topology =
  | 'line'
  | 'ring'
  | 'star'
  | 'grid'
  | { random: { degree: number } }
  | { edges: ReadonlyArray<readonly [number, number]> }

/** A source of floats in [0, 1), such as `createSeededRandom(seed).float`. */
export type Float = () => number

/** Raised for a topology that cannot be built; `field` names the bad input. */
export class TopologyError extends Error {
  readonly field: string
  constructor(field: string, message: string) {
    super(`${field}: ${message}`)
    this.name = 'TopologyError'
    this.field = field
  }
}

const key = (a: number, b: number): number => a * 1_000_003 + b

const norm = (a: number, b: number): Edge => (a < b ? [a, b] : [b, a])

const sorted = (edges: Edge[]): Edge[] => edges.sort((x, y) => x[0] - y[0] || x[1] - y[1])

function randomGraph(n: number, degree: number, float: Float): Edge[] {
  if (!(degree >= 1) || degree > n - 1) {
    throw new TopologyError('topology.random.degree', `must be between 1 and ${n - 1}`)
  }
  const seen = new Set<number>()
  const out: Edge[] = []
  const add = (a: number, b: number): boolean => {
    const e = norm(a, b)
    const k = key(e[0], e[1])
    if (a === b || seen.has(k)) return false
    seen.add(k)
    out.push(e)
    return true
  }
  const order = Array.from({ length: n }, (_, i) => i)
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(float() * (i + 1))
    ;[order[i], order[j]] = [order[j] as number, order[i] as number]
  }
  // Each node joins the tree at a random earlier node, so the graph is connected.
  for (let i = 1; i < n; i++) add(order[i] as number, order[Math.floor(float() * i)] as number)
  const target = Math.min(Math.round((n * degree) / 2), (n * (n - 1)) / 2)
  while (out.length < target) add(Math.floor(float() * n), Math.floor(float() * n))
  return out
}

/**
 * The edges of `topology` over `n` nodes, each `[a, b]` with `a < b`, sorted.
 * @param topology - the shape
 * @param n - number of nodes (at least 1)
 * @param float - random source, used by `random` only
 * @returns the links to make
 * @example
 * ```ts
 * topologyEdges('ring', 4, Math.random) // [[0,1],[0,3],[1,2],[2,3]]
 * ```
 */
export function topologyEdges(topology: Topology, n: number, float: Float): Edge[] {
  if (!Number.isInteger(n) || n < 1) throw new TopologyError('nodes', 'must be a positive integer')
  const out: Edge[] = []
  if (topology === 'line' || topology === 'ring') {
    for (let i = 0; i + 1 < n; i++) out.push([i, i + 1])
    if (topology === 'ring' && n > 2) out.push([0, n - 1])
  } else if (topology === 'star') {
    for (let i = 1; i < n; i++) out.push([0, i])
  } else if (topology === 'grid') {
    const cols = Math.ceil(Math.sqrt(n))
    for (let i = 0; i < n; i++) {
      if ((i + 1) % cols !== 0 && i + 1 < n) out.push([i, i + 1])
      if (i + cols < n) out.push([i, i + cols])
    }
  } else if (typeof topology === 'object' && topology !== null && 'random' in topology) {
    return sorted(randomGraph(n, topology.random.degree, float))
  } else if (typeof topology === 'object' && topology !== null && 'edges' in topology) {
    const seen = new Set<number>()
    for (const [i, pair] of topology.edges.entries()) {
      const [a, b] = pair
      if (!Number.isInteger(a) || !Number.isInteger(b) || a < 0 || b < 0 || a >= n || b >= n) {
        throw new TopologyError(`topology.edges[${i}]`, `node index out of 0..${n - 1}`)
      }
      if (a === b) throw new TopologyError(`topology.edges[${i}]`, 'a node cannot link to itself')
      const e = norm(a, b)
      if (seen.has(key(e[0], e[1]))) continue
      seen.add(key(e[0], e[1]))
      out.push(e)
    }
  } else {
    throw new TopologyError('topology', `unknown topology ${JSON.stringify(topology)}`)
  }
  return sorted(out)
}

/**
 * Whether the nodes `0..n-1` are connected by `edges` (ignoring the nodes in `without`).
 * @example
 * ```ts
 * isConnected(3, [[0, 1], [1, 2]], new Set([1])) // false
 * ```
 */
export function isConnected(
  n: number,
  edges: readonly Edge[],
  without: ReadonlySet<number> = new Set(),
): boolean {
  const adj = neighborsOf(n, edges)
  const start = [...Array(n).keys()].find((i) => !without.has(i))
  if (start === undefined) return true
  const seen = new Set([start])
  const stack = [start]
  while (stack.length > 0) {
    for (const m of adj[stack.pop() as number] ?? []) {
      if (without.has(m) || seen.has(m)) continue
      seen.add(m)
      stack.push(m)
    }
  }
  return seen.size === n - [...without].filter((i) => i >= 0 && i < n).length
}

/** Adjacency lists of `edges` over `n` nodes. */
export function neighborsOf(n: number, edges: readonly Edge[]): number[][] {
  const adj: number[][] = Array.from({ length: n }, () => [])
  for (const [a, b] of edges) {
    adj[a]?.push(b)
    adj[b]?.push(a)
  }
  return adj
}
