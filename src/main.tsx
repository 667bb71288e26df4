/**
 * The app page's entry: wires the controller to the real SMART layer and the clinical engine, and
 * renders the panel. The stylesheet is linked from index.html (a file, so the CSP needs no
 * 'unsafe-inline' for styles, in dev as in the build).
 */
import { render } from 'preact';
import { createController } from './app/controller';
import { searchObservationCodes } from './app/codes';
import { AppRoot } from './app/AppRoot';
import { evaluateOffThread } from './app/offthread';
import { warmUp } from './app/warm';
import { engineSettings, siteUnits } from './app/settings';
import { saveUnits, storedUnits } from './app/preferences';
import { preconnectToEhr } from './app/preconnect';
import { CATALOG, evaluate } from './clinical';
// Each SMART module imported by name, so that the launch page's own code (src/smart/config.ts,
// authorize.ts) stays out of the chunk both pages load.
import type { SmartSession } from './smart/types';
import { completeLaunch, launchContext } from './smart/launch';
import { loadRecord, mergeRecords } from './smart/load';
import { storedCapabilities } from './smart/capabilities-store';
import { loadSiteCodes, searchPlan, SITE_CODES_FILE } from './app/site-codes';

// The site's terminology map, beside the app (docs/site-codes.md): read now, while the launch runs.
const siteCodes = loadSiteCodes(new URL(SITE_CODES_FILE, document.baseURI).href);

/**
 * The EHR's look, when the launch names one (smart_style_url): its code is fetched and run only
 * then, while the record loads; the panel never waits for it.
 */
function withEhrStyle(session: SmartSession): SmartSession {
  if (session.tokenResponse.smart_style_url !== undefined) {
    import('./app/ehr-style').then((m) => m.applyEhrStyle(session)).catch(() => console.warn('EHR style: its code could not be loaded'));
  }
  return session;
}

const controller = createController<SmartSession>({
  completeLaunch: () => completeLaunch().then(withEhrStyle),
  launchContext,
  // How the EHR may be searched: what the launch page read from its CapabilityStatement.
  loadRecord: (session, options) => {
    const capabilities = storedCapabilities(session.serverUrl);
    return loadRecord(session, capabilities ? { ...options, capabilities } : options);
  },
  mergeRecords,
  // A heavy record is evaluated in a worker (no long main-thread task); small ones on the page.
  evaluate: (input) => evaluateOffThread(input, evaluate),
  observationCodes: searchObservationCodes(),
  // The site's eGFR equation (VITE_EGFR_EQUATION), with every evaluation, on the page or in the worker.
  settings: engineSettings(),
  searchPlan: () => siteCodes.then(searchPlan),
  // Compile the engine and the view while the first searches are in flight.
  warmUp: () => void warmUp(evaluate, CATALOG),
});

// The EHR's FHIR server, known from the launch state before the token: connect while it is exchanged.
preconnectToEhr();

const root = document.getElementById('app');
if (root) {
  root.textContent = '';
  render(<AppRoot controller={controller} units={storedUnits(siteUnits())} onUnits={saveUnits} />, root);
  void controller.start();
}
