import { rmSync } from 'node:fs';

export default async function globalTeardown() {
  const state = globalThis.__E2E_PG__;
  if (!state) return;
  await state.handle.stop();
  rmSync(state.dataDir, { recursive: true, force: true });
}
