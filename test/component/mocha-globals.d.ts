// The subset of mocha's BDD globals the component tests use; Web Test Runner provides them at runtime.
type MochaDone = (error?: unknown) => void;
type MochaHook = (this: unknown) => void | Promise<unknown>;
type MochaTest = ((this: unknown) => void | Promise<unknown>) | ((this: unknown, done: MochaDone) => void);

declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: MochaTest): void;
declare namespace it {
  function skip(title: string, body?: MochaTest): void;
}
declare function before(body: MochaHook): void;
declare function after(body: MochaHook): void;
declare function beforeEach(body: MochaHook): void;
declare function afterEach(body: MochaHook): void;
