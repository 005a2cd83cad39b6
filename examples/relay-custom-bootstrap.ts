// A relay that joins the mesh through the operator's own bootstrap list instead of the shipped
// one, keeps its last-known nodes where the operator says, and logs its peers. The same as
// `chat6 node --bootstrap FILE`, as a program.
// Run it with a TypeScript runner after `pnpm build`, e.g.
// `npx tsx examples/relay-custom-bootstrap.ts nodes.txt ./state`.
import { readFileSync } from 'node:fs'
import { createFileKnownNodesStore, createNode, parseBootstrapList } from '@chat6/node'

const [file = 'bootstrap.txt', stateDir = '.'] = process.argv.slice(2)
// one [ADDR]:PORT per line (or separated by spaces or commas), # starts a comment
const { nodes, invalid } = parseBootstrapList(readFileSync(file, 'utf8'))
if (invalid.length > 0) console.warn(`ignoring bad entries in ${file}: ${invalid.join(', ')}`)

const node = createNode({
  listen: { host: '::', port: 7600 },
  bootstrap: nodes,
  useShippedBootstrap: false, // only the operator's list (plus last-known nodes)
  knownNodes: createFileKnownNodesStore(stateDir),
  allowUla: true, // a private mesh on fc00::/7 addresses
})
node.on('peer:connect', (peer) =>
  console.log(`peer up   [${peer.remote.host}]:${peer.remote.port}`),
)
node.on('peer:disconnect', ({ peer, reason }) =>
  console.log(`peer down [${peer.remote.host}]:${peer.remote.port} (${reason})`),
)
await node.start()
console.log(`relay listening on port ${node.listenAddress?.port}, dialling ${nodes.length} nodes`)

// BYE to every peer and the last-known nodes saved, then exit
process.once('SIGINT', () => void node.stop())
process.once('SIGTERM', () => void node.stop())
