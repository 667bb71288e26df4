import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { parseNumericString, resultDate, matchCode, classifyQualitative } from '../../../src/clinical/values';
import { parseFhirDate } from '../../../src/clinical/dates';
import { item, loinc, obs, obsCoded, obsString, range, run, textCode, NEGATIVE, POSITIVE, PATIENT_ID } from './fixtures';

describe('valueString numbers (section 4, issue 3)', () => {
  it.each<[string, number, string | undefined, string | undefined]>([
    ['4.0', 4, undefined, undefined],
    ['<0.5', 0.5, '<', undefined],
    ['>100', 100, '>', undefined],
    ['<= 3', 3, '<=', undefined],
    ['≥60', 60, '>=', undefined],
    ['139 mmol/L', 139, undefined, 'mmol/L'],
    ['1,234', 1234, undefined, undefined],
    ['4,5', 4.5, undefined, undefined],
    ['.5', 0.5, undefined, undefined],
  ])('%s', (s, value, comparator, unit) => {
    const p = parseNumericString(s);
    expect(p?.value).toBe(value);
    expect(p?.comparator).toBe(comparator);
    expect(p?.unit).toBe(unit);
  });

  it.each(['Blank', 'see comment', 'abc', '', 'positive'])('%s is not a number', (s) => {
    expect(parseNumericString(s)).toBeUndefined();
  });

  it('reads a valueString number with its unit and a comparator value', () => {
    const ev = run([obsString('2823-3', '3.1 mmol/L'), obsString('2160-0', '<20 umol/L', { date: '2025-06-02' })]);
    expect(item(ev, 'potassium').status).toBe('abnormal');
    expect(item(ev, 'potassium').latest?.value).toBe(3.1);
    // "<20" creatinine in a woman: below 45, so low; the comparator is kept
    expect(item(ev, 'creatinine').latest?.comparator).toBe('<');
    expect(item(ev, 'creatinine').direction).toBe('low');
  });

  it.each(['Blank', 'see comment', 'cancelled', 'Not done', 'QNS'])('non-result "%s" is unknown, never normal', (s) => {
    const ev = run([obsString('2951-2', s)]);
    expect(item(ev, 'sodium').status).toBe('unknown');
    expect(item(ev, 'sodium').latest?.flag).toBe('uninterpretable');
  });

  it('a number without a unit, without a range, is unknown when units would give different numbers', () => {
    const ev = run([obsString('17861-6', '9.4')]);
    expect(item(ev, 'calcium').status).toBe('unknown');
    expect(item(ev, 'calcium').reason).toMatch(/no unit/);
  });

  it('a sodium or an eGFR without a unit is read in its only scale, and says so', () => {
    const ev = run([obsString('2951-2', '140'), obsString('62238-1', '>60')]);
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'sodium').latest?.text).toMatch(/no unit reported: read as mmol\/L/);
    expect(item(ev, 'egfr').status).toBe('normal');
    expect(item(ev, 'egfr').latest?.comparator).toBe('>');
  });

  it('a coded value for a numeric item is unknown', () => {
    const ev = run([obsCoded('2951-2', NEGATIVE)]);
    expect(item(ev, 'sodium').status).toBe('unknown');
  });

  it('dataAbsentReason means no value', () => {
    const o: Observation = { ...obs('2951-2', 1, 'mmol/L'), dataAbsentReason: { text: 'Specimen unsatisfactory' } };
    delete o.valueQuantity;
    const ev = run([o]);
    expect(item(ev, 'sodium').status).toBe('unknown');
    expect(item(ev, 'sodium').reason).toMatch(/no value/);
  });
});

