import { chartTitle } from '../../domain/charts';
import type { Notice } from '../../domain/notices';
import { chartCaption } from './charts';
import type { Reply } from './common';
import { digestSummaryBlocks, digestThreadBlocks } from './digest';
import { reminderBlocks } from './reminders';

/** A notice from the sweep, worded for Slack. */
export function noticeReply(notice: Notice, timeZone: string): Reply {
  switch (notice.kind) {
    case 'reminders':
      return reminderBlocks(notice, timeZone);
    case 'digest-summary':
      return digestSummaryBlocks(notice.digest, timeZone);
    case 'digest-thread':
      return digestThreadBlocks(notice.part, notice.window, timeZone);
    case 'digest-chart':
      return chartCaption(chartTitle(notice.chart, timeZone));
  }
}
