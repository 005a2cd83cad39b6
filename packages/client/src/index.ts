// Public face of @chat6/client: identity, friends, sessions and messages.
export {}
