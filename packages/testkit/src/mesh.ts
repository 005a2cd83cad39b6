// createMesh: nodes on one virtual clock and one seeded world, linked by a topology that the mesh
// keeps up, with every line traced and faults injected at the taps.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCrypto } from '@chat6/crypto'
import {
  type Address,
  type Chat6Node,
  createNode,
  createNodeCrypto,
  type NodeOptions,
} from '@chat6/node'
import { createMemoryNetwork, createSeededRandom, createVirtualClock } from '@chat6/node/testing'
import { base64Encode } from '@chat6/wire'
import { ClientPool, type ClientSlot } from './clients.ts'
import { MeshInputError, MeshTimeoutError } from './errors.ts'
import { checkFaults, drawFate, type FrameFaults } from './faults.ts'
import { createLiar, type Liar } from './liar.ts'
import type { AddNodeOptions, Mesh, MeshInit, MeshNode, UntilOptions } from './mesh-types.ts'
import { deriveSeed } from './seed.ts'
import { tapTransport } from './tap.ts'
import { type Edge, topologyEdges } from './topology.ts'
import { TraceRecorder } from './trace.ts'

const PORT = 7600
const REDIAL_MIN = 1_000
const REDIAL_MAX = 30_000

/** @internal */
export interface Slot extends MeshNode {
  node: Chat6Node | undefined
  liar: Liar | undefined
  alive: boolean
  incarnation: number
  options: Partial<NodeOptions>
  bootstrap: Address[]
}

const pairKey = (a: number, b: number): string => (a < b ? `${a}-${b}` : `${b}-${a}`)

// CHAT6_TRACE=<dir> keeps the whole trace of a failed wait, one file per seed.
function saveTrace(trace: TraceRecorder, seed: number): string {
  const dir = process.env.CHAT6_TRACE
  if (dir === undefined || dir === '') return ''
  try {
    mkdirSync(dir, { recursive: true })
    const file = join(dir, `chat6-trace-seed-${seed}.txt`)
    writeFileSync(file, `${trace.print({ omit: [], full: true })}\n`)
    return `; full trace in ${file}`
  } catch (e) {
    return `; could not write the trace to ${dir}: ${(e as Error).message}`
  }
}

/**
 * Builds and starts a mesh, and waits until the topology's links are up.
 * @param init - size, topology, seed and options
 * @returns the running mesh; stop it with `await mesh.stop()` or `await using`
 * @example
 * ```ts
 * await using mesh = await createMesh({ nodes: 10, topology: 'ring', seed: 7 })
 * mesh.cut(0, 1)
 * await mesh.advance(60_000)
 * ```
 */
