import { describe, expect, it } from 'vitest';
import { colourDescription, wantsColour } from './colour.js';

describe('describe colour', () => {
  it('only on a terminal, and not with NO_COLOR or TERM=dumb', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true);
    expect(wantsColour({ isTTY: false }, {})).toBe(false);
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(wantsColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
  it('paints Warning event rows yellow and leaves the rest', () => {
    const text = 'Events:\n  Type     Reason   Age  From     Message\n  Normal   Pulled   1m   kubelet  ok\n  Warning  BackOff  1m   kubelet  Back-off\n';
    expect(colourDescription(text)).toBe('Events:\n  Type     Reason   Age  From     Message\n  Normal   Pulled   1m   kubelet  ok\n\x1b[33m  Warning  BackOff  1m   kubelet  Back-off\x1b[0m\n');
  });
});
