// `chat6 daemon`: the client online without a screen. It delivers the outbox as friends come
// online, stores and logs what arrives, and runs the scripting commands forwarded to it.

import { clientHash } from '@chat6/crypto'
import { dialReason, forgottenText, formatHostPort, peerAddress } from '../addr.ts'
import { secondsOption } from '../args.ts'
import type { Context } from '../context.ts'
import { EXIT } from '../exit-codes.ts'
import { sanitize, shortHash, toHex } from '../format.ts'
import { createEventLog } from '../logline.ts'
import { presentRequests, requestLabel } from '../requests.ts'
import { openSession, registerSessionCommands } from '../session.ts'
import { onShutdown } from '../shutdown.ts'
import { availability, statusOf } from './scripting.ts'
import { SESSION_COMMANDS } from './session-commands.ts'

/** Runs until a signal, or with --flush until the outbox is empty. */
export async function runDaemon(ctx: Context): Promise<number> {
  const { values } = ctx.parsed
  const flush = values.flush === true
  const timeout = secondsOption(values, 'timeout', 0)
  const log = createEventLog(ctx.out, false)
  // while it runs, scripting commands on the same data dir are forwarded to it
  registerSessionCommands(SESSION_COMMANDS)
  const session = await openSession(ctx)
  const { client, node } = session
  const names = new Map<string, string>()
  const nameOf = (hash: Uint8Array, nickname?: string) => {
    const hex = toHex(hash)
    if (nickname !== undefined) names.set(hex, sanitize(nickname))
    return names.get(hex) ?? shortHash(hash)
  }
  for (const f of await client.friends()) nameOf(f.hash, f.nickname)
  const where = node.listenAddress ? ` listening on ${formatHostPort(node.listenAddress)}` : ''
  log.line(
    'start',
    `${sanitize(client.nickname)} ${shortHash(client.hash)} online;${where} pid ${process.pid}`,
  )
  node.on('peer:connect', (p) => log.line('peer-up', `peer up ${peerAddress(p)} ${p.direction}`))
  node.on('peer:disconnect', ({ peer, reason }) =>
    log.line('peer-down', `peer down ${peerAddress(peer)} (${reason})`),
  )
  const failing = new Map<string, string>()
  node.on('peer:connect', (p) => failing.delete(formatHostPort(p.remote)))
  node.on('dial:failed', (f) => {
    const addr = formatHostPort(f.address)
    if (f.forgotten) {
      failing.delete(addr)
      log.line('dial-forgotten', forgottenText(f))
      return
    }
    const why = dialReason(f)
    if (failing.get(addr) === why) return
    failing.set(addr, why)
    log.line(
      'dial-failed',
      `cannot reach ${addr}: ${why}${f.retryIn === undefined ? '' : '; retrying'}`,
    )
  })
  // online, online but unreachable (no route from here), offline: what `chat6 send` will say
  const presence = new Map<string, string>()
  // what they say in their PROFILE (away · at lunch), logged when it changes
  const said = new Map<string, string>()
  for (const f of await client.friends()) said.set(toHex(f.hash), statusOf(f))
  client.on('presence', (f) => {
    const hex = toHex(f.hash)
    const state = availability(f)
    if (presence.get(hex) !== state) {
      presence.set(hex, state)
      log.line('presence', `${nameOf(f.hash, f.nickname)} is ${state}`)
    }
    const status = statusOf(f)
    if (said.get(hex) !== status) {
      said.set(hex, status)
      log.line(
        'status',
        `${nameOf(f.hash, f.nickname)} says: ${status === '-' ? 'online (no status message)' : status}`,
      )
    }
  })
  client.on('friend-request', (r) => {
    const [shown] = presentRequests([r], [], node)
    log.line(
      'request',
      `friend request from ${shown === undefined ? shortHash(r.hash) : requestLabel(shown)}: 'chat6 accept ${shortHash(r.hash)}'`,
    )
  })
  client.on('friend-added', (f) =>
    log.line('friend', `${nameOf(f.hash, f.nickname)} is now a friend`),
  )
  client.on('message', (m) => {
    const who = names.get(toHex(clientHash(m.peer))) ?? shortHash(clientHash(m.peer))
    log.line(
      'message',
      `message from ${who}: ${m.text === undefined ? `(${m.body.length} bytes)` : sanitize(m.text)}`,
    )
  })
  client.on('receipt', (r) =>
    log.line('receipt', `message ${toHex(r.msgid).slice(0, 8)} ${r.state}`),
  )
  client.on('error', (e) => log.line('error', `error: ${e.message}`))

  const outboxEmpty = async () => (await client.outbox()).length === 0
  const result = await new Promise<number>((resolve) => {
    const offSignal = onShutdown((s) => {
      log.line('stop', `${s}: going offline`)
      done(EXIT.OK)
    })
    let timer: NodeJS.Timeout | undefined
    let offReceipt = () => {}
    const done = (code: number) => {
      offSignal()
      offReceipt()
      clearTimeout(timer)
      resolve(code)
    }
    if (flush) {
      const check = async () => {
        if (await outboxEmpty()) {
          log.line('flushed', 'outbox empty: every message delivered')
          done(EXIT.OK)
        }
      }
      offReceipt = client.on('receipt', () => void check())
      void check()
      if (timeout > 0)
        timer = setTimeout(async () => {
          const left = (await client.outbox()).length
          log.line(
            'timeout',
            `${left} message${left === 1 ? '' : 's'} still queued after ${timeout / 1000} s`,
          )
          done(EXIT.QUEUED)
        }, timeout)
    }
  })
  await session.close()
  return result
}
