/**
 * Polls `check` until it answers true or `timeoutMs` pass, then asks once more, so an answer that
 * comes just in time still counts. For state that other processes or batches change soon after.
 */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs = 10_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}
