// The chat screen's side effects: keys from node:readline in raw mode, the client's events, and
// drawing renderChat()'s frames with plain ANSI sequences (alternate screen, only changed rows),
// so it works in any terminal, over SSH too.
import { emitKeypressEvents } from 'node:readline'
import type { Client, Friend, FriendRequest, Message } from '@chat6/client'
import type { Chat6Node } from '@chat6/node'
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { sanitize, shortHash, toHex } from '../format.ts'
import { parseKey, resolveNamed } from '../resolve.ts'
import { CHAT_COMMANDS, parseChatInput } from './commands.ts'
import { editorKey, emptyEditor, type Key } from './editor.ts'
import { type ChatView, type InfoItem, type MessageItem, renderChat } from './render.ts'

/** What the chat screen runs on. */
export interface ChatScreenInput {
  client: Client
  /** Right side of the title bar (peer count…). */
  network: () => string
  nodeOf: () => Chat6Node
  /** Leaves the screen when aborted (SIGTERM). */
  signal?: AbortSignal
}

const ESC = '\u001b['
const HISTORY_PAGE = 200

const nameOf = (f: { nickname: string | undefined; hash: Uint8Array }) =>
  f.nickname ?? shortHash(f.hash)

/**
 * Runs the full-screen chat until /quit or Ctrl-C.
 * @throws CliError `usage` when stdin or stdout is not a terminal
 */
