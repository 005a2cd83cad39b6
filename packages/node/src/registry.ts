import type { FrameHandler, FrameRegistry, Initiator, Metrics } from './components.ts'
import type { Link } from './link.ts'

/** @internal */
export function createFrameRegistry(components: { metrics: Metrics }): FrameRegistry {
  const handlers = new Map<string, FrameHandler>()
  const ups: Array<(l: Link) => void> = []
  const downs: Array<(l: Link, reason: string, initiator: Initiator) => void> = []
  const metrics: Array<(l: Link) => void> = []
  return {
    handle(type, handler) {
      if (handlers.has(type)) throw new Error(`a handler of ${type} is already registered`)
      handlers.set(type, handler as unknown as FrameHandler)
    },
    onLink(l) {
      if (l.up !== undefined) ups.push(l.up)
      if (l.down !== undefined) downs.push(l.down)
      if (l.metric !== undefined) metrics.push(l.metric)
    },
    dispatch(link, line) {
      const h = handlers.get(line.env.frame.type)
      if (h === undefined) components.metrics.drop(link, 'bad_frame', line.env.frame.type)
      else h(link, line.env.frame, line)
    },
    linkUp(link) {
      for (const f of ups) f(link)
    },
    linkDown(link, reason, initiator) {
      for (const f of downs) f(link, reason, initiator)
    },
    metricChanged(link) {
      for (const f of metrics) f(link)
    },
  }
}
