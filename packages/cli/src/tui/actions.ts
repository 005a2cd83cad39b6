// What a line entered on the chat screen does: send a message, or run a slash command. Every
// command says what happened on the status line, including when nothing needed doing.
import type { Client } from '@chat6/client'
import { CliError } from '../errors.ts'
import { sanitize, shortHash, toBase64, toHex } from '../format.ts'
import { qrLines } from '../qr.ts'
import { pickRequest, requestLabel } from '../requests.ts'
import { parseKey, resolveNamed } from '../resolve.ts'
import { CHAT_COMMANDS, type ChatInput } from './commands.ts'
import type { Keymap } from './keys.ts'
import { keysOf } from './keys.ts'
import { type ChatModel, nameOf } from './model.ts'

/** What the commands run on. */
export interface ActionContext {
  client: Client
  model: ChatModel
  keys: Keymap
  color: boolean
  /** Selects the friend after `delta` in the list. */
  switchBy(delta: number): void
  quit(): void
}

/**
 * Runs one entered line, already parsed.
 * @throws CliError for a mistake, shown on the status line
 */
export async function runChatInput(cmd: ChatInput, a: ActionContext): Promise<void> {
  const { client, model: m } = a
  switch (cmd.kind) {
    case 'empty':
      return
    case 'error':
      m.notices.set(cmd.message, 'error')
      return
    case 'quit':
      return a.quit()
    case 'help':
      for (const [c, h] of CHAT_COMMANDS) m.info(`${c.padEnd(16)} ${h}`)
      m.info(
        `${keysOf(a.keys, 'newline')} new line · ${keysOf(a.keys, 'next-friend')} switch friend · ` +
          `${keysOf(a.keys, 'scroll-up')}/${keysOf(a.keys, 'scroll-down')} scroll · ${keysOf(a.keys, 'quit')} quit`,
      )
      return
    case 'message': {
      const f = m.selectedFriend()
      if (f === undefined) throw new CliError('usage', 'no friend selected: /add KEY first')
      await client.send(f.key, cmd.text)
      m.scroll = 0
      const hex = toHex(f.hash)
      if (f.status === 'requested')
        m.notices.set(
          `${nameOf(f)} has not accepted your request yet: the message waits for that (…)`,
          'info',
          `queued:${hex}`,
        )
      else if (!(f.online && f.reachable))
        m.notices.set(
          `${nameOf(f)} is ${f.online ? 'online but unreachable' : 'offline'}: queued (…), sent when they can be reached`,
          'info',
          `queued:${hex}`,
        )
      return
    }
    case 'add': {
      const key = parseKey(cmd.key)
      const hex = toHex(key)
      const known = m.friends.find((f) => toHex(f.key) === hex)
      const asked = m.requests.find((r) => toHex(r.key) === hex)
      // without a name, the one they announce is kept as soon as the client sees it
      const f = await client.addFriend(key, cmd.nick === undefined ? {} : { nickname: cmd.nick })
      m.selected = toHex(f.hash)
      if (known?.status === 'friend') m.notices.set(`${nameOf(known)} is already your friend`)
      else if (known !== undefined)
        m.notices.set(
          `you asked ${nameOf(known)} already: the request is sent again while you are both online`,
          'info',
          `request:${toHex(f.hash)}`,
        )
      else if (asked !== undefined)
        m.notices.set(`${nameOf(f)} had asked you: accepted, you are friends`)
      else m.notices.set(`friend request sent to ${nameOf(f)}`, 'info', `request:${toHex(f.hash)}`)
      return
    }
    case 'accept': {
      const r = oneRequest(cmd.who, m)
      const f = await client.accept(r.key)
      m.selected = toHex(f.hash)
      m.notices.set(
        `accepted ${nameOf(f)} ${shortHash(f.hash)}: you are friends (/verify compares safety numbers)`,
      )
      return
    }
    case 'reject': {
      const r = oneRequest(cmd.who, m)
      await client.reject(r.key)
      m.notices.set(`rejected ${requestLabel(r)} (blocked)`)
      return
    }
    case 'nick':
      await client.setNickname(cmd.name)
      m.notices.set(`you are now ${sanitize(cmd.name)}`)
      return
    case 'status': {
      await client.setStatus(
        cmd.note === undefined
          ? { availability: cmd.availability }
          : { availability: cmd.availability, note: cmd.note },
      )
      const { availability, note } = client.status
      m.notices.set(
        `you are ${availability}${note === undefined ? '' : ` · ${sanitize(note)}`}: your friends see it (/note changes the message)`,
      )
      return
    }
    case 'note':
      await client.setStatus({ note: cmd.note ?? null })
      m.notices.set(
        cmd.note === undefined
          ? 'status message cleared'
          : `status message: ${sanitize(cmd.note)} (your friends see it)`,
      )
      return
    case 'verify': {
      const f = m.selectedFriend()
      if (f === undefined) throw new CliError('usage', 'select a friend to verify')
      if (cmd.confirm) {
        if (f.verified && !f.keyChanged) {
          m.notices.set(`${nameOf(f)} is verified already`)
          return
        }
        await client.markVerified(f.key)
        m.notices.set(`${nameOf(f)} marked verified`)
        return
      }
      const n = await client.safetyNumber(f.key)
      m.info(`safety number with ${nameOf(f)}: ${n.text}`)
      m.info(`compare it with ${nameOf(f)} (in person or by phone); if equal, type /verify ok`)
      return
    }
    case 'switch': {
      if (cmd.who === undefined) return a.switchBy(1)
      const f = resolveNamed(cmd.who, m.friends, 'friend')
      m.selected = toHex(f.hash)
      m.scroll = 0
      return
    }
    case 'mykey': {
      const key = toBase64(client.key)
      m.info(`your key: ${key} (a friend types /add ${key}, or scans:)`)
      m.info(qrLines(key, { color: a.color }).join('\n'), { pre: true })
      m.scroll = 0
      return
    }
  }
}

function oneRequest(who: string | undefined, m: ChatModel) {
  if (who !== undefined) return pickRequest(who, m.requests)
  const first = m.requests[0]
  if (first === undefined) throw new CliError('not_found', 'no pending friend requests')
  return first
}
