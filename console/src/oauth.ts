import { setKey } from './auth';

/**
 * Sign-in with the server's authorization server (OAuth 2.1 authorization code with PKCE), when
 * the server is in OAuth mode: its protected-resource metadata names the issuer, the issuer's
 * metadata names its endpoints, and the console registers itself there (dynamic client
 * registration) as a public client whose redirect URI is this console. The access token is
 * kept like an API key: in this tab's session storage only.
 */

/** The console's own URL without query or hash: where the issuer sends the user back. */
const redirectUri = `${window.location.origin}${window.location.pathname}`;
const apiBase = new URL('../', window.location.href);
const FLOW_KEY = 'mcp-console.oauth-flow';
const CLIENT_KEY = 'mcp-console.oauth-client';
const SCOPES = 'tools:read tools:call tools:admin';

interface IssuerMetadata {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  registration_endpoint?: string;
}

/** What the console remembers between leaving for the issuer and coming back. */
interface Flow {
  state: string;
  verifier: string;
  clientId: string;
  tokenEndpoint: string;
  resource: string;
}

export interface SignIn {
  issuer: string;
  /** Whether the console can register itself there (otherwise only a pasted token works). */
  canRegister: boolean;
  /** Leaves for the issuer's sign-in page. */
  start(): Promise<void>;
}

let found: Promise<SignIn | null> | undefined;

/** How to sign in on this server, or null when it takes API keys only (no OAuth metadata). */
export function signInOption(): Promise<SignIn | null> {
  found ??= discover().catch(() => null);
  return found;
}

async function discover(): Promise<SignIn | null> {
  const res = await fetch(new URL('.well-known/oauth-protected-resource', apiBase));
  if (!res.ok) return null;
  const prm = (await res.json()) as { resource: string; authorization_servers?: string[] };
  const issuer = prm.authorization_servers?.[0];
  if (!issuer) return null;
  const metadata = await issuerMetadata(issuer);
  return {
    issuer,
    canRegister: Boolean(metadata.registration_endpoint),
    start: () => start(metadata, prm.resource),
  };
}

/** RFC 8414 metadata, else OpenID discovery, as the MCP specification orders them. */
async function issuerMetadata(issuer: string): Promise<IssuerMetadata> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/$/, '');
  for (const candidate of [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}${path}/.well-known/openid-configuration`,
  ]) {
    const res = await fetch(candidate).catch(() => undefined);
    if (res?.ok) {
      const metadata = (await res.json()) as IssuerMetadata;
      if (metadata.issuer === issuer) return metadata;
    }
  }
  throw new Error(`no metadata found for ${issuer}`);
}

/** Registers the console once per issuer (kept across tabs: a client id is not a secret). */
async function clientId(metadata: IssuerMetadata): Promise<string> {
  const key = `${CLIENT_KEY}:${metadata.issuer}:${redirectUri}`;
  const known = window.localStorage.getItem(key);
  if (known) return known;
  if (!metadata.registration_endpoint) {
    throw new Error('the issuer offers no dynamic client registration: paste an access token');
  }
  const res = await fetch(metadata.registration_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: `MCP console (${window.location.host})`,
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
      scope: SCOPES,
    }),
  });
  if (!res.ok) throw new Error(`registration at the issuer failed (${res.status})`);
  const { client_id } = (await res.json()) as { client_id: string };
  window.localStorage.setItem(key, client_id);
  return client_id;
}

async function start(metadata: IssuerMetadata, resource: string): Promise<void> {
  const flow: Flow = {
    state: randomText(),
    verifier: randomText(),
    clientId: await clientId(metadata),
    tokenEndpoint: metadata.token_endpoint,
    resource,
  };
  window.sessionStorage.setItem(FLOW_KEY, JSON.stringify(flow));
  const url = new URL(metadata.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: flow.clientId,
    redirect_uri: redirectUri,
    scope: SCOPES,
    state: flow.state,
    code_challenge: await challengeOf(flow.verifier),
    code_challenge_method: 'S256',
    resource,
  }).toString();
  window.location.assign(url);
}

/**
 * On the way back from the issuer (`?code=...&state=...`): trades the code for an access
 * token with the PKCE verifier and keeps it. Resolves to an error message, or null.
 */
export async function completeSignIn(): Promise<string | null> {
  const params = new URLSearchParams(window.location.search);
  const code = params.get('code');
  const returned = params.get('state');
  if (!code && !params.get('error')) return null;
  const saved = window.sessionStorage.getItem(FLOW_KEY);
  window.sessionStorage.removeItem(FLOW_KEY);
  // The query is the issuer's answer, for this one use: gone from the address bar and history.
  window.history.replaceState(null, '', `${redirectUri}${window.location.hash}`);
  const flow = saved ? (JSON.parse(saved) as Flow) : undefined;
  if (!flow || flow.state !== returned) return 'Sign-in answer not expected here: try again';
  if (!code) return `Sign-in refused: ${params.get('error')}`;
  const res = await fetch(flow.tokenEndpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      client_id: flow.clientId,
      code_verifier: flow.verifier,
      resource: flow.resource,
    }),
  }).catch(() => undefined);
  const body = res ? ((await res.json().catch(() => ({}))) as { access_token?: string }) : {};
  if (!res?.ok || !body.access_token)
    return `The issuer gave no token (${res?.status ?? 'no answer'})`;
  setKey(body.access_token);
  return null;
}

function randomText(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}
