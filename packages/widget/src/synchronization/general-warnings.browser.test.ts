/// <reference types="mocha" />
// A general error recorded as a warning (the host sent text in a language the store has not
// enabled): the event still ends Completed; the icon beside the status is amber and says
// "warnings" when there is no error, red when there are errors too; the dialog marks it.
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { FakeTarget } from '@shopsync/core/testing';
import { category, deep, deepAll, failBad, makeSource, panelOn, products, settle, text, until } from '../test-support/helpers.js';

const LANGUAGE = {
  code: 'language' as const,
  severity: 'warning' as const,
  message: 'The store has not enabled French (fr): 120 texts in it were not written. Enable the language in Shopify (Settings > Languages) or stop sending it.',
};

/** A completed event with the language warning; with a throttling error and failed items too when `withErrors`. */
async function withWarning(withErrors = false) {
  const s = makeSource({}, new FakeTarget(withErrors ? { outcomes: failBad } : {}));
  await s.engine.enqueue([category('C1'), ...products(6), ...(withErrors ? products(2, 'BAD') : [])]);
  s.target.failNextPush(LANGUAGE, { leaveItems: false });
  if (withErrors) s.target.failNextPush({ code: 'throttled', message: 'Throttled: the store asked us to slow down' }, { leaveItems: false });
  const event = await s.engine.start();
  return { ...s, event };
}

describe('general warnings', () => {
  it('a warning alone: Completed, an amber warning icon that says "warnings" and opens the dialog, where it is marked as a warning', async () => {
    const { source, event } = await withWarning();
    expect(event.status).to.equal('completed');
    expect(event.generalErrors.map((g) => g.severity)).to.deep.equal(['warning']);
    const el = await panelOn(source);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completed');
    const sync = deep(el, 'shopsync-synchronization');
    const icon = deep<HTMLButtonElement>(sync, '[part="general-errors-button"]');
    expect(icon.dataset.severity).to.equal('warning');
    expect(icon.getAttribute('aria-label')).to.equal('Show 1 warning');
    const style = getComputedStyle(icon);
    expect([style.color, style.backgroundColor]).to.deep.equal(['rgb(138, 83, 0)', 'rgb(255, 245, 224)'], 'amber, not red');
    expect(deep(icon, 'svg path').getAttribute('d')).to.match(/^m21\.73 18/, 'the warning sign, not the exclamation');

    const note = deep(sync, '[part="warning"]');
    expect(note.dataset.reason).to.equal('warnings');
    expect(text(note)).to.contain('Warnings were recorded during this synchronization: nothing failed');
    expect(text(note)).to.contain('1 warning');
    expect(text(note)).not.to.contain('Errors occurred');
    await expect(el).to.be.accessible();

    icon.focus();
    icon.click();
    const dialog = deep<HTMLDialogElement>(deep(el, 'shopsync-error-dialog'), 'dialog');
    await until(() => dialog.open);
    expect(text(deep(dialog, 'h2'))).to.equal('Synchronization warnings');
    expect(deepAll(dialog, '[part="error"]')).to.have.length(0);
    const warnings = deepAll(dialog, '[part="warning"]');
    expect(warnings).to.have.length(1);
    expect(text(warnings[0]!)).to.match(/^Warning Language not enabled .*Iteration 1 The store has not enabled French \(fr\)/);
    expect(getComputedStyle(deep(warnings[0]!, '.code')).color).to.equal('rgb(138, 83, 0)');
    await expect(el).to.be.accessible();
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open);
    expect(sync.shadowRoot!.activeElement).to.equal(icon, 'focus returns to the icon');
  });

  it('with errors too: the red icon (the seed’s), counted apart, and the dialog lists both with the warning marked', async () => {
    const { source, event } = await withWarning(true);
    expect(event.status).to.equal('completed');
    const el = await panelOn(source);
    const sync = deep(el, 'shopsync-synchronization');
    const icon = deep<HTMLButtonElement>(sync, '[part="general-errors-button"]');
    expect(icon.dataset.severity).to.equal('error');
    expect(icon.getAttribute('aria-label')).to.equal('Show 1 general error and 1 warning');
    expect(getComputedStyle(icon).color).to.equal('rgb(196, 38, 46)');
    const note = deep(sync, '[part="warning"]');
    expect(note.dataset.reason).to.equal('errors');
    expect(text(note)).to.contain('Errors occurred during this synchronization. 1 general error · 1 warning · 2 items failed');

    await (sync as unknown as { showGeneralErrors(): Promise<void> }).showGeneralErrors();
    const dialog = deep<HTMLDialogElement>(deep(el, 'shopsync-error-dialog'), 'dialog');
    expect(text(deep(dialog, 'h2'))).to.equal('General synchronization errors and warnings');
    expect(deepAll(dialog, 'li').map((li) => li.getAttribute('part'))).to.deep.equal(['warning', 'error'], 'in the order recorded');
    expect(text(deep(dialog, '[part="error"]'))).to.contain('Rate limit');
    expect(text(deep(dialog, '[part="error"]'))).not.to.contain('Warning');
    await expect(el).to.be.accessible();
    dialog.close();
  });

  it('the list of sync events counts errors and warnings apart', async () => {
    const { source } = await withWarning();
    const el = await panelOn(source);
    el.tab = 'events';
    await settle(el);
    const row = deep(deep(el, 'shopsync-event-list'), '[part="event"]');
    expect(deepAll(row, '.errors')).to.have.length(0);
    expect(text(deep(row, '.warnings'))).to.equal('1 1 warning');
    await expect(el).to.be.accessible();
  });

  it('Spanish, and the dark theme: the warning’s texts, and colours that pass', async () => {
    const { source } = await withWarning();
    const el = await panelOn(source, 'es', 'dark');
    const sync = deep(el, 'shopsync-synchronization');
    const icon = deep<HTMLButtonElement>(sync, '[part="general-errors-button"]');
    expect(icon.getAttribute('aria-label')).to.equal('Ver 1 advertencia');
    expect(getComputedStyle(icon).color).to.equal('rgb(255, 194, 102)');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('Se registraron advertencias durante esta sincronización');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('1 advertencia');
    await (sync as unknown as { showGeneralErrors(): Promise<void> }).showGeneralErrors();
    const dialog = deep<HTMLDialogElement>(deep(el, 'shopsync-error-dialog'), 'dialog');
    expect(text(deep(dialog, 'h2'))).to.equal('Advertencias de la sincronización');
    expect(text(deep(dialog, '#intro'))).to.match(/^Advertencias de la sincronización en su conjunto: no la detuvieron/);
    expect(text(deep(dialog, '[part="warning"]'))).to.match(/^Advertencia Idioma no activado .*Iteración 1/);
    await expect(el).to.be.accessible();
    dialog.close();
  });
});
