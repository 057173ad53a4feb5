import type { KnownBlock } from '@slack/types';
import { cut } from '../../domain/text';
import { escape, section, type Reply } from './common';

/** Slack refuses an image's alt text past 1,000 characters (alt_txt_too_large): a series is given newest first, so the oldest months are what an ellipsis stands for. */
export const SLACK_ALT_TEXT_LIMIT = 1000;

export function slackAltText(altText: string): string {
  return cut(altText, SLACK_ALT_TEXT_LIMIT);
}

/** What a chart says beside its picture: its title (the console prints this and where the file went). */
export function chartCaption(title: string): Reply {
  return { text: `📊 ${title}`, blocks: [section(`📊 *${escape(title)}*`)] };
}

/** `/chart`: where the chart went. */
export function chartSentBlocks(title: string, where: string): Reply {
  return { text: `📊 ${title}: ${where}`, blocks: [section(`📊 *${escape(title)}* — ${where}.`)] };
}

/** App Home's picture of progress by theme: an image block on the file the bot uploaded. */
export function homeChartBlocks(chart: { fileId: string; title: string; altText: string }): KnownBlock[] {
  return [{ type: 'image', slack_file: { id: chart.fileId }, alt_text: slackAltText(chart.altText), title: { type: 'plain_text', text: cut(chart.title, 150) } } as KnownBlock];
}
