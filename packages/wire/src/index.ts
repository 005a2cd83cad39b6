// Public face of @chat6/wire: frame types, schemas and their encoding.
export {}
