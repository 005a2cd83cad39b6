// Public face of @chat6/client: a chat6 user or bot. Identity, friends, forward-secret
// sessions and messages that are stored before they are sent or acknowledged.
export type {
  Availability,
  CallOptions,
  Client,
  ClientEvents,
  Friend,
  FriendRef,
  FriendRequest,
  HistoryOptions,
  Message,
  MessageRef,
  Receipt,
  SendOptions,
  Status,
  StatusUpdate,
  StopOptions,
} from './api.ts'
export type { Clock, TimerId } from './clock.ts'
export * from './constants.ts'
export { type ClientOptions, createClient } from './create.ts'
export {
  ClientError,
  type ClientErrorCode,
  StoreError,
  type StoreErrorCode,
} from './errors.ts'
export type { TypedEvents } from './events.ts'
export type { ClientLimits } from './limits.ts'
export type {
  Attach,
  LinkHandlers,
  NodeLink,
  PresenceChange,
  PresenceInfo,
  SendResult,
} from './link.ts'
export { attachTo } from './node-link.ts'
export type { SafetyNumber } from './protocol.ts'
export { createMemoryStore } from './store/memory.ts'
export { createSqliteStore, SCHEMA_VERSION, type SqliteStoreOptions } from './store/sqlite.ts'
export type {
  BlockedRecord,
  FriendProfile,
  FriendRecord,
  HistoryQuery,
  IdentityRecord,
  MessageRecord,
  MessageState,
  NewMessage,
  OutboxQuery,
  PendingReadRecord,
  ProfileRecord,
  RequestRecord,
  Store,
  StoredMessageRef,
} from './store/types.ts'
export { isChatMtype } from './store/types.ts'
