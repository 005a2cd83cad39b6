// `chat6 demo`: a mesh of relays on ::1 with bot clients, all in this process, narrated; then,
// on a terminal, the chat screen with the bots. Everything lives in a temp dir that is removed
// at the end unless --keep.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Client, createClient, createSqliteStore, type Friend } from '@chat6/client'
import { type Chat6Node, createNode } from '@chat6/node'
import { formatHostPort } from '../addr.ts'
import { intOption } from '../args.ts'
import { clockReply, echoReply, runBot } from '../bots.ts'
import type { Context } from '../context.ts'
import { CliError } from '../errors.ts'
import { EXIT } from '../exit-codes.ts'
import { shortHash, stateMark, toHex } from '../format.ts'
import { onShutdown } from '../shutdown.ts'
import { runChatScreen } from '../tui/app.ts'

/** Longest any one step of the demo may take, ms. */
const STEP_TIMEOUT = 15_000

const letter = (i: number) => String.fromCharCode(65 + i)

/** Waits for `pred`, polling; throws naming the step when it does not hold in time. */
async function until(what: string, pred: () => boolean | Promise<boolean>): Promise<number> {
  const start = Date.now()
  while (!(await pred())) {
    if (Date.now() - start > STEP_TIMEOUT)
      throw new CliError('failed', `demo: ${what} did not happen within ${STEP_TIMEOUT / 1000} s`)
    await new Promise((r) => setTimeout(r, 20))
  }
  return Date.now() - start
}