export async function runChatScreen(ctx: Context, input: ChatScreenInput): Promise<void> {
  const { client } = input
  const stdin = ctx.io.stdin
  const stdout = ctx.io.stdout
  if (!stdin.isTTY || !stdout.isTTY)
    throw new CliError('usage', 'the chat screen needs a terminal', {
      hint: "for scripts use 'chat6 send', 'chat6 history' and 'chat6 daemon'",
    })
  const ascii = ctx.parsed.values.ascii === true || ctx.io.env.CHAT6_ASCII === '1'
  const color = ctx.io.env.NO_COLOR === undefined && ctx.io.env.TERM !== 'dumb'

  let friends: Friend[] = []
  let requests: FriendRequest[] = []
  let messages: Message[] = []
  const infos = new Map<string, InfoItem[]>()
  const unread = new Map<string, number>()
  let selected: string | undefined
  let scroll = 0
  let notice: ChatView['notice']
  let editor = emptyEditor()
  let prev: string[] = []
  let closed = false
  let infoSeq = 0

  const selectedFriend = () => friends.find((f) => toHex(f.hash) === selected)
  const info = (text: string, id = selected ?? '') => {
    const list = infos.get(id) ?? []
    list.push({ id: `i${infoSeq++}`, info: text, time: Date.now() })
    infos.set(id, list.slice(-50))
  }

  const view = (): ChatView => {
    const conv: (MessageItem | InfoItem)[] = messages.map((m) => ({
      id: toHex(m.msgid),
      outgoing: m.outgoing,
      text: m.text ?? `(${m.body.length} bytes, type ${m.mtype})`,
      state: m.state,
      time: m.time,
    }))
    const extra = infos.get(selected ?? '') ?? []
    const lines = [...conv, ...extra].sort((a, b) => a.time - b.time)
    return {
      me: { nickname: client.nickname, shortHash: shortHash(client.hash) },
      network: input.network(),
      friends: friends.map((f) => ({
        id: toHex(f.hash),
        name: nameOf(f),
        shortHash: shortHash(f.hash),
        online: f.online && f.reachable,
        status: f.status,
        unread: unread.get(toHex(f.hash)) ?? 0,
        verified: f.verified,
        keyChanged: f.keyChanged,
      })),
      requests: requests.map((r) => ({
        id: toHex(r.hash),
        name: nameOf(r),
        shortHash: shortHash(r.hash),
      })),
      selected,
      lines,
      scroll,
      notice,
      input: editor,
      ascii,
      color,
    }
  }

  const draw = (full = false) => {
    if (closed) return
    const cols = stdout.columns ?? 80
    const rows = stdout.rows ?? 24
    const frame = renderChat(view(), cols, rows)
    let out = `${ESC}?25l`
    if (full || prev.length !== frame.lines.length) {
      out += `${ESC}2J`
      prev = []
    }
    frame.lines.forEach((line, i) => {
      if (prev[i] !== line) out += `${ESC}${i + 1};1H${line}`
    })
    prev = frame.lines
    out += `${ESC}${frame.cursor.row + 1};${frame.cursor.col + 1}H${ESC}?25h`
    stdout.write(out)
  }
  let scheduled = false
  const redraw = () => {
    if (scheduled) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      draw()
    })
  }

  const reload = async () => {
    friends = await client.friends()
    requests = await client.requests()
    if (selected === undefined || !friends.some((f) => toHex(f.hash) === selected))
      selected = friends[0] === undefined ? undefined : toHex(friends[0].hash)
    const f = selectedFriend()
    messages =
      f === undefined ? [] : await client.history(client.chatId(f.key), { limit: HISTORY_PAGE })
    // what is on screen has been read: tell the sender (MESSAGE_READ)
    if (f !== undefined) {
      unread.delete(toHex(f.hash))
      for (const m of messages)
        if (!m.outgoing && m.state === 'received') {
          m.state = 'read'
          client.markRead(m).catch(() => {})
        }
    }
    redraw()
  }
  let reloading: Promise<void> = Promise.resolve()
  const refresh = () => {
    reloading = reloading.then(reload).catch((e: unknown) => {
      notice = { text: `error: ${(e as Error).message}`, error: true }
      redraw()
    })
  }

  const switchBy = (delta: number) => {
    if (friends.length === 0) return
    const i = friends.findIndex((f) => toHex(f.hash) === selected)
    const next = friends[(i + delta + friends.length) % friends.length]
    if (next !== undefined) selected = toHex(next.hash)
    scroll = 0
    notice = undefined
    refresh()
  }

  const oneRequest = (who: string | undefined): FriendRequest => {
    if (who !== undefined) return resolveNamed(who, requests, 'request')
    const first = requests[0]
    if (first === undefined) throw new CliError('not_found', 'no pending friend requests')
    return first
  }

  let quit: () => void = () => {}
  const submit = async (line: string) => {
    const cmd = parseChatInput(line)
    notice = undefined
    switch (cmd.kind) {
      case 'empty':
        return
      case 'error':
        notice = { text: cmd.message, error: true }
        return
      case 'quit':
        return quit()
      case 'help':
        for (const [c, h] of CHAT_COMMANDS) info(`${c.padEnd(16)} ${h}`)
        info('Tab/Shift-Tab switch friend · PgUp/PgDn scroll · Ctrl-C quit')
        return
      case 'message': {
        const f = selectedFriend()
        if (f === undefined) throw new CliError('usage', 'no friend selected: /add KEY first')
        await client.send(f.key, cmd.text)
        scroll = 0
        if (!(f.online && f.reachable))
          notice = {
            text: `${nameOf(f)} is offline: queued (…), sent when they come online`,
            error: false,
          }
        return
      }
      case 'add': {
        const key = parseKey(cmd.key)
        const f = await client.addFriend(key, cmd.nick === undefined ? {} : { nickname: cmd.nick })
        selected = toHex(f.hash)
        notice = { text: `friend request sent to ${nameOf(f)}`, error: false }
        return
      }
      case 'accept': {
        const r = oneRequest(cmd.who)
        const f = await client.accept(r.key)
        selected = toHex(f.hash)
        notice = { text: `accepted ${nameOf(f)}`, error: false }
        return
      }
      case 'reject': {
        const r = oneRequest(cmd.who)
        await client.reject(r.key)
        notice = { text: `rejected ${nameOf(r)} (blocked)`, error: false }
        return
      }
      case 'nick':
        await client.setNickname(cmd.name)
        notice = { text: `you are now ${sanitize(cmd.name)}`, error: false }
        return
      case 'verify': {
        const f = selectedFriend()
        if (f === undefined) throw new CliError('usage', 'select a friend to verify')
        if (cmd.confirm) {
          await client.markVerified(f.key)
          notice = { text: `${nameOf(f)} marked verified`, error: false }
          return
        }
        const n = await client.safetyNumber(f.key)
        info(`safety number with ${nameOf(f)}: ${n.text}`)
        info(`compare it with ${nameOf(f)} (in person or by phone); if equal, type /verify ok`)
        return
      }
      case 'switch': {
        if (cmd.who === undefined) return switchBy(1)
        const f = resolveNamed(cmd.who, friends, 'friend')
        selected = toHex(f.hash)
        scroll = 0
        return
      }
    }
  }

  const offs = [
    client.on('presence', refresh),
    client.on('friend-added', refresh),
    client.on('receipt', refresh),
    client.on('friend-request', (r) => {
      notice = { text: `friend request from ${nameOf(r)}: /accept or /reject`, error: false }
      refresh()
    }),
    client.on('message', (m) => {
      const hex = toHex(m.peer)
      const f = friends.find((x) => toHex(x.key) === hex)
      if (f !== undefined && toHex(f.hash) !== selected) {
        unread.set(toHex(f.hash), (unread.get(toHex(f.hash)) ?? 0) + 1)
        notice = { text: `new message from ${nameOf(f)} (Tab to switch)`, error: false }
      }
      refresh()
    }),
  ]
  // the title bar's peer count changes without a client event
  const tick = setInterval(redraw, 2000)

  emitKeypressEvents(stdin)
  stdin.setRawMode(true)
  stdin.resume()
  stdout.write(`${ESC}?1049h${ESC}H`)
  const onResize = () => draw(true)
  process.stdout.on('resize', onResize)

  await new Promise<void>((resolve) => {
    quit = () => resolve()
    const onKey = (_str: string | undefined, key: Key) => {
      const { state, action } = editorKey(editor, key ?? { sequence: _str })
      editor = state
      if (action === undefined) return redraw()
      switch (action.kind) {
        case 'quit':
          return resolve()
        case 'redraw':
          return draw(true)
        case 'next-friend':
          return switchBy(1)
        case 'prev-friend':
          return switchBy(-1)
        case 'scroll':
          scroll = Math.max(0, scroll + action.by)
          return redraw()
        case 'submit':
          submit(action.line)
            .catch((e: unknown) => {
              notice = { text: (e as Error).message, error: true }
            })
            .finally(refresh)
          return redraw()
      }
    }
    stdin.on('keypress', onKey)
    offs.push(() => stdin.off('keypress', onKey))
    input.signal?.addEventListener('abort', () => resolve())
    refresh()
  })

  closed = true
  clearInterval(tick)
  for (const off of offs) off()
  process.stdout.off('resize', onResize)
  stdin.setRawMode(false)
  stdin.pause()
  stdout.write(`${ESC}?1049l${ESC}?25h`)
  await reloading.catch(() => {})
}
