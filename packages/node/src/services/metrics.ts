// Counters of a node: frames and bytes per type and per link, drops by reason (§6.5), BYEs by
// reason, and named counters services add. Every drop is also a `drop` event when someone listens.
import type { Counter, LinkCounters, Metrics } from '../components.ts'
import type { EventSink } from '../events.ts'
import type { Link } from '../link.ts'
import type { MetricsEvents } from '../types.ts'

const NONE: LinkCounters = Object.freeze({ framesIn: 0, framesOut: 0 })

/** @internal */
export function createMetrics(components: { readonly events: EventSink<MetricsEvents> }): Metrics {
  const framesIn: Record<string, number> = {}
  const framesOut: Record<string, number> = {}
  const drops: Record<string, number> = {}
  const byesOut: Record<string, number> = {}
  const byesIn: Record<string, number> = {}
  const perLink = new Map<Link, LinkCounters>()
  const counters = new Map<string, Counter>()
  let bytesIn = 0
  let bytesOut = 0
  const bumpDrop = (reason: string) => {
    drops[reason] = (drops[reason] ?? 0) + 1
  }
  return {
    count(link, dir, type, bytes) {
      let pl = perLink.get(link)
      if (pl === undefined) {
        pl = { framesIn: 0, framesOut: 0 }
        perLink.set(link, pl)
      }
      if (dir === 'in') {
        framesIn[type] = (framesIn[type] ?? 0) + 1
        bytesIn += bytes
        pl.framesIn++
      } else {
        framesOut[type] = (framesOut[type] ?? 0) + 1
        bytesOut += bytes
        pl.framesOut++
      }
    },
    drop(link, reason, type) {
      bumpDrop(reason)
      const { events } = components
      if (events.has('drop')) events.emit('drop', { reason, peer: link?.id, type })
      link?.noteDrop(reason)
    },
    bumpDrop,
    bye(reason, initiator) {
      if (initiator === 'local') byesOut[reason] = (byesOut[reason] ?? 0) + 1
      else if (initiator === 'remote') byesIn[reason] = (byesIn[reason] ?? 0) + 1
    },
    link: (link) => perLink.get(link) ?? NONE,
    linkClosed(link) {
      perLink.delete(link)
    },
    counter(name) {
      let c = counters.get(name)
      if (c === undefined) {
        c = { value: 0 }
        counters.set(name, c)
      }
      return c
    },
    framesIn,
    framesOut,
    get bytesIn() {
      return bytesIn
    },
    get bytesOut() {
      return bytesOut
    },
    drops,
    byesOut,
    byesIn,
  }
}
