// SQLite Store on better-sqlite3: one database file per client, WAL journal, synchronous=FULL
// so that a committed write (a message we are about to acknowledge) survives a crash.
import { chmodSync, closeSync, constants, openSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'
import { copyBytes } from '../bytes.ts'
import { StoreError, type StoreErrorCode } from '../errors.ts'
import {
  type BlockedRecord,
  type FriendRecord,
  type IdentityRecord,
  type MessageRecord,
  type MessageState,
  type NewMessage,
  type PendingReadRecord,
  type ProfileRecord,
  type RequestRecord,
  STATE_RANK,
  type Store,
} from './types.ts'

/** Versioned schema; index i migrates from version i to i + 1. Never edit a shipped entry. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
   CREATE TABLE identity (
     id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL, secret BLOB NOT NULL,
     sealed INTEGER NOT NULL, nickname TEXT NOT NULL, icon BLOB, created_at INTEGER NOT NULL);
   CREATE TABLE friends (
     hash BLOB PRIMARY KEY, key BLOB NOT NULL, nickname TEXT, icon BLOB, status TEXT NOT NULL,
     verified INTEGER NOT NULL, key_changed INTEGER NOT NULL, previous_key BLOB,
     last_request_nonce INTEGER NOT NULL, added_at INTEGER NOT NULL);
   CREATE TABLE requests (
     hash BLOB PRIMARY KEY, key BLOB NOT NULL, nickname TEXT, nonce INTEGER NOT NULL,
     received_at INTEGER NOT NULL, conflicts_with BLOB);
   CREATE TABLE blocked (
     hash BLOB PRIMARY KEY, key BLOB NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL);
   CREATE TABLE messages (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, peer BLOB NOT NULL, chatid BLOB NOT NULL,
     msgid BLOB NOT NULL, outgoing INTEGER NOT NULL, mtype INTEGER NOT NULL, body BLOB NOT NULL,
     state INTEGER NOT NULL, time INTEGER NOT NULL, UNIQUE (peer, chatid, msgid, outgoing));
   CREATE INDEX messages_chat ON messages (chatid, seq);
   CREATE INDEX messages_outbox ON messages (outgoing, state, peer, seq) WHERE outgoing = 1 AND state < 2;`,
  // 2: read receipts waiting for their friend to be keyed survive a restart (§11.1)
  `CREATE TABLE pending_reads (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, peer BLOB NOT NULL, chatid BLOB NOT NULL,
     msgid BLOB NOT NULL, UNIQUE (peer, chatid, msgid));`,
  // 3: friends' latest PROFILE, and the version of ours each acknowledged (§17.3)
  `CREATE TABLE profiles (
     hash BLOB PRIMARY KEY, nickname TEXT, icon BLOB, status TEXT, note TEXT, caps TEXT,
     received_at INTEGER, acked INTEGER NOT NULL, pending_msgid BLOB, pending_version INTEGER);`,
]

/** Current schema version of this build. */
export const SCHEMA_VERSION = MIGRATIONS.length

const STATES: Record<string, MessageState[]> = {
  out: ['queued', 'sent', 'delivered', 'read'],
  in: ['received', 'received', 'received', 'read'],
}

const SQLITE_CODES: [string, StoreErrorCode][] = [
  ['SQLITE_FULL', 'full'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_NOTADB', 'corrupt'],
  ['SQLITE_IOERR', 'io'],
  ['SQLITE_CANTOPEN', 'io'],
  ['SQLITE_BUSY', 'busy'],
  ['SQLITE_LOCKED', 'busy'],
  ['SQLITE_READONLY', 'readonly'],
]

/**
 * @internal Maps a driver error (by its SQLITE_* code, extended codes included) to a StoreError.
 */
export function toStoreError(error: unknown, what: string): StoreError {
  if (error instanceof StoreError) return error
  const code = String((error as { code?: unknown })?.code ?? '')
  const hit = SQLITE_CODES.find(([prefix]) => code === prefix || code.startsWith(`${prefix}_`))
  const mapped: StoreErrorCode =
    hit?.[1] ?? (/database connection is not open/.test(String(error)) ? 'closed' : 'failed')
  return new StoreError(mapped, `${what}: ${code || String(error)}`, { cause: error })
}

/** An error raised by SQLite or the driver, as opposed to one thrown by a transaction's body. */
function isDriverError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return (
    (typeof code === 'string' && code.startsWith('SQLITE_')) ||
    (error instanceof TypeError && /database connection is not open/.test(error.message))
  )
}

type Row = Record<string, unknown>
const blob = (v: unknown): Uint8Array<ArrayBuffer> => copyBytes(v as Uint8Array)
const optBlob = (v: unknown) => (v == null ? undefined : blob(v))
const optText = (v: unknown) => (v == null ? undefined : String(v))

function toMessage(row: Row): MessageRecord {
  const outgoing = row.outgoing === 1
  return {
    seq: Number(row.seq),
    peer: blob(row.peer),
    chatid: blob(row.chatid),
    msgid: blob(row.msgid),
    outgoing,
    mtype: Number(row.mtype),
    body: blob(row.body),
    state: (STATES[outgoing ? 'out' : 'in'] as MessageState[])[Number(row.state)] as MessageState,
    time: Number(row.time),
  }
}

function toFriend(row: Row): FriendRecord {
  return {
    hash: blob(row.hash),
    key: blob(row.key),
    nickname: optText(row.nickname),
    icon: optBlob(row.icon),
    status: row.status === 'friend' ? 'friend' : 'requested',
    verified: row.verified === 1,
    keyChanged: row.key_changed === 1,
    previousKey: optBlob(row.previous_key),
    lastRequestNonce: Number(row.last_request_nonce),
    addedAt: Number(row.added_at),
  }
}

function toRequest(row: Row): RequestRecord {
  return {
    hash: blob(row.hash),
    key: blob(row.key),
    nickname: optText(row.nickname),
    nonce: Number(row.nonce),
    receivedAt: Number(row.received_at),
    conflictsWith: optBlob(row.conflicts_with),
  }
}

function toBlocked(row: Row): BlockedRecord {
  return {
    hash: blob(row.hash),
    key: blob(row.key),
    reason: row.reason === 'rejected' ? 'rejected' : 'blocked',
    at: Number(row.at),
  }
}

function toPendingRead(row: Row): PendingReadRecord {
  return { peer: blob(row.peer), chatid: blob(row.chatid), msgid: blob(row.msgid) }
}

function toProfile(row: Row): ProfileRecord {
  const caps = optText(row.caps)
  return {
    hash: blob(row.hash),
    theirs:
      row.received_at == null
        ? undefined
        : {
            nickname: String(row.nickname),
            icon: optBlob(row.icon),
            status: optText(row.status),
            note: optText(row.note),
            caps: caps === undefined || caps === '' ? [] : caps.split(' '),
            receivedAt: Number(row.received_at),
          },
    acked: Number(row.acked),
    pending:
      row.pending_msgid == null
        ? undefined
        : { msgid: blob(row.pending_msgid), version: Number(row.pending_version) },
  }
}

const rank = (state: MessageState) => STATE_RANK[state]
/** `(? = 0 OR …)`: the chatOnly filter of history and outbox queries, as one parameter. */
const CHAT_ONLY = '(? = 0 OR mtype = 1 OR mtype >= 1000)'

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Run `PRAGMA quick_check` when opening, so a damaged file fails at once (default true). */
  check?: boolean
  /** Milliseconds to wait for a lock held by another connection (default 5000). */
  busyTimeout?: number
  /**
   * Caps the database at this many pages (`PRAGMA max_page_count`): a quota. Writes past it
   * fail with StoreError `full`, exactly as on a full disk.
   */
  maxPages?: number
}

