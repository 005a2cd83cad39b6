// Mesh-wide invariants checked by scenarios, named after the property of §8.2 they guard.
import { checkNextHopAcyclic, type NextHopView } from '@chat6/node/testing'
import { MeshInvariantError } from './errors.ts'
import type { Mesh } from './mesh-types.ts'

/**
 * Throws a `MeshInvariantError` if, for any client, following next hops from some node revisits
 * a node (Babel's feasibility condition promises this never happens, §8.2). Checks every client
 * hash held by any running node, or only `hashes` (base64) when given.
 * @example
 * ```ts
 * mesh.cut(3, 4)
 * await mesh.advance(1_000)
 * assertNoRouteLoops(mesh)
 * ```
 */
export function assertNoRouteLoops(mesh: Mesh, hashes?: Iterable<string>): void {
  const views: NextHopView[] = []
  const names = new Map<string, string>()
  for (const n of mesh.nodes) {
    names.set(n.id, n.name)
    if (!n.alive || n.node === undefined) continue
    const node = n.node
    views.push({ id: node.id, nextHop: (c) => node.nextHop(c) })
  }
  let targets = hashes === undefined ? undefined : new Set(hashes)
  if (targets === undefined) {
    targets = new Set(mesh.clients.map((c) => c.id).filter((id) => id !== ''))
    for (const n of mesh.nodes)
      if (n.alive && n.node !== undefined) for (const c of n.node.clients()) targets.add(c.id)
  }
  for (const client of targets) {
    const cycle = checkNextHopAcyclic(views, client)
    if (cycle !== undefined) {
      const path = cycle.map((id) => names.get(id) ?? id).join(' → ')
      throw new MeshInvariantError(
        `route loop toward client ${client.slice(0, 8)}…: ${path} (seed ${mesh.seed}, at ${mesh.clock.now()} ms)`,
        mesh.seed,
      )
    }
  }
}

/**
 * Throws a `MeshInvariantError` if a running client's view of a friend (online, reachable)
 * disagrees with the presence table of the node it is attached to. Call it once the mesh is
 * quiet: in flight, the client legitimately lags its node by one event.
 * @example
 * ```ts
 * await mesh.advance(60_000)
 * assertPresenceAgrees(mesh)
 * ```
 */
export function assertPresenceAgrees(mesh: Mesh): void {
  const problems: string[] = []
  for (const c of mesh.clients) {
    const node = mesh.nodes[c.node]?.node
    if (!c.alive || node === undefined) continue
    for (const f of c.friends.values()) {
      const info = node.client(f.hash)
      const online = info?.status === 'online'
      const reachable = online && info?.reachable === true
      if (f.online !== online || f.reachable !== reachable) {
        const name = mesh.clients.find((x) => x.id === info?.id)?.name ?? info?.id ?? '?'
        problems.push(
          `${c.name} sees ${name} online=${f.online} reachable=${f.reachable}, but its node ${mesh.nodes[c.node]?.name} holds online=${online} reachable=${reachable}`,
        )
      }
    }
  }
  if (problems.length > 0) {
    throw new MeshInvariantError(
      `client and node disagree on presence (seed ${mesh.seed}): ${problems.join('; ')}`,
      mesh.seed,
    )
  }
}
