import { reportData } from '../../src/domain/report';
import { reportHtml } from '../../src/export/report-html';
import { CHROMIUM, reportPdf } from '../../src/export/report-pdf';
import { reportPublishedBlocks } from '../../src/slack/blocks/others';
import { sampleCharts } from '../helpers/png';
import { TIME_ZONE } from '../helpers/store';

const page = reportHtml(reportData([], { from: '2016-11', to: '2017-04' }, new Date('2017-05-10T09:00:00Z'), { timeZone: TIME_ZONE, meetings: [] }), sampleCharts());

describe("the report's PDF: the HTML page printed by Debian's Chromium", () => {
  test('with Chromium: a whole PDF', async () => {
    const outcome = await reportPdf(page);
    expect('pdf' in outcome && outcome.pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect('pdf' in outcome && outcome.pdf.subarray(-8).toString('latin1').trim().endsWith('%%EOF')).toBe(true);
  });

  test('without Chromium, or with one that will not start: no PDF, and one line that says why', async () => {
    expect(await reportPdf(page, '/nowhere/chromium')).toEqual({ skipped: 'no PDF: Chromium is not installed at /nowhere/chromium (apt-get install chromium)' });
    const broken = await reportPdf(page, '/bin/false');
    expect('skipped' in broken && broken.skipped).toMatch(/^no PDF: Chromium at \/bin\/false failed \(.+\)$/);
    expect(CHROMIUM).toBe('/usr/bin/chromium');
  });

  test("/report's answer names the files, and says when there is no PDF", () => {
    const reply = reportPublishedBlocks({ from: '2016-11', to: '2017-04' }, 'in <#C0TASKFORCE>', ['r.md', 'r.html'], 'no PDF: Chromium is not installed at /usr/bin/chromium (apt-get install chromium)');
    expect(reply.text).toBe('The draft progress report for 2016-11 to 2017-04 is in <#C0TASKFORCE>.');
    expect(JSON.stringify(reply.blocks[1])).toContain('Files: `r.md`, `r.html`. No PDF: Chromium is not installed at /usr/bin/chromium (apt-get install chromium).');
  });
});
