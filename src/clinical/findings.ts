/**
 * Findings, section 7 of the clinical reference: patterns that give context, worded "Consider ...",
 * never a diagnosis. Decision: findings use only items whose newest valid result is within its
 * recency window (status normal/abnormal); an outdated abnormal value is shown on its item, but
 * does not produce a finding about the patient's current state.
 */
import type { Finding, ItemResult } from './model';

export interface FindingContext {
  ageYears: number | null;
  /** Positive nitrite / leukocyte esterase within the urinalysis window (section 7, urinary-infection). */
  dipstickPositive: { refs: string[]; what: string[] };
  /** Newest urine pH within the urinalysis window, if any (section 7, distal RTA). */
  urinePh?: { value: number; ref: string };
}

function refsOf(item: ItemResult | undefined): string[] {
  const s = item?.latest?.source;
  if (!s) return [];
  return Array.isArray(s) ? [...s] : [s];
}

const isHigh = (i: ItemResult | undefined): boolean => i?.status === 'abnormal' && i.direction === 'high';
const isLow = (i: ItemResult | undefined): boolean => i?.status === 'abnormal' && i.direction === 'low';
const isAbnormal = (i: ItemResult | undefined): boolean => i?.status === 'abnormal';
const current = (i: ItemResult | undefined): boolean => i?.status === 'normal' || i?.status === 'abnormal';

const uniq = (xs: string[]): string[] => [...new Set(xs)];

export function findFindings(items: ReadonlyMap<string, ItemResult>, ctx: FindingContext): Finding[] {
  const out: Finding[] = [];
  const get = (id: string) => items.get(id);

  // section 7 hypercalcaemia: adjusted calcium when it can be judged, else total calcium
  const adj = get('adjusted-calcium');
  const total = get('calcium');
  const caItem = current(adj) ? adj : total;
  const hyperCa = isHigh(caItem);
  if (hyperCa) {
    out.push({
      id: 'hypercalcaemia',
      text:
        `Calcium is high (${caItem === adj ? 'adjusted' : 'total'} calcium). Consider checking PTH; causes named in the article include ` +
        'hyperparathyroidism, vitamin D excess, sarcoidosis, bone metastases and immobilisation.',
      evidence: refsOf(caItem),
    });
    // section 7: PTH high, or within its range (inappropriately unsuppressed)
    const pth = get('pth');
    if (pth && (isHigh(pth) || pth.status === 'normal')) {
      out.push({
        id: 'primary-hyperparathyroidism-pattern',
        text:
          `Calcium is high with a PTH that is ${isHigh(pth) ? 'high' : 'within its range (inappropriately unsuppressed)'}. ` +
          'Consider primary hyperparathyroidism, the commonest associated cause.',
        evidence: uniq([...refsOf(caItem), ...refsOf(pth)]),
      });
    }
  }

  const k = get('potassium');
  const hypoK = isLow(k);
  if (hypoK) {
    out.push({
      id: 'hypokalaemia',
      text: 'Potassium is low. Chronic hypokalaemia lowers urinary citrate; consider hyperaldosteronism, distal renal tubular acidosis or Bartter syndrome.',
      evidence: refsOf(k),
    });
  }

  const hco3 = get('bicarbonate');
  if (hypoK && isLow(hco3)) {
    const ph = ctx.urinePh;
    const phText =
      ph && ph.value > 5.5
        ? ` Urine pH ${ph.value} (above 5.5) with a low bicarbonate strengthens this.`
        : ph
          ? ` Urine pH ${ph.value} is not above 5.5.`
          : ' A urine pH above 5.5 would strengthen it.';
    out.push({
      id: 'distal-rta-pattern',
      text: `Bicarbonate and potassium are both low. Consider distal (type 1) renal tubular acidosis.${phText}`,
      evidence: uniq([...refsOf(hco3), ...refsOf(k), ...(ph && ph.value > 5.5 ? [ph.ref] : [])]),
    });
  }

  const uca = get('urine-calcium-24h');
  const caCr = get('urine-calcium-creatinine');
  const paedRatioHigh = ctx.ageYears !== null && ctx.ageYears < 18 && isHigh(caCr);
  if (isHigh(uca) || paedRatioHigh) {
    out.push({
      id: 'hypercalciuria',
      text: 'Urinary calcium is high. Consider idiopathic hypercalciuria, loop diuretics and tubular disorders.',
      evidence: uniq([...(isHigh(uca) ? refsOf(uca) : []), ...(paedRatioHigh ? refsOf(caCr) : [])]),
    });
  }

  const cit = get('urine-citrate-24h');
  if (isLow(cit)) {
    out.push({
      id: 'hypocitraturia',
      text: 'Urinary citrate is low. Consider distal renal tubular acidosis and hypokalaemia, with which it is seen.',
      evidence: refsOf(cit),
    });
  }

  const ox = get('urine-oxalate-24h');
  if (isHigh(ox)) {
    out.push({
      id: 'hyperoxaluria',
      text: 'Urinary oxalate is high. Consider primary or secondary (enteric) hyperoxaluria.',
      evidence: refsOf(ox),
    });
  }

  const mg = get('magnesium');
  const umg = get('urine-magnesium');
  if (isLow(mg)) {
    const wasting = isHigh(umg);
    out.push({
      id: 'magnesium-wasting',
      text:
        (wasting ? 'Serum magnesium is low while urinary magnesium is high (renal magnesium wasting). ' : 'Serum magnesium is low. ') +
        'Consider familial hypomagnesaemia with hypercalciuria or a magnesium-losing nephropathy.',
      evidence: uniq([...refsOf(mg), ...(wasting ? refsOf(umg) : [])]),
    });
  }

  const egfr = get('egfr');
  if (isLow(egfr)) {
    out.push({
      id: 'reduced-egfr',
      text: `eGFR is below 60${egfr?.latest?.derived ? ' (derived value)' : ''}. Consider chronic kidney disease, and treat reversible causes early.`,
      evidence: refsOf(egfr),
    });
  }

  const prot = get('urine-protein');
  if (isHigh(prot)) {
    out.push({
      id: 'proteinuria',
      text: 'Urine protein is high. Consider nephrotic syndrome or another glomerular disease.',
      evidence: refsOf(prot),
    });
  }

  const cult = get('urine-culture');
  if (isAbnormal(cult) || ctx.dipstickPositive.refs.length > 0) {
    const parts: string[] = [];
    if (isAbnormal(cult)) parts.push('the urine culture is positive');
    if (ctx.dipstickPositive.what.length > 0) parts.push(`the dipstick shows ${ctx.dipstickPositive.what.join(' and ')}`);
    out.push({
      id: 'urinary-infection',
      text: `${parts.join('; ').replace(/^./, (c) => c.toUpperCase())}. Consider urinary infection and treat it: infection worsens renal damage.`,
      evidence: uniq([...(isAbnormal(cult) ? refsOf(cult) : []), ...ctx.dipstickPositive.refs]),
    });
  }

  if (ctx.ageYears !== null && ctx.ageYears < 18) {
    out.push({
      id: 'paediatric',
      text: 'The patient is under 18. Consider genetic testing; spot urine ratios and age-specific ranges apply.',
      evidence: ['Patient.birthDate'],
    });
  }
  return out;
}
