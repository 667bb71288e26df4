import { formatReported, formatResult } from '../../clinical/display';
import type { ResultValue, UnitSystem } from '../../clinical/model';
import { flagText } from '../format';

/** The result text (conclusion, organism) unless it only repeats the value. */
function extraText(r: ResultValue, value: string | undefined): string | undefined {
  const t = r.text?.trim();
  if (!t) return undefined;
  if (value && value.toLowerCase().includes(t.toLowerCase())) return undefined;
  return t;
}

interface Props {
  result: ResultValue;
  units: UnitSystem;
  showFlag?: boolean | undefined;
  /** A compact row: the value and its "calculated" mark only. */
  brief?: boolean | undefined;
}

/**
 * One result: the value in the unit system (the core's words and precision), the value as reported
 * only when it says something the shown one does not, and the result's own markers.
 */
export function ResultText({ result, units, showFlag, brief }: Props) {
  const value = formatResult(result, units);
  const reported = brief ? undefined : formatReported(result, units);
  const flag = showFlag ? flagText(result.flag) : undefined;
  const text = brief ? undefined : extraText(result, value);
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
          {!brief && result.derivation && <span class="derivation">{result.derivation}</span>}
        </>
      )}
      {result.resultStatus && (
        <>
          {' '}
          <span class="tag">{result.resultStatus}</span>
        </>
      )}
      {!brief && result.matchedByText && (
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
