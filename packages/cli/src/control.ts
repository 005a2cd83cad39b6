// The local control socket: a Unix socket in the data dir, one JSON object per line. A running
// `chat6 node` answers `status`; the process holding a client answers `status` and runs
// commands forwarded by other `chat6` invocations on the same data dir. Holding the socket is
// also the data dir's lock. Only the owner of the data dir can connect (mode 0600, dir 0700).
import { chmod, unlink } from 'node:fs/promises'
import { connect, createServer, type Server, type Socket } from 'node:net'
import { CliError } from './errors.ts'

/** A request on the control socket. */
export type ControlRequest = { op: 'status' } | { op: 'run'; argv: string[]; stdoutIsTTY: boolean }

/** One line of an answer; `exit` (or `status`, or `error`) ends it. */
export type ControlReply =
  | { out: string }
  | { err: string }
  | { exit: number }
  | { status: unknown }
  | { error: string; code: string }

/** How a server answers one request: write replies with `reply`, resolve when done. */
export type ControlHandler = (
  request: ControlRequest,
  reply: (r: ControlReply) => void,
  signal: AbortSignal,
) => Promise<void>

/** A listening control socket. */
export interface ControlServer {
  readonly path: string
  close(): Promise<void>
}

const MAX_REQUEST = 1 << 20

function parseRequest(line: string): ControlRequest | undefined {
  try {
    const v = JSON.parse(line) as Record<string, unknown>
    if (v.op === 'status') return { op: 'status' }
    if (v.op === 'run' && Array.isArray(v.argv) && v.argv.every((a) => typeof a === 'string'))
      return { op: 'run', argv: v.argv as string[], stdoutIsTTY: v.stdoutIsTTY === true }
  } catch {}
  return undefined
}

/** Whether something answers on `path`. */
export function probe(path: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path)
    const done = (v: boolean) => {
      clearTimeout(t)
      s.destroy()
      resolve(v)
    }
    const t = setTimeout(() => done(false), timeoutMs)
    s.once('connect', () => done(true))
    s.once('error', () => done(false))
  })
}

function listenOn(server: Server, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/**
 * Listens on `path`. A socket file left by a process that died is removed; one that answers
 * means another chat6 holds the data dir.
 * @param what - names the socket's role in the conflict message
 * @throws CliError `conflict` when another process listens there
 */
export async function serveControl(
  path: string,
  handler: ControlHandler,
  what: string,
): Promise<ControlServer> {
  const sockets = new Set<Socket>()
  const aborts = new Set<AbortController>()
  const server = createServer((socket) => {
    sockets.add(socket)
    const abort = new AbortController()
    aborts.add(abort)
    let buf = ''
    let started = false
    socket.setEncoding('utf8')
    socket.on('error', () => {})
    socket.on('close', () => {
      sockets.delete(socket)
      abort.abort()
      aborts.delete(abort)
    })
    socket.on('data', (chunk: string) => {
      if (started) return
      buf += chunk
      if (buf.length > MAX_REQUEST) return socket.destroy()
      const nl = buf.indexOf('\n')
      if (nl < 0) return
      started = true
      const request = parseRequest(buf.slice(0, nl))
      const reply = (r: ControlReply) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(r)}\n`)
      }
      if (request === undefined) {
        reply({ error: 'bad request', code: 'usage' })
        socket.end()
        return
      }
      handler(request, reply, abort.signal)
        .catch((e: unknown) =>
          reply({ error: e instanceof Error ? e.message : String(e), code: 'failed' }),
        )
        .finally(() => socket.end())
    })
  })
  try {
    await listenOn(server, path)
  } catch (e) {
    if ((e as { code?: string }).code !== 'EADDRINUSE') throw e
    if (await probe(path))
      throw new CliError('conflict', `${what} is already running on this data dir (${path})`)
    await unlink(path).catch(() => {})
    await listenOn(server, path)
  }
  await chmod(path, 0o600).catch(() => {})
  return {
    path,
    close: async () => {
      for (const a of aborts) a.abort()
      for (const s of sockets) s.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await unlink(path).catch(() => {})
    },
  }
}

/**
 * Sends one request and calls `onReply` for every line of the answer.
 * @throws CliError `network` when nothing listens on `path`
 */
export function requestControl(
  path: string,
  request: ControlRequest,
  onReply: (r: ControlReply) => void,
  timeoutMs = 0,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(path)
    let buf = ''
    let timer: NodeJS.Timeout | undefined
    if (timeoutMs > 0)
      timer = setTimeout(() => {
        s.destroy()
        reject(new CliError('network', `no answer on ${path} within ${timeoutMs / 1000} s`))
      }, timeoutMs)
    s.setEncoding('utf8')
    s.once('connect', () => s.write(`${JSON.stringify(request)}\n`))
    s.on('data', (chunk: string) => {
      buf += chunk
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        try {
          onReply(JSON.parse(line) as ControlReply)
        } catch {}
      }
    })
    s.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(
        new CliError(
          'network',
          e.code === 'ENOENT' || e.code === 'ECONNREFUSED'
            ? `nothing is running on this data dir (no ${path})`
            : `control socket ${path}: ${e.message}`,
          { cause: e },
        ),
      )
    })
    s.once('close', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
