// Checks of the data dir before a command uses it, each failure said in our words. Above all, a
// data dir that exists but cannot be read is never reported as "no identity": that would
// invite the user to run `chat6 init` and make a second identity in place of theirs.
import { constants, existsSync, statSync } from 'node:fs'
import { access, mkdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { CliError } from './errors.ts'
import type { DataFiles } from './paths.ts'

const code = (e: unknown) => (e as NodeJS.ErrnoException | undefined)?.code

function permissionDenied(what: string, path: string): CliError {
  let owner = ''
  try {
    const st = statSync(path)
    owner = ` (owner uid ${st.uid}, mode ${(st.mode & 0o777).toString(8).padStart(4, '0')})`
  } catch {}
  return new CliError('failed', `cannot ${what} ${path}: permission denied${owner}`, {
    hint: 'run chat6 as the user who owns it, or give another --data-dir',
  })
}

function notADirectory(dir: string): CliError {
  return new CliError('failed', `the data dir ${dir} is a file, not a directory`, {
    hint: 'give --data-dir (or CHAT6_DATA_DIR) a directory, or move the file away',
  })
}

/**
 * Checks that the data dir holds an identity this user can open.
 * @throws CliError `not_found` (with the hint to run `init`) only when there is no data dir or
 *   no client.db in it; `failed` saying permission denied or not a directory otherwise
 */
export async function checkIdentityDir(files: DataFiles): Promise<void> {
  const { dir, store } = files
  let isDir: boolean
  try {
    isDir = statSync(dir).isDirectory()
  } catch (e) {
    if (code(e) === 'EACCES') throw permissionDenied('open the data dir', dir)
    if (code(e) === 'ENOTDIR') throw notADirectory(dir)
    if (code(e) === 'ENOENT')
      throw new CliError('not_found', `no identity in ${dir}: the directory does not exist`, {
        hint: "create one with 'chat6 init --nick NAME' (or pick another --data-dir)",
      })
    throw e
  }
  if (!isDir) throw notADirectory(dir)
  try {
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (e) {
    if (code(e) === 'EACCES' || code(e) === 'EPERM')
      throw permissionDenied('open the data dir', dir)
    throw e
  }
  if (!existsSync(store))
    throw new CliError('not_found', `no identity in ${dir}`, {
      hint: "create one with 'chat6 init --nick NAME' (or pick another --data-dir)",
    })
  try {
    await access(store, constants.R_OK | constants.W_OK)
  } catch (e) {
    if (code(e) === 'EACCES' || code(e) === 'EPERM') throw permissionDenied('open', store)
    throw e
  }
}

/**
 * Checks, before anything is asked or written, that `init` can make its files: the data dir is
 * a directory this user can write, or the nearest existing directory above it is.
 * @throws CliError `failed` saying permission denied or not a directory
 */
export async function checkInitDir(files: DataFiles): Promise<void> {
  const { dir } = files
  let at = dir
  for (;;) {
    let st: ReturnType<typeof statSync> | undefined
    try {
      st = statSync(at)
    } catch (e) {
      if (code(e) === 'EACCES') throw permissionDenied('create the data dir', dir)
      if (code(e) === 'ENOTDIR')
        throw new CliError(
          'failed',
          `cannot create the data dir ${dir}: a part of its path is a file`,
        )
      if (code(e) !== 'ENOENT') throw e
    }
    if (st !== undefined) {
      if (!st.isDirectory()) {
        if (at === dir) throw notADirectory(dir)
        throw new CliError(
          'failed',
          `cannot create the data dir ${dir}: a part of its path is a file`,
        )
      }
      try {
        await access(at, constants.W_OK | constants.X_OK)
      } catch (e) {
        if (code(e) === 'EACCES' || code(e) === 'EPERM')
          throw at === dir
            ? permissionDenied('write to the data dir', dir)
            : permissionDenied(`create the data dir ${dir} in`, at)
        throw e
      }
      return
    }
    const up = dirname(at)
    if (up === at) return
    at = up
  }
}

/**
 * Creates the data dir (mode 0700) if needed and checks that this user can write in it.
 * @throws CliError `failed` saying permission denied or not a directory
 */
export async function makeDataDir(files: DataFiles): Promise<void> {
  const { dir } = files
  try {
    await mkdir(dir, { recursive: true, mode: 0o700 })
  } catch (e) {
    if (code(e) === 'EEXIST') throw notADirectory(dir)
    if (code(e) === 'ENOTDIR')
      throw new CliError(
        'failed',
        `cannot create the data dir ${dir}: a part of its path is a file`,
      )
    if (code(e) === 'EACCES' || code(e) === 'EPERM')
      throw permissionDenied('create the data dir', dir)
    throw e
  }
  try {
    if (!statSync(dir).isDirectory()) throw notADirectory(dir)
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK)
  } catch (e) {
    if (e instanceof CliError) throw e
    if (code(e) === 'EACCES' || code(e) === 'EPERM')
      throw permissionDenied('write to the data dir', dir)
    throw e
  }
}
