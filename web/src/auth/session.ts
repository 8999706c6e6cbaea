// The signed-in session of the web app: OAuth 2 authorization code + PKCE against the server's OpenIddict endpoints
// (public client "radbridge-web", redirect {origin}/callback), tokens kept in sessionStorage so a tab's session ends
// with the tab and never leaks to another user of a shared clinic PC.
//
// Contract shared by every part of the app (and by browser tests, which may put a token obtained with the password
// grant under STORAGE_KEY before the page loads):
//   sessionStorage["radbridge.auth"] = {"accessToken": "...", "refreshToken": "..."?, "expiresAt": <epoch ms>}

export const STORAGE_KEY = 'radbridge.auth';
const PKCE_KEY = 'radbridge.pkce';
const CLIENT_ID = 'radbridge-web';
const SCOPES = 'openid profile offline_access';

export interface StoredSession {
  accessToken: string;
  refreshToken?: string;
  expiresAt: number;
}

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in?: number;
}

function redirectUri(): string {
  return `${location.origin}/callback`;
}

function read(): StoredSession | null {
  const raw = sessionStorage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const s = JSON.parse(raw) as StoredSession;
    return typeof s.accessToken === 'string' && typeof s.expiresAt === 'number' ? s : null;
  } catch {
    return null;
  }
}

function store(t: TokenResponse): StoredSession {
  const s: StoredSession = {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000,
  };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(s));
  return s;
}

export function isSignedIn(): boolean {
  return read() !== null;
}

async function tokenRequest(body: Record<string, string>): Promise<TokenResponse> {
  const r = await fetch('/connect/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  const json = (await r.json().catch(() => ({}))) as TokenResponse & { error_description?: string; error?: string };
  if (!r.ok) throw new Error(json.error_description ?? json.error ?? `token endpoint answered ${r.status}`);
  return json;
}

let refreshing: Promise<StoredSession | null> | null = null;

/** A valid access token, refreshed a minute before it expires; null when signed out. */
export async function getAccessToken(): Promise<string | null> {
  const s = read();
  if (!s) return null;
  if (s.expiresAt - Date.now() > 60_000) return s.accessToken;
  if (!s.refreshToken) return s.expiresAt > Date.now() ? s.accessToken : null;
  refreshing ??= tokenRequest({ grant_type: 'refresh_token', refresh_token: s.refreshToken, client_id: CLIENT_ID })
    .then(store)
    .catch(() => {
      sessionStorage.removeItem(STORAGE_KEY);
      return null;
    })
    .finally(() => {
      refreshing = null;
    });
  return (await refreshing)?.accessToken ?? null;
}

/** fetch with the bearer token; a 401 ends the session (the app then shows the sign-in page). */
export async function authFetch(input: string, init: RequestInit = {}): Promise<Response> {
  const token = await getAccessToken();
  const headers = new Headers(init.headers);
  if (token) headers.set('Authorization', `Bearer ${token}`);
  const r = await fetch(input, { ...init, headers });
  if (r.status === 401) {
    sessionStorage.removeItem(STORAGE_KEY);
    window.dispatchEvent(new Event('radbridge:signed-out'));
  }
  return r;
}

function base64Url(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Starts the sign-in: to the server's login page, which comes back to /callback with a code. */
export async function signIn(returnTo: string = location.pathname + location.search): Promise<void> {
  const verifier = base64Url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = base64Url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, returnTo }));
  const q = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: SCOPES,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`/connect/authorize?${q.toString()}`);
}

/** Completes the sign-in on /callback; returns where to go next. */
export async function completeSignIn(search: string): Promise<string> {
  const params = new URLSearchParams(search);
  const pending = JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as { verifier: string; state: string; returnTo: string } | null;
  sessionStorage.removeItem(PKCE_KEY);
  const error = params.get('error_description') ?? params.get('error');
  if (error) throw new Error(error);
  if (!pending || params.get('state') !== pending.state) throw new Error('sign-in state does not match; start again');
  const code = params.get('code');
  if (!code) throw new Error('the server sent no authorization code');
  store(await tokenRequest({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri(),
    client_id: CLIENT_ID,
    code_verifier: pending.verifier,
  }));
  return pending.returnTo && pending.returnTo !== '/callback' ? pending.returnTo : '/';
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
  window.dispatchEvent(new Event('radbridge:signed-out'));
}
