// `pnpm bench`: builds, runs each package's benchmarks one at a time (so that no two share the two
// cores), reads their figures, and prints one table: figure, reference measured in the same run,
// ratio figure ÷ reference, target, pass/miss. Writes bench/results.json and bench/scale.svg.
// Raw output of each package bench goes to bench/logs/<package>.log. Benchmarks are not tests:
// a missed target does not fail the run; a bench that crashes does.
import { spawn, spawnSync } from 'node:child_process'
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chart, type Panel, type Point } from './chart.ts'
import { type Figure, parseRelay, parseVitestBench, parseWire } from './parse.ts'

// read once here: turbo does not run this file, so its env entries would be noise in turbo.json
const { npm_execpath: execPath, CHAT6_BENCH_VERBOSE: verboseEnv } = process.env
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BENCH = join(ROOT, 'bench')
const LOGS = join(BENCH, 'logs')
const BUDGET_S = 300
const started = performance.now()
const tmp = mkdtempSync(join(tmpdir(), 'chat6-bench-'))
mkdirSync(LOGS, { recursive: true })

// ---------------------------------------------------------------- running

function pnpm(): [string, string[]] {
  const ep = execPath
  // pnpm 12 ships as a native executable; older ones as a script run by node
  if (ep !== undefined && /pnpm/.test(ep))
    return /\.[cm]?js$/.test(ep) ? [process.execPath, [ep]] : [ep, []]
  return ['npx', ['-y', 'pnpm@12.4.2']]
}