describe('components (section 4)', () => {
  it('reads analytes carried in components under their own codes', () => {
    const panel: Observation = {
      resourceType: 'Observation',
      id: 'panel-1',
      status: 'final',
      code: loinc('24323-8', 'Comprehensive metabolic panel'),
      subject: { reference: `Patient/${PATIENT_ID}` },
      effectiveDateTime: '2025-06-01',
      component: [
        { code: loinc('2951-2'), valueQuantity: { value: 128, unit: 'mmol/L', code: 'mmol/L' } },
        { code: loinc('2823-3'), valueQuantity: { value: 4.2, unit: 'mmol/L' } },
        { code: loinc('9999-9'), valueQuantity: { value: 1, unit: 'x' } },
      ],
    };
    const ev = run([panel]);
    expect(item(ev, 'sodium').status).toBe('abnormal');
    expect(item(ev, 'sodium').direction).toBe('low');
    expect(item(ev, 'sodium').latest?.source).toBe('Observation/panel-1');
    expect(item(ev, 'potassium').status).toBe('normal');
  });
});

describe('statuses and dates (section 4)', () => {
  it('final, amended, corrected count; preliminary counts and is marked', () => {
    for (const s of ['final', 'amended', 'corrected']) {
      expect(item(run([obs('2951-2', 140, 'mmol/L', { status: s })]), 'sodium').status).toBe('normal');
    }
    const ev = run([obs('2951-2', 140, 'mmol/L', { status: 'preliminary' })]);
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'sodium').latest?.resultStatus).toBe('preliminary');
    expect(item(ev, 'sodium').reason).toMatch(/preliminary/);
  });

  it('entered-in-error and cancelled are ignored entirely', () => {
    for (const s of ['entered-in-error', 'cancelled']) {
      const ev = run([obs('2951-2', 120, 'mmol/L', { status: s })]);
      expect(item(ev, 'sodium').status).toBe('missing');
      expect(item(ev, 'sodium').latest).toBeUndefined();
    }
  });

  it('registered means pending', () => {
    const ev = run([obs('2951-2', 0, 'mmol/L', { status: 'registered' })]);
    expect(item(ev, 'sodium').status).toBe('pending');
  });

  it('an unknown status never counts as a result', () => {
    const ev = run([obs('2951-2', 140, 'mmol/L', { status: 'unknown' })]);
    expect(item(ev, 'sodium').status).toBe('unknown');
  });

  it('date: effectiveDateTime, else effectivePeriod end/start, else issued', () => {
    expect(resultDate({ effectiveDateTime: '2025-01-02', issued: '2025-01-05T00:00:00Z' })).toBe('2025-01-02');
    expect(resultDate({ effectivePeriod: { start: '2025-01-01', end: '2025-01-02' } })).toBe('2025-01-02');
    expect(resultDate({ effectivePeriod: { start: '2025-01-01' } })).toBe('2025-01-01');
    expect(resultDate({ issued: '2025-01-05T10:00:00Z' })).toBe('2025-01-05T10:00:00Z');
    expect(resultDate({ effectiveDateTime: 'garbage', issued: '2025-01-05' })).toBe('2025-01-05');
  });

  it('garbage and impossible dates are rejected', () => {
    expect(parseFhirDate('2025-02-30')).toBeUndefined();
    expect(parseFhirDate('yesterday')).toBeUndefined();
    expect(parseFhirDate('0001-01-01')).toBeUndefined();
    expect(parseFhirDate('2025-02-03T10:00:00+01:00')).toBe(Date.UTC(2025, 1, 3, 9));
  });

  it('a result without a usable date is unknown; a future date is not used', () => {
    const o = obs('2951-2', 140, 'mmol/L');
    delete o.effectiveDateTime;
    expect(item(run([o]), 'sodium').status).toBe('unknown');
    const f = obs('2951-2', 140, 'mmol/L', { date: '2031-01-01' });
    const ev = run([f]);
    expect(item(ev, 'sodium').status).toBe('unknown');
    expect(item(ev, 'sodium').reason).toMatch(/future/);
  });

  it('duplicates (same code, time and value) count once', () => {
    const a = obs('2951-2', 140, 'mmol/L', { id: 'a' });
    const b = obs('2951-2', 140, 'mmol/L', { id: 'b' });
    const old = obs('2951-2', 139, 'mmol/L', { id: 'c', date: '2025-03-01' });
    const ev = run([b, a, a, old]);
    expect(item(ev, 'sodium').latest?.source).toBe('Observation/a');
    expect(item(ev, 'sodium').history).toHaveLength(1);
  });
});

