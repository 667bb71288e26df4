import type { ResultValue } from '../../clinical/model';
import { flagText, formatReported, formatValue } from '../format';

/** One result: value with unit, the reported value when converted, and the result's own markers. */
export function ResultText({ result, showFlag }: { result: ResultValue; showFlag?: boolean }) {
  const value = formatValue(result.value, result.unit, result.comparator);
  const reported = formatReported(result);
  const flag = showFlag ? flagText(result.flag) : undefined;
  return (
    <span class="result">
      {value && <span class="value">{value}</span>}
      {reported && <span class="reported"> (reported {reported})</span>}
      {result.derived && (
        <>
          {' '}
          <span class="tag tag-derived" title={result.derivation}>
            calculated
          </span>
          {result.derivation && <span class="derivation">{result.derivation}</span>}
        </>
      )}
      {result.resultStatus && (
        <>
          {' '}
          <span class="tag">{result.resultStatus}</span>
        </>
      )}
      {result.matchedByText && (
        <>
          {' '}
          <span class="tag" title="Recognised by its name in the record, not by a code">
            matched by name
          </span>
        </>
      )}
      {flag && <span class="flag"> · was {flag}</span>}
      {result.text && <span class="result-text">{result.text}</span>}
      {result.problem && <span class="problem">{result.problem}</span>}
    </span>
  );
}
