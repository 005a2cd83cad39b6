// The presence table of §8.1 and its limits (§8.4): per client, the presence with the highest
// nonce, online/offline status and tombstones; eviction of tombstones first, then of the least
// recently updated remote clients, never of a locally attached one.
import type { FrameOf } from '@chat6/wire'

/** A presence frame (§8.1). */
export type PresenceFrame =
  | FrameOf<'CLIENT_ONLINE'>
  | FrameOf<'CLIENT_UPDATE'>
  | FrameOf<'CLIENT_OFFLINE'>

/** @internal */
export interface ClientRecord {
  /** base64 client hash: the key everywhere in the node. */
  readonly id: string
  readonly hash: Uint8Array<ArrayBuffer>
  readonly clientkey: Uint8Array
  /** Held presence (highest nonce accepted). */
  frame: PresenceFrame
  /** Its MSGHASH, as bytes and base64 (the verified-proof cache, §8.1). */
  frameHash: Uint8Array<ArrayBuffer>
  frameHashKey: string
  status: 'online' | 'offline'
  /** Monotonic ms of the last presence change. */
  updatedAt: number
  /** Link id the OFFLINE came from (not sent back). */
  offlineFrom: string | undefined
  /** Whether the last report said reachable. */
  reachable: boolean
  /** Whether a client with this key is attached here. */
  local: boolean
  /** Monotonic ms of the last refresh asked of the local client (§8.3). */
  lastRefreshAt: number
}

/** @internal */
export class ClientTable {
  private readonly records = new Map<string, ClientRecord>()
  private readonly tombstones = new Set<string>()

  constructor(private max: number) {}

  get(id: string): ClientRecord | undefined {
    return this.records.get(id)
  }

  get size(): number {
    return this.records.size
  }

  values(): IterableIterator<ClientRecord> {
    return this.records.values()
  }

  tombstoneIds(): IterableIterator<string> {
    return this.tombstones.values()
  }

  /** Whether there is room for one more, after evicting if needed; returns evicted ids. */
  makeRoom(): { ok: boolean; evicted: string[] } {
    const evicted: string[] = []
    while (this.records.size >= this.max) {
      const victim = this.victim()
      if (victim === undefined) return { ok: false, evicted }
      this.delete(victim)
      evicted.push(victim)
    }
    return { ok: true, evicted }
  }

  private victim(): string | undefined {
    for (const id of this.tombstones) {
      if (!this.records.get(id)?.local) return id
    }
    for (const r of this.records.values()) if (!r.local) return r.id
    return undefined
  }

  insert(r: ClientRecord): void {
    this.records.set(r.id, r)
    if (r.status === 'offline') this.tombstones.add(r.id)
  }

  /** Marks a record updated: moves it to the back of the eviction order. */
  touch(r: ClientRecord, now: number): void {
    r.updatedAt = now
    this.records.delete(r.id)
    this.records.set(r.id, r)
    this.tombstones.delete(r.id)
    if (r.status === 'offline') this.tombstones.add(r.id)
  }

  delete(id: string): void {
    this.records.delete(id)
    this.tombstones.delete(id)
  }

  /** Remote records (tombstones, or online but unreachable) untouched for `ttl` ms. */
  expired(now: number, ttl: number): string[] {
    const out: string[] = []
    for (const r of this.records.values()) {
      if (now - r.updatedAt < ttl) break
      if (!r.local && (r.status === 'offline' || !r.reachable)) out.push(r.id)
    }
    return out
  }
}
