// Outgoing presence, paced per link (§8.2, §8.4). Two coalescing queues per link: clients whose
// presence has not gone out on the link may be new keys to the neighbour, and drain at the rate it
// accepts new keys at, so an honest sender is never dropped (§8.4); updates of clients already
// sent drain at the faster update rate, as they are not new keys there (pacing them as such
// capped the whole mesh at about 50 presence changes a second).
import type { TimerId } from '../clock.ts'
import type { PresenceAdvertiser, PresenceTable, ServiceComponents } from '../components.ts'
import type { Link } from '../link.ts'
import { TokenBucket } from '../token-bucket.ts'

/** @internal */
export interface AdvertiserInit {
  /** New keys per second the neighbour accepts (`maxNewPresencePerSecond`, §8.4). */
  rate: number
  /** Their burst (`maxNewPresenceBurst`). */
  burst: number
  /** Updates per second of clients already sent (`presenceUpdatesPerSecond`, §8.2). */
  updateRate: number
  /** Their burst (`presenceUpdateBurst`). */
  updateBurst: number
}

/** @internal */
export type AdvertiserComponents = Pick<
  ServiceComponents,
  'clock' | 'log' | 'metrics' | 'registry'
> & {
  readonly table: Pick<PresenceTable, 'sendPresence'>
}

/** What the advertiser keeps per link, from the first presence queued on it to link-down. */
interface LinkQueues {
  /** Clients not yet sent on this link (ids), coalesced; drained at the new-key rate. */
  readonly fresh: Set<string>
  readonly freshBucket: TokenBucket
  /** Clients sent before whose presence changed, coalesced; drained at the update rate. */
  readonly updates: Set<string>
  readonly updateBucket: TokenBucket
  /** Clients whose presence has gone out on this link: not new keys to the neighbour. */
  readonly advertised: Set<string>
  timer: TimerId | undefined
}

/** @internal */
export function createPresenceAdvertiser(
  components: AdvertiserComponents,
  init: AdvertiserInit,
): PresenceAdvertiser {
  const links = new Map<Link, LinkQueues>()
  const { clock } = components

  const queuesOf = (link: Link): LinkQueues => {
    let q = links.get(link)
    if (q === undefined) {
      const now = clock.now()
      q = {
        fresh: new Set(),
        freshBucket: new TokenBucket(init.rate, init.burst, now),
        updates: new Set(),
        updateBucket: new TokenBucket(init.updateRate, init.updateBurst, now),
        advertised: new Set(),
        timer: undefined,
      }
      links.set(link, q)
    }
    return q
  }

  const drain = (
    link: Link,
    q: LinkQueues,
    queue: Set<string>,
    bucket: TokenBucket,
    now: number,
  ) => {
    for (const id of queue) {
      if (!bucket.take(now)) break
      queue.delete(id)
      try {
        if (components.table.sendPresence(link, id)) q.advertised.add(id)
      } catch (e) {
        components.log('error', 'internal error sending presence', { client: id, error: String(e) })
        components.metrics.bumpDrop('internal')
      }
    }
  }

  const pump = (link: Link, q: LinkQueues): void => {
    q.timer = undefined
    if (link.state !== 'up') return
    const now = clock.now()
    drain(link, q, q.updates, q.updateBucket, now)
    drain(link, q, q.fresh, q.freshBucket, now)
    let wait = Number.POSITIVE_INFINITY
    if (q.updates.size > 0) wait = q.updateBucket.waitMs(now)
    if (q.fresh.size > 0) wait = Math.min(wait, q.freshBucket.waitMs(now))
    if (wait !== Number.POSITIVE_INFINITY)
      q.timer = clock.setTimeout(() => pump(link, q), wait || 1)
  }

  const linkDown = (link: Link): void => {
    const q = links.get(link)
    if (q === undefined) return
    clock.clearTimeout(q.timer)
    links.delete(link)
  }
  components.registry.onLink({ down: linkDown })

  return {
    enqueue(link, id) {
      if (link.state !== 'up') return
      const q = queuesOf(link)
      if (q.advertised.has(id) && !q.fresh.has(id)) q.updates.add(id)
      else q.fresh.add(id)
      if (q.timer === undefined) q.timer = clock.setTimeout(() => pump(link, q), 0)
    },
    forget(id) {
      for (const q of links.values()) {
        q.advertised.delete(id)
        q.updates.delete(id)
      }
    },
    queued() {
      let n = 0
      for (const q of links.values()) n += q.fresh.size + q.updates.size
      return n
    },
    linkDown,
    stop() {
      for (const q of links.values()) clock.clearTimeout(q.timer)
      links.clear()
    },
  }
}
