// Builds clients on the fake mesh and fake protocol for the state-machine tests.
import { randomBytes } from 'node:crypto'
import type { Client } from '../../src/api.ts'
import { startCore } from '../../src/client.ts'
import type { Clock } from '../../src/clock.ts'
import { StoreError } from '../../src/errors.ts'
import { DEFAULT_LIMITS } from '../../src/limits.ts'
import type { Attach } from '../../src/link.ts'
import type { ServiceFactory } from '../../src/services/service.ts'
import { createMemoryStore } from '../../src/store/memory.ts'
import type { Store } from '../../src/store/types.ts'
import { type FakeProtocol, type fakeMesh, fakeProtocol } from './fakes.ts'

export type Mesh = ReturnType<typeof fakeMesh>

export interface Harnessed {
  client: Client
  store: Store
  protocol: FakeProtocol
  key: Uint8Array
}

export async function fakeClient(
  mesh: Mesh,
  clock: Clock,
  opts: {
    key?: Uint8Array
    store?: Store
    nickname?: string
    limits?: Partial<typeof DEFAULT_LIMITS>
    /** Attaches to the mesh (default: `mesh.attach`); wrap it to change what the link reports. */
    attach?: Attach
    /** Services added beside the built-in ones. */
    services?: ServiceFactory[]
    /** False: a client without PROFILE and TYPING, as a version-1 client (§17.2). */
    profile?: boolean
  } = {},
): Promise<Harnessed> {
  const protocol = fakeProtocol(opts.key)
  const store = opts.store ?? createMemoryStore()
  const identity = store.getIdentity() ?? {
    key: protocol.key,
    secret: new Uint8Array(32),
    sealed: false,
    nickname: opts.nickname ?? 'anon',
    icon: undefined,
    createdAt: clock.wallNow(),
  }
  store.putIdentity(identity)
  const client = await startCore({
    store,
    protocol,
    clock,
    random: (n) => new Uint8Array(randomBytes(n)),
    identity,
    limits: { ...DEFAULT_LIMITS, ...opts.limits },
    attach: (handlers) => (opts.attach ?? mesh.attach)(protocol.key, handlers),
    ...(opts.services ? { services: opts.services } : {}),
    ...(opts.profile === undefined ? {} : { profile: opts.profile }),
  })
  return { client, store, protocol, key: protocol.key }
}

/**
 * A memory store that outlives its handles, like a file on disk: each open() returns a handle
 * that close() ends, while the data stays for the next open().
 */
export function memoryDisk() {
  const data = createMemoryStore()
  return {
    open(): Store {
      let closed = false
      const handle = {} as Record<string, unknown>
      for (const [name, fn] of Object.entries(data)) {
        handle[name] = (...args: unknown[]) => {
          if (closed) throw new StoreError('closed', 'store is closed')
          return (fn as (...a: unknown[]) => unknown)(...args)
        }
      }
      handle.close = () => {
        closed = true
      }
      return handle as unknown as Store
    },
  }
}

/** Records every event of a client, by name. */
export function record(client: Client) {
  const events: Record<string, unknown[]> = {}
  for (const name of [
    'presence',
    'friend-request',
    'friend-added',
    'message',
    'receipt',
    'session',
    'typing',
    'error',
  ] as const) {
    client.on(name, (d: unknown) => {
      events[name] = [...(events[name] ?? []), d]
    })
  }
  return events
}
