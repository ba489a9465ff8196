import { distance } from 'fastest-levenshtein';
import type { Environment } from './validate-environment.js';

/** An environment variable nobody reads that looks like one of ours, and the name probably meant. */
export interface UnknownVariable {
  name: string;
  closest: string;
}

/**
 * Variables that Node, OpenSSL or libuv read in every process, set by the system or on purpose:
 * never taken for a misspelling of ours (SSL_CERT_FILE is not a slip of TLS_CERT_FILE).
 */
const READ_BY_THE_RUNTIME = new Set([
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'NODE_TLS_REJECT_UNAUTHORIZED',
  'UV_THREADPOOL_SIZE',
]);

/** Words of a name: `MAX_BODY_SIZE` → `MAX`, `BODY`, `SIZE`. */
function words(name: string): string[] {
  return name.split('_').filter(Boolean);
}

/** Same word, or one slip apart in a word long enough for a slip to be told from another word. */
function sameWord(a: string, b: string): boolean {
  return a === b || (Math.min(a.length, b.length) >= 5 && distance(a, b) <= 1);
}

/**
 * How far `name` is from `known`, or undefined when they do not look alike. Alike means a slip
 * of the keyboard in the whole name (DATBASE_URL, API_KEY) or the same words but at most one
 * missing, one extra or one other (SHUTDOWN_GRACE_MS_MAX for SHUTDOWN_GRACE_MS,
 * RATE_LIMIT_PER_MIN for RATE_LIMIT_PER_MINUTE, MAX_BODY_SIZE for MAX_BODY_BYTES): at least
 * two shared words, one of them longer than a letter.
 */
function likeness(name: string, known: string): number | undefined {
  const typo = distance(name, known);
  // One slip per eight letters: in a name of a dozen letters, two changed ones make another name.
  if (typo <= Math.max(1, Math.floor(known.length / 8))) return typo;
  const mine = words(name);
  const theirs = words(known);
  const shared = theirs.filter((w) => mine.some((m) => sameWord(m, w)));
  const missing = theirs.length - shared.length;
  const extra = mine.filter((m) => !theirs.some((w) => sameWord(m, w))).length;
  if (shared.length < 2 || !shared.some((w) => w.length > 1)) return undefined;
  if (missing > 1 || extra > 1) return undefined;
  // After every plain slip, and a missing word counts for more than an extra one.
  return 10 + missing * 2 + extra;
}

/**
 * The variables of `env` that no server reads but that look like one it does, each with the
 * closest known name: a misspelt setting is otherwise ignored in silence. Only upper-case names
 * are looked at (the shell's and npm's own are lower-case or unlike ours), and a lower-case
 * spelling of a known name is reported as such.
 */
export function unknownVariables(env: Environment, known: Iterable<string>): UnknownVariable[] {
  const names = new Set(known);
  const found: UnknownVariable[] = [];
  for (const name of Object.keys(env).sort()) {
    if (names.has(name) || READ_BY_THE_RUNTIME.has(name)) continue;
    if (names.has(name.toUpperCase())) {
      found.push({ name, closest: name.toUpperCase() });
      continue;
    }
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) continue;
    let best: { known: string; score: number } | undefined;
    for (const candidate of names) {
      const score = likeness(name, candidate);
      if (score !== undefined && (!best || score < best.score)) best = { known: candidate, score };
    }
    if (best) found.push({ name, closest: best.known });
  }
  return found;
}

/** The warning printed at start for one {@link UnknownVariable}. */
export function unknownVariableWarning({ name, closest }: UnknownVariable): string {
  return `${name} is set but no server reads it: did you mean ${closest}?`;
}
