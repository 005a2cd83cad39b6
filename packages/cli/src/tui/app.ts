// The chat screen's side effects: keys from node:readline in raw mode (bracketed paste and focus
// reporting on), the client's and node's events, notifications, and drawing renderChat()'s
// frames with plain ANSI sequences (alternate screen, only changed rows), so it works in any
// terminal, over SSH too.
import { emitKeypressEvents } from 'node:readline'
import { type Client, MAX_MESSAGE_BYTES } from '@chat6/client'
import { clientHash } from '@chat6/crypto'
import type { Chat6Node } from '@chat6/node'
import type { HostPort } from '../addr.ts'
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { toHex } from '../format.ts'
import { requestLabel } from '../requests.ts'
import { type ActionContext, runChatInput } from './actions.ts'
import { parseChatInput } from './commands.ts'
import { commitLine, type EditorAction, editorKey, type Key, MAX_EDITOR_TEXT } from './editor.ts'
import { createChatModel, nameOf } from './model.ts'
import { watchNetwork } from './network-watch.ts'
import { createNotifier } from './notify.ts'
import { renderChat, utf8Length } from './render.ts'
import { type ChatSettings, DEFAULT_CHAT_SETTINGS } from './settings.ts'

/** What the chat screen runs on. */
export interface ChatScreenInput {
  client: Client
  /** The node the client is attached to: peers, failed dials, presented nicknames. */
  node: Chat6Node
  /** The peers the user asked for (--peer, config.json): the screen says if they fail. */
  dialling: readonly HostPort[]
  /** Text of the title bar's right side instead of the peer count (the demo). */
  label?: () => string
  /** Colours, keys, notifications (config.json). */
  settings?: ChatSettings
  /** Leaves the screen when aborted (SIGTERM). */
  signal?: AbortSignal
}

const ESC = '\u001b['
/** A message of more lines than this is sent only after a second Enter. */
export const CONFIRM_LINES = 3

/**
 * Runs the full-screen chat until /quit or Ctrl-C.
 * @throws CliError `usage` when stdin or stdout is not a terminal
 */
