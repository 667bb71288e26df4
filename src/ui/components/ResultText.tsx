import type { ResultValue } from '../../clinical/model';
import { flagText, formatReported, formatValue } from '../format';

/** One result: value with unit, the reported value when converted, and the result's own markers. */
/**
 * Decision: the reported value is shown when the engine converted it. When the number is the same
 * (the unit was only spelled differently, "mmol/(24.h)" for "mmol/24h"), repeating it is noise.
 */
function wasConverted(r: ResultValue): boolean {
  if (!r.reported) return false;
  if (typeof r.value === 'number' && typeof r.reported.value === 'number') return Math.abs(r.value - r.reported.value) > 1e-9;
  return r.reported.value !== r.value || r.reported.unit !== r.unit;
}

/** The result text (conclusion, organism) unless it only repeats the value. */
function extraText(r: ResultValue, value: string | undefined): string | undefined {
  const t = r.text?.trim();
  if (!t) return undefined;
  if (value && value.toLowerCase().includes(t.toLowerCase())) return undefined;
  return t;
}

export function ResultText({ result, showFlag }: { result: ResultValue; showFlag?: boolean }) {
  const value = formatValue(result.value, result.unit, result.comparator);
  const reported = wasConverted(result) ? formatReported(result) : undefined;
  const flag = showFlag ? flagText(result.flag) : undefined;
  const text = extraText(result, value);
  // Long qualitative values (a report conclusion) read as prose, not as a bold number.
  const prose = typeof result.value === 'string' && result.value.length > 40;
  return (
    <span class="result">
      {value && <span class={prose ? 'value value-prose' : 'value'}>{value}</span>}
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
      {text && <span class="result-text">{text}</span>}
      {result.problem && <span class="problem">{result.problem}</span>}
    </span>
  );
}