/** Runs a command with output to bench/logs/<name>.log (and the terminal with CHAT6_BENCH_VERBOSE). */
function exec(name: string, cmd: string, args: string[], env: Record<string, string> = {}) {
  const log = join(LOGS, `${name}.log`)
  const file = createWriteStream(log)
  const verbose = verboseEnv === '1'
  const t0 = performance.now()
  process.stderr.write(`bench: ${name} …`)
  return new Promise<{ ok: boolean; text: string; seconds: number }>((resolve) => {
    const chunks: Buffer[] = []
    const p = spawn(cmd, args, {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const take = (d: Buffer) => {
      chunks.push(d)
      file.write(d)
      if (verbose) process.stderr.write(d)
    }
    p.stdout.on('data', take)
    p.stderr.on('data', take)
    p.on('close', (code) => {
      file.end()
      const seconds = (performance.now() - t0) / 1000
      process.stderr.write(
        ` ${code === 0 ? 'done' : `FAILED (exit ${code}, see ${log})`} in ${seconds.toFixed(1)} s\n`,
      )
      resolve({ ok: code === 0, text: Buffer.concat(chunks).toString('utf8'), seconds })
    })
  })
}

const [pm, pmArgs] = pnpm()
const benchOf = (pkg: string, extra: string[] = [], env: Record<string, string> = {}) =>
  exec(pkg, pm, [...pmArgs, '--filter', `@chat6/${pkg}`, 'run', 'bench', ...extra], {
    CHAT6_BENCH_JSON: join(tmp, `${pkg}.json`),
    ...env,
  })
const jsonOf = (pkg: string): { figures: Figure[]; data: Record<string, unknown> } | undefined => {
  const f = join(tmp, `${pkg}.json`)
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined
}

const seconds: Record<string, number> = {}
let failed = false
const step = async (name: string, run: () => ReturnType<typeof exec>) => {
  const r = await run()
  seconds[name] = r.seconds
  if (!r.ok) failed = true
  return r.text
}

const turbo = existsSync(join(ROOT, 'node_modules/.bin/turbo'))
  ? join(ROOT, 'node_modules/.bin/turbo')
  : 'turbo'
await step('build', () => exec('build', turbo, ['run', 'build', '--output-logs=errors-only']))
// fewer, shorter rounds than the wire bench's defaults (15 × 200 ms): the same interleaving, in
// about half the time, for the five-minute budget
const wireText = await step('wire', () =>
  benchOf('wire', [], { BENCH_ROUNDS: '11', BENCH_ROUND_MS: '150' }),
)
const cryptoOut = join(tmp, 'crypto-vitest.json')
await step('crypto', () => benchOf('crypto', ['--outputJson', cryptoOut]))
const nodeText = await step('node', () => benchOf('node'))
await step('client', () => benchOf('client'))
await step('testkit', () => benchOf('testkit'))

// ---------------------------------------------------------------- rows

interface Row {
  group: string
  measure: string
  value: number
  unit: string
  reference?: { label: string; value: number }
  target?: { text: string; pass: (v: number) => boolean }
  source: string
}
const rows: Row[] = []
const add = (r: Row) => rows.push(r)

// Codec
const wire = parseWire(wireText)
const w = (k: string) => wire.get(k) ?? Number.NaN
const ge1 = { text: 'ratio ≥ 1.0', pass: (ratio: number) => ratio >= 1 }
add({
  group: 'Codec',
  measure: 'encode MESSAGE_SEND (1 KiB) → bytes',
  value: w('encode/wire encode -> bytes'),
  unit: '/s',
  reference: {
    label: 'JSON.stringify + base64',
    value: w('encode/JSON.stringify + native base64'),
  },
  target: ge1,
  source: 'wire',
})
add({
  group: 'Codec',
  measure: 'decode + validate ← bytes',
  value: w('decode + validate/wire decode <- bytes'),
  unit: '/s',
  reference: {
    label: 'JSON.parse ← bytes + base64',
    value: w('decode + validate/JSON.parse <- bytes + native base64'),
  },
  target: ge1,
  source: 'wire',
})
add({
  group: 'Codec',
  measure: 'decode + validate ← string',
  value: w('decode + validate/wire decode <- string'),
  unit: '/s',
  reference: {
    label: 'JSON.parse + base64',
    value: w('decode + validate/JSON.parse + native base64'),
  },
  target: ge1,
  source: 'wire',
})

// Crypto: the pure-JS backend (noble) against the native one (node:crypto, OpenSSL)
const vitest = existsSync(cryptoOut)
  ? parseVitestBench(JSON.parse(readFileSync(cryptoOut, 'utf8')))
  : new Map()
const cryptoRows: Array<[string, string]> = [
  ['ed25519 sign (proof of a presence frame)', 'Ed25519 sign (presence proof)'],
  ['ed25519 verify (64-byte message)', 'Ed25519 verify'],
  ['x25519 shared secret', 'X25519 shared secret'],
  ['x25519 ephemeral key + agreement (a link or session key)', 'X25519 ephemeral key + agreement'],
  ['hmac-sha256 of a 1 KiB frame (link MAC)', 'HMAC-SHA256 1 KiB (link MAC)'],
  ['hkdf-sha256 (80 bytes, session keys)', 'HKDF-SHA256 80 B (session keys)'],
]
for (const size of [100, 1024, 16384]) {
  cryptoRows.push([`xchacha20poly1305 seal ${size} B`, `XChaCha20-Poly1305 seal ${size} B`])
  cryptoRows.push([`xchacha20poly1305 open ${size} B`, `XChaCha20-Poly1305 open ${size} B`])
}
for (const [title, measure] of cryptoRows) {
  const g = vitest.get(title)
  add({
    group: 'Crypto',
    measure: `${measure}, noble`,
    value: g?.get('noble')?.hz ?? Number.NaN,
    unit: '/s',
    reference: { label: 'native (node:crypto)', value: g?.get('native')?.hz ?? Number.NaN },
    source: 'crypto',
  })
}

// Relay
const relay = parseRelay(nodeText)
add({
  group: 'Relay',
  measure: 'frames/s per relay core (B of A→B→C, TCP ::1)',
  value: relay.relayPerCore ?? Number.NaN,
  unit: '/s',
  reference: { label: 'bare socket relay, per core', value: relay.barePerCore ?? Number.NaN },
  target: { text: '≥ 20,000 /s', pass: () => (relay.relayPerCore ?? 0) >= 20_000 },
  source: 'node',
})
add({
  group: 'Relay',
  measure: 'frames/s end to end, 3-node chain',
  value: relay.chainEndToEnd ?? Number.NaN,
  unit: '/s',
  reference: { label: 'bare socket chain', value: relay.bareEndToEnd ?? Number.NaN },
  source: 'node',
})

const tk = jsonOf('testkit')
const fig = (key: string): Figure | undefined => tk?.figures.find((f) => f.key === key)
const fromFigure = (group: string, measure: string, key: string, target?: Row['target']) => {
  const f = fig(key)
  add({
    group,
    measure,
    value: f?.value ?? Number.NaN,
    unit: f?.unit ?? '',
    reference: f?.reference ?? { label: '(missing)', value: Number.NaN },
    target,
    source: 'testkit',
  })
}

// Latency
const heavyRate = (fig('latency.heavy.p50')?.detail?.rate as number | undefined) ?? Number.NaN
const lat = (name: string, q: string, measure: string, limit?: number) => {
  const key = `latency.${name}.${q}`
  const value = fig(key)?.value ?? Number.NaN
  const target =
    limit === undefined ? undefined : { text: `< ${limit} ms`, pass: () => value < limit }
  fromFigure('Latency', measure, key, target)
}
lat('light', 'p50', 'per hop p50 at 1,000 frames/s', 0.3)
lat('light', 'p99', 'per hop p99 at 1,000 frames/s', 5)
lat('heavy', 'p50', `per hop p50 at ${heavyRate.toLocaleString('en-US')} frames/s`)
lat('heavy', 'p99', `per hop p99 at ${heavyRate.toLocaleString('en-US')} frames/s`)

// Presence and scale
const sizes = (tk?.figures ?? [])
  .map((f) => /^presence\.n(\d+)\.framesPerLink$/.exec(f.key)?.[1])
  .filter((x): x is string => x !== undefined)
  .map(Number)
  .sort((a, b) => a - b)
const smallest = sizes[0]
const v = (k: string) => fig(k)?.value ?? Number.NaN
for (const n of sizes) {
  const p = `presence.n${n}`
  const N = n.toLocaleString('en-US')
  fromFigure('Presence', `${N} nodes: frames per event ÷ links`, `${p}.framesPerLink`)
  fromFigure('Presence', `${N} nodes: hops until the flood is quiet`, `${p}.hops`)
  const frames = (k: number) =>
    fig(`presence.n${k}.framesPerLink`)?.detail?.framesPerEvent as number
  add({
    group: 'Presence',
    measure: `${N} nodes: simulation wall time per event`,
    value: v(`${p}.wallMsPerEvent`),
    unit: 'ms',
    reference: {
      label: `${smallest} nodes scaled by frames`,
      value: (v(`presence.n${smallest}.wallMsPerEvent`) * frames(n)) / frames(smallest ?? n),
    },
    source: 'testkit',
  })
}
const node30k = fig('memory.c30000.p4.bytesPerEntry')
for (const n of sizes) {
  add({
    group: 'Scale',
    measure: `${n.toLocaleString('en-US')} nodes: heap per client entry, per node`,
    value: v(`presence.n${n}.bytesPerEntry`),
    unit: 'B',
    reference: {
      label: 'one relay, 30,000 clients, 4 neighbours',
      value: node30k?.value ?? Number.NaN,
    },
    source: 'testkit',
  })
}
fromFigure(
  'Scale',
  'one relay, 30,000 clients × 4 neighbours: heap per entry',
  'memory.c30000.p4.bytesPerEntry',
)
fromFigure('Scale', 'new neighbour learns 2,000 clients (virtual s)', 'join.seconds')
const dhtFrames = fig('dht.framesPerEvent')
const dhtEntries = fig('dht.entriesPerNode')
const dhtN = (dhtFrames?.detail?.nodes as number | undefined) ?? Number.NaN
const dhtC = (dhtFrames?.detail?.clients as number | undefined) ?? Number.NaN
const floodAt = fig(`presence.n${dhtN}.framesPerLink`)?.detail?.framesPerEvent as number | undefined
add({
  group: 'Scale',
  measure: `DHT model, ${dhtN.toLocaleString('en-US')} nodes: frames per presence event`,
  value: dhtFrames?.value ?? Number.NaN,
  unit: 'frames',
  reference: {
    label: `flooding, measured at ${dhtN.toLocaleString('en-US')} nodes`,
    value: floodAt ?? Number.NaN,
  },
  source: 'testkit',
})
add({
  group: 'Scale',
  measure: `DHT model, ${dhtC.toLocaleString('en-US')} clients: presence entries per node`,
  value: dhtEntries?.value ?? Number.NaN,
  unit: 'entries',
  reference: { label: 'full replication: every client', value: dhtC },
  source: 'testkit',
})

// Memory
fromFigure(
  'Memory',
  'heap per known client entry, 100,000 clients',
  'memory.c100000.p1.bytesPerEntry',
)
fromFigure('Memory', 'RSS of an idle relay', 'memory.idleRelayRss')

// Delivery
const cl = jsonOf('client')
for (const [key, measure] of [
  ['delivery.memory', 'messages/s, 2 clients, 3 relays, memory stores'],
  ['delivery.sqlite', 'messages/s, 2 clients, 3 relays, SQLite stores'],
] as const) {
  const f = cl?.figures.find((x) => x.key === key)
  add({
    group: 'Delivery',
    measure,
    value: f?.value ?? Number.NaN,
    unit: '/s',
    reference: f?.reference ?? { label: '(missing)', value: Number.NaN },
    source: 'client',
  })
}

// ---------------------------------------------------------------- table

function show(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a'
  const n = (x: number, d = 0) =>
    x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d })
  switch (unit) {
    case '/s':
    case 'msg/s':
      return `${n(value)} /s`
    case 'ms':
      return value < 10 ? `${n(value, 3)} ms` : `${n(value, 1)} ms`
    case 'B':
      return value >= 2 ** 20 ? `${n(value / 2 ** 20, 1)} MiB` : `${n(value)} B`
    case 's':
      return value < 1 ? `${n(value, 3)} s` : `${n(value, 1)} s`
    case 'hops':
      return `${n(value, 1)} hops`
    case 'frames/link':
      return n(value, 3)
    case 'frames':
    case 'entries':
      return `${n(value, value < 100 ? 1 : 0)} ${unit}`
    default:
      return `${n(value, 3)} ${unit}`
  }
}

