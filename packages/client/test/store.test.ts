import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createMemoryStore } from '../src/store/memory.ts'
import { createSqliteStore } from '../src/store/sqlite.ts'
import type { Store } from '../src/store/types.ts'
import { storeContract } from './store-contract.ts'

storeContract('memory', { open: () => createMemoryStore() })

const dir = mkdtempSync(join(tmpdir(), 'chat6-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const paths = new WeakMap<Store, string>()
storeContract('sqlite', {
  open: () => {
    const path = join(dir, `s${n++}.db`)
    const store = createSqliteStore(path)
    paths.set(store, path)
    return store
  },
  reopen: (store) => {
    const path = paths.get(store) as string
    store.close()
    return createSqliteStore(path)
  },
})
