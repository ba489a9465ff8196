import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from './api';
import { clearKey, getKey, type KeyPrompt, onKeyChange, onKeyPrompt } from './auth';
import { KeyDialog } from './components/key-dialog';
import { ServerPanel } from './components/server-panel';
import { ToolForm } from './components/tool-form';
import { ToolsPanel } from './components/tools-panel';
import { Badge } from './components/ui';
import { CatalogueContext, usePoll, useCatalogueSource } from './live';
import { completeSignIn } from './oauth';
import { EditPage, ToolPage } from './pages/tool-page';
import { href, type Route, useRoute } from './router';
import type { Health, Info } from './types';

const SERVER_POLL_MS = 10000;

function useServer(): { info?: Info; health?: Health } {
  const [info, setInfo] = useState<Info>();
  const [health, setHealth] = useState<Health>();
  usePoll(async () => {
    const [i, h] = await Promise.allSettled([
      request<Info>('GET', '/info'),
      // 503 still carries the health document.
      request<Health>('GET', '/health', { accept: [503] }),
    ]);
    if (i.status === 'fulfilled') setInfo(i.value.body);
    setHealth(h.status === 'fulfilled' ? h.value.body : undefined);
  }, SERVER_POLL_MS);
  return { info, health };
}

function Page({
  route,
  info,
  health,
  hasKey,
}: {
  route: Route;
  info?: Info;
  health?: Health;
  hasKey: boolean;
}) {
  switch (route.page) {
    case 'home':
      return (
        <>
          <h1 class="visually-hidden">{info ? `${info.server} console` : 'Console'}</h1>
          <ServerPanel info={info} health={health} keyInUse={hasKey} />
          <ToolsPanel />
        </>
      );
    case 'tool':
      return <ToolPage name={route.name} />;
    case 'edit':
      return <EditPage name={route.name} />;
    case 'new':
      return <ToolForm />;
  }
}

export function App() {
  const route = useRoute();
  const catalogue = useCatalogueSource();
  const { info, health } = useServer();
  const [prompt, setPrompt] = useState<KeyPrompt | null>(null);
  const [hasKey, setHasKey] = useState(Boolean(getKey()));
  const main = useRef<HTMLElement>(null);
  const firstRoute = useRef(true);

  const [signInError, setSignInError] = useState<string | null>(null);

  useEffect(() => {
    onKeyPrompt(setPrompt);
    void completeSignIn().then(setSignInError);
    return onKeyChange(() => setHasKey(Boolean(getKey())));
  }, []);

  useEffect(() => {
    if (info) document.title = `${info.server} · MCP console`;
  }, [info]);

  // After in-app navigation, move focus to the new page so screen readers announce it.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false;
      return;
    }
    window.scrollTo(0, 0);
    main.current?.focus();
  }, [route]);

  return (
    <CatalogueContext.Provider value={catalogue}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href({ page: 'home' })}>
          <span class="logo" aria-hidden="true">
            M
          </span>
          <span>
            {info ? info.server : 'MCP server'}
            {info && <span class="id"> {info.id}</span>}
          </span>
        </a>
        <nav aria-label="Console">
          {health && (
            <Badge tone={health.status === 'healthy' ? 'ok' : 'bad'}>
              <span class="visually-hidden">Health: </span>
              {health.status}
            </Badge>
          )}
          <a href="../docs">API docs</a>
          {hasKey && (
            <button type="button" class="button small" onClick={clearKey}>
              Forget key
            </button>
          )}
        </nav>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        {signInError && (
          <p role="alert" class="alert error">
            {signInError}
          </p>
        )}
        <Page route={route} info={info} health={health} hasKey={hasKey} />
      </main>
      {prompt && <KeyDialog prompt={prompt} />}
    </CatalogueContext.Provider>
  );
}
