export { type DemoArgs, parseDemoArgs, USAGE, UsageError } from "./args.js";
export * from "./fixtures.js";
export { type DemoOptions, type DemoReport, runDemo } from "./run-demo.js";
