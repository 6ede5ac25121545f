// What the in-browser unit tests (`packages/*/test-browser/*.test.ts`, run by @web/test-runner) share:
// mocha's globals, typed, and vitest's own `expect` (jest-style matchers on chai), so an assertion reads
// the same in a browser test as beside it in a vitest one.

import { JestAsymmetricMatchers, JestChaiExpect, JestExtend } from "@vitest/expect";
import * as chai from "chai";
import type { ExpectStatic } from "vitest";

chai.use(JestExtend);
chai.use(JestChaiExpect);
chai.use(JestAsymmetricMatchers);

export const expect = ((value: unknown, message?: string) =>
  chai.expect(value, message)) as unknown as ExpectStatic;

type Block = () => void | Promise<void>;
interface Mocha {
  describe(name: string, block: () => void): void;
  it(name: string, block: Block): void;
  before(block: Block): void;
  after(block: Block): void;
  beforeEach(block: Block): void;
  afterEach(block: Block): void;
}

/** Mocha's globals, which @web/test-runner defines before a test file runs. */
export const { describe, it, before, after, beforeEach, afterEach } = globalThis as unknown as Mocha;

/** Retries `assertion` until it passes or `timeoutMs` is over (then its last failure is thrown). */
export async function eventually(assertion: () => unknown, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
