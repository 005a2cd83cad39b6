// Error codes are closed unions: every code the sources throw is in CLIENT_ERROR_CODES or
// STORE_ERROR_CODES, every code there is thrown somewhere, and the README lists exactly them.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLIENT_ERROR_CODES, STORE_ERROR_CODES } from '../src/errors.ts'
import { createMemoryStore } from '../src/store/memory.ts'
import { toStoreError } from '../src/store/sqlite.ts'

const src = join(import.meta.dirname, '../src')
const sources = (readdirSync(src, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f, text: readFileSync(join(src, f), 'utf8') }))

/** The first argument of every `new <name>(` in the sources, by file. */
function thrown(name: string): { file: string; arg: string }[] {
  const re = new RegExp(`new ${name}\\(\\s*([^,)]+)`, 'g')
  return sources.flatMap(({ file, text }) =>
    [...text.matchAll(re)].map((m) => ({ file, arg: (m[1] as string).trim() })),
  )
}
const literal = (arg: string) => /^'([a-z_]+)'$/.exec(arg)?.[1]

/** The codes a README sentence lists, as in "`ClientError` (`a`, `b`, …)". */
function documented(name: string): string[] {
  const readme = readFileSync(join(import.meta.dirname, '../README.md'), 'utf8').replace(/\n/g, ' ')
  const list = new RegExp(`\`${name}\` \\(([^)]*)\\)`).exec(readme)?.[1] ?? ''
  return [...list.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] as string)
}

describe('error codes', () => {
  it('behavior: every ClientError thrown has a code of ClientErrorCode, and each code is thrown', () => {
    const found = thrown('ClientError')
    expect(found.length).toBeGreaterThan(10)
    for (const { file, arg } of found) {
      expect(literal(arg), `${file}: new ClientError(${arg}`).toBeDefined()
      expect(CLIENT_ERROR_CODES, `${file}: ${arg}`).toContain(literal(arg))
    }
    expect(new Set(found.map(({ arg }) => literal(arg)))).toEqual(new Set(CLIENT_ERROR_CODES))
  })

  it('behavior: every StoreError thrown has a code of StoreErrorCode, and each code is thrown', () => {
    const found = thrown('StoreError')
    // the one computed code is toStoreError's, checked below with real driver error codes
    const computed = found.filter(({ arg }) => literal(arg) === undefined)
    expect(computed.map(({ file, arg }) => `${file} ${arg}`)).toEqual(['store/sqlite.ts mapped'])
    const codes = new Set(found.map(({ arg }) => literal(arg)).filter((c) => c !== undefined))
    const driver = (code: string | undefined, message = 'boom') =>
      toStoreError(Object.assign(new Error(message), { code }), 'test').code
    for (const sqlite of [
      'SQLITE_FULL',
      'SQLITE_CORRUPT',
      'SQLITE_CORRUPT_VTAB',
      'SQLITE_NOTADB',
      'SQLITE_IOERR_SHORT_READ',
      'SQLITE_CANTOPEN',
      'SQLITE_BUSY',
      'SQLITE_LOCKED',
      'SQLITE_READONLY',
      'SQLITE_CONSTRAINT',
      'SQLITE_MISUSE',
      undefined,
    ]) {
      codes.add(driver(sqlite))
    }
    codes.add(driver(undefined, 'The database connection is not open'))
    for (const code of codes) expect(STORE_ERROR_CODES).toContain(code)
    expect(codes).toEqual(new Set(STORE_ERROR_CODES))
    // and a real one, from a real store
    const store = createMemoryStore()
    store.close()
    expect(() => store.friends()).toThrow(
      expect.objectContaining({ name: 'StoreError', code: 'closed' }),
    )
  })

  it('behavior: the README lists exactly the codes of each union', () => {
    expect(documented('ClientError')).toEqual([...CLIENT_ERROR_CODES])
    expect(documented('StoreError')).toEqual([...STORE_ERROR_CODES])
  })
})
