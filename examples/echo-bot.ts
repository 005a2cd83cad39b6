// An echo bot: accepts every friend request and answers each message with the same text.
// Run it with a TypeScript runner after `pnpm build`, e.g. `CHAT6_PASSPHRASE=… npx tsx examples/echo-bot.ts`.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createClient, createSqliteStore } from '@chat6/client'
import { createNode, defaultDataDir } from '@chat6/node'

const dataDir = process.env.CHAT6_DATA ?? defaultDataDir()
mkdirSync(dataDir, { recursive: true })
const node = createNode({ dataDir })
await node.start()
const bot = await createClient({
  node,
  store: createSqliteStore(join(dataDir, 'echo-bot.db')),
  nickname: 'echo',
  passphrase: process.env.CHAT6_PASSPHRASE,
})
console.log(`echo bot online, add me: ${Buffer.from(bot.key).toString('base64')}`)

bot.on('friend-request', (request) => void bot.accept(request.key))
bot.on('message', async (message) => {
  await bot.markRead(message)
  if (message.text !== undefined) await bot.send(message.peer, message.text, { chatid: message.chatid })
})
process.once('SIGINT', async () => {
  await bot.stop()
  await node.stop()
})
