// Throughput of @chat6/wire on the frame a relay forwards most: MESSAGE_SEND with a 1 KiB
// plaintext, against the JSON way of doing the same work (stringify/parse the equivalent object
// and base64 its binary fields, with Node's native base64 and with this package's).
//
// Runs against dist/ (`pnpm bench` builds first). Candidates run interleaved in rounds and each
// reports its median round, so a busy machine or a GC pause skews all of them alike.
import { base64Decode, base64Encode, decode, encode, encodeToString } from '../dist/index.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15)
const ROUND_MS = Number(process.env.BENCH_ROUND_MS ?? 200)

const bytes = (n) => Uint8Array.from({ length: n }, (_, i) => (i * 131 + 17) & 0xff)
const frame = {
  type: 'MESSAGE_SEND',
  timestamp: 1767225600000,
  target_hash: bytes(32),
  origin: bytes(32),
  sid: bytes(16),
  chatid: bytes(16),
  msgid: bytes(16),
  mtype: 1,
  message: bytes(24 + 1024 + 16), // nonce || 1 KiB ciphertext || tag
  ttl: 64,
}
const env = { signature: bytes(32), hash: bytes(32), frame }
const BINARY = ['target_hash', 'origin', 'sid', 'chatid', 'msgid', 'message']

const nativeEnc = (b) => Buffer.from(b.buffer, b.byteOffset, b.length).toString('base64')
const nativeDec = (s) => Buffer.from(s, 'base64')

function jsonEncode(e, enc) {
  const f = e.frame
  return JSON.stringify({
    signature: enc(e.signature),
    hash: enc(e.hash),
    frame: {
      type: f.type,
      timestamp: f.timestamp,
      target_hash: enc(f.target_hash),
      origin: enc(f.origin),
      sid: enc(f.sid),
      chatid: enc(f.chatid),
      msgid: enc(f.msgid),
      mtype: f.mtype,
      message: enc(f.message),
      ttl: f.ttl,
    },
  })
}

function jsonDecode(s, dec) {
  const o = JSON.parse(s)
  o.signature = dec(o.signature)
  o.hash = dec(o.hash)
  for (const k of BINARY) o.frame[k] = dec(o.frame[k])
  return o
}

const line = encode(env)
const lineString = encodeToString(env)
const json = jsonEncode(env, nativeEnc)
const jsonBytes = new TextEncoder().encode(json)
const utf8 = new TextDecoder()

let sink
const groups = {
  encode: {
    'wire encode -> bytes': () => {
      sink = encode(env)
    },
    'wire encodeToString': () => {
      sink = encodeToString(env)
    },
    'JSON.stringify + native base64': () => {
      sink = jsonEncode(env, nativeEnc)
    },
    'JSON.stringify + wire base64': () => {
      sink = jsonEncode(env, base64Encode)
    },
  },
  'decode + validate': {
    'wire decode <- bytes': () => {
      sink = decode(line)
      if (!sink.ok) throw new Error(sink.error.message)
    },
    'wire decode <- string': () => {
      sink = decode(lineString)
      if (!sink.ok) throw new Error(sink.error.message)
    },
    'JSON.parse + native base64': () => {
      sink = jsonDecode(json, nativeDec)
    },
    'JSON.parse <- bytes + native base64': () => {
      sink = jsonDecode(utf8.decode(jsonBytes), nativeDec)
    },
    'JSON.parse + wire base64': () => {
      sink = jsonDecode(json, base64Decode)
    },
  },
}

function round(fn) {
  const start = performance.now()
  let n = 0
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 200; i++) fn()
    n += 200
  }
  return n / ((performance.now() - start) / 1000)
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1]
const fmt = (n) => Math.round(n).toLocaleString('en-US').padStart(10)

console.log(`MESSAGE_SEND, 1 KiB plaintext: line ${line.length} bytes, JSON ${json.length} bytes`)
console.log(
  `${ROUNDS} interleaved rounds of ${ROUND_MS} ms, median frames/s; JSON baselines do no validation\n`,
)
for (const [group, cases] of Object.entries(groups)) {
  const entries = Object.entries(cases)
  for (const [, fn] of entries) round(fn) // warm up
  const samples = new Map(entries.map(([name]) => [name, []]))
  for (let r = 0; r < ROUNDS; r++)
    for (const [name, fn] of entries) samples.get(name).push(round(fn))
  const rates = new Map([...samples].map(([name, xs]) => [name, median(xs)]))
  const wire = rates.get(entries[0][0])
  console.log(group)
  for (const [name, rate] of rates) {
    console.log(`  ${name.padEnd(38)} ${fmt(rate)} /s   wire ÷ this = ${(wire / rate).toFixed(2)}`)
  }
  console.log()
}
if (sink === undefined) throw new Error('unreachable')
