// `@chat6/node/testing`: what tests and simulations of chat6 are built on, kept off the main
// face. An in-memory IPv6 network with fault injection, a virtual clock, seeded randomness, and
// the loop-freedom check of a mesh's next hops.
export {
  createVirtualClock,
  type VirtualClock,
  type VirtualClockInit,
} from './clock.ts'
export {
  createMemoryNetwork,
  type InterceptAction,
  type InterceptEvent,
  type MemoryLink,
  type MemoryNetwork,
  type MemoryNetworkInit,
} from './memory.ts'
export { createSeededRandom } from './random.ts'
export { checkNextHopAcyclic, type NextHopView } from './routes.ts'
