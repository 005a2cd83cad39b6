// A session: the client of the data dir, open on a node of its own in this process. It holds
// client.sock for as long as it is open, which locks the data dir and lets other chat6
// commands on the same data dir run inside it (forwarded) instead of failing.
import { readFile } from 'node:fs/promises'
import { type Client, createClient, createSqliteStore, type Store } from '@chat6/client'
import type { Chat6Node } from '@chat6/node'
import { parseCommand } from './args.ts'
import { readConfig } from './config.ts'
import { type Context, makeContext } from './context.ts'
import { type ControlServer, serveControl } from './control.ts'
import { checkIdentityDir } from './data-dir.ts'
import { CliError, formatError, toCliError } from './errors.ts'
import { EXIT } from './exit-codes.ts'
import { toHex } from './format.ts'
import { type NetworkPlan, networkPlan, startNode, waitForPeer } from './network.ts'
import { nodeStatus } from './node-status.ts'
import { withPassphrase } from './passphrase.ts'
import { onShutdown } from './shutdown.ts'
import { findCommand } from './spec.ts'

/** Time for presence to arrive once the first peer is up, ms. */
export const PRESENCE_SETTLE_MS = 1500
/** Time to wait for a first peer before going on without one, ms. */
export const PEER_TIMEOUT_MS = 5000

/** A command that runs against an open session. */
export type SessionCommand = (ctx: Context, session: Session) => Promise<number>

/** The open client of a data dir. */
export interface Session {
  node: Chat6Node
  client: Client
  plan: NetworkPlan
  startedAt: number
  /** Resolves once the node has a peer and presence had time to arrive; false if no peer. */
  settled(): Promise<boolean>
  close(): Promise<void>
}

/** Whether the node has something to dial besides `--peer`: CHAT6_BOOTSTRAP or last-known nodes. */
async function hasNodesToDial(ctx: Context): Promise<boolean> {
  if ((ctx.io.env.CHAT6_BOOTSTRAP ?? '').trim() !== '') return true
  try {
    const data = JSON.parse(await readFile(ctx.files.knownNodes, 'utf8')) as { nodes?: unknown[] }
    return (data.nodes?.length ?? 0) > 0
  } catch {
    return false
  }
}

/** Longest a clean stop waits for its CLIENT_OFFLINE to leave the node, ms. */
export const OFFLINE_FLUSH_MS = 1000

const offlineSent = (node: Chat6Node) => node.stats().framesOut.CLIENT_OFFLINE ?? 0

/**
 * Waits (at most {@link OFFLINE_FLUSH_MS}) until the node has sent the CLIENT_OFFLINE that
 * client.stop() announced: the node paces presence, and stopping it at once would drop the
 * queued frame, leaving friends to see us "online but unreachable" until it expires.
 */
async function untilOfflineSent(node: Chat6Node, before: number): Promise<void> {
  const end = Date.now() + OFFLINE_FLUSH_MS
  while (node.peers().length > 0 && offlineSent(node) <= before && Date.now() < end)
    await new Promise((r) => setTimeout(r, 20))
}

/** Runs forwarded commands (see commands/index.ts), set once to avoid an import cycle. */
let forwardedRunners: Readonly<Record<string, SessionCommand>> = {}
/** Registers the session commands that may be forwarded to a running session. */
export function registerSessionCommands(runners: Readonly<Record<string, SessionCommand>>): void {
  forwardedRunners = runners
}

/**
 * Opens the store of the data dir, or says why not.
 * @throws CliError `not_found` when there is no identity; `failed` when the data dir cannot be
 *   read (permission denied, not a directory)
 */
export async function openStore(ctx: Context): Promise<Store> {
  await checkIdentityDir(ctx.files)
  const store = createSqliteStore(ctx.files.store)
  if (store.getIdentity() === undefined) {
    store.close()
    throw new CliError('not_found', `no identity in ${ctx.files.dir}`, {
      hint: "create one with 'chat6 init --nick NAME'",
    })
  }
  return store
}

