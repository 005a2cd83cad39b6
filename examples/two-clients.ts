// Two clients on two nodes over ::1, in one program: alice adds bob, bob accepts, alice sends a
// message and watches it go queued → sent → delivered → read. What `chat6 demo` narrates, in
// thirty lines of the library.
// Run it with a TypeScript runner after `pnpm build`, e.g. `npx tsx examples/two-clients.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, createSqliteStore } from '@chat6/client'
import { createNode } from '@chat6/node'

const dir = mkdtempSync(join(tmpdir(), 'chat6-two-clients-'))
const loopback = { allowLoopback: true, useShippedBootstrap: false, dataDir: false } as const
const nodeA = createNode({ ...loopback, listen: { host: '::1', port: 0 } })
await nodeA.start()
const nodeB = createNode({
  ...loopback,
  listen: false,
  bootstrap: [nodeA.listenAddress ?? { host: '::1', port: 7600 }],
})
await nodeB.start()

const alice = await createClient({
  node: nodeA,
  store: createSqliteStore(join(dir, 'alice.db')),
  nickname: 'alice',
})
const bob = await createClient({
  node: nodeB,
  store: createSqliteStore(join(dir, 'bob.db')),
  nickname: 'bob',
})

bob.on('friend-request', (request) => void bob.accept(request.key))
bob.on('message', (message) => {
  console.log(`bob got: ${message.text}`)
  void bob.markRead(message)
})
const read = new Promise<void>((resolve) =>
  alice.on('receipt', (receipt) => {
    console.log(`alice's message is ${receipt.state}`)
    if (receipt.state === 'read') resolve()
  }),
)
// the request leaves as soon as alice's node has seen bob's presence
await alice.addFriend(bob.key)
await new Promise<void>((resolve) => alice.on('friend-added', () => resolve()))
await alice.send(bob.key, 'hello bob, over IPv6')
await read

await alice.stop()
await bob.stop()
await nodeB.stop()
await nodeA.stop()
rmSync(dir, { recursive: true, force: true })
