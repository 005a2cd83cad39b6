// Interop: an independent chat6 peer (./peer.mjs, written from docs/protocol.md and the vectors
// alone, on node:crypto and node:net only) against the reference @chat6/node and @chat6/client
// over real TCP on ::1. The reference side is driven through its public API only.
import { createPublicKey, verify as edVerify, scryptSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createClient, createMemoryStore } from '@chat6/client'
import { createNode } from '@chat6/node'
import { afterEach, describe, expect, it } from 'vitest'
import * as P from './peer.mjs'

const VECTORS = JSON.parse(
  readFileSync(new URL('../../../../docs/vectors/v1.json', import.meta.url), 'utf8'),
)
const WAIT = 10_000
const LOG = process.env.CHAT6_INTEROP_LOG === '1'

type Closer = () => Promise<unknown> | unknown
const cleanups: Closer[] = []
afterEach(async () => {
  // newest first: peers, then clients, then nodes
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** Bytes of a value the reference API hands out (Uint8Array or base64 text). */
function bytes(v: unknown): Buffer {
  if (typeof v === 'string') return Buffer.from(v, 'base64')
  if (v instanceof Uint8Array) return Buffer.from(v)
  throw new Error(`not bytes: ${String(v)}`)
}

/** The value, or a thrown error saying what was missing. */
function must<T>(v: T | undefined | string, what: string): T {
  if (v === undefined || typeof v === 'string') throw new Error(`${what}: ${v ?? 'missing'}`)
  return v
}

/** Poll `fn` (every 5 ms) until it returns something truthy, at most `timeout` ms. */
async function until<T>(
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeout = WAIT,
): Promise<T> {
  const end = Date.now() + timeout
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > end) throw new Error(`${what}: not within ${timeout} ms`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** The first event delivered through `subscribe` whose payload passes `pred`, within WAIT. */
function nextEvent<T>(
  subscribe: (fn: (x: T) => void) => () => void,
  what: string,
  pred: (x: T) => boolean = () => true,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error(`${what}: not within ${WAIT} ms`))
    }, WAIT)
    const off = subscribe((x) => {
      if (!pred(x)) return
      clearTimeout(timer)
      off()
      resolve(x)
    })
  })
}

async function referenceNode() {
  const node = createNode({
    listen: { host: '::1', port: 0 },
    allowLoopback: true,
    dataDir: false,
    bootstrap: [],
    useShippedBootstrap: false,
    useEnvBootstrap: false,
  })
  await node.start()
  cleanups.push(() => node.stop())
  const port = node.listenAddress?.port
  if (!port) throw new Error('reference node has no listen port')
  return { node, port }
}

async function referenceClient(node: Awaited<ReturnType<typeof referenceNode>>['node']) {
  const client = await createClient({ node, store: createMemoryStore(), nickname: 'refbob' })
  cleanups.push(() => client.stop())
  return client
}

function independentPeer(opts: { identity?: P.Identity } = {}) {
  const peer = new P.Peer({
    ...opts,
    log: LOG ? (dir, line) => console.log(dir === 'in' ? '<-' : '->', line) : undefined,
  })
  cleanups.push(() => peer.close(peer.state === 'up' ? 'shutdown' : undefined))
  return peer
}