const table = rows.map((r) => {
  const ref = r.reference
  const ratio =
    ref !== undefined && Number.isFinite(ref.value) && ref.value !== 0
      ? r.value / ref.value
      : Number.NaN
  const ok = Number.isFinite(r.value) && r.target !== undefined ? r.target.pass(ratio) : undefined
  return {
    group: r.group,
    measure: r.measure,
    value: r.value,
    unit: r.unit,
    figure: show(r.value, r.unit),
    referenceLabel: ref?.label ?? '',
    referenceValue: ref?.value ?? Number.NaN,
    reference: ref === undefined ? '—' : `${show(ref.value, r.unit)} (${ref.label})`,
    ratio,
    target: r.target?.text ?? '—',
    result: r.target === undefined ? '—' : !Number.isFinite(r.value) ? 'n/a' : ok ? 'pass' : 'miss',
    source: r.source,
  }
})

const cols = [
  ['Measure', (t: (typeof table)[number]) => `${t.group}: ${t.measure}`],
  ['Figure', (t: (typeof table)[number]) => t.figure],
  ['Reference (same run)', (t: (typeof table)[number]) => t.reference],
  ['Ratio', (t: (typeof table)[number]) => (Number.isFinite(t.ratio) ? t.ratio.toFixed(3) : 'n/a')],
  ['Target', (t: (typeof table)[number]) => t.target],
  ['Result', (t: (typeof table)[number]) => t.result],
] as const
const widths = cols.map(([h, f]) => Math.max(h.length, ...table.map((t) => f(t).length)))
const line = (cells: string[]) =>
  cells
    .map((c, i) => c.padEnd(widths[i] ?? 0))
    .join('  ')
    .trimEnd()
