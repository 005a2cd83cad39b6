// Public face of @chat6/cli; the `chat6` command itself starts in bin.ts.
export {}
