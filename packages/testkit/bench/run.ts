// `pnpm bench` of @chat6/testkit: the system benches, one process each so that no heap figure
// carries another's garbage. Relay latency under load, idle relay RSS, heap per client entry,
// join time, a model of the sharded design, and presence on meshes of 100 to 3,000 nodes (the
// scale simulation). With
// CHAT6_BENCH_JSON set, writes every figure there as JSON; CHAT6_BENCH_SIZES picks mesh sizes.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Figure } from './report.ts'
import { fmt } from './report.ts'

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const sizes = (process.env.CHAT6_BENCH_SIZES ?? '100,300,1000,3000').split(',').map(Number)
const dir = mkdtempSync(join(tmpdir(), 'chat6-bench-'))
const figures: Figure[] = []
const data: Record<string, unknown> = {}
const TSX = ['--import', 'tsx']
const GC = ['--expose-gc']

function run(name: string, args: string[]): Record<string, unknown> | undefined {
  const out = join(dir, `${name}.json`)
  const t0 = performance.now()
  const r = spawnSync(process.execPath, args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, CHAT6_BENCH_JSON: out },
  })
  if (r.status !== 0) {
    console.error(`testkit bench ${name} failed (exit ${r.status ?? r.signal})`)
    process.exitCode = 1
    return undefined
  }
  data[`${name}.wallMs`] = performance.now() - t0
  const json = JSON.parse(readFileSync(out, 'utf8')) as {
    figures: Figure[]
    data: Record<string, unknown>
  }
  figures.push(...json.figures)
  data[name] = json.data
  return json.data
}

run('latency', [...TSX, here('./latency.ts')])

// Idle RSS: each side three times, alternating, median kept.
const rss = { relay: [] as number[], bare: [] as number[] }
for (let i = 0; i < 3; i++) {
  for (const mode of ['relay', 'bare'] as const) {
    const r = spawnSync(process.execPath, [...GC, here('./rss-child.mjs'), mode], {
      encoding: 'utf8',
    })
    if (r.status !== 0) throw new Error(`rss-child ${mode} failed: ${r.stderr}`)
    rss[mode].push((JSON.parse(r.stdout) as { rss: number }).rss)
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number
figures.push({
  key: 'memory.idleRelayRss',
  value: med(rss.relay),
  unit: 'B',
  reference: { label: 'idle Node.js TCP server on ::1', value: med(rss.bare) },
  detail: { samples: rss },
})
console.log(
  `idle RSS: chat6 relay ${fmt(med(rss.relay) / 2 ** 20, 1)} MiB, bare Node TCP server ${fmt(med(rss.bare) / 2 ** 20, 1)} MiB`,
)

run('memory-100k', [...GC, ...TSX, here('./memory.ts'), '100000', '1'])
run('memory-30k', [...GC, ...TSX, here('./memory.ts'), '30000', '4'])
run('join', [...TSX, here('./join.ts'), '2000'])
run('dht-model', [...TSX, here('./dht-model.ts'), '3000', '30000'])
for (const n of sizes) {
  run(`presence-${n}`, [
    ...GC,
    '--max-old-space-size=8192',
    ...TSX,
    here('./presence.ts'),
    String(n),
  ])
}

const target = process.env.CHAT6_BENCH_JSON
if (target !== undefined && target !== '')
  writeFileSync(target, `${JSON.stringify({ bench: 'testkit', figures, data }, null, 2)}\n`)
rmSync(dir, { recursive: true, force: true })