const wallSeconds = (performance.now() - started) / 1000

console.log('')
console.log(line(cols.map(([h]) => h)))
console.log(line(widths.map((n) => '-'.repeat(n))))
let group = ''
for (const t of table) {
  if (t.group !== group && group !== '') console.log('')
  group = t.group
  console.log(line(cols.map(([, f]) => f(t))))
}
console.log('')
console.log(
  'Ratio = figure ÷ reference. Targets from the benchmark issue; benchmarks never fail the run.',
)
const misses = table.filter((t) => t.result === 'miss').length
const passes = table.filter((t) => t.result === 'pass').length
console.log(
  `targets: ${passes} pass, ${misses} miss; wall time ${wallSeconds.toFixed(0)} s ` +
    `(${Object.entries(seconds)
      .map(([k, s]) => `${k} ${s.toFixed(0)}`)
      .join(', ')}) of a ${BUDGET_S} s budget`,
)
if (wallSeconds > BUDGET_S) console.log(`WARNING: pnpm bench took longer than ${BUDGET_S} s`)

// ---------------------------------------------------------------- scale: measured and extrapolated

const joinFig = fig('join.seconds')
const rate = (joinFig?.detail?.ratePerSecond as number | undefined) ?? Number.NaN
const burst = (joinFig?.detail?.burst as number | undefined) ?? Number.NaN
const updateRate = (joinFig?.detail?.updateRatePerSecond as number | undefined) ?? Number.NaN
const maxClients = (joinFig?.detail?.maxClients as number | undefined) ?? Number.NaN
const measured = sizes.map((n) => {
  const p = `presence.n${n}`
  const d = fig(`${p}.framesPerLink`)?.detail ?? {}
  return {
    nodes: n,
    links: d.links as number,
    meanDegree: (2 * (d.links as number)) / n,
    framesPerEvent: d.framesPerEvent as number,
    framesPerLink: v(`${p}.framesPerLink`),
    floodPerLink: fig(`${p}.framesPerLink`)?.reference?.value,
    hops: v(`${p}.hops`),
    floorHops: fig(`${p}.hops`)?.reference?.value,
    wallMsPerEvent: v(`${p}.wallMsPerEvent`),
    usPerFrame: fig(`${p}.wallMsPerEvent`)?.detail?.usPerFrame as number,
    startWallMs: v(`${p}.startWallMs`),
    idleHeapPerNode: v(`${p}.idleHeapPerNode`),
    bytesPerEntry: v(`${p}.bytesPerEntry`),
  }
})
const largest = measured[measured.length - 1]
const CLIENTS_PER_NODE = 10
const extrapolated = largest
  ? [100, 300, 1_000, 3_000, 10_000, 30_000].map((n) => {
      const c = CLIENTS_PER_NODE * n
      const links = (n * largest.meanDegree) / 2
      const framesPerEvent = largest.framesPerLink * links
      // every event crosses each link about once per direction; each direction drains updates
      // of clients the neighbour holds at `updateRate` (§8.2 pacing)
      const meshEventsPerSecond = updateRate / (largest.framesPerLink / 2)
      return {
        nodes: n,
        clients: c,
        framesPerEvent,
        meshFramesToAnnounceAll: c * framesPerEvent,
        perNodeFramesToLearnAll: c * largest.meanDegree * (largest.framesPerLink / 2),
        perNodeHeapBytes: largest.idleHeapPerNode + c * (node30k?.value ?? largest.bytesPerEntry),
        joinSeconds: Math.max(0, (c - burst) / rate),
        presenceChangesPerClientPerHour: (meshEventsPerSecond * 3600) / c,
        oneProcessSimulationHours: (c * framesPerEvent * largest.usPerFrame) / 1e6 / 3600,
        overMaxClients: c > maxClients,
      }
    })
  : []

