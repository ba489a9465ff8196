import { useEffect, useState } from 'preact/hooks';

/** Hash routes: the server only has to serve one index.html, and links work offline. */
export type Route =
  | { page: 'home' }
  | { page: 'tool'; name: string }
  | { page: 'new' }
  | { page: 'edit'; name: string };

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const [first, second, third] = path.split('/').map((s) => decodeURIComponent(s));
  if (first === 'new') return { page: 'new' };
  if (first === 'tools' && second) {
    return third === 'edit' ? { page: 'edit', name: second } : { page: 'tool', name: second };
  }
  return { page: 'home' };
}

export function href(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'new':
      return '#/new';
    case 'tool':
      return `#/tools/${encodeURIComponent(route.name)}`;
    case 'edit':
      return `#/tools/${encodeURIComponent(route.name)}/edit`;
  }
}

export function navigate(route: Route): void {
  window.location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
