// A relay in the middle, written from the spec alone: it links two nodes of an in-memory mesh
// that have no other link, answers keepalives, and forwards presence and routed frames from one
// side to the other (ttl − 1, fresh link MAC). A test hook may rewrite or drop any routed frame on
// the way, which is every power a malicious relay has; it also records everything it saw.
import type { Address, Connection } from '@chat6/node'
import type { VirtualClock } from '@chat6/node/testing'
import { type Frame, ROUTED_FRAME_TYPES as ROUTED } from '@chat6/wire'
import type { Mesh } from '../../src/index.ts'
import { EvilPeer, type Waiter } from './evil-peer.ts'

const PRESENCE = new Set(['CLIENT_ONLINE', 'CLIENT_UPDATE', 'CLIENT_OFFLINE'])

/** What the relay does with a routed frame from side `from` (0 or 1): a frame to send, or drop. */
export type Rewrite = (frame: Frame, from: 0 | 1) => Frame | undefined

export interface Mitm {
  /** Every frame received, per side, in order. */
  readonly seen: Array<{ from: 0 | 1; frame: Frame }>
  /** The current rewrite hook (identity by default). */
  rewrite: Rewrite
  stop(): void
}

/** A virtual-clock {@link Waiter} for evil peers on a mesh's network. */
export function virtualWait(clock: VirtualClock, ms = 10_000): Waiter {
  return async (pred, what) => {
    if (!(await clock.runUntil(pred, { maxMs: ms }))) {
      throw new Error(`within ${ms} virtual ms: ${what}`)
    }
  }
}

/**
 * Links mesh nodes `a` and `b` through a relay at host `2001:db8:ff::1`.
 * @param mesh - a mesh whose nodes `a` and `b` are not linked otherwise
 */
export async function startMitm(mesh: Mesh, a: number, b: number): Promise<Mitm> {
  const transport = mesh.network.transport('2001:db8:ff::1')
  const wait = virtualWait(mesh.clock)
  const wall = () => mesh.clock.wallNow()
  const sides: EvilPeer[] = []
  for (const i of [a, b]) {
    const addr = mesh.nodes[i]?.address as Address
    let conn: Connection | undefined
    void transport.dial(addr).then((c) => {
      conn = c
    })
    await wait(() => conn !== undefined, 'the relay connects')
    sides.push(new EvilPeer(conn as Connection, { wall }))
  }
  const seen: Mitm['seen'] = []
  const mitm: Mitm = {
    seen,
    rewrite: (f) => f,
    stop: () => {
      for (const s of sides) s.close()
    },
  }
  const done = [0, 0]
  const pump = (from: 0 | 1) => {
    const me = sides[from] as EvilPeer
    const other = sides[from === 0 ? 1 : 0] as EvilPeer
    // nothing is taken off a side before both links are up, so nothing is lost at start
    if (me.mac === undefined || other.mac === undefined) return
    const envs = me.envelopes()
    for (; (done[from] as number) < envs.length; done[from] = (done[from] as number) + 1) {
      const f = (envs[done[from] as number] as { frame: Frame }).frame
      if (f.type === 'HELLO') continue
      seen.push({ from, frame: f })
      if (f.type === 'KEEPALIVE_REQUEST') {
        me.send({ type: 'KEEPALIVE_RESPONSE', timestamp: 0, id: f.id })
      } else if (f.type === 'NEIGHBORS_REQUEST') {
        me.send({ type: 'NEIGHBORS_RESPONSE', timestamp: 0, neighbor: [] })
      } else if (PRESENCE.has(f.type) && 'ttl' in f && f.ttl > 0) {
        other.send({ ...f, timestamp: 0, ttl: f.ttl - 1 } as Frame)
      } else if (ROUTED.has(f.type) && 'ttl' in f && f.ttl > 0) {
        const out = mitm.rewrite(f, from)
        if (out !== undefined) other.send({ ...out, timestamp: 0, ttl: f.ttl - 1 } as Frame)
      }
    }
  }
  for (const [i, s] of sides.entries()) {
    s.hello({ port: 0 })
    await wait(() => s.lines.length > 0, 'the node answers the relay’s HELLO')
    s.keys()
    done[i] = 0
    s.watch(() => pump(i as 0 | 1))
  }
  // presence the nodes sent on link up, before the other side was ready
  pump(0)
  pump(1)
  return mitm
}
