// Repository functions for this area are added by its owner; see packages/db/src/index.ts.
export {};
