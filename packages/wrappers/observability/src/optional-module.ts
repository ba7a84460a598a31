import { StoreConfigurationError } from "@truthound/store-core";

/**
 * Imports an optional peer dependency only when a feature that needs it is configured; a missing package is
 * a CONFIGURATION error that says what to install.
 */
export async function importOptional<M>(name: string, feature: string): Promise<M> {
  try {
    return (await import(name)) as M;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ERR_MODULE_NOT_FOUND" || code === "MODULE_NOT_FOUND") {
      throw new StoreConfigurationError(
        `${feature} needs the optional package '${name}': install it next to @truthound/store-observability`,
        {
          cause: error,
          details: { package: name },
        },
      );
    }
    throw error;
  }
}
