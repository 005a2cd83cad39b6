// View models of the chat screen for renderer tests.
import { emptyEditor } from '../../src/tui/editor.ts'
import type { ChatView, FriendItem } from '../../src/tui/render.ts'

/** A friend in the left pane: bob, online, unless `over` says otherwise. */
export const friendItem = (over: Partial<FriendItem> = {}): FriendItem => ({
  id: 'b',
  name: 'bob',
  shortHash: 'bbbb0000',
  online: true,
  status: 'friend',
  availability: 'online',
  note: undefined,
  typing: false,
  unread: 0,
  verified: false,
  keyChanged: false,
  ...over,
})

/** alice's screen with nobody in it, unless `over` says otherwise. */
export const chatView = (over: Partial<ChatView> = {}): ChatView => ({
  me: { nickname: 'alice', shortHash: 'a1b2c3d4', availability: 'online', note: undefined },
  network: '1 peer',
  friends: [],
  requests: [],
  selected: undefined,
  lines: [],
  scroll: 0,
  notice: undefined,
  input: emptyEditor(),
  maxBytes: 32_768,
  ascii: false,
  color: false,
  ...over,
})
