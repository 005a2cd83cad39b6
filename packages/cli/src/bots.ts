// The demo's bots: small clients that accept every friend request and answer messages.
import type { Client } from '@chat6/client'
import { clockTime } from './format.ts'

/** Makes a client a bot: accepts requests, marks messages read and answers with `reply`. */
export function runBot(client: Client, reply: (text: string) => string): () => void {
  const offs = [
    client.on('friend-request', (r) => {
      client.accept(r.key).catch(() => {})
    }),
    client.on('message', (m) => {
      client
        .markRead(m)
        .then(() => client.send(m.peer, reply(m.text ?? '')))
        .catch(() => {})
    }),
  ]
  return () => {
    for (const off of offs) off()
  }
}

/** The echo bot's answer. */
export const echoReply = (text: string) => `echo: ${text}`

/** The clock bot's answer: the time, whatever was asked. */
export const clockReply = (_text: string, now: number = Date.now()) =>
  `it is ${clockTime(now)} here (${new Date(now).toISOString()})`
