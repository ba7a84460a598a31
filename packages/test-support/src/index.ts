export * from "./interop-expectations.js";
export * from "./python-interop.js";
export * from "./python-script.js";
export * from "./truthound-python.js";
export * from "./writer-processes.js";
export * from "./writer-spec.js";
