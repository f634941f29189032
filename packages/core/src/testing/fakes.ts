// What the platform fakes shipped with the connectors (their `/fake` entry points) and the demo deployment use at run
// time. Kept apart from `@conecta/core/testing`, whose contract suites load vitest and msw (optional peers): a user
// running `conecta --demo` or a connector's fake has neither installed.
export { FAKE_CLOCK_START, createFakeClock, type FakeClock, type FakeClockOptions } from './fake-clock.js';
export type { ExpectedLine, ExpectedOrder, MatchedExpectedLine, PlatformFake, UnmatchedExpectedLine } from './platform-fake.js';
export { serveHandler, type FetchHandler } from './serve-handler.js';
