/**
 * `node:test` in the browser: the few calls our portable suites use, mapped onto mocha (which
 * @web/test-runner provides as globals). Test bodies are wrapped so that mocha never mistakes
 * an argument for its `done` callback.
 */
type Body = () => unknown;
interface MochaGlobals {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => unknown): void;
  before(fn: () => unknown): void;
  after(fn: () => unknown): void;
  beforeEach(fn: () => unknown): void;
  afterEach(fn: () => unknown): void;
}
const mocha = globalThis as unknown as MochaGlobals;

export const describe = (name: string, fn: () => void): void => mocha.describe(name, fn);
export const it = (name: string, fn: Body): void => mocha.it(name, () => fn());
export const test = it;
export const before = (fn: Body): void => mocha.before(() => fn());
export const after = (fn: Body): void => mocha.after(() => fn());
export const beforeEach = (fn: Body): void => mocha.beforeEach(() => fn());
export const afterEach = (fn: Body): void => mocha.afterEach(() => fn());
