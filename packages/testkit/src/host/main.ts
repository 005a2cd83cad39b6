// A chat6 host for multi-host tests: one node and one client in this process, on real TCP. It
// reports as JSON lines on stdout and takes JSON-line commands on stdin (see ./protocol.ts).
// Run: node dist/host/main.js '<HostConfig JSON>'
import { createClient, createMemoryStore, type Friend } from '@chat6/client'
import { createNode } from '@chat6/node'
import { base64Encode } from '@chat6/wire'
import { type HostCommand, type HostConfig, type HostReport, parseConfig } from './protocol.ts'

const report = (r: HostReport): void => {
  process.stdout.write(`${JSON.stringify(r)}\n`)
}

async function main(config: HostConfig): Promise<void> {
  const t = config.timers ?? {}
  const node = createNode({
    listen: { host: '::', port: config.port },
    bootstrap: config.peers,
    useShippedBootstrap: false,
    useEnvBootstrap: false,
    dataDir: false,
    allowUla: true,
    allowLoopback: true,
    targetPeers: config.targetPeers,
    keepaliveInterval: t.keepaliveInterval,
    keepaliveTimeout: t.keepaliveTimeout,
    backoffMin: t.backoffMin,
    backoffMax: t.backoffMax,
    maintainInterval: t.maintainInterval,
  })
  const peers = (): string[] => node.peers().map((p) => p.id)
  node.on('peer:connect', () => report({ event: 'peers', peers: peers() }))
  node.on('peer:disconnect', () => report({ event: 'peers', peers: peers() }))
  const reachable = (): string[] =>
    node
      .clients()
      .filter((c) => c.status === 'online' && c.reachable)
      .map((c) => c.id)
  for (const kind of ['online', 'update', 'offline', 'reachable', 'unreachable'] as const) {
    node.on(`client:${kind}`, () => report({ event: 'clients', reachable: reachable() }))
  }
  await node.start()
  const client = await createClient({
    node,
    store: createMemoryStore(),
    nickname: config.name,
    limits: t.retryInterval === undefined ? {} : { retryInterval: t.retryInterval },
  })
  const friend = (f: Friend): void =>
    report({
      event: 'friend',
      key: base64Encode(f.key),
      online: f.online,
      reachable: f.reachable,
      keyed: f.keyed,
    })
  client.on('presence', friend)
  client.on('friend-added', friend)
  client.on('friend-request', (r) => {
    if (config.acceptAll === true)
      void client
        .accept(r.key)
        .then(friend, (e: unknown) => report({ event: 'error', message: String(e) }))
  })
  client.on('message', (m) =>
    report({
      event: 'message',
      from: base64Encode(m.peer),
      msgid: base64Encode(m.msgid),
      text: m.text ?? '',
    }),
  )
  client.on('receipt', (r) =>
    report({ event: 'receipt', msgid: base64Encode(r.msgid), state: r.state }),
  )
  client.on('error', (e) => report({ event: 'error', message: e.message }))

  const handle = async (c: HostCommand): Promise<void> => {
    if (c.cmd === 'status') report({ event: 'status', peers: peers(), reachable: reachable() })
    else if (c.cmd === 'befriend') friend(await client.addFriend(c.key))
    else if (c.cmd === 'send') {
      const m = await client.send(c.to, c.text)
      report({ event: 'sent', msgid: base64Encode(m.msgid), text: c.text })
    } else if (c.cmd === 'stop') {
      await client.stop()
      await node.stop()
      report({ event: 'stopped' })
      process.exit(0)
    }
  }
  let partial = ''
  process.stdin.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk
    for (let i = partial.indexOf('\n'); i >= 0; i = partial.indexOf('\n')) {
      const line = partial.slice(0, i)
      partial = partial.slice(i + 1)
      if (line.trim() === '') continue
      handle(JSON.parse(line) as HostCommand).catch((e: unknown) =>
        report({ event: 'error', message: String(e) }),
      )
    }
  })
  // The test owns this process: when it goes away, so do we.
  process.stdin.on('end', () => process.exit(0))
  report({
    event: 'ready',
    name: config.name,
    nodeId: node.id,
    clientKey: base64Encode(client.key),
    clientId: base64Encode(client.hash),
  })
}

main(parseConfig(process.argv[2])).catch((e: unknown) => {
  report({ event: 'fatal', message: e instanceof Error ? (e.stack ?? e.message) : String(e) })
  process.exit(1)
})
