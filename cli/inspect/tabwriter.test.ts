import { describe, expect, it } from 'vitest';
import { alignTabs } from './tabwriter.js';

describe('alignTabs (Go text/tabwriter, padding 2)', () => {
  const cases: { name: string; input: string; want: string }[] = [
    { name: 'one block', input: 'Name:\tweb\nNamespace:\tdefault\n', want: 'Name:       web\nNamespace:  default\n' },
    {
      name: 'a line without tabs ends the block',
      input: 'Name:\tweb\nContainers:\n  web:\n    Image:\tnginx\n    Restart Count:\t0\n',
      want: 'Name:  web\nContainers:\n  web:\n    Image:          nginx\n    Restart Count:  0\n',
    },
    {
      name: 'a multi-line value keeps the block (continuation lines start with a tab)',
      input: 'Labels:\tapp=web\n\ttier=front\nAnnotations:\t<none>\n',
      want: 'Labels:       app=web\n              tier=front\nAnnotations:  <none>\n',
    },
    {
      name: 'deeper columns form their own blocks; column 0 spans every line with a tab',
      input: '  Type\tReason\tMessage\n  ----\t------\t-------\n  Normal\tScheduled\tok\nTail:\tx\n',
      want: '  Type    Reason     Message\n  ----    ------     -------\n  Normal  Scheduled  ok\nTail:     x\n',
    },
    { name: 'trailing space cells count', input: 'a \tb\nccc \td\n', want: 'a     b\nccc   d\n' },
    { name: 'multi-byte text is measured in characters', input: 'é:\tx\nab:\ty\n', want: 'é:   x\nab:  y\n' },
    { name: 'empty input', input: '', want: '' },
  ];
  it.each(cases)('$name', ({ input, want }) => {
    expect(alignTabs(input)).toBe(want);
  });
});

describe('alignTabs as kubectl tables (padding 3, min width 6)', () => {
  it('pads short columns to 6 and long ones to their width plus 3', () => {
    expect(alignTabs('NS\tSHORTNAMES\tKIND\na\tpo\tPod\n', 3, 6)).toBe('NS    SHORTNAMES   KIND\na     po           Pod\n');
  });
});