const scale = {
  note:
    'measured: full-fidelity in-memory meshes (real relays, virtual clock), a random graph of mean degree 4, ' +
    'clients announced one at a time. extrapolated: EXTRAPOLATED, not simulated — each row multiplies figures ' +
    `measured in this run (${largest?.nodes ?? '?'}-node mesh, one relay with 30,000 clients × 4 neighbours, join) ` +
    `by C = ${CLIENTS_PER_NODE} clients per node, as the formulas in docs/scaling.md state.`,
  measured,
  node30k: node30k ?? null,
  join: joinFig ?? null,
  dhtModel: { framesPerEvent: dhtFrames ?? null, entriesPerNode: dhtEntries ?? null },
  limits: {
    presenceRatePerLink: rate,
    presenceBurst: burst,
    presenceUpdateRatePerLink: updateRate,
    maxClients,
  },
  extrapolated,
}

// ---------------------------------------------------------------- results.json and scale.svg

const results = {
  command: 'pnpm bench',
  generated: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  },
  wallSeconds,
  budgetSeconds: BUDGET_S,
  stepSeconds: seconds,
  rows: table.map(
    ({
      group,
      measure,
      value,
      unit,
      referenceLabel,
      referenceValue,
      ratio,
      target,
      result,
      source,
    }) => ({
      group,
      measure,
      value,
      unit,
      reference: { label: referenceLabel, value: referenceValue },
      ratio,
      target,
      result,
      source,
    }),
  ),
  scale,
  raw: {
    wire: Object.fromEntries(wire),
    crypto: Object.fromEntries(
      [...vitest].map(([k, m]) => [k, Object.fromEntries([...m].map(([b, x]) => [b, x.hz]))]),
    ),
    node: relay,
    client: cl ?? null,
    testkit: tk ?? null,
  },
}
writeFileSync(join(BENCH, 'results.json'), `${JSON.stringify(results, null, 2)}\n`)
// in the workspace's JSON style, so that `pnpm lint` passes on the committed run
const biome = join(ROOT, 'node_modules/.bin/biome')
if (existsSync(biome))
  spawnSync(biome, ['format', '--write', join(BENCH, 'results.json')], { stdio: 'ignore' })

