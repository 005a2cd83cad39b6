// Throughput of each primitive on both backends in one run (`pnpm bench`). Vitest prints ops/s
// per backend and, per group, how many times faster the faster one is (noble time / native time).
import { bench, describe } from 'vitest'
import {
  createClientIdentity,
  createCrypto,
  openSealed,
  sealSecret,
  signProof,
} from '../src/index.ts'

const backends = [createCrypto({ backend: 'noble' }), createCrypto({ backend: 'native' })]
const SEAL_PARAMS = { N: 1024, r: 8, p: 1 } // the test parameters; production default is N=2^15

const options = { time: 400, warmupTime: 100 }

type Run = () => void | Promise<void>

function group(name: string, make: (c: (typeof backends)[number]) => Run): void {
  describe(name, () => {
    for (const c of backends) bench(c.backend, make(c), options)
  })
}

group('ed25519 sign (proof of a presence frame)', (c) => {
  const alice = createClientIdentity(c, new Uint8Array(32).fill(1))
  const frame = {
    type: 'CLIENT_ONLINE' as const,
    timestamp: 1,
    clientkey: alice.publicKey,
    nonce: 1,
    nickname: 'alice',
    metric: 0,
    ttl: 64,
  }
  return () => {
    signProof(alice, frame)
  }
})

group('ed25519 verify (64-byte message)', (c) => {
  const seed = new Uint8Array(32).fill(2)
  const msg = new Uint8Array(64).fill(3)
  const pk = c.ed25519.publicKey(seed)
  const sig = c.ed25519.sign(msg, seed)
  return () => {
    c.ed25519.verify(sig, msg, pk)
  }
})

group('x25519 shared secret', (c) => {
  const a = new Uint8Array(32).fill(4)
  const pb = c.x25519.publicKey(new Uint8Array(32).fill(5))
  return () => {
    c.x25519.sharedSecret(a, pb)
  }
})

group('x25519 ephemeral key + agreement (a link or session key)', (c) => {
  const pb = c.x25519.publicKey(new Uint8Array(32).fill(5))
  return () => {
    const ek = c.x25519.ephemeral()
    ek.agree(pb)
    ek.destroy()
  }
})

group('hkdf-sha256 (80 bytes, session keys)', (c) => {
  const ikm = new Uint8Array(32).fill(6)
  const salt = new Uint8Array(64).fill(7)
  const info = new TextEncoder().encode('chat6/v1/session')
  return () => {
    c.hkdfSha256(ikm, salt, info, 80)
  }
})

group('hmac-sha256 of a 1 KiB frame (link MAC)', (c) => {
  const key = new Uint8Array(32).fill(8)
  const data = new Uint8Array(1024).fill(9)
  return () => {
    c.hmacSha256(key, data)
  }
})

for (const size of [100, 1024, 16384]) {
  group(`xchacha20poly1305 seal ${size} B`, (c) => {
    const key = new Uint8Array(32).fill(10)
    const nonce = new Uint8Array(24).fill(11)
    const pt = new Uint8Array(size).fill(12)
    const ad = new Uint8Array(120).fill(13)
    return () => {
      c.xchacha20poly1305.seal(key, nonce, pt, ad)
    }
  })
  group(`xchacha20poly1305 open ${size} B`, (c) => {
    const key = new Uint8Array(32).fill(10)
    const nonce = new Uint8Array(24).fill(11)
    const ad = new Uint8Array(120).fill(13)
    const sealed = c.xchacha20poly1305.seal(key, nonce, new Uint8Array(size).fill(12), ad)
    return () => {
      c.xchacha20poly1305.open(key, nonce, sealed, ad)
    }
  })
}

group('sealed storage seal (scrypt N=1024, r=8)', (c) => {
  const secret = new Uint8Array(32).fill(14)
  return async () => {
    await sealSecret(c, 'passphrase', secret, SEAL_PARAMS)
  }
})

describe('sealed storage open (scrypt N=1024, r=8)', async () => {
  for (const c of backends) {
    const blob = await sealSecret(c, 'passphrase', new Uint8Array(32).fill(14), SEAL_PARAMS)
    bench(
      c.backend,
      async () => {
        await openSealed(c, 'passphrase', blob)
      },
      options,
    )
  }
})
