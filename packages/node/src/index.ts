// Public face of @chat6/node: the relay node that carries frames for clients.
export {}