const pt = (x: number, y: number, m: boolean): Point => ({ x, y, measured: m })
const panels: Panel[] = [
  {
    title: 'One presence event (measured)',
    xLabel: 'nodes in the mesh (mean degree 4)',
    yLabel: 'count / ms',
    series: [
      {
        name: 'frames sent per event',
        color: '#1f77b4',
        points: measured.map((m) => pt(m.nodes, m.framesPerEvent, true)),
      },
      {
        name: 'links in the mesh',
        color: '#7f7f7f',
        points: measured.map((m) => pt(m.nodes, m.links, true)),
      },
      {
        name: 'simulation wall ms per event',
        color: '#d62728',
        points: measured.map((m) => pt(m.nodes, m.wallMsPerEvent, true)),
      },
      {
        name: 'hops until quiet',
        color: '#2ca02c',
        points: measured.map((m) => pt(m.nodes, m.hops, true)),
      },
    ],
  },
  {
    title: `Per node, full replication, ${CLIENTS_PER_NODE} clients per node`,
    xLabel: 'nodes in the mesh (hollow, dashed: extrapolated)',
    yLabel: 'MiB / s / frames',
    series: [
      {
        name: 'heap per node, MiB',
        color: '#9467bd',
        points: extrapolated.map((e) =>
          pt(e.nodes, e.perNodeHeapBytes / 2 ** 20, e.clients === 30_000 && node30k !== undefined),
        ),
      },
      {
        name: 'join: s until a new neighbour knows all',
        color: '#ff7f0e',
        points: extrapolated.map((e) => pt(e.nodes, e.joinSeconds, false)),
      },
      {
        name: 'presence frames a node handles to learn all',
        color: '#1f77b4',
        points: extrapolated.map((e) => pt(e.nodes, e.perNodeFramesToLearnAll, false)),
      },
      {
        name: 'presence changes/h each client may make',
        color: '#8c564b',
        points: extrapolated.map((e) => pt(e.nodes, e.presenceChangesPerClientPerHour, false)),
      },
    ],
  },
]
writeFileSync(
  join(BENCH, 'scale.svg'),
  chart(
    'How the cost of chat6 presence grows with mesh size',
    panels,
    `chat6 pnpm bench ${results.generated.slice(0, 10)}; filled = measured in that run, hollow = extrapolated from it (docs/scaling.md)`,
  ),
)
rmSync(tmp, { recursive: true, force: true })
console.log('wrote bench/results.json, bench/scale.svg; package output in bench/logs/')
if (failed) process.exitCode = 1