export async function createMesh(init: MeshInit): Promise<Mesh> {
  if (!Number.isInteger(init.nodes) || init.nodes < 1)
    throw new MeshInputError('nodes', 'must be a positive integer')
  const seed = init.seed ?? 1
  if (!Number.isInteger(seed)) throw new MeshInputError('seed', 'must be an integer')
  if (init.faults !== undefined) checkFaults(init.faults)
  const clock = createVirtualClock()
  const world = createSeededRandom(deriveSeed(seed, 'world'))
  const faultRandom = createSeededRandom(deriveSeed(seed, 'faults'))
  const keyRandom = createSeededRandom(deriveSeed(seed, 'keys'))
  const crypto = createCrypto({
    backend: init.crypto ?? 'native',
    random: (n) => keyRandom.bytes(n),
  })
  const nodeCrypto = createNodeCrypto(crypto)
  const network = createMemoryNetwork({ clock, latency: init.latency ?? 5 })
  const trace = new TraceRecorder(init.traceLimit ?? 200_000, init.trace ?? true)
  const edges: Edge[] = topologyEdges(
    init.topology ?? 'line',
    init.nodes,
    createSeededRandom(deriveSeed(seed, 'topology')).float,
  )
  const liars = new Set(init.liars ?? [])
  const slots: Slot[] = []
  const byHost = new Map<string, Slot>()
  const cutPairs = new Set<string>()
  const backoff = new Map<string, number>()
  const dialing = new Set<string>()
  let faults: FrameFaults | undefined = init.faults
  const pool = new ClientPool({
    clock,
    crypto,
    world,
    limits: init.clientLimits,
    nodeAt: (i) => (slots[i]?.alive === true ? slots[i]?.node : undefined),
  })
  // Clients that died with their node, restarted with it.
  const orphans = new Map<number, ClientSlot[]>()
  let stopped = false
  const checks = new Set<() => void>()
  // Runs the registered invariant checks after every fired timer, before the wait's own predicate.
  const stepped = (pred: () => boolean) => (): boolean => {
    for (const c of checks) c()
    return pred()
  }

  const hooks = {
    clock,
    active: () => trace.enabled || faults !== undefined,
    fate(local: Address, remote: Address, line: string) {
      if (faults === undefined) return 'deliver' as const
      const a = byHost.get(local.host)?.index ?? -1
      const b = byHost.get(remote.host)?.index ?? -1
      const type = line.split(' ', 4)[3] ?? '?'
      return drawFate(faults, faultRandom.float, type, a, b)
    },
    record(
      local: Address,
      remote: Address,
      line: string,
      fate: Parameters<TraceRecorder['record']>[0]['fate'],
    ) {
      const from = byHost.get(local.host)
      const to = byHost.get(remote.host)
      const lost =
        from !== undefined && to !== undefined && cutPairs.has(pairKey(from.index, to.index))
      trace.record({
        at: clock.now(),
        from: from?.name ?? local.host,
        to: to?.name ?? remote.host,
        line,
        fate: lost && fate === 'sent' ? 'cut' : fate,
      })
    },
  }

  const optionsFor = (i: number): Partial<NodeOptions> =>
    typeof init.nodeOptions === 'function' ? init.nodeOptions(i) : (init.nodeOptions ?? {})

  const makeSlot = (index: number, options: Partial<NodeOptions>, bootstrap: Address[]): Slot => {
    const host = `2001:db8:${(index + 1).toString(16)}::1`
    const slot: Slot = {
      index,
      name: `n${index}`,
      host,
      address: { host, port: PORT },
      kind: liars.has(index) ? 'liar' : 'node',
      alive: false,
      incarnation: -1,
      node: undefined,
      liar: undefined,
      options,
      bootstrap,
      get id() {
        return this.node?.id ?? this.liar?.id ?? ''
      },
    }
    slots.push(slot)
    byHost.set(host, slot)
    return slot
  }

  const startSlot = async (slot: Slot): Promise<void> => {
    slot.incarnation++
    const transport = tapTransport(network.transport(slot.host), hooks)
    if (slot.kind === 'liar') {
      slot.liar = createLiar({ transport, clock, crypto, address: slot.address })
      await slot.liar.start()
    } else {
      const node = createNode({
        listen: slot.address,
        bootstrap: slot.bootstrap,
        useShippedBootstrap: false,
        useEnvBootstrap: false,
        dataDir: false,
        targetPeers: init.discovery === true ? undefined : 0,
        ...slot.options,
        transport,
        clock,
        random: world,
        crypto: nodeCrypto,
      })
      node.on('peer:disconnect', () => keepEdgesOf(slot.index))
      slot.node = node
      await node.start()
    }
    slot.alive = true
    keepEdgesOf(slot.index)
  }

  const connected = (a: Slot, b: Slot): boolean => {
    if (a.node !== undefined) return a.node.peers().some((p) => p.id === b.id)
    if (b.node !== undefined) return b.node.peers().some((p) => p.id === a.id)
    return a.liar?.peers().includes(b.id) ?? false
  }

  // The lower index of an edge dials (unless only the other can); a failed dial is retried with
  // doubling backoff.
  const ensureEdge = (x: number, y: number): void => {
    // a node that does not listen (listen: false) can only dial
    const [a, b] = slots[y]?.options.listen === false ? [y, x] : [x, y]
    const sa = slots[a]
    const sb = slots[b]
    if (stopped || sa === undefined || sb === undefined || !sa.alive || !sb.alive) return
    const key = pairKey(a, b)
    if (cutPairs.has(key) || dialing.has(key) || connected(sa, sb)) return
    const dialer = sa.node ?? sa.liar
    const incarnation = sa.incarnation
    dialing.add(key)
    dialer?.dial(sb.address).then(
      () => {
        dialing.delete(key)
        backoff.delete(key)
      },
      () => {
        dialing.delete(key)
        if (sa.incarnation !== incarnation) return
        const wait = Math.min(REDIAL_MAX, backoff.get(pairKey(a, b)) ?? REDIAL_MIN)
        backoff.set(pairKey(a, b), wait * 2)
        clock.setTimeout(() => ensureEdge(a, b), wait)
      },
    )
  }

  const keepEdgesOf = (i: number): void => {
    // After a disconnect, give the peer's own close a moment before dialling again.
    clock.setTimeout(() => {
      for (const [a, b] of edges) if (a === i || b === i) ensureEdge(a, b)
    }, REDIAL_MIN)
  }

  const crash = async (slot: Slot): Promise<void> => {
    if (!slot.alive) return
    const dying = pool.slots.filter((c) => c.node === slot.index && c.alive)
    for (const c of dying) await pool.stop(c, false)
    orphans.set(slot.index, dying)
    slot.alive = false
    for (const link of network.links(slot.host)) link.reset()
    await clock.tick()
    await slot.node?.stop()
    slot.liar?.stop()
  }

  const mesh: Mesh = {
    seed,
    clock,
    network,
    edges,
    nodes: slots,
    trace,
    clients: pool.slots,
    client(index) {
      const c = pool.slot(index)
      if (!c.alive || c.client === undefined)
        throw new MeshInputError('index', `client ${index} is not running`)
      return c.client
    },
    async addClient(spec) {
      return (await pool.add(spec)).index
    },
    async befriend(a, b, opts = {}) {
      const ca = pool.slot(a)
      const cb = pool.slot(b)
      cb.accept.add(base64Encode(ca.key))
      await mesh.client(a).addFriend(cb.key)
      const keyed = (x: ClientSlot, y: ClientSlot) =>
        x.friends.get(base64Encode(y.key))?.keyed === true
      await mesh.until(() => keyed(ca, cb) && keyed(cb, ca), {
        timeout: opts.timeout,
        what: opts.what ?? `${ca.name} and ${cb.name} friends with a session`,
      })
    },
    send(a, b, body) {
      return mesh.client(a).send(pool.slot(b).key, body)
    },
    async stopClient(index, opts = {}) {
      await pool.stop(pool.slot(index), opts.clean ?? true)
    },
    async restartClient(index, opts = {}) {
      const c = pool.slot(index)
      if (c.alive) throw new MeshInputError('index', `client ${index} is running; stop it first`)
      if (opts.node !== undefined) c.node = slotOf(opts.node).index
      await pool.start(c)
    },
    node(index) {
      const s = slots[index]
      if (s?.node === undefined || !s.alive)
        throw new MeshInputError('index', `node ${index} is not a running node`)
      return s.node
    },
    async advance(ms) {
      if (checks.size === 0) return clock.advance(ms)
      const end = clock.now() + ms
      await clock.runUntil(
        stepped(() => false),
        { maxMs: ms },
      )
      await clock.advance(end - clock.now())
    },
    check(fn) {
      checks.add(fn)
      fn()
      return () => checks.delete(fn)
    },
    async until(pred, opts: UntilOptions = {}) {
      const timeout = opts.timeout ?? 120_000
      const start = clock.now()
      if (await clock.runUntil(stepped(pred), { maxMs: timeout })) return
      const tail = trace.print({ last: 30 })
      const saved = saveTrace(trace, seed)
      throw new MeshTimeoutError(
        `${opts.what ?? 'condition'} did not hold within ${timeout} virtual ms (from ${start} ms, seed ${seed}; ` +
          `repeat with CHAT6_SEED=${seed}${saved}). Last frames:\n${tail}`,
        seed,
      )
    },
    cut(a, b) {
      const sa = slotOf(a)
      const sb = slotOf(b)
      cutPairs.add(pairKey(a, b))
      network.cut(sa.host, sb.host)
    },
    heal(a, b) {
      const pairs =
        a === undefined || b === undefined
          ? [...cutPairs].map((k) => k.split('-').map(Number) as [number, number])
          : [[a, b] as [number, number]]
      for (const [x, y] of pairs) {
        cutPairs.delete(pairKey(x, y))
        network.heal(slotOf(x).host, slotOf(y).host)
        ensureEdge(Math.min(x, y), Math.max(x, y))
      }
    },
    partition(groups) {
      const group = new Map<number, number>()
      for (const [g, members] of groups.entries())
        for (const m of members) group.set(slotOf(m).index, g)
      for (const s of slots) if (!group.has(s.index)) group.set(s.index, groups.length)
      for (const x of slots) {
        for (const y of slots)
          if (x.index < y.index && group.get(x.index) !== group.get(y.index))
            mesh.cut(x.index, y.index)
      }
    },
    async kill(index) {
      await crash(slotOf(index))
    },
    async restart(index) {
      const slot = slotOf(index)
      if (slot.alive) throw new MeshInputError('index', `node ${index} is running; kill it first`)
      await startSlot(slot)
      for (const c of orphans.get(index) ?? []) if (!c.alive) await pool.start(c)
      orphans.delete(index)
    },
    async addNode(opts: AddNodeOptions = {}) {
      const index = slots.length
      const bootstrap = (opts.bootstrap ?? []).map((i) => slotOf(i).address)
      const slot = makeSlot(index, { ...optionsFor(index), ...opts.nodeOptions }, bootstrap)
      for (const j of opts.links ?? []) edges.push(j < index ? [j, index] : [index, j])
      if (
        bootstrap.length > 0 &&
        init.discovery !== true &&
        opts.nodeOptions?.targetPeers === undefined
      ) {
        slot.options = { ...slot.options, targetPeers: bootstrap.length }
      }
      await startSlot(slot)
      return index
    },
    inject(index, frame) {
      liarAt(index).inject(frame)
    },
    liarStats(index) {
      const l = liarAt(index)
      return { dropped: l.dropped, lies: l.lies }
    },
    setFaults(f) {
      if (f !== undefined) checkFaults(f)
      faults = f
    },
    async stop() {
      if (stopped) return
      stopped = true
      for (const s of slots) if (s.alive) await crash(s)
      pool.closeAll()
    },
    async [Symbol.asyncDispose]() {
      await mesh.stop()
    },
  }

  const liarAt = (i: number): Liar => {
    const l = slotOf(i).liar
    if (l === undefined) throw new MeshInputError('index', `node ${i} is not a liar`)
    return l
  }

  const slotOf = (i: number): Slot => {
    const s = slots[i]
    if (s === undefined)
      throw new MeshInputError('index', `no node ${i} (mesh has ${slots.length})`)
    return s
  }

  for (let i = 0; i < init.nodes; i++) makeSlot(i, optionsFor(i), [])
  for (const s of slots) await startSlot(s)
  const allUp = (): boolean =>
    edges.every(([a, b]) => connected(slots[a] as Slot, slots[b] as Slot))
  await mesh.until(allUp, { timeout: init.startTimeout ?? 60_000, what: 'every topology link up' })
  const specs =
    typeof init.clients === 'number'
      ? Array.from({ length: init.clients }, (_, j) => ({ node: j % init.nodes }))
      : (init.clients ?? [])
  for (const spec of specs) await pool.add(spec)
  return mesh
}
