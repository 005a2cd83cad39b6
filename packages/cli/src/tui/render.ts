// Renders the chat screen from a plain view model to lines of text with ANSI colours: a pure
// function of (view, size), so the layout is unit-tested and a redraw is just "print these".
import {
  clockTime,
  type DeliveryState,
  displayWidth,
  fit,
  sanitize,
  stateMark,
  wrap,
} from '../format.ts'
import type { EditorState } from './editor.ts'

/** A friend in the left pane. */
export interface FriendItem {
  /** Stable id: the hex client hash. */
  id: string
  name: string
  shortHash: string
  online: boolean
  /** `requested`: our request is not answered yet. */
  status: 'requested' | 'friend'
  unread: number
  verified: boolean
  keyChanged: boolean
}

/** A pending incoming request. */
export interface RequestItem {
  id: string
  name: string
  shortHash: string
}

/** A line of the conversation. */
export interface MessageItem {
  id: string
  outgoing: boolean
  text: string
  state: DeliveryState
  time: number
}

/** A line that is not a message: /help output, safety numbers, events. */
export interface InfoItem {
  id: string
  info: string
  time: number
}

/** Everything the screen shows. */
export interface ChatView {
  me: { nickname: string; shortHash: string }
  /** Right side of the title bar, e.g. `3 peers`. */
  network: string
  friends: FriendItem[]
  requests: RequestItem[]
  selected: string | undefined
  /** The conversation with the selected friend, oldest first, with interleaved info lines. */
  lines: (MessageItem | InfoItem)[]
  /** Lines scrolled up from the bottom of the conversation. */
  scroll: number
  notice: { text: string; error: boolean } | undefined
  input: EditorState
  ascii: boolean
  color: boolean
}

/** A rendered screen: one string per row, and where the cursor goes. */
export interface Frame {
  lines: string[]
  cursor: { row: number; col: number }
}

const sgr = (on: boolean, code: string, text: string) =>
  on ? `\u001b[${code}m${text}\u001b[0m` : text

/** Width of the friends pane for a terminal `cols` wide (0: hidden). */
export function paneWidth(cols: number): number {
  if (cols < 50) return 0
  return Math.min(28, Math.max(16, Math.floor(cols / 4)))
}

function friendLine(f: FriendItem, selected: boolean, width: number, v: ChatView): string {
  const dot =
    f.status === 'requested'
      ? sgr(v.color, '33', v.ascii ? '?' : '◌')
      : f.online
        ? sgr(v.color, '32', v.ascii ? '*' : '●')
        : sgr(v.color, '2', v.ascii ? 'o' : '○')
  const unread = f.unread > 0 ? ` ${f.unread}` : ''
  const tag = f.keyChanged ? ' !' : ''
  const name = fit(sanitize(f.name), Math.max(1, width - 3 - unread.length - tag.length), false)
  const body = `${selected ? '>' : ' '}${dot} ${name}${sgr(v.color, '31', tag)}`
  const padded = fit(body, width - displayWidth(unread)) + sgr(v.color, '1;36', unread)
  return selected ? sgr(v.color, '7', padded) : padded
}

function leftPane(v: ChatView, width: number, height: number): string[] {
  const out: string[] = [fit(sgr(v.color, '1', ' Friends'), width)]
  if (v.friends.length === 0) out.push(fit(sgr(v.color, '2', '  none: /add KEY'), width))
  for (const f of v.friends) out.push(friendLine(f, f.id === v.selected, width, v))
  if (v.requests.length > 0) {
    out.push(fit('', width))
    out.push(fit(sgr(v.color, '1;33', ` Requests (${v.requests.length})`), width))
    for (const r of v.requests)
      out.push(fit(`  ${sanitize(r.name)} ${sgr(v.color, '2', r.shortHash)}`, width))
    out.push(fit(sgr(v.color, '2', '  /accept or /reject'), width))
  }
  // the pane never pushes the conversation: extra entries are cut with a count
  if (out.length > height) {
    const hidden = out.length - height + 1
    return [...out.slice(0, height - 1), fit(sgr(v.color, '2', ` … ${hidden} more`), width)]
  }
  while (out.length < height) out.push(' '.repeat(width))
  return out
}

