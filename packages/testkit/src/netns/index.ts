// '@chat6/testkit/netns': real IPv6 between processes in Linux network namespaces, for tests
// that need more than one host. Needs root and iproute2; check netnsUnavailableReason() first.
export { linkPrefix } from './addresses.ts'
export {
  createNetnsLab,
  ip,
  type LabHost,
  type LabLink,
  type NetnsLab,
  type NetnsLabInit,
  netnsUnavailableReason,
  sweepStaleNamespaces,
} from './lab.ts'
export { type Report, type ReportingProcess, spawnReporting } from './process.ts'
