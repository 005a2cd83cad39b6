// The clients of a mesh: attached to chosen nodes, all on the mesh's clock and seeded world, with
// every message and receipt they report kept for the scenario to check.
import {
  type Client,
  type ClientLimits,
  createClient,
  createMemoryStore,
  type Friend,
  type Message,
  type Store,
} from '@chat6/client'
import type { Crypto } from '@chat6/crypto'
import type { Chat6Node, Random } from '@chat6/node'
import type { VirtualClock } from '@chat6/node/testing'
import { base64Encode } from '@chat6/wire'
import { MeshInputError } from './errors.ts'
import { type StoreSource, storeHandle } from './store.ts'

/** Where a client of {@link MeshInit} goes, and what it keeps. */
export interface MeshClientSpec {
  /** Index of the node it attaches to. */
  node: number
  /** Nickname of its identity (default its name, `c<index>`). */
  nickname?: string
  /** Its store (default a memory store); kept across restarts. */
  store?: StoreSource
}

/** One client slot of a mesh; a restart puts a new Client with the same store in the slot. */
export interface MeshClient {
  readonly index: number
  /** `c<index>`. */
  readonly name: string
  /** Index of the node it is attached to. */
  readonly node: number
  /** Its client key (identity), stable across restarts. */
  readonly key: Uint8Array
  /** SHA-256 of the key: its address in the mesh. */
  readonly hash: Uint8Array
  /** base64 of `hash`, as nodes key their tables. */
  readonly id: string
  readonly alive: boolean
  /** The running client (the latest after a restart). */
  readonly client: Client | undefined
  /** Every `message` event, across restarts, oldest first. */
  readonly received: readonly Message[]
  /** Newest state of each outgoing message by base64 msgid (`sent`, `delivered`, `read`). */
  readonly receipts: ReadonlyMap<string, 'sent' | 'delivered' | 'read'>
  /** Newest view of each friend by base64 client key. */
  readonly friends: ReadonlyMap<string, Friend>
}

/** @internal Mutable slot behind {@link MeshClient}. */
export interface ClientSlot extends MeshClient {
  node: number
  key: Uint8Array
  hash: Uint8Array
  id: string
  alive: boolean
  client: Client | undefined
  received: Message[]
  receipts: Map<string, 'sent' | 'delivered' | 'read'>
  friends: Map<string, Friend>
  nickname: string
  source: StoreSource
  shared: Store | undefined
  accept: Set<string>
}

/** @internal What the client pool needs of its mesh. */
export interface PoolHost {
  clock: VirtualClock
  crypto: Crypto
  world: Random
  limits: Partial<ClientLimits> | undefined
  nodeAt(index: number): Chat6Node | undefined
}

/** @internal */
export class ClientPool {
  readonly slots: ClientSlot[] = []
  constructor(private readonly host: PoolHost) {}

  slot(i: number): ClientSlot {
    const s = this.slots[i]
    if (s === undefined)
      throw new MeshInputError('client', `no client ${i} (mesh has ${this.slots.length})`)
    return s
  }

  async add(spec: MeshClientSpec): Promise<ClientSlot> {
    const index = this.slots.length
    const slot: ClientSlot = {
      index,
      name: `c${index}`,
      node: spec.node,
      key: new Uint8Array(),
      hash: new Uint8Array(),
      id: '',
      alive: false,
      client: undefined,
      received: [],
      receipts: new Map(),
      friends: new Map(),
      nickname: spec.nickname ?? `c${index}`,
      source: spec.store ?? createMemoryStore(),
      shared: undefined,
      accept: new Set(),
    }
    this.slots.push(slot)
    await this.start(slot)
    return slot
  }

  async start(slot: ClientSlot): Promise<void> {
    const node = this.host.nodeAt(slot.node)
    if (node === undefined)
      throw new MeshInputError('client.node', `node ${slot.node} is not a running node`)
    let store: Store
    if (typeof slot.source === 'function') store = slot.source()
    else {
      slot.shared = slot.source
      store = storeHandle(slot.source)
    }
    const client = await createClient({
      node,
      store,
      crypto: this.host.crypto,
      clock: this.host.clock,
      random: (n) => this.host.world.bytes(n),
      nickname: slot.nickname,
      limits: this.host.limits,
    })
    slot.key = client.key
    slot.hash = client.hash
    slot.id = base64Encode(client.hash)
    slot.client = client
    slot.alive = true
    client.on('message', (m) => {
      if (slot.client === client) slot.received.push(m)
    })
    client.on('receipt', (r) => {
      const k = base64Encode(r.msgid)
      const rank = { sent: 0, delivered: 1, read: 2 }
      const held = slot.receipts.get(k)
      if (held === undefined || rank[r.state] > rank[held]) slot.receipts.set(k, r.state)
    })
    const note = (f: Friend): void => {
      slot.friends.set(base64Encode(f.key), f)
    }
    client.on('presence', note)
    client.on('friend-added', note)
    client.on('friend-request', (req) => {
      if (slot.accept.has(base64Encode(req.key))) void client.accept(req.key).then(note, () => {})
    })
  }

  /** Stops a client: `clean` announces CLIENT_OFFLINE first; otherwise it just vanishes. */
  async stop(slot: ClientSlot, clean: boolean): Promise<void> {
    if (!slot.alive) return
    slot.alive = false
    const client = slot.client
    try {
      await client?.stop({ offline: clean })
    } catch {
      // its node may be gone already: a crash is what we want anyway
    }
    // Views of friends die with the client; a restarted one reports afresh.
    slot.friends.clear()
  }

  closeAll(): void {
    for (const s of this.slots) {
      try {
        s.shared?.close()
      } catch {
        // already closed
      }
    }
  }
}