describe('code map and text fallback (issue 3)', () => {
  it('recognises "Serum, Plasma or Blood" and blood-gas LOINC variants', () => {
    const ev = run([obs('77139-4', 140, 'mmol/L'), obs('77142-8', 4, 'mmol/L'), obs('77140-2', 70, 'umol/L')]);
    expect(item(ev, 'sodium').status).toBe('normal');
    expect(item(ev, 'potassium').status).toBe('normal');
    expect(item(ev, 'creatinine').status).toBe('normal');
  });

  it('local codes before LOINC still match through the LOINC coding', () => {
    const o = obs('2823-3', 4, 'mmol/L');
    o.code = { coding: [{ system: 'https://fhir.cerner.com/x/codeSet/72', code: '123', display: 'Potassium Lvl' }, { system: 'http://loinc.org', code: '2823-3' }] };
    expect(item(run([o]), 'potassium').status).toBe('normal');
  });

  it('matches by text only when no standard code is present, and says so', () => {
    const o = obs('x', 2.4, 'mmol/L', { code: textCode('Calcium Lvl') });
    const ev = run([o]);
    expect(item(ev, 'calcium').status).toBe('normal');
    expect(item(ev, 'calcium').latest?.matchedByText).toBe(true);
  });

  it.each(['Calcium, ionized', 'Calcium, urine 24h', 'Urine calcium/creatinine ratio', 'Atorvastatin calcium'])('"%s" is not serum calcium', (text) => {
    const m = matchCode(textCode(text));
    expect(m?.target.item.id).not.toBe('calcium');
  });

  it('text fallback finds other items', () => {
    expect(matchCode(textCode('Calcium, ionized'))?.target.item.id).toBe('ionised-calcium');
    expect(matchCode(textCode('BUN'))?.target.analyte).toBe('bun');
    expect(matchCode(textCode('Creatinine, Serum'))?.target.item.id).toBe('creatinine');
    expect(matchCode(textCode('eGFR (CKD-EPI)'))?.target.item.id).toBe('egfr');
    expect(matchCode(textCode('PTH, intact'))?.target.item.id).toBe('pth');
    expect(matchCode(textCode('Vitamin D, 25-Hydroxy'))?.target.item.id).toBe('vitamin-d');
    expect(matchCode(textCode('1,25-Dihydroxy vitamin D'))).toBeUndefined();
    expect(matchCode(textCode('Creatine kinase'))).toBeUndefined();
  });

  it('an unlisted LOINC code is not second-guessed by its text', () => {
    // 17862-4 is calcium in urine: no text match to serum calcium
    expect(matchCode(loinc('17862-4', 'Calcium [Mass/volume] in Urine'))).toBeUndefined();
  });
});