/**
 * Makes sure the database file exists and only its owner may read it: it holds the identity
 * (maybe unsealed) and the history. SQLite creates files 0644, and gives the -wal and -shm it
 * makes the database file's mode, so a file created 0600 here keeps all three private; one left
 * 0644 by an older build is tightened if it is ours. A failure here is left to SQLite to report.
 */
function makePrivate(path: string): void {
  if (path === '' || path === ':memory:') return
  try {
    closeSync(openSync(path, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600))
    return
  } catch {
    // it exists (or cannot be made: SQLite says why)
  }
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const { mode, uid } = statSync(file)
      if ((mode & 0o077) !== 0 && uid === process.getuid?.()) chmodSync(file, mode & 0o700)
    } catch {
      // absent, or not ours to change
    }
  }
}

/**
 * Opens (creating if needed, mode 0600) the SQLite database file of one client and migrates it.
 *
 * @param path - the database file, normally `<data dir>/client.db`
 * @returns a Store backed by that file
 * @throws StoreError `corrupt` if the file is damaged or not a database, `full`, `io`, `busy`
 * @example
 * ```ts
 * const store = createSqliteStore(join(dataDir, 'client.db'))
 * ```
 */
export function createSqliteStore(path: string, options: SqliteStoreOptions = {}): Store {
  let db: Database.Database
  makePrivate(path)
  try {
    db = new Database(path, { timeout: options.busyTimeout ?? 5000 })
  } catch (error) {
    throw toStoreError(error, `cannot open ${path}`)
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    if (options.check ?? true) {
      const result = db.pragma('quick_check', { simple: true })
      if (result !== 'ok') throw new StoreError('corrupt', `quick_check: ${String(result)}`)
    }
    migrate(db)
    if (options.maxPages !== undefined)
      db.pragma(`max_page_count = ${Math.floor(options.maxPages)}`)
  } catch (error) {
    db.close()
    throw toStoreError(error, `cannot open ${path}`)
  }
  return wrap(sqliteStore(db))
}

