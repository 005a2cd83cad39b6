// Public face of @chat6/testkit: deterministic in-memory meshes with fault injection, the
// conditions and invariants scenarios wait on, and the frame trace for a failing seed.
// The transport compliance suite is at '@chat6/testkit/compliance' (it needs Vitest), the
// network-namespace lab at '@chat6/testkit/netns'.
export type { MeshClient, MeshClientSpec } from './clients.ts'
export {
  acknowledged,
  type ClientRef,
  delivered,
  everyNodeKnows,
  type KnowsOptions,
  linksUp,
  type MessageRef,
  shownTwice,
} from './conditions.ts'
export { MeshInputError, MeshInvariantError, MeshTimeoutError } from './errors.ts'
export type { FrameFaults } from './faults.ts'
export { assertNoRouteLoops, assertPresenceAgrees } from './invariants.ts'
export { createMesh } from './mesh.ts'
export type { AddNodeOptions, Mesh, MeshInit, MeshNode, UntilOptions } from './mesh-types.ts'
export { deriveSeed, seeds } from './seed.ts'
export type { StoreSource } from './store.ts'
export {
  type Edge,
  type Float,
  isConnected,
  type Topology,
  TopologyError,
  topologyEdges,
} from './topology.ts'
export {
  type FormatTraceOptions,
  formatTrace,
  type Trace,
  type TraceEntry,
  type TraceFate,
} from './trace.ts'