/** Runs the demo. */
export async function runDemo(ctx: Context): Promise<number> {
  const { values } = ctx.parsed
  const count = intOption(values, 'nodes', 4, 2, 16)
  const interactive =
    values['no-interactive'] !== true && ctx.io.stdin.isTTY === true && ctx.io.stdout.isTTY === true
  const keep = values.keep === true
  const say = (text: string) => ctx.out(`${text}\n`)
  const dir = await mkdtemp(join(tmpdir(), 'chat6-demo-'))
  const nodes: Chat6Node[] = []
  const clients: Client[] = []
  const stopBots: (() => void)[] = []
  let interrupted = false
  const offSignal = onShutdown(() => {
    interrupted = true
  })
  try {
    say(`chat6 demo: ${count} relays and 3 clients on ::1, all in this process`)
    say(`(temp dir ${dir}${keep ? ', kept' : ', removed at the end'})\n`)

    say(`[1/5] Starting ${count} relay nodes in a line, each dialling the previous one`)
    for (let i = 0; i < count; i++) {
      const prev = nodes[i - 1]?.listenAddress
      const node = createNode({
        listen: { host: '::1', port: 0 },
        bootstrap: prev === undefined ? [] : [prev],
        allowLoopback: true,
        useShippedBootstrap: false,
        useEnvBootstrap: false,
        dataDir: join(dir, `relay-${letter(i)}`),
      })
      try {
        await node.start()
      } catch (e) {
        throw new CliError(
          'network',
          `demo: cannot listen on ::1 (is IPv6 loopback enabled?): ${(e as Error).message}`,
          { cause: e },
        )
      }
      nodes.push(node)
      say(
        `  relay ${letter(i)} listens on ${formatHostPort(node.listenAddress ?? { host: '::1', port: 0 })}${prev ? `, dials ${formatHostPort(prev)}` : ''}`,
      )
    }
    const linkMs = await until('links between relays', () =>
      nodes.every((n, i) => n.peers().length >= (i === 0 || i === count - 1 ? 1 : 2)),
    )
    say(`  ${count - 1} links up (HELLO exchanged, link keys agreed) in ${linkMs} ms\n`)

    // when each relay first sees each client online with a route, to narrate the spreading
    const seenAt = new Map<string, number>()
    nodes.forEach((n, i) => {
      const mark = (c: { hash: Uint8Array; status: string; reachable: boolean }) => {
        const key = `${i}:${toHex(c.hash)}`
        if (c.status === 'online' && c.reachable && !seenAt.has(key)) seenAt.set(key, Date.now())
      }
      n.on('client:online', mark)
      n.on('client:reachable', mark)
      n.on('client:update', mark)
    })
    const startedAt = new Map<string, number>()

    say('[2/5] Starting clients: you, an echo bot and a clock bot')
    const last = count - 1
    const mid = Math.max(1, Math.floor(count / 2))
    const make = async (nickname: string, at: number) => {
      const t0 = Date.now()
      const client = await createClient({
        node: nodes[at] as Chat6Node,
        store: createSqliteStore(join(dir, `${nickname}.db`)),
        nickname,
      })
      clients.push(client)
      startedAt.set(toHex(client.hash), t0)
      say(`  ${nickname.padEnd(9)} attached to relay ${letter(at)}, key ${shortHash(client.hash)}…`)
      return client
    }
    const you = await make('you', 0)
    const echo = await make('echo-bot', last)
    const clock = await make('clock-bot', mid)
    stopBots.push(
      runBot(echo, echoReply),
      runBot(clock, (t) => clockReply(t)),
    )
    say('')

    say('[3/5] Presence spreads: every relay learns who is online, hop by hop')
    const hashes = clients.map((c) => toHex(c.hash))
    const presenceMs = await until('presence on every relay', () => {
      return nodes.every((n) =>
        hashes.every((h) =>
          n.clients().some((c) => toHex(c.hash) === h && c.status === 'online' && c.reachable),
        ),
      )
    })
    const names = new Map(clients.map((c) => [toHex(c.hash), c.nickname]))
    nodes.forEach((_, i) => {
      const learned = hashes
        .map((h) => ({ h, ms: (seenAt.get(`${i}:${h}`) ?? Date.now()) - (startedAt.get(h) ?? 0) }))
        .sort((a, b) => a.ms - b.ms)
        .map(({ h, ms }) => `${names.get(h)} +${ms} ms`)
      say(`  relay ${letter(i)} learned: ${learned.join(', ')}`)
    })
    say(`  every relay knows all 3 clients online with a route (${presenceMs} ms more to settle)`)
    say(`  relay A reaches echo-bot through ${last} links, relay by relay to ${letter(last)}\n`)

    say('[4/5] Friend requests: you add both bots, they accept, session keys are agreed')
    await you.addFriend(echo.key)
    await you.addFriend(clock.key)
    const keyed = (c: Client) => async () => {
      const fs: Friend[] = await you.friends()
      return fs.some((f) => toHex(f.hash) === toHex(c.hash) && f.status === 'friend' && f.keyed)
    }
    say(
      `  echo-bot accepted; end-to-end session up (${await until('echo-bot friendship', keyed(echo))} ms)`,
    )
    say(
      `  clock-bot accepted; end-to-end session up (${await until('clock-bot friendship', keyed(clock))} ms)\n`,
    )

    say('[5/5] Messages with receipts (… queued, ✓ sent, ✓✓ delivered, ✓✓ read)')
    const exchange = async (bot: Client, botName: string, text: string) => {
      const states: string[] = []
      const replies: string[] = []
      const offR = you.on('receipt', (r) => {
        if (toHex(r.peer) === toHex(bot.key)) states.push(r.state)
      })
      const offM = you.on('message', (m) => {
        if (toHex(m.peer) === toHex(bot.key)) {
          replies.push(m.text ?? '')
          void you.markRead(m)
        }
      })
      const t0 = Date.now()
      const msg = await you.send(bot.key, text)
      say(`  you → ${botName}: "${text}" ${stateMark(msg.state)} ${msg.state}`)
      await until(`${botName} read receipt`, () => states.includes('read'))
      const order = states.filter((s, i) => states.indexOf(s) === i)
      say(
        `  receipts: ${order.map((s) => (s === 'read' ? stateMark('read') : `${stateMark(s as 'sent')} ${s}`)).join(' → ')} (${Date.now() - t0} ms)`,
      )
      await until(`${botName} reply`, () => replies.length > 0)
      say(`  ${botName} → you: "${replies[0]}" (delivered, and you sent back a read receipt)`)
      offR()
      offM()
    }
    await exchange(echo, 'echo-bot', 'hello over IPv6!')
    await exchange(clock, 'clock-bot', 'what time is it?')
    const relayed = nodes.reduce((a, n) => a + n.stats().forwarded, 0)
    say(`\nThe relays forwarded ${relayed} end-to-end frames; none of them could read one.`)

    if (interactive && !interrupted) {
      say('\nNow chat with the bots yourself: Tab switches friend, /quit leaves. Starting in 2 s…')
      await new Promise((r) => setTimeout(r, 2000))
      await runChatScreen(ctx, {
        client: you,
        label: () => `demo: ${count} relays`,
        node: nodes[0] as Chat6Node,
        dialling: [],
      })
    } else if (!interactive) {
      say('(not a terminal or --no-interactive: skipping the interactive chat)')
    }
    say('\nDemo finished: stopping clients and relays.')
    return EXIT.OK
  } finally {
    offSignal()
    for (const stop of stopBots) stop()
    for (const c of clients) await c.stop().catch(() => {})
    for (const n of nodes) await n.stop().catch(() => {})
    if (keep) ctx.out(`Kept ${dir}\n`)
    else await rm(dir, { recursive: true, force: true })
  }
}
