// The virtual clock of @chat6/node, which drives the node and client timers alike.
export { createVirtualClock, type VirtualClock } from '../../../node/src/clock.ts'
