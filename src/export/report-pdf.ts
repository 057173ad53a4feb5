import fs from 'node:fs';

/** Debian's Chromium (`apt-get install chromium`): the only browser used; none is ever downloaded. */
export const CHROMIUM = '/usr/bin/chromium';

/** What Chromium needs to run headless as root in a container, quietly and offline. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export type PdfOutcome = { pdf: Buffer } | { skipped: string };

/**
 * The HTML report printed to PDF by Chromium, with the page's own print stylesheet, so the PDF is
 * the HTML and not a second layout of it. Where Chromium is not installed (the Docker image, a
 * bare machine) there is no PDF, and the outcome says so in one line. Every request the page makes
 * is refused: it needs none.
 */
export async function reportPdf(html: string, executablePath = CHROMIUM): Promise<PdfOutcome> {
  if (!fs.existsSync(executablePath)) return { skipped: `no PDF: Chromium is not installed at ${executablePath} (apt-get install chromium)` };
  try {
    // Bounded: a Chromium that hangs costs the PDF, not the report (playwright's own default is 3 minutes).
    // Loaded here, not at start: only a report needs it, and it is large.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS, timeout: 30_000 });
    try {
      const page = await browser.newPage();
      await page.route('**/*', (route) => route.abort());
      await page.setContent(html, { waitUntil: 'load' });
      return { pdf: await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }) };
    } finally {
      await browser.close();
    }
  } catch (error) {
    // The Markdown and HTML still go out: a PDF is a convenience, not the report.
    return { skipped: `no PDF: Chromium at ${executablePath} failed (${String((error as Error).message).split('\n')[0].slice(0, 200)})` };
  }
}
