/**
 * UK SNOMED CT codes (reference section 1b): every PaLM and PBCL observable of the table is matched
 * to its item, with UK units, and marked as the unverified code it is; a SNOMED CT code the table does
 * not list leaves the result to the text fallback (unlike an unlisted LOINC code).
 */
import { describe, expect, it } from 'vitest';
import type { Observation } from 'fhir/r4';
import { DEFAULT_RULES } from '../../../src/clinical/catalog';
import { matchCode } from '../../../src/clinical/values';
import { item, obs, run, snomed } from './fixtures';

/** Section 1b, as written in the reference: item → PBCL-era codes, PaLM codes. */
const SECTION_1B: Record<string, { pbcl: string[]; palm: string[] }> = {
  calcium: { pbcl: ['1000691000000101'], palm: [] },
  'adjusted-calcium': { pbcl: ['935051000000108'], palm: ['1107251000000104'] },
  albumin: { pbcl: ['1000821000000103'], palm: ['1105861000000106'] },
  phosphate: { pbcl: ['1000701000000101'], palm: [] },
  sodium: { pbcl: ['1000661000000107'], palm: ['1107871000000107'] },
  potassium: { pbcl: ['1000651000000109'], palm: ['1107761000000109', '1107751000000106'] },
  chloride: { pbcl: [], palm: ['1106511000000102'] },
  bicarbonate: { pbcl: ['1000681000000103'], palm: [] },
  urea: { pbcl: ['1000951000000103'], palm: ['1110281000000107'] },
  creatinine: { pbcl: ['1000731000000107'], palm: ['1107001000000108'] },
  egfr: { pbcl: ['1020291000000106'], palm: ['1011481000000105'] },
  pth: { pbcl: ['997221000000109', '1013021000000104'], palm: [] },
  tsh: { pbcl: ['1022791000000101', '1027151000000105'], palm: [] },
  magnesium: { pbcl: ['1001091000000103'], palm: [] },
  'vitamin-d': { pbcl: ['1001211000000100', '1029801000000105', '1007991000000105'], palm: [] },
  'urine-protein': { pbcl: ['1023491000000104', '1028731000000100'], palm: [] },
};

const SNOMED = 'http://snomed.info/sct';

describe('the catalog carries section 1b', () => {
  const cases = Object.entries(SECTION_1B).flatMap(([id, c]) => [
    ...c.pbcl.map((code) => [id, code, 'pbcl'] as const),
    ...c.palm.map((code) => [id, code, 'palm'] as const),
  ]);
  it.each(cases)('%s: SNOMED CT %s (%s, unverified)', (id, code, source) => {
    const m = matchCode({ coding: [{ system: SNOMED, code }] });
    expect(m?.target.item.id).toBe(id);
    expect(m?.byText).toBe(false);
    const def = DEFAULT_RULES.itemById.get(id)!.codes.find((c) => c.code === code)!;
    expect(def).toMatchObject({ system: 'snomed', source });
  });

  it('the albumin:creatinine and protein:creatinine ratios read as ratios', () => {
    expect(matchCode(snomed('1023491000000104'))?.target.analyte).toBe('u-acr');
    expect(matchCode(snomed('1028731000000100'))?.target.analyte).toBe('u-pcr');
  });
});

describe('UK results, judged as US ones', () => {
  const uk = (code: string, value: number, unit: string, ucum?: string): Observation => ({
    ...obs('0-0', value, unit, { ucum: ucum ?? unit }),
    code: snomed(code),
  });

  it('NHS message units: urea, creatinine, eGFR (UCUM mL/min/((173/100).m2)), albumin, TSH mU/L, PTH ng/L', () => {
    const ev = run([
      uk('1110281000000107', 3.7, 'mmol/L'),
      uk('1107001000000108', 73, 'umol/L'),
      uk('1011481000000105', 100, 'mL/min/1.73m2', 'mL/min/((173/100).m2)'),
      uk('1105861000000106', 47, 'g/L'),
      uk('1022791000000101', 2.1, 'mU/L', 'mU/L'),
      uk('997221000000109', 134, 'ng/L', 'ng/L'),
    ]);
    expect(item(ev, 'urea')).toMatchObject({ status: 'normal', latest: { value: 3.7, unit: 'mmol/L' } });
    expect(item(ev, 'creatinine')).toMatchObject({ status: 'normal', latest: { value: 73 } });
    expect(item(ev, 'egfr')).toMatchObject({ status: 'normal', latest: { value: 100 } });
    expect(item(ev, 'albumin')).toMatchObject({ status: 'normal', latest: { value: 47 } });
    expect(item(ev, 'tsh')).toMatchObject({ status: 'normal', latest: { value: 2.1 } });
    // 134 ng/L x 0.106 = 14.2 pmol/L: above the built-in 1.6-6.9, and the reported value is kept
    expect(item(ev, 'pth')).toMatchObject({ status: 'abnormal', direction: 'high', latest: { value: 14.2, reported: { value: 134, unit: 'ng/L' } } });
  });

  it('TSH as miu/L, potassium in plasma, the PBCL MDRD eGFR', () => {
    const ev = run([uk('1027151000000105', 3, 'miu/L'), uk('1107751000000106', 4.4, 'mmol/L'), uk('1020291000000106', 75, 'mL/min/1.73m2')]);
    expect(item(ev, 'tsh')).toMatchObject({ status: 'normal', latest: { value: 3 } });
    expect(item(ev, 'potassium')).toMatchObject({ status: 'normal', latest: { value: 4.4 } });
    expect(item(ev, 'egfr')).toMatchObject({ status: 'normal', latest: { value: 75 } });
  });
});

describe('a code the catalog does not list', () => {
  it('SNOMED CT: the text decides (UK codes are few and unverified), and says it matched by text', () => {
    const o: Observation = {
      ...obs('0-0', 6.1, 'mmol/24h'),
      code: { coding: [{ system: SNOMED, code: '999999999999999999', display: '24 hour urine calcium output' }], text: '24 hour urine calcium output' },
    };
    const ev = run([o]);
    expect(item(ev, 'urine-calcium-24h')).toMatchObject({ status: 'normal', latest: { value: 6.1, matchedByText: true } });
  });

  it('LOINC: not second-guessed by text (it names something else)', () => {
    const o: Observation = {
      ...obs('0-0', 6.1, 'mmol/24h'),
      code: { coding: [{ system: 'http://loinc.org', code: '99999-9', display: '24 hour urine calcium output' }] },
    };
    expect(item(run([o]), 'urine-calcium-24h').status).toBe('missing');
  });

  it('UK display names are recognised by the text fallback', () => {
    const text = (t: string) => matchCode({ text: t, coding: [{ system: 'urn:local', code: 'X' }] })?.target.item.id;
    expect(text('GFR calculated by abbreviated MDRD')).toBe('egfr');
    expect(text('eGFR using creatinine (CKD-EPI) per 1.73 square metres')).toBe('egfr');
    expect(text('Serum adjusted calcium concentration')).toBe('adjusted-calcium');
    expect(text('Urine albumin:creatinine ratio')).toBe('urine-protein');
    expect(text('Plasma PTH level')).toBe('pth');
    expect(text('Serum 25-Hydroxy vitamin D3 level')).toBe('vitamin-d');
  });
});
