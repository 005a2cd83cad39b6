// An echo bot: accepts every friend request and answers each message with the same text.
// Run it with a TypeScript runner after `pnpm build`, e.g. `CHAT6_PASSPHRASE=… npx tsx examples/echo-bot.ts`.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createClient, createSqliteStore } from '@chat6/client'
import { createNode, defaultDataDir } from '@chat6/node'

const { CHAT6_DATA, CHAT6_PASSPHRASE } = process.env
const dataDir = CHAT6_DATA ?? defaultDataDir()
mkdirSync(dataDir, { recursive: true })
const node = createNode({ dataDir })
await node.start()
const bot = await createClient({
  node,
  store: createSqliteStore(join(dataDir, 'echo-bot.db')),
  nickname: 'echo',
  passphrase: CHAT6_PASSPHRASE,
})
console.log(`echo bot online, add me: ${Buffer.from(bot.key).toString('base64')}`)

bot.on('friend-request', (request) => void bot.accept(request.key))
bot.on('message', async (message) => {
  await bot.markRead(message)
  const { peer, text, chatid } = message
  if (text !== undefined) await bot.send(peer, text, { chatid })
})
process.once('SIGINT', async () => {
  await bot.stop()
  await node.stop()
})
