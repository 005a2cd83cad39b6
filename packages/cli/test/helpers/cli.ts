// Spawning the real `chat6` (dist/bin.js) in tests: one-shot runs with a bounded time, and
// long-running children whose output is awaited line by line. Every child is killed when the
// test file ends, whatever happened.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The built command. */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js')

const children = new Set<ChildProcess>()
const dirs: string[] = []

/** A temp dir removed by {@link cleanup}. */
export function tempDir(prefix = 'chat6-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix))
  dirs.push(d)
  return d
}

/** Kills every child still running and removes temp dirs; call from afterAll. */
export async function cleanup(): Promise<void> {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL')
  children.clear()
  // a chat in a tmux pane just killed may still be writing its data dir as it stops: retry
  for (const d of dirs.splice(0))
    rmSync(d, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
}
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL')
})

const baseEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CHAT6_BOOTSTRAP: '' }
  delete env.CHAT6_DATA_DIR
  delete env.CHAT6_PASSPHRASE
  delete env.CHAT6_DEBUG
  return env
}

/** Result of a finished run. */
export interface RunResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs `chat6 ...args` to the end, killing it after `timeoutMs`. */
export function run(
  args: string[],
  opts: {
    env?: Record<string, string>
    timeoutMs?: number
    input?: string
    /** Run as this user and group (the test runs as root). */
    as?: { uid: number; gid: number }
  } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...baseEnv(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.as === undefined ? {} : { uid: opts.as.uid, gid: opts.as.gid }),
    })
    children.add(child)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    child.stdin.end(opts.input ?? '')
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `chat6 ${args.join(' ')} did not finish in ${opts.timeoutMs ?? 20_000} ms\n${stdout}\n${stderr}`,
        ),
      )
    }, opts.timeoutMs ?? 20_000)
    child.on('close', (code) => {
      clearTimeout(timer)
      children.delete(child)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A long-running `chat6` child. */
export interface Running {
  child: ChildProcess
  /** Everything printed so far (stdout and stderr interleaved). */
  output(): string
  /** Resolves with the match once the output matches `re`; rejects after `timeoutMs`. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>
  /** Sends a signal and resolves with the exit code; SIGKILL after `timeoutMs`. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<number | null>
}

/** Starts `chat6 ...args` in the background. */
export function start(args: string[], opts: { env?: Record<string, string> } = {}): Running {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...baseEnv(), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let out = ''
  const waiters = new Set<() => void>()
  const onData = (d: string) => {
    out += d
    for (const w of [...waiters]) w()
  }
  child.stdout?.setEncoding('utf8').on('data', onData)
  child.stderr?.setEncoding('utf8').on('data', onData)
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      children.delete(child)
      for (const w of [...waiters]) w()
      resolve(code)
    }),
  )
  return {
    child,
    output: () => out,
    waitFor(re, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(re)
          if (m) {
            done()
            resolve(m)
          } else if (child.exitCode !== null) {
            done()
            reject(new Error(`chat6 ${args[0]} exited (${child.exitCode}) before ${re}:\n${out}`))
          }
        }
        const timer = setTimeout(() => {
          done()
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${re} from chat6 ${args[0]}:\n${out}`,
            ),
          )
        }, timeoutMs)
        const done = () => {
          clearTimeout(timer)
          waiters.delete(check)
        }
        waiters.add(check)
        check()
      })
    },
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal)
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
      const code = await exited
      clearTimeout(timer)
      return code
    },
  }
}

/** Polls `fn` until it returns a truthy value; throws after `timeoutMs`. */
export async function eventually<T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 200))
  }
}

/** Starts a relay on ::1 with an ephemeral port; resolves with it and its `[::1]:PORT`. */
export async function startRelay(
  dataDir: string,
  extra: string[] = [],
): Promise<{ relay: Running; addr: string }> {
  const relay = start([
    'node',
    '--data-dir',
    dataDir,
    '--listen',
    '[::1]:0',
    '--status-interval',
    '0',
    ...extra,
  ])
  const m = await relay.waitFor(/listening on (\[::1\]:\d+)/)
  return { relay, addr: m[1] as string }
}

/** A message as `chat6 history --json` prints it. */
export interface HistoryEntry {
  outgoing: boolean
  text: string
  state: string
}

/** `chat6 history --json` of `dataDir` with `friend` (all of it, up to 1000 messages). */
export async function history(dataDir: string, friend: string): Promise<HistoryEntry[]> {
  const r = await run(['history', '--data-dir', dataDir, friend, '--json', '--limit', '1000'])
  if (r.code !== 0) throw new Error(`chat6 history failed (${r.code}): ${r.stderr}`)
  return JSON.parse(r.stdout) as HistoryEntry[]
}

/** Two users who are friends, each with a daemon still running on their data dir. */
export interface FriendsPair {
  alice: string
  bob: string
  bobKey: string
  aliceD: Running
  bobD: Running
}

/**
 * Makes alice and bob under `dir` (both dialling `relayAddr`), and friends: alice adds bob, bob
 * accepts, through their daemons, which are left running.
 */
export async function twoFriends(dir: string, relayAddr: string): Promise<FriendsPair> {
  const alice = join(dir, 'alice')
  const bob = join(dir, 'bob')
  for (const [d, n] of [
    [alice, 'alice'],
    [bob, 'bob'],
  ] as const) {
    const r = await run([
      'init',
      '--data-dir',
      d,
      '--nick',
      n,
      '--peer',
      relayAddr,
      '--no-passphrase',
    ])
    if (r.code !== 0) throw new Error(`chat6 init failed (${r.code}): ${r.stderr}`)
  }
  const whoami = await run(['whoami', '--data-dir', bob, '--json'])
  const bobKey = (JSON.parse(whoami.stdout) as { key: string }).key
  const bobD = start(['daemon', '--data-dir', bob])
  const aliceD = start(['daemon', '--data-dir', alice])
  await Promise.all([bobD.waitFor(/peer up/), aliceD.waitFor(/peer up/)])
  // sent at once if bob's presence is in, else by the daemon when it comes
  const add = await run(['add', '--data-dir', alice, bobKey])
  if (add.code !== 0 && add.code !== 3) throw new Error(`chat6 add failed: ${add.stderr}`)
  await bobD.waitFor(/friend request from alice/)
  const accept = await run(['accept', '--data-dir', bob, 'alice'])
  if (accept.code !== 0) throw new Error(`chat6 accept failed: ${accept.stderr}`)
  await aliceD.waitFor(/bob is now a friend/)
  return { alice, bob, bobKey, aliceD, bobD }
}
