/// <reference types="mocha" />
import { expect } from '@open-wc/testing';
import { completedClean, completedWithErrors, deep, deepAll, panelOn, settle, text } from '../test-support/helpers.js';

describe('languages', () => {
  it('Spanish: messages, dates and numbers', async () => {
    const { source, event } = await completedWithErrors();
    const el = await panelOn(source, 'es');
    expect(text(deep(el, 'h2'))).to.equal('Registro de actividad');
    expect(deepAll(el, '[role="tab"]').map((t) => text(t))).to.deep.equal(['Sincronización', 'Estado de sincronización de elementos', 'Eventos de sincronización']);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completado');
    const sync = deep(el, 'shopsync-synchronization');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('Se produjeron errores durante esta sincronización.');
    expect(text(deep(sync, '[part="warning"]'))).to.contain('2 elementos con error');
    expect(deep(sync, '[part="general-errors-button"]').getAttribute('aria-label')).to.equal('Ver 1 error general');
    const when = new Intl.DateTimeFormat('es', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(event.startedAt));
    expect(text(deep(sync, 'time'))).to.equal(when);
    expect(text(deep(el, '[part="parameters"]'))).to.contain('Idioma español (es)');
    await expect(el).to.be.accessible();
  });

  it('switching the locale property re-renders every part; the lang attribute works too', async () => {
    const { source, event } = await completedClean();
    const el = await panelOn(source, 'es');
    el.locale = 'en';
    await settle(el);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completed');
    el.locale = '';
    el.setAttribute('lang', 'es-MX');
    await settle(el);
    expect(text(deep(el, 'shopsync-status-badge'))).to.equal('Completado');
    // Dates follow the whole tag (es-MX), messages its language (es).
    const mx = new Intl.DateTimeFormat('es-MX', { dateStyle: 'medium', timeStyle: 'medium' }).format(new Date(event.startedAt));
    expect(text(deep(deep(el, 'shopsync-synchronization'), 'time'))).to.equal(mx);
    expect(text(deep(el, 'h2'))).to.equal('Registro de actividad');
  });
});
