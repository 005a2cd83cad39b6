// Types of ./peer.mjs, the independent chat6 peer, for interop.test.ts.

/** A frame as the vectors write it: binary fields in base64, text as a string, uints as numbers. */
// biome-ignore lint/suspicious/noExplicitAny: frames are open records of wire values
export type Frame = { type: string; timestamp: number; [field: string]: any }
export interface Entry {
  dir: 'in' | 'out'
  line?: string
  frame: Frame
}
export interface Bye {
  reason: string
  preLink: boolean
  macOk: boolean
  hashOk: boolean
  signature: Buffer
}
export interface Session {
  sid: Buffer
  send: Buffer
  recv: Buffer
}
export interface Ed25519Key {
  publicKey: Buffer
  sign(msg: Uint8Array): Buffer
}
export interface X25519Key {
  publicKey: Buffer
  agree(peerPublic: Uint8Array): Buffer
}
export interface HelloOptions {
  version?: number
  port?: number
  timestamp?: number
  badSignature?: boolean
}

export const PROTOCOL_VERSION: number
export const MAX_LINE_BYTES: number
export const MAX_FIELDS: number
export const MAX_CLOCK_SKEW: number
export const METRIC_INFINITY: number
export const DEFAULT_TTL: number

export function b64decode(s: string): Buffer | undefined
export function b64(bytes: Uint8Array): string
export function hex(bytes: Uint8Array): string
export function unhex(s: string): Buffer
export function canonicalIpv6(text: string): string | undefined

export class FrameError extends Error {
  code: string
}
export function hashInput(frame: Frame, leaveOut?: string[]): Buffer
export function proofInput(frame: Frame): Buffer
export function msgHash(frame: Frame): Buffer
export function associatedData(frame: Frame): Buffer
export function signingInput(frame: Frame, hash?: Uint8Array): Buffer
export function lineOf(signature: Uint8Array, signing: Buffer): string
export function decodeLine(line: string): {
  frame: Frame
  signature: Buffer
  hash: Buffer
  signingInput: Buffer
}

export function sha256(...parts: Uint8Array[]): Buffer
export function ed25519(seed?: Uint8Array): Ed25519Key
export function canonicalPointEncoding(enc: Uint8Array): boolean
export function ed25519Verify(
  publicKey: Uint8Array,
  msg: Uint8Array,
  signature: Uint8Array,
): boolean
export function x25519(secret?: Uint8Array): X25519Key
export function hchacha20(key: Buffer, nonce16: Buffer): Buffer
export function xseal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
): Buffer
export function xopen(
  key: Uint8Array,
  nonce: Uint8Array,
  sealed: Uint8Array,
  ad: Uint8Array,
): Buffer | undefined
export function linkKeys(
  shared: Uint8Array,
  hI: Uint8Array,
  hR: Uint8Array,
): { kIR: Buffer; kRI: Buffer }
export function sessionKeys(
  shared: Uint8Array,
  hReq: Uint8Array,
  hConf: Uint8Array,
): { kAB: Buffer; kBA: Buffer; sid: Buffer }
export function linkMac(key: Uint8Array, counter: number, signing: Uint8Array): Buffer
export function helloSignature(nodeKey: Ed25519Key, signing: Uint8Array): Buffer
export function proofOf(clientKey: Ed25519Key, frame: Frame): Buffer
export function verifyProof(frame: Frame): boolean
export function defaultChatId(hA: Uint8Array, hB: Uint8Array): Buffer
export function fingerprint(key: Uint8Array): Buffer
export function safetyNumber(
  keyA: Uint8Array,
  keyB: Uint8Array,
): { fingerprintLow: Buffer; fingerprintHigh: Buffer; digits: string; text: string; qr: Buffer }
export function sealFrame(
  frame: Frame,
  key: Uint8Array,
  nonce?: Uint8Array,
  plaintext?: Uint8Array,
): Frame
export function openFrame(frame: Frame, key: Uint8Array): Buffer | undefined

export class Identity {
  constructor(opts?: { seed?: Uint8Array; nickname?: string; now?: () => number })
  readonly key: Buffer
  readonly hash: Buffer
  nickname: string
  lastNonce: number
  nextNonce(): number
  online(type?: 'CLIENT_ONLINE' | 'CLIENT_UPDATE'): Frame
  request(target: Uint8Array, opts?: { ephSecret?: Uint8Array }): Frame
  confirmed(frame: Frame): Session | string
  confirm(request: Frame): Frame | undefined
  message(
    friendKey: Uint8Array,
    body: string | Uint8Array,
    opts?: { mtype?: number; msgid?: Uint8Array; nonce?: Uint8Array },
  ): Frame
  open(frame: Frame): { session: Session; plaintext: Buffer } | undefined
  receipt(message: Frame, type?: 'MESSAGE_RECV' | 'MESSAGE_READ'): Frame
}

export class Peer {
  constructor(opts?: {
    nodeSeed?: Uint8Array
    linkSecret?: Uint8Array
    now?: () => number
    identity?: Identity
    autoAck?: boolean
    log?: ((dir: 'in' | 'out', line: string) => void) | undefined
  })
  readonly nodeKey: Buffer
  readonly id: string
  state: 'idle' | 'hello_sent' | 'up' | 'closed'
  received: Entry[]
  bye: Bye | undefined
  readonly closed: Promise<void>
  presence: Map<string, { frame: Frame; proofOk: boolean }>
  inbox: { from: string; text: string; frame: Frame }[]
  receipts: { type: string; msgid: string; authOk: boolean }[]
  drops: { reason: string; line?: string }[]
  helloLine(opts?: HelloOptions): string
  open(host: string, port: number, timeoutMs?: number): Promise<void>
  connect(host: string, port: number, opts?: { timeoutMs?: number; port?: number }): Promise<Peer>
  tryHello(
    host: string,
    port: number,
    hello?: HelloOptions,
    timeoutMs?: number,
  ): Promise<Bye | undefined>
  writeRaw(line: string): void
  send(frame: Omit<Frame, 'timestamp'> & { timestamp?: number }): { line: string; hash: Buffer }
  sendBadMac(frame: Omit<Frame, 'timestamp'>): void
  keepalive(): { line: string; hash: Buffer }
  waitFor(pred: (e: Entry) => boolean, timeoutMs?: number, what?: string): Promise<Entry>
  until<T>(fn: () => T | undefined | false, timeoutMs?: number, what?: string): Promise<T>
  close(reason?: string): Promise<void>
}
