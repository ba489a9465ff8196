/** API keys for e2e servers: made up for the tests, each spec starts its own servers with them. */
export const ADMIN = 'adm-7c1f0e9a2b4d4f61a3c5e8d7';
export const ALICE = 'ali-5b2e8c1d9f0a4e73b6d2c4a1';
export const BOB = 'bob-0d9e7f3a1c5b4862a7e9f1c3';

/** Server settings that make ADMIN the admin key, and ALICE and BOB the callers `alice` and `bob`. */
export const KEYS_ENV = { ADMIN_API_KEY: ADMIN, API_KEYS: `alice:${ALICE},bob:${BOB}` };

/** The Authorization header that presents `key`. */
export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
