import { serviceEnvironment, type TestServiceName } from "../../../scripts/lib/services.mjs";

/** The TRUTHOUND_TEST_* variables, from process.env and .cache/services.env. */
export async function testServiceEnvironment(): Promise<Record<string, string | undefined>> {
  return serviceEnvironment();
}

/** `env[name]`; undefined (the tests skip) when unset, except under CI=true, where a missing server must fail. */
export function serviceVariable(
  env: Record<string, string | undefined>,
  name: string,
  service: TestServiceName,
): string | undefined {
  const value = env[name] || undefined;
  if (value === undefined && process.env.CI === "true") {
    throw new Error(`${name} is not set under CI=true: run scripts/services/start.sh ${service}`);
  }
  return value;
}
