// Test support (excluded from the build): whether the storage's fast paths are on in this test run
// (`PORTICO_FAST_PATHS=0` runs every call through the Kysely path).
export const FAST_PATHS = process.env.PORTICO_FAST_PATHS !== "0";
