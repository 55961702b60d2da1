// Commands a browser test may ask the test runner to perform in the browser it runs in,
// through Chrome DevTools Protocol (`executeServerCommand` from '@web/test-runner-commands').
//   storage-quota { quotaBytes | null }: overrides the page origin's storage quota (null: reset),
//   so that a test meets a real QuotaExceededError. The override lives as long as the CDP
//   session that set it, so the session is kept until the quota is reset.

export function serverCommands() {
  const sessions = new Map();
  return {
    name: 'shopsync-server-commands',
    async executeCommand({ command, payload, session }) {
      if (command !== 'storage-quota') return undefined;
      const page = session.browser.getPage(session.id);
      const origin = new URL(page.url()).origin;
      let cdp = sessions.get(session.id);
      if (!cdp) {
        cdp = await page.createCDPSession();
        sessions.set(session.id, cdp);
      }
      if (payload?.quotaBytes === null || payload?.quotaBytes === undefined) {
        await cdp.send('Storage.overrideQuotaForOrigin', { origin });
        await cdp.detach();
        sessions.delete(session.id);
      } else {
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: payload.quotaBytes });
      }
      return true;
    },
  };
}