async function handleForwarded(
  session: Session,
  argv: string[],
  stdoutIsTTY: boolean,
  reply: (r: { out: string } | { err: string } | { exit: number }) => void,
  signal: AbortSignal,
  base: Context,
): Promise<void> {
  const io = {
    ...base.io,
    stdout: { write: (t: string) => reply({ out: t }), isTTY: stdoutIsTTY },
    stderr: { write: (t: string) => reply({ err: t }) },
  }
  try {
    const spec = findCommand(argv[0] ?? '')
    const runner = forwardedRunners[argv[0] ?? '']
    if (spec === undefined || runner === undefined)
      throw new CliError('usage', `'${argv[0]}' cannot be forwarded`)
    const parsed = parseCommand(spec, argv.slice(1))
    const ctx = makeContext(parsed, io, { signal, forwarded: true })
    reply({ exit: await runner(ctx, session) })
  } catch (e) {
    const err = toCliError(e)
    reply({ err: formatError(err, base.debug) })
    reply({ exit: err.exitCode })
  }
}

/**
 * Opens the client of `ctx`'s data dir with a node of its own.
 * @throws CliError `conflict` (data dir in use), `not_found` (no identity), `passphrase`, `network`
 */
export async function openSession(ctx: Context): Promise<Session> {
  await checkIdentityDir(ctx.files)
  const config = await readConfig(ctx.files.config)
  const plan = await networkPlan(ctx.parsed.values, config, false)
  let session: Session | undefined
  const pendingStatus = (): unknown => ({ role: 'client', starting: true })
  const control: ControlServer = await serveControl(
    ctx.files.clientSocket,
    async (req, reply, signal) => {
      if (session === undefined) {
        if (req.op === 'status') reply({ status: pendingStatus() })
        else {
          reply({ err: 'chat6: error: the client on this data dir is still starting\n' })
          reply({ exit: EXIT.CONFLICT })
        }
        return
      }
      if (req.op === 'status') {
        const friends = await session.client.friends()
        const outbox = await session.client.outbox()
        reply({
          status: {
            ...nodeStatus(session.node, session.startedAt, 'client'),
            client: {
              nickname: session.client.nickname,
              hash: toHex(session.client.hash),
              friends: friends.length,
              online: friends.filter((f) => f.online && f.reachable).length,
              outbox: outbox.length,
            },
          },
        })
        return
      }
      await handleForwarded(session, req.argv, req.stdoutIsTTY, reply, signal, ctx)
    },
    'another chat6 client (chat, daemon or a command)',
  )
  let node: Chat6Node | undefined
  let store: Store | undefined
  try {
    store = await openStore(ctx)
    const opened = store
    const sealed = opened.getIdentity()?.sealed === true
    const started = async (): Promise<Chat6Node> => {
      const n = node ?? (await startNode(plan, ctx.files.dir))
      node = n
      return n
    }
    const open = async (passphrase?: string) =>
      createClient({
        node: await started(),
        store: opened,
        ...(passphrase === undefined ? {} : { passphrase }),
      })
    const client = sealed ? await withPassphrase(ctx, open) : await open()
    store = undefined
    const startedAt = Date.now()
    const liveNode = await started()
    let settling: Promise<boolean> | undefined
    let closing: Promise<void> | undefined
    const ctrl = control
    session = {
      node: liveNode,
      client,
      plan,
      startedAt,
      settled: () => {
        settling ??= (async () => {
          // nothing to dial (no peers, bootstrap or last-known nodes): do not wait for one
          if (plan.peers.length === 0 && !(await hasNodesToDial(ctx))) return false
          try {
            await waitForPeer(liveNode, plan, PEER_TIMEOUT_MS)
          } catch (e) {
            if (plan.peers.length > 0) ctx.err(`chat6: warning: ${(e as Error).message}\n`)
            return false
          }
          await new Promise((r) => setTimeout(r, PRESENCE_SETTLE_MS))
          return true
        })()
        return settling
      },
      close: () => {
        closing ??= (async () => {
          const sent = offlineSent(liveNode)
          await client.stop().catch(() => {})
          await untilOfflineSent(liveNode, sent)
          await liveNode.stop().catch(() => {})
          await ctrl.close()
        })()
        return closing
      },
    }
    return session
  } catch (e) {
    store?.close()
    await node?.stop().catch(() => {})
    await control.close()
    throw e
  }
}

/** Runs a session command in a session of its own (the data dir is not held by another). */
export async function runInOwnSession(ctx: Context, cmd: SessionCommand): Promise<number> {
  const session = await openSession(ctx)
  // Ctrl-C ends the command cleanly: offline announced, store closed, socket removed
  const offSignal = onShutdown((signal) => {
    ctx.err(`chat6: ${signal}: stopping\n`)
    session.close().finally(() => process.exit(130))
  })
  try {
    return await cmd(ctx, session)
  } finally {
    offSignal()
    await session.close()
  }
}
