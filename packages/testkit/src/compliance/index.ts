// '@chat6/testkit/compliance': contract suites that run one set of Vitest tests against every
// implementation of an interface.
export {
  pollUntil,
  type TransportComplianceInit,
  type TransportFixture,
  transportCompliance,
} from './transport.ts'
