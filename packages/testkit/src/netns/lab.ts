// Linux network namespaces as test hosts: one namespace per host, one veth pair per link, a ULA
// /64 per link, so that several processes talk real IPv6 TCP to each other and to nothing else.
import { spawnSync } from 'node:child_process'
import { linkPrefix } from './addresses.ts'

/** A link of the lab: the veth pair joining hosts `a` and `b` and its addresses. */
export interface LabLink {
  readonly a: number
  readonly b: number
  /** The /64 of the link, e.g. `fd63:6836:0:3::/64`. */
  readonly prefix: string
  /** Address of host `a` on this link. */
  readonly addrA: string
  /** Address of host `b` on this link. */
  readonly addrB: string
}

/** A host of the lab: its namespace and its address toward each neighbour. */
export interface LabHost {
  readonly index: number
  /** Network namespace name. */
  readonly ns: string
  /** Neighbour index → this host's address on the link to it. */
  readonly addrTo: ReadonlyMap<number, string>
  /** Neighbour index → the neighbour's address on the link to it. */
  readonly peerAddr: ReadonlyMap<number, string>
}

/** Options of {@link createNetnsLab}. */
export interface NetnsLabInit {
  /** Number of hosts. */
  hosts: number
  /** Links `[a, b]` between host indexes. */
  edges: ReadonlyArray<readonly [number, number]>
  /** Namespace name prefix; default `c6t-<pid>-`, so that parallel runs never collide. */
  prefix?: string
  /** First 32 bits of the ULA /48 the links are numbered from (default `fd63:6836`). */
  ula?: string
}

/** A running lab; {@link NetnsLab.destroy} removes every namespace it made. */
export interface NetnsLab extends AsyncDisposable {
  readonly hosts: readonly LabHost[]
  readonly links: readonly LabLink[]
  /** The command prefix that runs a program inside host `i`'s namespace. */
  execArgs(i: number): string[]
  /** Sets the link between hosts `a` and `b` up or down (both ends, `ip link set … down`). */
  setLink(a: number, b: number, up: boolean): void
  /** Deletes every namespace (and so every veth) of the lab; safe to call twice. */
  destroy(): void
}

/** Why a lab cannot run here, or undefined when it can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.platform !== 'linux') return `network namespaces need Linux, not ${process.platform}`
  if (typeof process.getuid === 'function' && process.getuid() !== 0)
    return 'not root (ip netns needs CAP_SYS_ADMIN)'
  const probe = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' })
  if (probe.error !== undefined) return `no usable ip command: ${probe.error.message}`
  if (probe.status !== 0) return `ip netns list failed: ${probe.stderr.trim()}`
  return undefined
}

/** Runs `ip` with `args`; throws with its stderr when it fails. */
export function ip(...args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8', timeout: 10_000 })
  if (r.error !== undefined) throw new Error(`ip ${args.join(' ')}: ${r.error.message}`)
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`)
  return r.stdout
}

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Deletes namespaces left by lab runs whose process is gone (a run killed before its cleanup).
 * @returns the names deleted
 */
export function sweepStaleNamespaces(): string[] {
  const gone: string[] = []
  const list = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout ?? ''
  for (const row of list.split('\n')) {
    const name = row.split(' ')[0] ?? ''
    const m = /^c6t-(\d+)-/.exec(name)
    if (m === null || isAlive(Number(m[1]))) continue
    spawnSync('ip', ['netns', 'del', name])
    gone.push(name)
  }
  return gone
}

/**
 * Creates the namespaces, veth pairs and addresses of a lab (needs root and `ip`; see
 * {@link netnsUnavailableReason}). Addresses are added with `nodad`, so they are usable at once.
 * @example
 * ```ts
 * using lab = createNetnsLab({ hosts: 3, edges: [[0, 1], [1, 2]] })
 * spawn(lab.execArgs(0)[0], [...lab.execArgs(0).slice(1), 'node', 'host.js'])
 * ```
 */
export function createNetnsLab(init: NetnsLabInit): NetnsLab {
  const prefix = init.prefix ?? `c6t-${process.pid}-`
  const ula = init.ula ?? 'fd63:6836'
  const names = Array.from({ length: init.hosts }, (_, i) => `${prefix}${i}`)
  const made: string[] = []
  let destroyed = false
  const destroy = (): void => {
    if (destroyed) return
    destroyed = true
    process.off('exit', destroy)
    for (const ns of made) spawnSync('ip', ['netns', 'del', ns])
  }
  // A test runner that exits without running afterAll still removes the namespaces.
  process.on('exit', destroy)
  const addrTo = names.map(() => new Map<number, string>())
  const peerAddr = names.map(() => new Map<number, string>())
  const links: LabLink[] = []
  try {
    for (const ns of names) {
      ip('netns', 'add', ns)
      made.push(ns)
      ip('-n', ns, 'link', 'set', 'lo', 'up')
    }
    for (const [k, [a, b]] of init.edges.entries()) {
      const nsA = names[a]
      const nsB = names[b]
      if (nsA === undefined || nsB === undefined || a === b)
        throw new RangeError(`edges[${k}]: bad host index`)
      const pfx = linkPrefix(ula, k)
      const addrA = `${pfx}${a + 1}`
      const addrB = `${pfx}${b + 1}`
      ip(
        'link',
        'add',
        `to${b}`,
        'netns',
        nsA,
        'type',
        'veth',
        'peer',
        'name',
        `to${a}`,
        'netns',
        nsB,
      )
      ip('-n', nsA, 'addr', 'add', `${addrA}/64`, 'dev', `to${b}`, 'nodad')
      ip('-n', nsB, 'addr', 'add', `${addrB}/64`, 'dev', `to${a}`, 'nodad')
      ip('-n', nsA, 'link', 'set', `to${b}`, 'up')
      ip('-n', nsB, 'link', 'set', `to${a}`, 'up')
      addrTo[a]?.set(b, addrA)
      addrTo[b]?.set(a, addrB)
      peerAddr[a]?.set(b, addrB)
      peerAddr[b]?.set(a, addrA)
      links.push({ a, b, prefix: `${pfx}/64`, addrA, addrB })
    }
  } catch (e) {
    destroy()
    throw e
  }
  const hosts: LabHost[] = names.map((ns, index) => ({
    index,
    ns,
    addrTo: addrTo[index] as Map<number, string>,
    peerAddr: peerAddr[index] as Map<number, string>,
  }))
  return {
    hosts,
    links,
    execArgs: (i) => ['ip', 'netns', 'exec', names[i] as string],
    setLink(a, b, up) {
      const state = up ? 'up' : 'down'
      ip('-n', names[a] as string, 'link', 'set', `to${b}`, state)
      ip('-n', names[b] as string, 'link', 'set', `to${a}`, state)
    },
    destroy,
    async [Symbol.asyncDispose]() {
      destroy()
    },
  }
}
