export { FAKE_APPLICATION_TOKEN, FAKE_COMPANY_TOKEN, createMercosFake, type MercosFake, type MercosFakeOptions } from './fake.js';
export type { ThrottleViolation } from './throttle.js';
