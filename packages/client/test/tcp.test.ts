// Two clients on two real nodes linked over real TCP on ::1 (system clock). The test waits on
// events, never on sleeps; the deadline only turns a hang into a failure.
import { createNode } from '@chat6/node'
import { afterAll, describe, expect, it } from 'vitest'
import { type Client, createClient, createMemoryStore, type Message } from '../src/index.ts'
import { crypto } from './helpers/nodes.ts'

const nodes = [0, 1].map(() =>
  createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    dataDir: false,
  }),
)
const clients: Client[] = []
afterAll(async () => {
  for (const c of clients) await c.stop()
  for (const n of nodes) await n.stop()
})

type Events = { on(name: never, fn: () => void): () => void }
const CLIENT_EVENTS = [
  'presence',
  'friend-request',
  'friend-added',
  'message',
  'receipt',
  'session',
]
const NODE_EVENTS = ['peer:connect', 'client:online', 'client:update', 'client:reachable']

/** Resolves when `pred` holds, re-checked on every client and node event; rejects at the deadline. */
function until(pred: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const sources: [Events, string[]][] = [
    ...clients.map((c) => [c as unknown as Events, CLIENT_EVENTS] as [Events, string[]]),
    ...nodes.map((n) => [n as unknown as Events, NODE_EVENTS] as [Events, string[]]),
  ]
  return new Promise((resolve, reject) => {
    const offs: (() => void)[] = []
    const done = () => {
      clearTimeout(deadline)
      for (const off of offs) off()
    }
    const deadline = setTimeout(() => {
      done()
      reject(new Error('deadline passed'))
    }, ms)
    const check = async () => {
      if (await pred()) {
        done()
        resolve()
      }
    }
    for (const [source, names] of sources) {
      for (const name of names) offs.push(source.on(name as never, () => void check()))
    }
    void check()
  })
}

describe('integration: two real nodes over TCP on ::1', () => {
  it('behavior: friends exchange a message and its receipts across a real socket', {
    timeout: 30_000,
  }, async () => {
    const [na, nb] = nodes as [ReturnType<typeof createNode>, ReturnType<typeof createNode>]
    await na.start()
    await nb.start()
    const addr = na.listenAddress
    expect(addr?.host).toBe('::1')
    await nb.dial(addr as { host: string; port: number })
    const alice = await createClient({
      node: na,
      store: createMemoryStore(),
      crypto,
      nickname: 'alice',
    })
    const bob = await createClient({
      node: nb,
      store: createMemoryStore(),
      crypto,
      nickname: 'bob',
    })
    clients.push(alice, bob)

    await until(() => na.client(bob.hash)?.reachable === true)
    await alice.addFriend(bob.key)
    await until(async () => (await bob.requests()).length === 1)
    await bob.accept(alice.key)
    await until(async () => (await alice.friends())[0]?.keyed === true)

    const got: Message[] = []
    bob.on('message', (m) => got.push(m))
    await alice.send(bob.key, 'over tcp')
    await until(() => got.length === 1)
    expect(got[0]?.text).toBe('over tcp')
    await bob.markRead(got[0] as Message)
    await until(async () => (await alice.history(alice.chatId(bob.key)))[0]?.state === 'read')
  })
})
