/** The engine's site settings from the build's Vite variables (src/app/settings.ts). */
import { describe, expect, it, vi } from 'vitest';
import { engineSettings } from '../../../src/app/settings';

describe('engineSettings', () => {
  it('reads VITE_EGFR_EQUATION: ckd-epi-2009 or ckd-epi-2021', () => {
    expect(engineSettings({ VITE_EGFR_EQUATION: 'ckd-epi-2021' })).toEqual({ egfrEquation: 'ckd-epi-2021' });
    expect(engineSettings({ VITE_EGFR_EQUATION: ' CKD-EPI-2009 ' })).toEqual({ egfrEquation: 'ckd-epi-2009' });
  });

  it('unset: the engine default; anything else: the default, said once on the console', () => {
    expect(engineSettings({})).toEqual({});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(engineSettings({ VITE_EGFR_EQUATION: 'mdrd' })).toEqual({});
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });
});
