// The frame registry on its own: one handler per frame type, dispatch by type, unknown types
// dropped as bad_frame, and link listeners called in the order services added them.
import { describe, expect, it } from 'vitest'
import type { CheckedLine, Link } from '../src/link.ts'
import { createFrameRegistry } from '../src/registry.ts'

const link = { id: 'n1' } as unknown as Link
const line = (type: string) => ({ env: { frame: { type } } }) as unknown as CheckedLine

function setup() {
  const drops: Array<[string, string | undefined]> = []
  const metrics = {
    drop: (_l: unknown, reason: string, type?: string) => drops.push([reason, type]),
  }
  return { registry: createFrameRegistry({ metrics: metrics as never }), drops }
}

describe('frame registry', () => {
  it('behavior: a frame goes to the handler of its type, with its link and line', () => {
    const { registry, drops } = setup()
    const seen: string[] = []
    registry.handle('NEIGHBORS_REQUEST', (l, f) => seen.push(`${l.id} ${f.type}`))
    registry.handle('MESSAGE_SEND', (l, f) => seen.push(`${l.id} ${f.type}`))
    registry.dispatch(link, line('MESSAGE_SEND'))
    registry.dispatch(link, line('NEIGHBORS_REQUEST'))
    expect(seen).toEqual(['n1 MESSAGE_SEND', 'n1 NEIGHBORS_REQUEST'])
    expect(drops).toEqual([])
  })

  it('error: a type nobody handles is dropped as bad_frame; a second handler of a type is refused', () => {
    const { registry, drops } = setup()
    registry.dispatch(link, line('MESSAGE_READ'))
    expect(drops).toEqual([['bad_frame', 'MESSAGE_READ']])
    registry.handle('MESSAGE_READ', () => {})
    expect(() => registry.handle('MESSAGE_READ', () => {})).toThrow(/already registered/)
  })

  it('behavior: link listeners run in the order they were added, each hook optional', () => {
    const { registry } = setup()
    const calls: string[] = []
    registry.onLink({ up: () => calls.push('a up'), down: (_l, r) => calls.push(`a down ${r}`) })
    registry.onLink({ metric: () => calls.push('b metric') })
    registry.onLink({
      up: () => calls.push('c up'),
      down: (_l, _r, i) => calls.push(`c down ${i}`),
    })
    registry.linkUp(link)
    registry.metricChanged(link)
    registry.linkDown(link, 'timeout', 'local')
    expect(calls).toEqual(['a up', 'c up', 'b metric', 'a down timeout', 'c down local'])
  })
})
