/** The console's entry: read the runtime configuration, finish a sign-in when coming back from the provider, render. */
import { createRoot } from 'react-dom/client';
import { App } from './app.js';
import { callbackPath, finishSignIn, userManager } from './auth.js';
import { loadConfig } from './config.js';
import { claimTab } from './tab-owner.js';

async function start(): Promise<void> {
  const root = createRoot(document.getElementById('root') as HTMLElement);
  const config = await loadConfig();
  const manager = userManager(config);
  if (window.location.pathname === callbackPath) {
    const returnTo = await finishSignIn(manager).catch(() => '#/');
    window.history.replaceState(null, '', `/${returnTo}`);
  }
  const user = await manager.getUser();
  // Before the first render reads a draft: someone else's are gone (the cache is new with the page).
  claimTab(user?.profile.sub);
  root.render(<App config={config} manager={manager} user={user} />);
}

start().catch((error: unknown) => {
  const root = document.getElementById('root') as HTMLElement;
  root.textContent = `控制台无法启动 / The console cannot start: ${String(error)}`;
});
