import { describe, expect, it } from 'vitest'
import { DEFAULT_PORT, parseBootstrapFile, parseHostPort, scopeOf } from '../src/addr.ts'
import { CliError, formatError, toCliError } from '../src/errors.ts'
import { EXIT } from '../src/exit-codes.ts'
import {
  displayWidth,
  fingerprint,
  fit,
  fromBase64,
  sanitize,
  stateMark,
  table,
  toBase64,
  wrap,
} from '../src/format.ts'
import { dataFiles, resolveDataDir } from '../src/paths.ts'

describe('format', () => {
  it('behavior: base64 round trip, non-canonical refused', () => {
    const b = new Uint8Array(32).map((_, i) => i * 7)
    expect(fromBase64(toBase64(b))).toEqual(b)
    expect(fromBase64('AB==')).toBeUndefined() // unused bits set
    expect(fromBase64('not base64!')).toBeUndefined()
  })
  it('behavior: fingerprint is 8 groups of 4 hex digits', () => {
    expect(fingerprint(new Uint8Array(32).fill(0xab))).toBe(
      'ABAB ABAB ABAB ABAB ABAB ABAB ABAB ABAB',
    )
  })
  it('behavior: marks for each state, ASCII too', () => {
    expect(['queued', 'sent', 'delivered', 'read'].map((s) => stateMark(s as 'sent'))).toEqual([
      '…',
      '✓',
      '✓✓',
      '✓✓ read',
    ])
    expect(stateMark('delivered', true)).toBe('vv')
  })
  it('behavior: sanitize removes escape sequences and bidi overrides', () => {
    expect(sanitize('a\u001b[2Jb\u202ec\nd')).toBe('a\ufffd[2Jb\ufffdc d')
    expect(sanitize('x\ny', true)).toBe('x\ny')
  })
  it('behavior: width counts CJK and emoji as 2, ANSI as 0', () => {
    expect(displayWidth('日本')).toBe(4)
    expect(displayWidth('\u001b[31mab\u001b[0m')).toBe(2)
    expect(displayWidth('😀')).toBe(2)
  })
  it('behavior: fit cuts with an ellipsis and pads', () => {
    expect(fit('abcdef', 4)).toBe('abc…')
    expect(fit('ab', 4)).toBe('ab  ')
    expect(fit('日本語', 4)).toBe('日… ')
  })
  it('behavior: wrap at spaces, long words broken', () => {
    expect(wrap('the quick brown fox', 9)).toEqual(['the quick', 'brown fox'])
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij'])
  })
  it('behavior: table aligns columns', () => {
    expect(
      table([
        ['a', 'bb', 'c'],
        ['ccc', 'd', 'e'],
      ]),
    ).toBe('a    bb  c\nccc  d   e')
  })
})

describe('addresses', () => {
  const d = { host: '::', port: DEFAULT_PORT }
  it('behavior: the forms users type', () => {
    expect(parseHostPort('[::1]:7601', d, '--peer')).toEqual({ host: '::1', port: 7601 })
    expect(parseHostPort('[2001:db8::1]', d, '--peer')).toEqual({ host: '2001:db8::1', port: 7600 })
    expect(parseHostPort(':0', d, '--listen')).toEqual({ host: '::', port: 0 })
    expect(parseHostPort('7000', d, '--listen')).toEqual({ host: '::', port: 7000 })
    expect(parseHostPort('2001:db8::1,9', d, '--peer')).toEqual({ host: '2001:db8::1', port: 9 })
    expect(parseHostPort('::1', d, '--peer')).toEqual({ host: '::1', port: 7600 })
  })
  it('error: IPv4, hostnames, bad ports', () => {
    expect(() => parseHostPort('127.0.0.1:7600', d, '--peer')).toThrow(/IPv6-only/)
    expect(() => parseHostPort('[::ffff:1.2.3.4]:1', d, '--peer')).toThrow(/IPv4/)
    expect(() => parseHostPort('example.org:1', d, '--peer')).toThrow(/expected \[IPV6\]:PORT/)
    expect(() => parseHostPort('[::1]:70000', d, '--peer')).toThrow(/bad port/)
  })
  it('behavior: scopes and bootstrap files', () => {
    expect(scopeOf('::1')).toBe('loopback')
    expect(scopeOf('fd00::5')).toBe('ula')
    expect(scopeOf('2001:db8::1')).toBe('other')
    expect(parseBootstrapFile('# nodes\n[::1]:1\n\n[2001:db8::2]:2 # two\n', 'f')).toEqual([
      { host: '::1', port: 1 },
      { host: '2001:db8::2', port: 2 },
    ])
    expect(() => parseBootstrapFile('[::1]:1\nnope\n', 'f')).toThrow(/^f:2: /)
  })
})

describe('data dir', () => {
  const base = { flag: undefined, env: {}, platform: 'linux' as const, home: '/home/a', cwd: '/w' }
  it('behavior: flag, then env, then XDG, then ~/.local/share', () => {
    expect(resolveDataDir({ ...base, flag: 'd', env: { CHAT6_DATA_DIR: '/e' } })).toBe('/w/d')
    expect(resolveDataDir({ ...base, env: { CHAT6_DATA_DIR: '/e' } })).toBe('/e')
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: '/x' } })).toBe('/x/chat6')
    expect(resolveDataDir({ ...base, env: { XDG_DATA_HOME: 'relative' } })).toBe(
      '/home/a/.local/share/chat6',
    )
    expect(resolveDataDir(base)).toBe('/home/a/.local/share/chat6')
    expect(resolveDataDir({ ...base, platform: 'darwin' })).toBe(
      '/home/a/Library/Application Support/chat6',
    )
    expect(dataFiles('/d').nodeSocket).toBe('/d/node.sock')
    expect(dataFiles(`/${'x'.repeat(120)}`).clientSocket).toMatch(
      /chat6-[0-9a-f]{16}-client\.sock$/,
    )
  })
})

describe('errors', () => {
  it('behavior: lower-layer errors map by name and code', () => {
    const client = Object.assign(new Error('wrong passphrase'), {
      name: 'ClientError',
      code: 'wrong_passphrase',
    })
    expect(toCliError(client).exitCode).toBe(EXIT.PASSPHRASE)
    const inUse = Object.assign(new Error('listen EADDRINUSE: address already in use :::7600'), {
      code: 'EADDRINUSE',
    })
    const t = Object.assign(new Error('listen failed', { cause: inUse }), {
      name: 'TransportError',
      code: 'listen',
    })
    expect(toCliError(t).exitCode).toBe(EXIT.NETWORK)
    expect(toCliError(t).message).toMatch(/address already in use/)
  })
  it('behavior: one line, stacks only with debug', () => {
    const e = new CliError('usage', 'bad\nthing', { hint: 'try this' })
    expect(formatError(e, false)).toBe('chat6: error: bad thing\ntry this\n')
    const bug = toCliError(new TypeError('x is undefined'))
    expect(formatError(bug, false)).toMatch(/CHAT6_DEBUG=1/)
    expect(formatError(bug, true)).toMatch(/TypeError: x is undefined\n\s+at /)
  })
})
