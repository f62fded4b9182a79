// Client-side routes on the History API. The gateway answers every console path with index.html, so a deep link
// (/chat/conv_123, /billing/success) loads the app, which then renders the page for that path.

const routes = [];
let renderRoute = () => {};

/**
 * Declares a page. `pattern` is a path with :params ('/chat/:id'); `load` imports the page module (loaded on first
 * use, so the chat page does not wait for the chart library); `options.public` pages need no sign-in.
 */
export function route(pattern, load, options = {}) {
  const names = [];
  const regex = new RegExp(`^${pattern.replace(/:([a-zA-Z]+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  })}/?$`);
  routes.push({pattern, regex, names, load, ...options});
}

export function match(path) {
  for (const r of routes) {
    const m = r.regex.exec(path);
    if (m) {
      const params = Object.fromEntries(r.names.map((name, i) => [name, decodeURIComponent(m[i + 1])]));
      return {route: r, params};
    }
  }
  return null;
}

export function navigate(to, {replace = false} = {}) {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  renderRoute();
}

/** Starts routing: renders the current URL, then follows back/forward and same-origin link clicks. */
export function start(render) {
  renderRoute = render;
  window.addEventListener('popstate', () => renderRoute());
  document.addEventListener('click', event => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest('a[href]');
    if (!link || link.target || link.hasAttribute('download') || link.origin !== location.origin) return;
    if (!match(link.pathname)) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
  renderRoute();
}
