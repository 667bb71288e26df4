import { describe, expect, it } from 'vitest';
import { findingText } from '../../../src/clinical/display';
import { formatNote } from '../../../src/clinical/note';
import { POSITIVE, NEGATIVE, findingIds, obs, obsCoded, obsString, patient, range, run } from './fixtures';

const finding = (ev: ReturnType<typeof run>, id: string) => ev.findings.find((f) => f.id === id);

describe('findings (section 7): worded "Consider", never a diagnosis', () => {
  it('hypercalcaemia from total calcium, with evidence', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L', { id: 'ca' })]);
    const f = finding(ev, 'hypercalcaemia');
    expect(f?.text).toMatch(/Consider/);
    expect(f?.text).toMatch(/PTH/);
    expect(f?.evidence).toEqual(['Observation/ca']);
  });

  it('names its values in SI, and in conventional units beside (section 7b), for the view and the note to follow the unit choice', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L'), obs('2731-8', 12, 'pmol/L')]);
    const pattern = finding(ev, 'primary-hyperparathyroidism-pattern')!;
    expect(pattern.text).toMatch(/\(12\.0 pmol\/L\)/);
    expect(pattern.conventionalText).toMatch(/\(113 pg\/mL\)/);
    expect(pattern.conventionalText!.replace('113 pg/mL', '12.0 pmol/L')).toBe(pattern.text);
    expect(findingText(pattern, 'conventional')).toBe(pattern.conventionalText);
    expect(findingText(pattern, 'si')).toBe(pattern.text);
    expect(formatNote(ev, 'conventional')).toContain(pattern.conventionalText!);
    // a finding without values is written once
    const k = finding(run([obs('2823-3', 3.0, 'mmol/L')]), 'hypokalaemia')!;
    expect(k.conventionalText).toBeUndefined();
    expect(findingText(k, 'conventional')).toBe(k.text);
  });

  it('no hypercalcaemia when the adjusted calcium is normal', () => {
    // total 2.65 with albumin 47.5: adjusted 2.65 + 0.02 x (40 - 47.5) = 2.50
    const ev = run([obs('17861-6', 2.65, 'mmol/L'), obs('1751-7', 47.5, 'g/L')]);
    expect(findingIds(ev)).not.toContain('hypercalcaemia');
  });

  it('primary hyperparathyroidism pattern: calcium high with PTH high', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L', { id: 'ca' }), obs('2731-8', 12, 'pmol/L', { id: 'pth' })]);
    const f = finding(ev, 'primary-hyperparathyroidism-pattern');
    expect(f?.text).toMatch(/Consider primary hyperparathyroidism/);
    expect(f?.evidence).toEqual(['Observation/ca', 'Observation/pth']);
  });

  it('primary hyperparathyroidism pattern: calcium high with PTH within its range (inappropriately normal)', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L'), obs('2731-8', 5, 'pmol/L')]);
    expect(finding(ev, 'primary-hyperparathyroidism-pattern')?.text).toMatch(/inappropriately/);
  });

  it('no pattern when PTH is suppressed', () => {
    const ev = run([obs('17861-6', 2.8, 'mmol/L'), obs('2731-8', 0.5, 'pmol/L')]);
    expect(findingIds(ev)).toContain('hypercalcaemia');
    expect(findingIds(ev)).not.toContain('primary-hyperparathyroidism-pattern');
  });

  it('hypokalaemia', () => {
    expect(findingIds(run([obs('2823-3', 3.0, 'mmol/L')]))).toContain('hypokalaemia');
  });

  // section 7 now asks for a hyperchloraemic, normal anion gap acidosis of one day (chloride and
  // sodium of the bicarbonate's day); a low potassium strengthens it but is not required
  it('distal RTA pattern: a hyperchloraemic normal anion gap acidosis; urine pH > 5.5 strengthens it', () => {
    const base = [obs('2823-3', 3.0, 'mmol/L'), obs('1963-8', 16, 'mmol/L'), obs('2075-0', 115, 'mmol/L'), obs('2951-2', 140, 'mmol/L')];
    const f1 = finding(run(base), 'distal-rta-pattern');
    expect(f1?.text).toMatch(/Consider distal \(type 1\) renal tubular acidosis/);
    expect(f1?.text).toMatch(/would strengthen/);
    const f2 = finding(run([...base, obs('5803-2', 6.5, '[pH]', { id: 'ph' })]), 'distal-rta-pattern');
    expect(f2?.text).toMatch(/Urine pH 6.5 \(above 5.5\).*strengthens/);
    expect(f2?.evidence).toContain('Observation/ph');
    expect(findingIds(run([obs('1963-8', 16, 'mmol/L')]))).not.toContain('distal-rta-pattern');
  });

  it('hypercalciuria from 24-hour calcium, or a child\'s spot Ca:creatinine', () => {
    expect(findingIds(run([obs('14637-3', 9, 'mmol/(24.h)')]))).toContain('hypercalciuria');
    const child = patient({ birthDate: '2019-01-01' });
    expect(findingIds(run([obs('9321-1', 1.0, 'mmol/mmol')], { patient: child }))).toContain('hypercalciuria');
    // an adult ratio alone does not give the (paediatric) finding
    expect(findingIds(run([obs('9321-1', 1.0, 'mmol/mmol')]))).not.toContain('hypercalciuria');
  });

  it('hypocitraturia', () => {
    expect(findingIds(run([obs('14650-6', 1.0, 'mmol/(24.h)')]))).toContain('hypocitraturia');
  });

  it('hyperoxaluria', () => {
    expect(findingIds(run([obs('2701-1', 60, 'mg/(24.h)')]))).toContain('hyperoxaluria');
  });

  // section 7 now: hypomagnesaemia for a low serum magnesium; magnesium-wasting only with a urine
  // magnesium above 1 mmol/24 h
  it('hypomagnesaemia from a low serum magnesium; magnesium wasting with a high urine magnesium', () => {
    expect(finding(run([obs('19123-9', 0.5, 'mmol/L')]), 'hypomagnesaemia')?.text).toMatch(/Serum magnesium is low/);
    expect(findingIds(run([obs('19123-9', 0.5, 'mmol/L')]))).not.toContain('magnesium-wasting');
    const f = finding(run([obs('19123-9', 0.5, 'mmol/L'), obs('24447-5', 7, 'mmol/(24.h)', { id: 'umg' })]), 'magnesium-wasting');
    expect(f?.text).toMatch(/Consider renal magnesium wasting/);
    expect(f?.evidence).toContain('Observation/umg');
  });

  it('reduced eGFR', () => {
    expect(findingIds(run([obs('98979-8', 45, 'mL/min/{1.73_m2}')]))).toContain('reduced-egfr');
  });

  it('proteinuria from PCR, ACR or 24-hour protein', () => {
    expect(findingIds(run([obs('2889-4', 400, 'mg/(24.h)')]))).toContain('proteinuria');
    expect(findingIds(run([obs('34366-5', 40, 'mg/mmol')]))).toContain('proteinuria');
    expect(findingIds(run([obs('14959-1', 100, 'mg/g')]))).toContain('proteinuria');
    expect(findingIds(run([obs('14959-1', 10, 'mg/g')]))).not.toContain('proteinuria');
  });

  it('urinary infection from a positive culture or a positive nitrite / leukocyte esterase', () => {
    expect(findingIds(run([obsString('630-4', 'E. coli >10^5 CFU/mL')]))).toContain('urinary-infection');
    const f = finding(run([obsCoded('5802-4', POSITIVE), obsCoded('5799-2', POSITIVE)]), 'urinary-infection');
    // the dipstick's words: a positive nitrite, with the leukocyte esterase grade as reported
    expect(f?.text).toMatch(/positive nitrite and leukocyte esterase positive/);
    expect(findingIds(run([obsCoded('5802-4', NEGATIVE)]))).not.toContain('urinary-infection');
  });

  it('paediatric', () => {
    expect(findingIds(run([], { patient: patient({ birthDate: '2015-01-01' }) }))).toContain('paediatric');
    expect(findingIds(run([]))).not.toContain('paediatric');
  });

  it('only from results within their window (an outdated abnormal value gives no finding)', () => {
    expect(findingIds(run([obs('2823-3', 3.0, 'mmol/L', { date: '2023-01-01' })]))).not.toContain('hypokalaemia');
  });

  it('every finding is worded "Consider", never as a diagnosis', () => {
    const ev = run(
      [
        obs('17861-6', 2.8, 'mmol/L'),
        obs('2731-8', 12, 'pmol/L'),
        obs('2823-3', 3.0, 'mmol/L'),
        obs('1963-8', 16, 'mmol/L'),
        obs('2075-0', 115, 'mmol/L'), // section 7: a hyperchloraemic, normal anion gap acidosis
        obs('2951-2', 140, 'mmol/L'),
        obs('14637-3', 9, 'mmol/(24.h)'),
        obs('29463-7', 50, 'kg'), // a 15-year-old: 24-hour calcium judged per kg (limit 5 mmol/day)
        obs('14650-6', 1.0, 'mmol/(24.h)'),
        obs('2701-1', 0.6, 'mmol/(24.h)'),
        obs('19123-9', 0.5, 'mmol/L'),
        obs('24447-5', 3.6, 'mmol/(24.h)'), // with the low serum magnesium: renal magnesium wasting
        obs('98979-8', 45, 'mL/min/{1.73_m2}'),
        obs('2889-4', 400, 'mg/(24.h)'),
        obsCoded('5802-4', POSITIVE),
      ],
      { patient: patient({ birthDate: '2010-01-01' }) },
    );
    expect(findingIds(ev).sort()).toEqual(
      [
        'distal-rta-pattern',
        'hypercalcaemia',
        'hypercalciuria',
        'hypocitraturia',
        'hypokalaemia',
        'hyperoxaluria',
        'hypomagnesaemia',
        'magnesium-wasting',
        'paediatric',
        'primary-hyperparathyroidism-pattern',
        'proteinuria',
        'reduced-egfr',
        'urinary-infection',
      ].sort(),
    );
    for (const f of ev.findings) {
      expect(f.text).toMatch(/\bconsider\b/i);
      expect(f.text).not.toMatch(/\b(diagnosis|diagnosed|has (primary|distal))\b/i);
      expect(f.text).not.toMatch(/\btreat/i);
    }
  });

  it('a lab range decides the finding too', () => {
    const ev = run([obs('2731-8', 7.2, 'pmol/L', { range: [range(1.5, 7.6, 'pmol/L')] }), obs('17861-6', 2.8, 'mmol/L')]);
    expect(finding(ev, 'primary-hyperparathyroidism-pattern')).toBeDefined();
  });
});
