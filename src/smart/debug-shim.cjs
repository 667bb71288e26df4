/**
 * Stands in for the `debug` package inside fhirclient's browser bundle (alias `debug` to this file
 * in vite.config.ts). fhirclient's debug output (enabled by `localStorage.debug`) prints token
 * responses, launch state and request URLs: in a clinical app, credentials and patient data in the
 * console. With the shim every logger is a no-op whatever localStorage says, and the package (with
 * `ms` and its colour tables) leaves the bundle.
 *
 * CommonJS on purpose: fhirclient calls `require("debug")("FHIR")` with no default-export interop,
 * which works in both Rollup (build) and esbuild (Vite's dev pre-bundling) only when the module
 * itself is the function.
 */
'use strict';

function createDebug() {
  const logger = function () {};
  logger.extend = createDebug;
  logger.enabled = false;
  return logger;
}

module.exports = createDebug;
module.exports.default = createDebug;
