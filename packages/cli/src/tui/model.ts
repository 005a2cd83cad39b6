// What the chat screen knows: friends, requests, the selected conversation, info lines, unread
// counts and the status line, reloaded from the client on its events, and turned into the
// plain view that render.ts draws.
import type { Client, Friend, Message } from '@chat6/client'
import { MAX_MESSAGE_BYTES } from '@chat6/client'
import type { Chat6Node } from '@chat6/node'
import { shortHash, toHex } from '../format.ts'
import { type PresentedRequest, presentRequests } from '../requests.ts'
import { type EditorState, emptyEditor } from './editor.ts'
import { createNotices, type Notices } from './notices.ts'
import type { ChatView, InfoItem, MessageItem } from './render.ts'
import type { Theme } from './theme.ts'

const HISTORY_PAGE = 200
const MAX_INFOS = 80

/** The screen's state. */
export interface ChatModel {
  friends: Friend[]
  requests: PresentedRequest[]
  messages: Message[]
  selected: string | undefined
  scroll: number
  editor: EditorState
  /** The terminal has focus (focus reporting); true when it does not report. */
  focused: boolean
  /** A long message waits for a second Enter. */
  confirming: boolean
  notices: Notices
  unread: Map<string, number>
  selectedFriend(): Friend | undefined
  /** Adds an info line to a conversation (the selected one by default). */
  info(text: string, opts?: { id?: string; pre?: boolean }): void
  /** Reloads friends, requests and the selected conversation; marks what is shown read. */
  reload(): Promise<void>
  view(network: string): ChatView
}

/** The display name of a friend or request. */
export const nameOf = (f: { nickname: string | undefined; hash: Uint8Array }) =>
  f.nickname ?? shortHash(f.hash)

/** A model on `client`; `node` supplies the presented nicknames of requests. */
export function createChatModel(
  client: Client,
  node: Pick<Chat6Node, 'client'> | undefined,
  look: { ascii: boolean; color: boolean; theme: Theme | undefined; showTyping?: boolean },
  now: () => number = Date.now,
): ChatModel {
  const infos = new Map<string, InfoItem[]>()
  let infoSeq = 0
  const m: ChatModel = {
    friends: [],
    requests: [],
    messages: [],
    selected: undefined,
    scroll: 0,
    editor: emptyEditor(),
    focused: true,
    confirming: false,
    notices: createNotices(now),
    unread: new Map(),
    selectedFriend: () => m.friends.find((f) => toHex(f.hash) === m.selected),
    info(text, opts = {}) {
      const id = opts.id ?? m.selected ?? ''
      const list = infos.get(id) ?? []
      list.push({
        id: `i${infoSeq++}`,
        info: text,
        time: now(),
        ...(opts.pre ? { pre: true } : {}),
      })
      infos.set(id, list.slice(-MAX_INFOS))
    },
    async reload() {
      m.friends = await client.friends()
      m.requests = presentRequests(await client.requests(), m.friends, node)
      if (m.selected === undefined || !m.friends.some((f) => toHex(f.hash) === m.selected)) {
        const first = m.friends[0]
        m.selected = first === undefined ? undefined : toHex(first.hash)
      }
      // info lines written before there was a conversation follow into the first one
      const early = infos.get('')
      if (m.selected !== undefined && early !== undefined) {
        infos.set(m.selected, [...early, ...(infos.get(m.selected) ?? [])])
        infos.delete('')
      }
      const f = m.selectedFriend()
      m.messages =
        f === undefined ? [] : await client.history(client.chatId(f.key), { limit: HISTORY_PAGE })
      // what is on a screen the user looks at has been read: tell the sender (MESSAGE_READ)
      if (f !== undefined && m.focused) {
        m.unread.delete(toHex(f.hash))
        for (const msg of m.messages)
          if (!msg.outgoing && msg.state === 'received') {
            msg.state = 'read'
            client.markRead(msg).catch(() => {})
          }
      }
    },
    view(network) {
      const conv: (MessageItem | InfoItem)[] = m.messages.map((msg) => ({
        id: toHex(msg.msgid),
        outgoing: msg.outgoing,
        text: msg.text ?? `(${msg.body.length} bytes, type ${msg.mtype})`,
        state: msg.state,
        time: msg.time,
      }))
      const extra = infos.get(m.selected ?? '') ?? []
      const lines = [...conv, ...extra].sort((a, b) => a.time - b.time)
      return {
        me: {
          nickname: client.nickname,
          shortHash: shortHash(client.hash),
          availability: client.status.availability,
          note: client.status.note,
        },
        network,
        friends: m.friends.map((f) => ({
          id: toHex(f.hash),
          name: nameOf(f),
          shortHash: shortHash(f.hash),
          online: f.online && f.reachable,
          status: f.status,
          availability: f.availability,
          note: f.note,
          typing: f.typing && look.showTyping !== false,
          unread: m.unread.get(toHex(f.hash)) ?? 0,
          verified: f.verified,
          keyChanged: f.keyChanged,
        })),
        requests: m.requests.map((r) => ({
          id: toHex(r.hash),
          name: r.nickname,
          shortHash: shortHash(r.hash),
          conflict: r.conflict,
        })),
        selected: m.selected,
        lines,
        scroll: m.scroll,
        notice: m.notices.current(),
        input: m.editor,
        maxBytes: MAX_MESSAGE_BYTES,
        ascii: look.ascii,
        color: look.color,
        ...(look.theme === undefined ? {} : { theme: look.theme }),
      }
    },
  }
  return m
}
