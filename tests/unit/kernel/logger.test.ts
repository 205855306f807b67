/** The shared logger: structured lines, and no resident ID number in clear whatever a caller passes. */
import { describe, expect, it, vi } from 'vitest';
import { logger, maskResidentIds } from '../../../functions/kernel/runtime/logger.js';

describe('the logger', () => {
  it('masks resident ID numbers wherever they appear, keeping what the API shows', () => {
    expect(maskResidentIds('applicant 130105197003010115 phoned')).toBe('applicant 1301************** phoned');
    expect(maskResidentIds('11010519491231002X')).toBe('1101**************');
    // Longer runs of digits (an order number) and short ones are not resident IDs.
    expect(maskResidentIds('order 91301051970030101159')).toBe('order 91301051970030101159');
    expect(maskResidentIds('doc-0010')).toBe('doc-0010');
  });

  it('writes one JSON line in which a resident ID passed by mistake is masked', () => {
    const lines: string[] = [];
    const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    const info = vi.spyOn(console, 'info').mockImplementation((line: unknown) => void lines.push(String(line)));
    try {
      logger.info('refused', { applicationId: 'a-1', detail: 'comment said 130105197003010115' });
    } finally {
      write.mockRestore();
      info.mockRestore();
    }
    const text = lines.join('');
    expect(text).toContain('"applicationId":"a-1"');
    expect(text).toContain('1301**************');
    expect(text).not.toContain('130105197003010115');
  });
});
