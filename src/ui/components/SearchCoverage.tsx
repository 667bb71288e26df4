import type { Coverage } from '../../clinical/model';
import { searchedWords } from '../../clinical/coverage';

/**
 * What "Missing" can mean on this panel: the lab results were searched for by code, so a result the
 * EHR holds under another code (a laboratory's local code with no site map) was never fetched. Says
 * which codes were searched, and why a site's code map is not in use when one was provided (then
 * shown open: a problem to see). Shown only for a record fetched by code (the app); the words are
 * the clinical core's (coverage.ts).
 */
export function SearchCoverage({ coverage }: { coverage: Coverage | undefined }) {
  if (!coverage || coverage.gathered !== 'code-search') return null;
  return (
    <details class="coverage" open={!!coverage.siteMapProblem}>
      <summary>What “Missing” means here</summary>
      <p data-coverage={coverage.codeSystems.join(' ')} data-site-codes={coverage.siteCodes}>
        Lab results were searched for by code ({searchedWords(coverage)}): a result sent under another code is not
        fetched, so “Missing” means not found under these codes.
        {coverage.siteMapProblem && <> The site’s code map is not in use: {coverage.siteMapProblem}.</>}
      </p>
    </details>
  );
}
