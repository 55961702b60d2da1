// Shared by the browser benchmarks: bundles a page module with esbuild (workspace packages from
// their sources), serves it on 127.0.0.1, and launches Debian's Chromium (puppeteer-core; never a
// downloaded browser).
import { createServer } from 'node:http';
import { build } from 'esbuild';
import puppeteer from 'puppeteer-core';
import { CHROMIUM_ARGS } from '../web-test-runner.config.mjs';

/** Serves `entry` (bundled) as /bench.js under a page whose <body> has `bodyStyle`. Returns its URL and a `close`. */
export async function servePage(entry, { title = 'bench', bodyStyle = '', tsconfigRaw } = {}) {
  const page = await build({ entryPoints: [entry], bundle: true, format: 'esm', write: false, minify: true, conditions: ['source'], platform: 'browser', target: 'es2022', tsconfigRaw });
  const js = page.outputFiles[0].text;
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(js);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><html lang="en"><title>${title}</title><body style="${bodyStyle}"><script type="module" src="/bench.js"></script>`);
    }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

export function launchChromium() {
  return puppeteer.launch({ executablePath: process.env.CHROME_PATH || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
}
