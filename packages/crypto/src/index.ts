// Public face of @chat6/crypto: key pairs, signatures, session keys and encryption.
export {}