function conversationLines(v: ChatView, width: number): string[] {
  const friend = v.friends.find((f) => f.id === v.selected)
  const out: string[] = []
  for (const item of v.lines) {
    const time = sgr(v.color, '2', clockTime(item.time))
    if ('info' in item) {
      for (const l of wrap(sanitize(item.info, true), Math.max(1, width - 8)))
        out.push(`${time}  ${sgr(v.color, '36', l)}`)
      continue
    }
    const who = item.outgoing ? 'you' : sanitize(friend?.name ?? 'them')
    const label = sgr(v.color, item.outgoing ? '1;34' : '1;35', who)
    const mark = item.outgoing ? stateMark(item.state, v.ascii) : ''
    const markText =
      mark === ''
        ? ''
        : ` ${sgr(v.color, item.state === 'read' ? '36' : item.state === 'queued' ? '2' : '32', mark)}`
    const prefixW = 6 + displayWidth(who) + 2
    const indent = ' '.repeat(Math.min(prefixW, 8))
    const first = Math.max(1, width - prefixW)
    const textLines = wrap(sanitize(item.text, true), first)
    // continuation lines take the full width less a small indent
    const rest =
      textLines.length > 1
        ? wrap(textLines.slice(1).join(' '), Math.max(1, width - indent.length))
        : []
    const lines = [`${time} ${label}: ${textLines[0] ?? ''}`, ...rest.map((l) => indent + l)]
    const last = lines.length - 1
    if (markText !== '') {
      if (displayWidth(lines[last] ?? '') + displayWidth(markText) <= width) lines[last] += markText
      else lines.push(indent + markText.trimStart())
    }
    out.push(...lines)
  }
  return out
}

function rightPane(v: ChatView, width: number, height: number): string[] {
  const friend = v.friends.find((f) => f.id === v.selected)
  let header: string
  if (friend === undefined)
    header = sgr(v.color, '2', ' no friend selected: Tab to switch, /add KEY')
  else {
    const state =
      friend.status === 'requested'
        ? sgr(v.color, '33', 'request sent, waiting for them')
        : friend.online
          ? sgr(v.color, '32', 'online')
          : sgr(v.color, '2', 'offline')
    const verified = friend.keyChanged
      ? sgr(v.color, '1;31', ' · KEY CHANGED: /verify')
      : friend.verified
        ? sgr(v.color, '32', ` · ${v.ascii ? 'verified' : '✓ verified'}`)
        : ''
    header = ` ${sgr(v.color, '1', sanitize(friend.name))} ${sgr(v.color, '2', friend.shortHash)} · ${state}${verified}`
  }
  const body = conversationLines(v, width - 1).map((l) => ` ${l}`)
  const room = height - 1
  const maxScroll = Math.max(0, body.length - room)
  const scroll = Math.min(Math.max(0, v.scroll), maxScroll)
  const end = body.length - scroll
  const visible = body.slice(Math.max(0, end - room), end)
  const out = [fit(header, width)]
  // the conversation sits at the bottom, next to the input, like every chat
  for (let i = visible.length; i < room; i++) out.push(' '.repeat(width))
  for (const l of visible) out.push(fit(l, width))
  if (scroll > 0) out[1] = fit(sgr(v.color, '2', ` ↑ ${scroll} more lines below: PgDn`), width)
  return out
}

/**
 * Lays out the whole screen.
 * @param v - what to show
 * @param cols - terminal width
 * @param rows - terminal height
 * @example
 * ```ts
 * const { lines, cursor } = renderChat(view, 80, 24)
 * ```
 */
export function renderChat(v: ChatView, cols: number, rows: number): Frame {
  const width = Math.max(10, cols)
  const height = Math.max(6, rows)
  const title = ` chat6 · ${sanitize(v.me.nickname)} ${v.me.shortHash}`
  const right = `${v.network} · Tab: switch · /help `
  const bar =
    displayWidth(title) + displayWidth(right) + 1 <= width
      ? title + ' '.repeat(width - displayWidth(title) - displayWidth(right)) + right
      : fit(title, width)
  const lines = [sgr(v.color, '7', fit(bar, width))]
  const bodyH = height - 4
  const pw = paneWidth(width)
  const sep = sgr(v.color, '2', v.ascii ? '|' : '│')
  if (pw > 0) {
    const left = leftPane(v, pw, bodyH)
    const conv = rightPane(v, width - pw - 1, bodyH)
    for (let i = 0; i < bodyH; i++) lines.push(`${left[i]}${sep}${conv[i]}`)
  } else {
    lines.push(...rightPane(v, width, bodyH))
  }
  lines.push(sgr(v.color, '2', (v.ascii ? '-' : '─').repeat(width)))
  const notice = v.notice
  lines.push(
    notice === undefined
      ? ' '.repeat(width)
      : fit(sgr(v.color, notice.error ? '31' : '36', ` ${sanitize(notice.text)}`), width),
  )
  // the input scrolls horizontally to keep the cursor visible
  const prompt = '> '
  const room = width - prompt.length - 1
  const beforeCursor = v.input.text.slice(0, v.input.cursor)
  let start = 0
  while (displayWidth(v.input.text.slice(start, v.input.cursor)) > room) start++
  lines.push(fit(prompt + v.input.text.slice(start), width))
  const col = prompt.length + displayWidth(beforeCursor.slice(start))
  return { lines, cursor: { row: height - 1, col: Math.min(col, width - 1) } }
}