export async function runChatScreen(ctx: Context, input: ChatScreenInput): Promise<void> {
  const { client, node } = input
  const settings = input.settings ?? DEFAULT_CHAT_SETTINGS
  const stdin = ctx.io.stdin
  const stdout = ctx.io.stdout
  if (!stdin.isTTY || !stdout.isTTY)
    throw new CliError('usage', 'the chat screen needs a terminal', {
      hint: "for scripts use 'chat6 send', 'chat6 history' and 'chat6 daemon'",
    })
  const ascii = ctx.parsed.values.ascii === true || ctx.io.env.CHAT6_ASCII === '1'
  const color = ctx.io.env.NO_COLOR === undefined && ctx.io.env.TERM !== 'dumb'
  const m = createChatModel(client, node, {
    ascii,
    color,
    theme: settings.theme,
    showTyping: settings.typing.show,
  })
  const notify = createNotifier(settings.notify, ctx.io.env, (bytes) => stdout.write(bytes))
  let prev: string[] = []
  let closed = false

  const draw = (full = false) => {
    if (closed) return
    const cols = stdout.columns ?? 80
    const rows = stdout.rows ?? 24
    const frame = renderChat(m.view(input.label?.() ?? net.label()), cols, rows)
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

  const net = watchNetwork(node, input.dialling, {
    notice: (text, level, subject) => {
      m.notices.set(text, level, subject)
      redraw()
    },
    clear: (subject) => {
      m.notices.clear(subject)
      redraw()
    },
  })

  let reloading: Promise<void> = Promise.resolve()
  const refresh = () => {
    reloading = reloading
      .then(() => m.reload())
      .then(redraw)
      .catch((e: unknown) => {
        m.notices.set(`error: ${(e as Error).message}`, 'error')
        redraw()
      })
    return reloading
  }

  /**
   * Tells the selected friend whether we are typing (§17.4): text that is not a command is
   * typing; the client sends `active` at most every 5 s and `idle` once when it stops.
   */
  let typingTo: Uint8Array | undefined
  const typing = () => {
    const f = m.selectedFriend()
    const text = m.editor.text
    const now =
      settings.typing.send && f?.status === 'friend' && text.trim() !== '' && !text.startsWith('/')
    if (typingTo !== undefined && (!now || toHex(typingTo) !== toHex(f?.key ?? new Uint8Array())))
      client.setTyping(typingTo, false).catch(() => {})
    typingTo = now ? f?.key : undefined
    if (typingTo !== undefined) client.setTyping(typingTo, true).catch(() => {})
  }

  const switchBy = (delta: number) => {
    if (m.friends.length === 0) return
    const i = m.friends.findIndex((f) => toHex(f.hash) === m.selected)
    const next = m.friends[(i + delta + m.friends.length) % m.friends.length]
    if (next !== undefined) m.selected = toHex(next.hash)
    typing()
    m.scroll = 0
    if (m.notices.current()?.level !== 'error') m.notices.clear()
    refresh()
  }

  let quit: () => void = () => {}
  const actions: ActionContext = {
    client,
    model: m,
    keys: settings.keys,
    color,
    switchBy,
    quit: () => quit(),
  }

  /** Enter: a message over the size limit is refused (and kept); a long one is asked about. */
  const submit = (line: string, literal: boolean) => {
    const message = literal || line.includes('\n')
    const cmd = message
      ? line.trim() === ''
        ? ({ kind: 'empty' } as const)
        : ({ kind: 'message', text: line.replace(/\s+$/, '') } as const)
      : parseChatInput(line)
    if (cmd.kind === 'message') {
      const bytes = utf8Length(cmd.text)
      if (bytes > MAX_MESSAGE_BYTES) {
        m.confirming = false
        m.notices.set(
          `not sent: ${bytes.toLocaleString('en')} bytes, a message holds at most ${MAX_MESSAGE_BYTES.toLocaleString('en')}; the text is kept, shorten it`,
          'error',
        )
        return
      }
      const lines = cmd.text.split('\n').length
      const f = m.selectedFriend()
      if (lines > CONFIRM_LINES && !m.confirming && f !== undefined) {
        m.confirming = true
        m.notices.set(
          `send these ${lines} lines to ${nameOf(f)} as one message? Enter: send · Esc: keep editing`,
          'ask',
        )
        return
      }
    }
    m.confirming = false
    if (m.notices.current()?.level === 'ask') m.notices.clear()
    m.editor = commitLine(m.editor)
    typing()
    runChatInput(cmd, actions)
      .catch((e: unknown) => m.notices.set((e as Error).message, 'error'))
      .finally(refresh)
  }

  const onAction = (action: EditorAction) => {
    switch (action.kind) {
      case 'quit':
        return quit()
      case 'redraw':
        return draw(true)
      case 'next-friend':
        return switchBy(1)
      case 'prev-friend':
        return switchBy(-1)
      case 'scroll':
        m.scroll = Math.max(0, m.scroll + action.by)
        return redraw()
      case 'cancel':
        if (m.confirming || m.notices.current()?.level === 'ask') m.notices.clear()
        m.confirming = false
        return redraw()
      case 'full':
        m.notices.set(
          `the input is full (${MAX_EDITOR_TEXT.toLocaleString('en')} characters)`,
          'error',
        )
        return redraw()
      case 'pasted': {
        const bytes = utf8Length(m.editor.text)
        if (action.cut > 0)
          m.notices.set(
            `the paste was cut by ${action.cut.toLocaleString('en')} characters: the input holds at most ${MAX_EDITOR_TEXT.toLocaleString('en')}`,
            'error',
          )
        else if (bytes > MAX_MESSAGE_BYTES)
          m.notices.set(
            `pasted ${bytes.toLocaleString('en')} bytes: over the ${MAX_MESSAGE_BYTES.toLocaleString('en')}-byte limit of a message; shorten it to send (nothing is lost)`,
            'error',
          )
        else if (action.lines > 1)
          m.notices.set(`pasted ${action.lines} lines: Enter sends them as one message`)
        return redraw()
      }
      case 'submit':
        submit(action.line, action.literal)
        return redraw()
    }
  }

  const onKey = (str: string | undefined, key: Key & { code?: string }) => {
    const k = key ?? { sequence: str }
    // focus reporting (CSI ?1004): whether the user can see this screen
    if (k.code === '[I' || k.code === '[O') {
      m.focused = k.code === '[I'
      if (m.focused) refresh()
      return
    }
    const was = m.confirming
    const before = m.editor.text
    const { state, action } = editorKey(m.editor, k, settings.keys)
    m.editor = state
    if (state.text !== before) typing()
    if (action !== undefined) return onAction(action)
    // a key other than Enter answers "no" to the question on the status line
    if (was && state.paste === undefined) {
      m.confirming = false
      m.notices.clear()
    }
    if (state.paste === undefined) redraw()
  }

  /** Not in view: another conversation, or the terminal has lost focus. */
  const inView = (hex: string) => m.focused && m.selected === hex
  const offs = [
    client.on('presence', (f) => {
      if (f.online && f.reachable) m.notices.clear(`queued:${toHex(f.hash)}`)
      refresh()
    }),
    client.on('friend-added', (f) => {
      const hex = toHex(f.hash)
      const before = m.friends.find((x) => toHex(x.hash) === hex)
      if (before?.status === 'requested') {
        m.notices.set(`${nameOf(f)} accepted your friend request: you are friends`)
        m.info(`${nameOf(f)} accepted your friend request`, { id: hex })
        if (!inView(hex)) notify('chat6', `${nameOf(f)} accepted your friend request`)
      }
      refresh()
    }),
    client.on('receipt', (r) => {
      m.notices.clear(`queued:${toHex(clientHash(r.peer))}`)
      refresh()
    }),
    client.on('typing', () => refresh()),
    client.on('friend-request', (r) => {
      void refresh().then(() => {
        const shown = m.requests.find((x) => toHex(x.hash) === toHex(r.hash))
        const label = shown === undefined ? nameOf(r) : requestLabel(shown)
        m.notices.set(
          `friend request from ${label}: /accept or /reject`,
          'info',
          `from:${toHex(r.hash)}`,
        )
        notify('chat6', `friend request from ${label}`)
        redraw()
      })
    }),
    client.on('message', (msg) => {
      const f = m.friends.find((x) => toHex(x.key) === toHex(msg.peer))
      const hex = f === undefined ? '' : toHex(f.hash)
      if (f !== undefined && !inView(hex)) {
        if (m.selected !== hex) {
          m.unread.set(hex, (m.unread.get(hex) ?? 0) + 1)
          m.notices.set(`new message from ${nameOf(f)} (Tab to switch)`)
        }
        notify('chat6', `message from ${nameOf(f)}`)
      }
      refresh()
    }),
    () => net.stop(),
  ]
  // the title bar's peer count and fading notices change without an event
  const tick = setInterval(redraw, 1000)

  emitKeypressEvents(stdin)
  stdin.setRawMode(true)
  stdin.resume()
  // alternate screen, bracketed paste (CSI ?2004), focus reporting (CSI ?1004)
  stdout.write(`${ESC}?1049h${ESC}H${ESC}?2004h${ESC}?1004h`)
  const onResize = () => draw(true)
  process.stdout.on('resize', onResize)

  await new Promise<void>((resolve) => {
    quit = () => resolve()
    stdin.on('keypress', onKey)
    offs.push(() => stdin.off('keypress', onKey))
    input.signal?.addEventListener('abort', () => resolve())
    m.notices.set(net.startText())
    refresh().then(() => {
      m.info(net.startText())
      redraw()
    })
  })

  closed = true
  if (typingTo !== undefined) await client.setTyping(typingTo, false).catch(() => {})
  clearInterval(tick)
  for (const off of offs) off()
  process.stdout.off('resize', onResize)
  stdin.setRawMode(false)
  stdin.pause()
  stdout.write(`${ESC}?1004l${ESC}?2004l${ESC}?1049l${ESC}?25h`)
  await reloading.catch(() => {})
}
