// The client's tunable timers and limits, defaulting to the constants of docs/protocol.md.
import {
  MAX_IN_FLIGHT,
  MAX_PENDING_REQUESTS,
  MAX_REQUEST_AGE,
  REQUEST_BURST,
  REQUEST_REFILL_INTERVAL,
  RETRY_INTERVAL,
} from './constants.ts'

/** Timers and limits, overridable for tests and tuning. */
export interface ClientLimits {
  /** Re-send interval of unconfirmed requests and unacknowledged messages, ms (§10.4, §11). */
  retryInterval: number
  /** A stranger's request whose nonce is further than this from our wall clock is dropped, ms (§10.1). */
  maxRequestAge: number
  /** Most pending incoming requests kept; the oldest is dropped (§10.5). */
  maxPendingRequests: number
  /** Requests one sender may make at once (§10.5). */
  requestBurst: number
  /** One more request per sender every this many ms (§10.5). */
  requestRefillInterval: number
  /** Most MESSAGE_SEND frames unacknowledged per friend (§11.1). */
  maxInFlight: number
}

/** The limits of docs/protocol.md; `createClient({ limits })` overrides any of them. */
export const DEFAULT_LIMITS: ClientLimits = {
  retryInterval: RETRY_INTERVAL,
  maxRequestAge: MAX_REQUEST_AGE,
  maxPendingRequests: MAX_PENDING_REQUESTS,
  requestBurst: REQUEST_BURST,
  requestRefillInterval: REQUEST_REFILL_INTERVAL,
  maxInFlight: MAX_IN_FLIGHT,
}