describe('qualitative values', () => {
  it('nitrite positive is abnormal; negative is normal', () => {
    expect(classifyQualitative('nitrite', undefined, 'Positive', [], true)).toBe('abnormal');
    expect(classifyQualitative('nitrite', undefined, 'Negative', [], true)).toBe('normal');
    expect(classifyQualitative('leukocyte-esterase', undefined, '2+', [], true)).toBe('abnormal');
    // section 5: "trace" is equivocal, never positive by itself
    expect(classifyQualitative('dipstick-blood', undefined, 'Trace', [], true)).toBe('equivocal');
    expect(classifyQualitative('leukocyte-esterase', undefined, 'trace', [], true)).toBe('equivocal');
    expect(classifyQualitative('leukocyte-esterase', undefined, 'Tr', [], true)).toBe('equivocal');
    expect(classifyQualitative('nitrite', undefined, '', [{ system: 'http://snomed.info/sct', code: '260405006' }], true)).toBe('equivocal');
    expect(classifyQualitative('leukocyte-esterase', undefined, '1+', [], true)).toBe('abnormal');
  });

  it('culture: organism is abnormal, no growth normal, unreadable text uninterpretable', () => {
    expect(classifyQualitative('culture', undefined, 'Escherichia coli >100,000 CFU/mL', [], true)).toBe('abnormal');
    expect(classifyQualitative('culture', undefined, 'No growth', [], true)).toBe('normal');
    expect(classifyQualitative('culture', undefined, 'see lab', [], true)).toBe('uninterpretable');
    expect(classifyQualitative('culture', undefined, '', [{ system: 'http://snomed.info/sct', code: '112283007' }], true)).toBe('abnormal');
  });

  it('abnormal interpretation wins', () => {
    expect(classifyQualitative(undefined, 'abnormal', 'Yellow', [], true)).toBe('abnormal');
    expect(classifyQualitative(undefined, 'high', 'Yellow', [], true)).toBe('abnormal');
  });

  it('colour and clarity are just "done"', () => {
    expect(classifyQualitative(undefined, undefined, 'Yellow', [], true)).toBe('normal');
  });

  it('a positive nitrite makes the urinalysis abnormal', () => {
    const ev = run([obsCoded('5802-4', POSITIVE), obsCoded('5799-2', NEGATIVE), obs('5803-2', 6, '[pH]')]);
    expect(item(ev, 'urinalysis').status).toBe('abnormal');
    expect(item(ev, 'urinalysis').latest?.value).toMatch(/nitrite: Positive/);
    expect(item(ev, 'urinalysis').latest?.source).toHaveLength(3);
  });
});

describe('qualitative wording seen in real data (Synthea)', () => {
  it('"Urine nitrite negative (finding)" is negative; "Urine protein test = + (finding)" positive', () => {
    expect(classifyQualitative('nitrite', undefined, 'Urine nitrite negative (finding)', [], true)).toBe('normal');
    expect(classifyQualitative('leukocyte-esterase', undefined, 'Urine leukocyte test negative (finding)', [], true)).toBe('normal');
    expect(classifyQualitative('dipstick-protein', undefined, 'Urine protein test = + (finding)', [], true)).toBe('abnormal');
    expect(classifyQualitative('culture', undefined, 'Not detected', [], true)).toBe('normal');
  });

  it('numeric dipstick grades: above zero is a finding', () => {
    expect(classifyQualitative('dipstick-protein', undefined, '54 mg/dL', [], true, 54)).toBe('abnormal');
    expect(classifyQualitative('dipstick-protein', undefined, '0 mg/dL', [], true, 0)).toBe('normal');
  });
});

