// The client runs on @chat6/node's clock, so one virtual clock drives both in tests. Retry timers
// use monotonic time; nonces and stored times use wall time (§6.6).
export { type Clock, systemClock, type TimerId } from '@chat6/node'
