import { useEffect, useRef, useState } from 'preact/hooks';
import type { KeyPrompt } from '../auth';
import { type SignIn, signInOption } from '../oauth';

/**
 * Asks for an API key (or an access token) once; it is kept in this tab's session storage and
 * sent as a Bearer token. When the server is in OAuth mode it also offers to sign in at its
 * authorization server.
 */
export function KeyDialog({ prompt }: { prompt: KeyPrompt }) {
  const [key, setKey] = useState('');
  const [signIn, setSignIn] = useState<SignIn | null>(null);
  const [signInError, setSignInError] = useState<string>();
  useEffect(() => {
    void signInOption().then(setSignIn);
  }, []);
  const input = useRef<HTMLInputElement>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    if (!dialog.current?.open) dialog.current?.showModal();
    input.current?.focus();
  }, []);
  return (
    <dialog
      ref={dialog}
      class="key-dialog"
      aria-labelledby="key-heading"
      onCancel={(e) => {
        e.preventDefault();
        prompt.answer(null);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (key.trim()) prompt.answer(key.trim());
        }}
      >
        <h2 id="key-heading">API key needed</h2>
        <p role="alert" class={prompt.reason === 'rejected' ? 'alert error' : 'alert warn'}>
          {prompt.reason === 'rejected'
            ? `That key was refused (401): ${prompt.message}`
            : `This server asks for a key (401): ${prompt.message}`}
        </p>
        {signIn && (
          <div class="field">
            <button
              type="button"
              class="button primary"
              disabled={!signIn.canRegister}
              onClick={() => signIn.start().catch((e: Error) => setSignInError(e.message))}
            >
              Sign in with {new URL(signIn.issuer).host}
            </button>
            <p class="help">
              {signIn.canRegister
                ? "Authorization code with PKCE at this server's authorization server; or paste an access token below."
                : 'The authorization server offers no dynamic registration: paste an access token below.'}
            </p>
            {signInError && (
              <p role="alert" class="alert error">
                {signInError}
              </p>
            )}
          </div>
        )}
        <div class="field">
          <label for="api-key">API key</label>
          <input
            ref={input}
            id="api-key"
            type="password"
            autoComplete="off"
            value={key}
            onInput={(e) => setKey(e.currentTarget.value)}
            aria-describedby="api-key-help"
          />
          <p class="help" id="api-key-help">
            Kept in this tab only (session storage), sent as <code>Authorization: Bearer</code>. Use
            the admin key to register or change tools.
          </p>
        </div>
        <div class="actions">
          <button type="submit" class="button primary" disabled={!key.trim()}>
            Use this key
          </button>
          <button type="button" class="button" onClick={() => prompt.answer(null)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
