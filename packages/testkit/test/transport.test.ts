// The transport contract against both implementations: the in-memory network on a virtual clock
// and TCP on ::1.

import { createTcpTransport } from '@chat6/node'
import { createMemoryNetwork, createVirtualClock } from '@chat6/node/testing'
import { describe } from 'vitest'
import { pollUntil, transportCompliance } from '../src/compliance/index.ts'

describe('memory transport', () => {
  transportCompliance({
    setup() {
      const clock = createVirtualClock()
      const net = createMemoryNetwork({ clock, latency: 3 })
      return {
        listener: net.transport('2001:db8:1::1'),
        dialer: net.transport('2001:db8:2::1'),
        listenAddress: { host: '2001:db8:1::1', port: 0 },
        deadAddress: { host: '2001:db8:1::1', port: 9 },
        until: (pred, ms) => clock.runUntil(pred, { maxMs: ms }),
      }
    },
  })
})

describe('tcp transport on ::1', () => {
  transportCompliance({
    setup: () => ({
      listener: createTcpTransport(),
      dialer: createTcpTransport(),
      listenAddress: { host: '::1', port: 0 },
      deadAddress: { host: '::1', port: 9 },
      until: pollUntil,
    }),
  })
})