describe('interop: an independent peer built from docs/protocol.md', () => {
  it('vectors: reproduces every line, input, MAC, proof, key and ciphertext of v1.json', () => {
    const V = VECTORS
    const seed = (name: string) => P.unhex(V.keys[name].seed)
    const nodes = { I: P.ed25519(seed('nodeI')), R: P.ed25519(seed('nodeR')) }
    const alice = P.ed25519(seed('alice'))
    const bob = P.ed25519(seed('bob'))
    const linkI = P.x25519(P.unhex(V.keys.linkI.secret))
    const linkR = P.x25519(P.unhex(V.keys.linkR.secret))

    // keys
    expect(P.hex(nodes.I.publicKey)).toBe(V.keys.nodeI.nodekey)
    expect(P.hex(nodes.R.publicKey)).toBe(V.keys.nodeR.nodekey)
    expect(P.hex(linkI.publicKey)).toBe(V.keys.linkI.linkkey)
    expect(P.hex(linkR.publicKey)).toBe(V.keys.linkR.linkkey)
    expect(P.hex(alice.publicKey)).toBe(V.keys.alice.clientkey)
    expect(P.hex(bob.publicKey)).toBe(V.keys.bob.clientkey)
    expect(P.hex(P.sha256(alice.publicKey))).toBe(V.keys.alice.clientHash)
    expect(P.hex(P.sha256(bob.publicKey))).toBe(V.keys.bob.clientHash)

    // HChaCha20 against draft-irtf-cfrg-xchacha-03 §2.2.1 (our own code, so check it first)
    const hKey = P.unhex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')
    expect(P.hex(P.hchacha20(hKey, P.unhex('000000090000004a0000000031415927')))).toBe(
      '82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc',
    )

    // link keys (§6.3), both sides
    const shared = linkI.agree(linkR.publicKey)
    expect(P.hex(shared)).toBe(V.link.shared)
    expect(P.hex(linkR.agree(linkI.publicKey))).toBe(V.link.shared)
    const [hI, hR] = [P.unhex(V.link.H_I), P.unhex(V.link.H_R)]
    const { kIR, kRI } = P.linkKeys(shared, hI, hR)
    expect(P.hex(kIR)).toBe(V.link.kIR)
    expect(P.hex(kRI)).toBe(V.link.kRI)
    expect(P.hex(P.msgHash(V.frames[0].frame))).toBe(V.link.H_I)
    expect(P.hex(P.msgHash(V.frames[1].frame))).toBe(V.link.H_R)

    // every frame of the transcript: encode from the decoded frame, and decode the line
    for (const f of V.frames) {
      const frame = f.frame
      const signing = P.signingInput(frame)
      expect(P.hex(P.hashInput(frame)), f.name).toBe(f.hashInput)
      expect(P.hex(P.msgHash(frame)), f.name).toBe(f.hash)
      expect(P.hex(signing), f.name).toBe(f.signingInput)
      let sig: Buffer
      if (f.signedBy === 'node-ed25519') {
        sig = P.helloSignature(nodes[f.from as 'I' | 'R'], signing)
        const signed = Buffer.concat([Buffer.from('chat6/v1/hello\0'), signing])
        expect(P.ed25519Verify(nodes[f.from as 'I' | 'R'].publicKey, signed, sig)).toBe(true)
      } else if (f.signedBy === 'zero') {
        sig = Buffer.alloc(32)
      } else {
        const key = f.from === 'I' ? kIR : kRI
        expect(P.hex(key), f.name).toBe(f.macKey)
        sig = P.linkMac(key, f.counter, signing)
      }
      expect(P.hex(sig), f.name).toBe(f.signature)
      expect(P.lineOf(sig, signing), f.name).toBe(f.line)
      const decoded = P.decodeLine(f.line)
      expect(decoded.frame, f.name).toEqual(frame)
      expect(P.hex(decoded.signingInput)).toBe(f.signingInput)
      if (frame.proof) expect(P.verifyProof(frame), f.name).toBe(true)
    }

    // the proof section (§5.3), re-signed from Alice's seed
    const online = V.frames.find((f: { name: string }) => f.name === 'CLIENT_ONLINE').frame
    expect(P.proofInput(online).toString('ascii')).toBe(V.proof.proofInput)
    expect(P.hex(Buffer.concat([Buffer.from('chat6/v1/proof\0'), P.proofInput(online)]))).toBe(
      V.proof.signed,
    )
    expect(P.hex(P.proofOf(alice, online))).toBe(V.proof.proof)
    // every proof-carrying frame re-signed from its seed
    for (const f of V.frames.filter((x: { frame: { proof?: string } }) => x.frame.proof)) {
      const signer = f.frame.clientkey === P.b64(alice.publicKey) ? alice : bob
      expect(P.b64(P.proofOf(signer, f.frame)), f.name).toBe(f.frame.proof)
    }

    // the session handshake (§10): both requests re-built from Alice's and Bob's seeds
    const S = V.session
    const ekA = P.x25519(P.unhex(S.ekA))
    const ekB = P.x25519(P.unhex(S.ekB))
    expect(P.hex(ekA.publicKey)).toBe(S.EKA)
    expect(P.hex(ekB.publicKey)).toBe(S.EKB)
    const A = new P.Identity({ seed: seed('alice'), now: () => 1767225600050 - 1 })
    A.lastNonce = 1767225600049
    const req = A.request(bob.publicKey, { ephSecret: P.unhex(S.ekA) })
    const reqLine = P.decodeLine(S.requestLine)
    expect({ ...req, timestamp: reqLine.frame.timestamp }).toEqual(reqLine.frame)
    expect(P.hex(P.msgHash(req))).toBe(S.requestHash)
    const conf = P.decodeLine(S.confirmLine).frame
    expect(P.hex(P.msgHash(conf))).toBe(S.confirmHash)
    expect(conf.request).toBe(P.b64(P.unhex(S.requestHash)))
    const sShared = ekA.agree(ekB.publicKey)
    expect(P.hex(sShared)).toBe(S.shared)
    expect(P.hex(ekB.agree(ekA.publicKey))).toBe(S.shared)
    const sk = P.sessionKeys(sShared, P.unhex(S.requestHash), P.unhex(S.confirmHash))
    expect(P.hex(sk.kAB)).toBe(S.kAB)
    expect(P.hex(sk.kBA)).toBe(S.kBA)
    expect(P.hex(sk.sid)).toBe(S.sid)
    // and Alice's Identity derives the same session from Bob's confirm
    const session = must(A.confirmed(conf), 'session from the vectors confirm')
    expect(P.hex(session.send)).toBe(S.kAB)
    expect(P.hex(session.recv)).toBe(S.kBA)
    expect(P.hex(session.sid)).toBe(S.sid)
    expect(A.confirmed(conf)).toBe('no_request') // a confirm consumes its request

    // default chat id (§11), either order
    const [hA, hB] = [P.unhex(V.chatid.hA), P.unhex(V.chatid.hB)]
    expect(P.hex(P.defaultChatId(hA, hB))).toBe(V.chatid.chatid)
    expect(P.hex(P.defaultChatId(hB, hA))).toBe(V.chatid.chatid)

    // MESSAGE_SEND: AD, ciphertext, field and line (§5.4, §11)
    const M = V.message
    const msg = A.message(bob.publicKey, M.plaintext, {
      msgid: P.unhex(M.msgid),
      nonce: P.unhex(M.nonce),
    })
    const sendFrame = V.frames.find((f: { name: string }) => f.name === 'MESSAGE_SEND')
    expect(P.hex(P.associatedData(msg))).toBe(M.ad)
    const field = must(P.b64decode(msg.message), 'message field')
    expect(P.hex(field.subarray(24))).toBe(M.sealed)
    expect(P.hex(field)).toBe(M.message)
    const msgAtI = { ...msg, timestamp: sendFrame.frame.timestamp }
    const msgSigning = P.signingInput(msgAtI)
    expect(P.lineOf(P.linkMac(kIR, sendFrame.counter, msgSigning), msgSigning)).toBe(M.line)
    expect(P.openFrame(P.decodeLine(M.line).frame, sk.kAB)?.toString('utf8')).toBe(M.plaintext)
    // relays change ttl and timestamp, not the AD: it still opens
    const relayed = { ...P.decodeLine(M.line).frame, ttl: 3, timestamp: 1 }
    expect(P.openFrame(relayed, sk.kAB)?.toString('utf8')).toBe(M.plaintext)
    // a moved ciphertext does not
    expect(P.openFrame({ ...relayed, mtype: 1000 }, sk.kAB)).toBeUndefined()

    // receipts under k_BA (§11)
    for (const [type, R] of [
      ['MESSAGE_RECV', V.receipt.recv],
      ['MESSAGE_READ', V.receipt.read],
    ] as const) {
      const frame = {
        type,
        timestamp: P.decodeLine(R.line).frame.timestamp,
        target_hash: P.b64(hA),
        origin: P.b64(hB),
        sid: P.b64(sk.sid),
        chatid: P.b64(P.unhex(M.chatid)),
        msgid: P.b64(P.unhex(M.msgid)),
        ttl: 64,
      }
      const sealed = P.sealFrame(frame, sk.kBA, P.unhex(R.nonce))
      expect(P.hex(P.associatedData(frame))).toBe(R.ad)
      expect(P.hex(must(P.b64decode(sealed.auth), 'auth'))).toBe(R.auth)
      expect(P.decodeLine(R.line).frame).toEqual(sealed)
      expect(P.openFrame(P.decodeLine(R.line).frame, sk.kBA)?.length).toBe(0)
    }

    // safety number (§10.6)
    const N = V.safetyNumber
    const sn = P.safetyNumber(P.unhex(N.keyB), P.unhex(N.keyA))
    expect(P.hex(sn.fingerprintLow)).toBe(N.fingerprintLow)
    expect(P.hex(sn.fingerprintHigh)).toBe(N.fingerprintHigh)
    expect(sn.digits).toBe(N.digits)
    expect(sn.text).toBe(N.text)
    expect(P.hex(sn.qr)).toBe(N.qr)

    // the sealed identity box: not in docs/protocol.md at all; layout guessed from the bytes
    // ("C6SB", 01, 01, log2 N, r, p, salt, nonce, ciphertext || tag; AD = everything before the
    // ciphertext), which reproduces it
    const Z = V.sealed
    const boxKey = scryptSync(Buffer.from(Z.passphrase), P.unhex(Z.salt), 32, Z.params)
    expect(P.hex(boxKey)).toBe(Z.key)
    const header = Buffer.concat([
      Buffer.from('C6SB'),
      Buffer.from([1, 1, Math.log2(Z.params.N), Z.params.r, Z.params.p]),
      P.unhex(Z.salt),
      P.unhex(Z.nonce),
    ])
    const box = P.xseal(boxKey, P.unhex(Z.nonce), P.unhex(Z.secret), header)
    expect(P.hex(Buffer.concat([header, box]))).toBe(Z.blob)

    // §5 Ed25519 rules that node:crypto (OpenSSL) does not enforce by itself: it verifies
    // (R = identity, S = 0) under the identity key, canonical or not, for any message
    const spki = (k: Buffer) =>
      createPublicKey({
        key: Buffer.concat([P.unhex('302a300506032b6570032100'), k]),
        format: 'der',
        type: 'spki',
      })
    const identity = P.unhex(`01${'00'.repeat(31)}`)
    const forged = Buffer.concat([identity, Buffer.alloc(32)])
    for (const key of [
      identity, // small order (canonical)
      P.unhex(`01${'00'.repeat(30)}80`), // identity with the sign bit set on x = 0
      P.unhex(`ee${'ff'.repeat(30)}7f`), // y = p + 1 ≡ 1
    ]) {
      expect(edVerify(null, Buffer.from('any message'), spki(key), forged)).toBe(true)
      expect(P.ed25519Verify(key, Buffer.from('any message'), forged)).toBe(false)
    }
    // and S >= L is refused (OpenSSL does this one)
    const sig = alice.sign(Buffer.from('m'))
    const L = (1n << 252n) + 27742317777372353535851937790883648493n
    const s = BigInt(`0x${Buffer.from(sig.subarray(32)).reverse().toString('hex')}`) + L
    const sPlusL = Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse()
    expect(P.ed25519Verify(alice.publicKey, Buffer.from('m'), sig)).toBe(true)
    const malleated = Buffer.concat([sig.subarray(0, 32), sPlusL])
    expect(P.ed25519Verify(alice.publicKey, Buffer.from('m'), malleated)).toBe(false)

    // the codec refuses what §2–§3 forbid
    const hello = V.frames[0].line as string
    const codes = (line: string) => {
      try {
        P.decodeLine(line)
        return 'ok'
      } catch (err) {
        return (err as { code: string }).code
      }
    }
    expect(codes(hello)).toBe('ok')
    expect(codes(`${hello}\r`)).toBe('bad_byte')
    expect(codes(hello.replace(' HELLO', '  HELLO'))).toBe('bad_structure')
    expect(codes(hello.replace('port=7600', 'port=07600'))).toBe('bad_value')
    expect(codes(hello.replace(' port=7600', ''))).toBe('missing_field')
    expect(codes(hello.replace('version=1 ', '').replace('port=7600', 'port=7600 version=1'))).toBe(
      'field_order',
    )
    expect(codes(hello.replace('HELLO', 'HOLA'))).toBe('unknown_type')
  })

  it('handshake: HELLOs, link MAC, keepalive answered, metric measured, BYE shutdown seen', async () => {
    const { node, port } = await referenceNode()
    const peer = independentPeer()
    const connected = nextEvent<{ id: string }>(
      (fn) => node.on('peer:connect', fn),
      'peer:connect',
      (p) => p.id === peer.id,
    )
    await peer.connect('::1', port)
    expect(peer.state).toBe('up')
    await connected

    // the reference sends KEEPALIVE_REQUEST right after the link is up; we answered it
    const req = await peer.waitFor((e) => e.frame.type === 'KEEPALIVE_REQUEST', WAIT)
    expect(
      peer.received.some(
        (e) =>
          e.dir === 'out' && e.frame.type === 'KEEPALIVE_RESPONSE' && e.frame.id === req.frame.id,
      ),
    ).toBe(true)
    // and it answered ours, under the link MAC we derived
    await peer.waitFor((e) => e.frame.type === 'KEEPALIVE_RESPONSE' && e.frame.id === 0, WAIT)

    // the reference lists us and has measured the link from our answer
    const info = await until(
      () => node.peers().find((p) => p.id === peer.id && p.rtts.length > 0),
      'reference peers() lists the independent peer with an RTT sample',
    )
    expect(info.direction).toBe('inbound')
    expect(info.metric).toBeGreaterThanOrEqual(1)
    expect(info.metric).not.toBe(100_000) // DEFAULT_LINK_METRIC until the first sample
    expect(info.metric).toBeLessThan(100_000) // ::1 answers in well under 100 ms
    expect(peer.drops).toEqual([])
    expect(node.stats().drops).toEqual({})

    // BYE shutdown: the reference sees the disconnect with its reason
    const gone = nextEvent<{ peer: { id: string }; reason: string; initiator: string }>(
      (fn) => node.on('peer:disconnect', fn),
      'peer:disconnect',
      (e) => e.peer.id === peer.id,
    )
    await peer.close('shutdown')
    const ev = await gone
    expect(ev.reason).toBe('shutdown')
    expect(ev.initiator).toBe('remote')
    await until(() => !node.peers().some((p) => p.id === peer.id), 'peer gone from peers()')
  })

  it('presence: our signed CLIENT_ONLINE shows in clients(); theirs verifies here', async () => {
    const { node, port } = await referenceNode()
    const ref = await referenceClient(node)
    const me = new P.Identity({ nickname: 'indie ✓' })
    const peer = independentPeer({ identity: me })
    await peer.connect('::1', port)
    peer.send(me.online())

    const seen = await until(
      () =>
        node
          .clients()
          .find((c) => bytes(c.hash).equals(me.hash) && c.status === 'online' && c.reachable),
      'reference clients() shows our client online',
    )
    expect(seen.nickname).toBe('indie ✓')
    // (the node README lists ClientInfo `key`; the object carries it as `clientkey`)
    expect(bytes(seen.clientkey).equals(me.key)).toBe(true)
    expect(seen.local).toBe(false)
    expect(seen.nextHop).toBe(peer.id)
    expect(seen.metric).toBeGreaterThanOrEqual(1) // 0 advertised + our link's metric (§8.2)
    // we are its next hop, so it advertises our client back to us poisoned (§8.2)
    const poisoned = await peer.waitFor(
      (e) =>
        e.frame.type === 'CLIENT_ONLINE' &&
        e.frame.clientkey === P.b64(me.key) &&
        e.frame.metric === P.METRIC_INFINITY,
      WAIT,
      'poisoned reverse of our own presence',
    )
    expect(poisoned.frame.ttl).toBe(63)

    // the reference client's presence reached us in the node's table dump, with a valid proof
    const theirs = await peer.waitFor(
      (e) => e.frame.type === 'CLIENT_ONLINE' && e.frame.clientkey === P.b64(Buffer.from(ref.key)),
      WAIT,
      "reference client's CLIENT_ONLINE",
    )
    expect(theirs.frame.proofOk).toBe(true)
    expect(P.verifyProof(theirs.frame)).toBe(true)
    expect(theirs.frame.nickname).toBe('refbob')
    expect(theirs.frame.metric).toBe(0) // its home node advertises metric 0
    expect(theirs.frame.ttl).toBe(64)
    // a tampered copy does not verify
    expect(P.verifyProof({ ...theirs.frame, nickname: 'mallory' })).toBe(false)
    expect(peer.drops).toEqual([])
    expect(node.stats().drops).toEqual({})
  })

  it('friendship and a message both ways, with receipts', async () => {
    const { node, port } = await referenceNode()
    const ref = await referenceClient(node)
    const me = new P.Identity({ nickname: 'indie' })
    const peer = independentPeer({ identity: me })
    await peer.connect('::1', port)
    peer.send(me.online())
    await until(
      () => node.clients().find((c) => bytes(c.hash).equals(me.hash) && c.reachable),
      'our client reachable at the reference',
    )

    // FRIEND_REQUEST → the reference client surfaces it; its user accepts through the API
    const asked = nextEvent<{ key: Uint8Array }>(
      (fn) => ref.on('friend-request', fn),
      'friend-request',
    )
    peer.send(me.request(Buffer.from(ref.key)))
    const request = await asked
    expect(bytes(request.key).equals(me.key)).toBe(true)
    await ref.accept(request.key)

    // FRIEND_CONFIRM completes our session
    const confirm = await peer.waitFor((e) => e.frame.type === 'FRIEND_CONFIRM', WAIT, 'confirm')
    expect(typeof confirm.frame.outcome).toBe('object') // a session, not a refusal reason
    await until(
      async () => (await ref.friends()).find((f) => bytes(f.key).equals(me.key) && f.keyed),
      'reference friend keyed',
    )

    // our MESSAGE_SEND → a `message` event with the text; its MESSAGE_RECV authenticates
    const shown = nextEvent<{ text?: string; peer: Uint8Array; chatid: Uint8Array }>(
      (fn) => ref.on('message', fn),
      'message',
    )
    const out = me.message(Buffer.from(ref.key), 'hello from a stranger’s implementation')
    peer.send(out)
    const m = await shown
    expect(m.text).toBe('hello from a stranger’s implementation')
    expect(bytes(m.peer).equals(me.key)).toBe(true)
    expect(bytes(m.chatid).equals(P.defaultChatId(me.hash, P.sha256(ref.key)))).toBe(true)
    await peer.until(
      () => peer.receipts.find((r) => r.type === 'MESSAGE_RECV' && r.msgid === out.msgid),
      WAIT,
      'MESSAGE_RECV for our message',
    )
    const receipt = peer.receipts.find((r) => r.msgid === out.msgid)
    expect(receipt?.authOk).toBe(true)

    // the reference replies; we open it, acknowledge it, and it becomes delivered there
    const delivered = nextEvent<{ state?: string; msgid: Uint8Array }>(
      (fn) => ref.on('receipt', fn),
      'receipt delivered',
      (r) => r.state === 'delivered',
    )
    const sent = await ref.send(me.key, 'and back to you')
    const got = await peer.until(
      () => peer.inbox.find((m) => m.frame.mtype === 1),
      WAIT,
      'reference message opened',
    )
    expect(got.text).toBe('and back to you')
    // before it, once, the reference client's PROFILE (§17.3), which this peer, implementing
    // no payload, keeps and acknowledges as a message of mtype 2, as a version-1 client does
    const profiles = peer.inbox.filter((m) => m.frame.mtype !== 1)
    expect(profiles.map((m) => [m.frame.mtype, m.text.split(' ')[0]])).toEqual([[2, 'PROFILE']])
    expect(
      peer.received.some(
        (e) =>
          e.dir === 'out' && e.frame.type === 'MESSAGE_RECV' && e.frame.msgid === got.frame.msgid,
      ),
    ).toBe(true)
    const r = await delivered
    expect(bytes(r.msgid).equals(bytes(sent.msgid))).toBe(true)
    expect(bytes(r.msgid).equals(must(P.b64decode(got.frame.msgid), 'msgid'))).toBe(true)
    expect(peer.drops).toEqual([])
    expect(node.stats().drops).toEqual({})
  })

  it('rejection: a bad HELLO signature earns BYE bad_signature, a wrong version BYE version', async () => {
    const { node, port } = await referenceNode()
    const cases = [
      [{ badSignature: true }, 'bad_signature'],
      [{ version: 2 }, 'version'],
      [{ timestamp: Date.now() - 400_000 }, 'clock'],
    ] as const
    for (const [hello, reason] of cases) {
      const peer = independentPeer()
      const bye = await peer.tryHello('::1', port, hello)
      expect(bye, reason).toMatchObject({ reason, preLink: true, hashOk: true })
      await peer.closed
    }

    // anything but HELLO first earns BYE protocol (§6.2)
    const early = independentPeer()
    await early.open('::1', port)
    early.state = 'hello_sent'
    const ka = { type: 'KEEPALIVE_REQUEST', timestamp: Date.now(), id: 0 }
    early.writeRaw(P.lineOf(Buffer.alloc(32), P.signingInput(ka)))
    await early.waitFor((e) => e.frame.type === 'BYE', WAIT, 'BYE for a frame before HELLO')
    expect(early.bye).toMatchObject({ reason: 'protocol', preLink: true })

    // after the handshake, a wrong link MAC is fatal: BYE bad_signature, under the link MAC
    const liar = independentPeer()
    await liar.connect('::1', port)
    liar.sendBadMac({ type: 'KEEPALIVE_REQUEST', id: 1 })
    await liar.waitFor((e) => e.frame.type === 'BYE', WAIT, 'BYE for a bad link MAC')
    expect(liar.bye).toMatchObject({ reason: 'bad_signature', macOk: true, hashOk: true })

    await until(() => node.peers().length === 0 && node.stats().pendingHandshakes === 0, 'no peers')
  })
})
