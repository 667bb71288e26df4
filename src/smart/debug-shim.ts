/**
 * Stands in for the `debug` package inside fhirclient's browser bundle (aliased in vite.config.ts).
 * fhirclient's debug output (enabled by `localStorage.debug`) prints token responses, state and
 * request URLs: in a clinical app that is patient data and credentials in the console. The shim
 * makes every logger a no-op, whatever localStorage says, and drops the package (and its colour
 * tables) from the bundle.
 */
type Logger = ((...args: unknown[]) => void) & { extend: (namespace: string) => Logger; enabled: boolean };

function createDebug(): Logger {
  const logger = (() => undefined) as unknown as Logger;
  logger.extend = () => createDebug();
  logger.enabled = false;
  return logger;
}

export default createDebug;