describe('fixes from the vendor and hostile suites', () => {
  it('microscopy: WBC above 5/HPF, RBC above 2/HPF, graded bacteria or crystals are findings', () => {
    const wbc = { ...obs('5821-4', 0, undefined), valueQuantity: undefined, valueRange: { low: { value: 20 }, high: { value: 30 } } } as Observation;
    expect(item(run([wbc]), 'urine-microscopy').status).toBe('abnormal');
    expect(item(run([obs('13945-1', 1, '/[HPF]')]), 'urine-microscopy').status).toBe('normal');
    expect(item(run([obs('13945-1', 8, '/[HPF]')]), 'urine-microscopy').status).toBe('abnormal');
    expect(item(run([obsString('25145-4', 'Few')]), 'urine-microscopy').status).toBe('normal');
    expect(item(run([obsString('25145-4', '4+')]), 'urine-microscopy').status).toBe('abnormal');
    expect(item(run([obsString('5774-5', 'Moderate')]), 'urine-microscopy').status).toBe('abnormal');
    expect(item(run([obsString('5821-4', 'Occasional')]), 'urine-microscopy').status).toBe('normal');
  });

  it('qualitative parts recognised by text keep their role (culture, nitrite)', () => {
    const culture = obsString('x', 'Escherichia coli >100,000 CFU/mL', { code: textCode('Urine Culture') });
    const ev = run([culture]);
    expect(item(ev, 'urine-culture').status).toBe('abnormal');
    expect(ev.findings.map((f) => f.id)).toContain('urinary-infection');
    expect(item(run([obsString('x', 'Positive', { code: textCode('Urine Nitrite') })]), 'urinalysis').status).toBe('abnormal');
    expect(item(run([obsString('x', 'Recommend Urine Culture', { code: textCode('Urine sediment comment: recommend urine culture') })]), 'urine-culture').status).toBe('missing');
  });

  it('a pharmacogenomic panel is not genetic testing', () => {
    expect(matchCode(textCode('Pharmacogenomic Panel'))).toBeUndefined();
    expect(matchCode(textCode('Genetic testing: nephrocalcinosis gene panel'))?.target.item.id).toBe('genetic-testing');
  });

  it('a quantity value sent as a string must be a plain number', () => {
    const o = obs('2823-3', 0, 'mmol/L');
    (o.valueQuantity as { value: unknown }).value = '4.0.1';
    expect(item(run([o]), 'potassium').status).toBe('unknown');
    (o.valueQuantity as { value: unknown }).value = '4.0';
    expect(item(run([o]), 'potassium').status).toBe('normal');
  });

  it('a non-finite canonical value is never emitted', () => {
    const ev = run([obs('2160-0', 1e308, 'mg/dL')]);
    expect(item(ev, 'creatinine').status).toBe('unknown');
    expect(JSON.stringify(ev)).not.toContain('null,');
    expect(item(ev, 'creatinine').latest?.value).toBe(1e308);
  });

  it('an absurd or inverted lab range is ignored (built-in used)', () => {
    expect(item(run([obs('1751-7', 4.0, 'g/dL', { range: [range(3.5, -1e308, 'g/dL')] })]), 'albumin').range?.source).toBe('built-in');
    expect(item(run([obs('2823-3', 4.0, 'mmol/L', { range: [range(5.3, 3.5, 'mmol/L')] })]), 'potassium').range?.source).toBe('built-in');
  });

  it('a unit-less value must be plausible in some unit before a unit-less lab range is used', () => {
    const o = obs('2777-1', 500, undefined, { range: [{ text: '100-1000' }] });
    expect(item(run([o]), 'phosphate').status).toBe('unknown');
  });

  it('an impossible urine pH is not "done"', () => {
    expect(item(run([obs('5803-2', 1e308, '[pH]')]), 'urinalysis').status).toBe('unknown');
    expect(item(run([obs('5803-2', 6, '[pH]')]), 'urinalysis').status).toBe('normal');
  });
});

describe('panel headers', () => {
  const header = (members: string[]): Observation => ({
    resourceType: 'Observation',
    id: 'ua-panel',
    status: 'final',
    code: loinc('24356-8', 'Urinalysis complete panel'),
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: '2025-06-01',
    hasMember: members.map((reference) => ({ reference })),
  });

  it('a header whose members are present is not a result by itself', () => {
    const ev = run([header(['Observation/nit']), obsCoded('5802-4', NEGATIVE, { id: 'nit' })]);
    expect(item(ev, 'urinalysis').status).toBe('normal');
    expect(item(ev, 'urinalysis').latest?.source).toBe('Observation/nit');
  });

  it('a header whose members are all absent: done, results not available (unknown, never missing)', () => {
    const ev = run([header(['Observation/absent-1', 'Observation/absent-2'])]);
    expect(item(ev, 'urinalysis').status).toBe('unknown');
    expect(item(ev, 'urinalysis').reason).toMatch(/panel reported without its results/);
  });
});
