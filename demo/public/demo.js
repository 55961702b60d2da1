// The demo page's controls. Plain ES module: the page allows no inline script (see the server's CSP).
const panel = document.getElementById('panel');
const statusLine = document.getElementById('control-status');
const versionSelect = document.getElementById('api-version');

const say = (text) => {
  statusLine.textContent = text;
};

async function post(action, body = {}) {
  const res = await fetch(`/demo/actions/${action}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
  return data;
}

const LABELS = { supported: 'latest', 'ends-soon': 'support ends soon', deprecated: 'no longer supported' };

async function loadInfo() {
  const res = await fetch('/demo/info');
  const info = await res.json();
  document.getElementById('shop').textContent = info.mode === 'simulator' ? `${info.shopDomain} (the local Shopify simulator)` : info.shopDomain;
  if (info.mode !== 'simulator') document.body.classList.add('store-mode');
  versionSelect.replaceChildren(
    ...info.versions.map((v) => {
      const option = document.createElement('option');
      option.value = v.version;
      option.textContent = `${v.version} (${LABELS[v.status] ?? v.status})`;
      option.title = v.reason;
      option.selected = v.version === info.apiVersion;
      return option;
    }),
  );
}

const handlers = {
  run: () => post('run').then(() => 'A synchronization was started.'),
  changes: () => post('changes', { count: 100 }).then(() => '100 changes were queued; they join the synchronization.'),
  'run-invalid': () => post('run', { credentials: 'invalid' }).then(() => 'A synchronization was started with an access token the store refuses.'),
  'api-version': () => post('api-version', { version: versionSelect.value }).then((r) => `The connector now uses API version ${r.apiVersion}; a synchronization was started.`),
  fault: () => post('fault', { kind: document.getElementById('fault').value }).then((r) => `The store will fail its next requests (${r.injected}).`),
};

for (const button of document.querySelectorAll('button[data-action]')) {
  button.addEventListener('click', () => {
    const run = handlers[button.dataset.action];
    button.disabled = true;
    run()
      .then(say, (err) => say(`That did not work: ${err.message}`))
      .finally(() => {
        button.disabled = false;
      });
  });
}

document.getElementById('locale').addEventListener('change', (e) => {
  panel.locale = e.target.value;
  document.documentElement.lang = e.target.value;
});
document.getElementById('theme').addEventListener('change', (e) => {
  panel.theme = e.target.value;
  if (e.target.value === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = e.target.value;
});

loadInfo().catch((err) => say(`Could not read the demo's settings: ${err.message}`));