function migrate(db: Database.Database): void {
  db.exec(
    'CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)',
  )
  const row = db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null }
  const current = row.v ?? 0
  if (current > MIGRATIONS.length) {
    throw new StoreError(
      'failed',
      `database schema ${current} is newer than this client (${MIGRATIONS.length})`,
    )
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string)
      db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(
        version + 1,
        Date.now(),
      )
    }).immediate()
  }
}

/** Every method of the store, with driver errors turned into StoreError. */
function wrap(store: Store): Store {
  const wrapped = {} as Record<string, unknown>
  for (const [name, fn] of Object.entries(store)) {
    wrapped[name] = (...args: unknown[]) => {
      try {
        return (fn as (...a: unknown[]) => unknown)(...args)
      } catch (error) {
        throw isDriverError(error) ? toStoreError(error, name) : error
      }
    }
  }
  return wrapped as unknown as Store
}

function sqliteStore(db: Database.Database): Store {
  const q = {
    getMeta: db.prepare('SELECT v FROM meta WHERE k = ?').pluck(),
    setMeta: db.prepare(
      'INSERT INTO meta (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v',
    ),
    getIdentity: db.prepare('SELECT * FROM identity WHERE id = 1'),
    putIdentity: db.prepare(
      `INSERT INTO identity (id, key, secret, sealed, nickname, icon, created_at)
       VALUES (1, @key, @secret, @sealed, @nickname, @icon, @createdAt)
       ON CONFLICT (id) DO UPDATE SET key = excluded.key, secret = excluded.secret,
       sealed = excluded.sealed, nickname = excluded.nickname, icon = excluded.icon,
       created_at = excluded.created_at`,
    ),
    friends: db.prepare('SELECT * FROM friends ORDER BY added_at, hash'),
    getFriend: db.prepare('SELECT * FROM friends WHERE hash = ?'),
    putFriend: db.prepare(
      `INSERT OR REPLACE INTO friends (hash, key, nickname, icon, status, verified, key_changed,
       previous_key, last_request_nonce, added_at) VALUES (@hash, @key, @nickname, @icon,
       @status, @verified, @keyChanged, @previousKey, @lastRequestNonce, @addedAt)`,
    ),
    deleteFriend: db.prepare('DELETE FROM friends WHERE hash = ?'),
    requests: db.prepare('SELECT * FROM requests ORDER BY received_at, hash'),
    getRequest: db.prepare('SELECT * FROM requests WHERE hash = ?'),
    putRequest: db.prepare(
      `INSERT OR REPLACE INTO requests (hash, key, nickname, nonce, received_at, conflicts_with)
       VALUES (@hash, @key, @nickname, @nonce, @receivedAt, @conflictsWith)`,
    ),
    deleteRequest: db.prepare('DELETE FROM requests WHERE hash = ?'),
    blocked: db.prepare('SELECT * FROM blocked ORDER BY at, hash'),
    getBlocked: db.prepare('SELECT * FROM blocked WHERE hash = ?'),
    putBlocked: db.prepare(
      'INSERT OR REPLACE INTO blocked (hash, key, reason, at) VALUES (@hash, @key, @reason, @at)',
    ),
    deleteBlocked: db.prepare('DELETE FROM blocked WHERE hash = ?'),
    // Writes use run(), never RETURNING with get(): get() stops after the first row and the
    // commit's error (SQLITE_FULL) is then lost at reset, so a write we would acknowledge could
    // silently not happen. run() steps to the end and throws.
    insertMessage: db.prepare(
      `INSERT INTO messages (peer, chatid, msgid, outgoing, mtype, body, state, time)
       VALUES (@peer, @chatid, @msgid, @outgoing, @mtype, @body, @state, @time)
       ON CONFLICT (peer, chatid, msgid, outgoing) DO NOTHING`,
    ),
    getBySeq: db.prepare('SELECT * FROM messages WHERE seq = ?'),
    getMessage: db.prepare(
      'SELECT * FROM messages WHERE peer = ? AND chatid = ? AND msgid = ? AND outgoing = ?',
    ),
    advance: db.prepare(
      `UPDATE messages SET state = @state WHERE peer = @peer AND chatid = @chatid
       AND msgid = @msgid AND outgoing = @outgoing AND state < @state`,
    ),
    // LIMIT -1: no limit
    outboxAll: db.prepare(
      `SELECT * FROM messages WHERE outgoing = 1 AND state < 2 AND seq > ? AND ${CHAT_ONLY}
       ORDER BY seq LIMIT ?`,
    ),
    outboxPeer: db.prepare(
      `SELECT * FROM messages WHERE outgoing = 1 AND state < 2 AND peer = ? AND seq > ?
       AND ${CHAT_ONLY} ORDER BY seq LIMIT ?`,
    ),
    history: db.prepare(
      `SELECT * FROM messages WHERE chatid = ? AND seq < ? AND ${CHAT_ONLY}
       ORDER BY seq DESC LIMIT ?`,
    ),
    pendingReadsAll: db.prepare('SELECT peer, chatid, msgid FROM pending_reads ORDER BY seq'),
    pendingReadsPeer: db.prepare(
      'SELECT peer, chatid, msgid FROM pending_reads WHERE peer = ? ORDER BY seq',
    ),
    putPendingRead: db.prepare(
      `INSERT INTO pending_reads (peer, chatid, msgid) VALUES (@peer, @chatid, @msgid)
       ON CONFLICT (peer, chatid, msgid) DO NOTHING`,
    ),
    deletePendingRead: db.prepare(
      'DELETE FROM pending_reads WHERE peer = @peer AND chatid = @chatid AND msgid = @msgid',
    ),
    deletePendingReads: db.prepare('DELETE FROM pending_reads WHERE peer = ?'),
    getProfile: db.prepare('SELECT * FROM profiles WHERE hash = ?'),
    putProfile: db.prepare(
      `INSERT OR REPLACE INTO profiles (hash, nickname, icon, status, note, caps, received_at,
       acked, pending_msgid, pending_version) VALUES (@hash, @nickname, @icon, @status, @note,
       @caps, @receivedAt, @acked, @pendingMsgid, @pendingVersion)`,
    ),
    deleteProfile: db.prepare('DELETE FROM profiles WHERE hash = ?'),
  }

  const insert = (message: NewMessage, outgoing: boolean): Row | undefined => {
    const result = q.insertMessage.run({
      peer: message.peer,
      chatid: message.chatid,
      msgid: message.msgid,
      outgoing: outgoing ? 1 : 0,
      mtype: message.mtype,
      body: message.body,
      state: rank(message.state),
      time: message.time,
    })
    return result.changes === 1 ? (q.getBySeq.get(result.lastInsertRowid) as Row) : undefined
  }

  return {
    getMeta: (key) => optText(q.getMeta.get(key)),
    setMeta: (key, value) => {
      q.setMeta.run(key, value)
    },
    getIdentity: () => {
      const row = q.getIdentity.get() as Row | undefined
      if (!row) return undefined
      return {
        key: blob(row.key),
        secret: blob(row.secret),
        sealed: row.sealed === 1,
        nickname: String(row.nickname),
        icon: optBlob(row.icon),
        createdAt: Number(row.created_at),
      } satisfies IdentityRecord
    },
    putIdentity: (identity) => {
      q.putIdentity.run({
        ...identity,
        sealed: identity.sealed ? 1 : 0,
        icon: identity.icon ?? null,
      })
    },
    friends: () => (q.friends.all() as Row[]).map(toFriend),
    getFriend: (hash) => {
      const row = q.getFriend.get(hash) as Row | undefined
      return row && toFriend(row)
    },
    putFriend: (friend) => {
      q.putFriend.run({
        ...friend,
        nickname: friend.nickname ?? null,
        icon: friend.icon ?? null,
        verified: friend.verified ? 1 : 0,
        keyChanged: friend.keyChanged ? 1 : 0,
        previousKey: friend.previousKey ?? null,
      })
    },
    deleteFriend: (hash) => {
      q.deleteFriend.run(hash)
    },
    requests: () => (q.requests.all() as Row[]).map(toRequest),
    getRequest: (hash) => {
      const row = q.getRequest.get(hash) as Row | undefined
      return row && toRequest(row)
    },
    putRequest: (request) => {
      q.putRequest.run({
        ...request,
        nickname: request.nickname ?? null,
        conflictsWith: request.conflictsWith ?? null,
      })
    },
    deleteRequest: (hash) => {
      q.deleteRequest.run(hash)
    },
    blocked: () => (q.blocked.all() as Row[]).map(toBlocked),
    getBlocked: (hash) => {
      const row = q.getBlocked.get(hash) as Row | undefined
      return row && toBlocked(row)
    },
    putBlocked: (record) => {
      q.putBlocked.run(record)
    },
    deleteBlocked: (hash) => {
      q.deleteBlocked.run(hash)
    },
    addOutgoing: (message) => {
      const row = insert(message, true)
      if (!row) throw new StoreError('failed', 'duplicate outgoing message id')
      return toMessage(row)
    },
    addIncoming: (message) => {
      const row = insert(message, false)
      if (row) return { message: toMessage(row), inserted: true }
      const existing = q.getMessage.get(message.peer, message.chatid, message.msgid, 0) as Row
      return { message: toMessage(existing), inserted: false }
    },
    getMessage: ({ peer, chatid, msgid, outgoing }) => {
      const row = q.getMessage.get(peer, chatid, msgid, outgoing ? 1 : 0) as Row | undefined
      return row && toMessage(row)
    },
    advance: ({ peer, chatid, msgid, outgoing }, state) => {
      // incoming 'received' and outgoing 'delivered' share rank 2; store the rank
      const out = outgoing ? 1 : 0
      const result = q.advance.run({ peer, chatid, msgid, outgoing: out, state: rank(state) })
      if (result.changes === 0) return undefined
      return toMessage(q.getMessage.get(peer, chatid, msgid, out) as Row)
    },
    outbox: ({ peer, after = 0, limit = -1, chatOnly = false } = {}) => {
      const only = chatOnly ? 1 : 0
      const rows = peer
        ? q.outboxPeer.all(peer, after, only, limit)
        : q.outboxAll.all(after, only, limit)
      return (rows as Row[]).map(toMessage)
    },
    history: (chatid, query) =>
      (
        q.history.all(
          chatid,
          query.before ?? Number.MAX_SAFE_INTEGER,
          query.chatOnly ? 1 : 0,
          query.limit,
        ) as Row[]
      )
        .map(toMessage)
        .reverse(),
    pendingReads: (peer) =>
      ((peer ? q.pendingReadsPeer.all(peer) : q.pendingReadsAll.all()) as Row[]).map(toPendingRead),
    putPendingRead: ({ peer, chatid, msgid }) => {
      q.putPendingRead.run({ peer, chatid, msgid })
    },
    deletePendingRead: ({ peer, chatid, msgid }) => {
      q.deletePendingRead.run({ peer, chatid, msgid })
    },
    deletePendingReads: (peer) => {
      q.deletePendingReads.run(peer)
    },
    getProfile: (hash) => {
      const row = q.getProfile.get(hash) as Row | undefined
      return row && toProfile(row)
    },
    putProfile: ({ hash, theirs, acked, pending }) => {
      q.putProfile.run({
        hash,
        nickname: theirs?.nickname ?? null,
        icon: theirs?.icon ?? null,
        status: theirs?.status ?? null,
        note: theirs?.note ?? null,
        caps: theirs ? theirs.caps.join(' ') : null,
        receivedAt: theirs?.receivedAt ?? null,
        acked,
        pendingMsgid: pending?.msgid ?? null,
        pendingVersion: pending?.version ?? null,
      })
    },
    deleteProfile: (hash) => {
      q.deleteProfile.run(hash)
    },
    transaction: <T>(fn: () => T): T => db.transaction(fn).immediate(),
    close: () => {
      if (db.open) db.close()
    },
  }
}
