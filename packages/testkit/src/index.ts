// Public face of @chat6/testkit: in-memory mesh, virtual clock and fixtures for tests.
export {}
